/**
 * A team manager's split of the team's satisfaction reward/penalty (SPEC §4.5). The rules are in
 * sql/assessment/validate_allocation.sql; this file orchestrates: validate, replace the team's
 * parts in allocation_override, rebuild that month of the bonus sheet (mart_bonus_person reads
 * the overrides) and write the audit log, all in one transaction. A refused split changes nothing
 * and throws an AssessmentError listing every problem. The manager-only-sees-their-team rule is
 * the server's (it passes `by`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AllocationMember, TeamAllocation } from '../contract/assessment.ts';
import type { AssessmentOutcome } from '../contract/vocabulary.ts';
import { PROJECT_ROOT, type Warehouse } from '../warehouse/warehouse.ts';
import { currentClose } from './assessment.ts';
import { writeAudit } from './audit.ts';
import { AssessmentError, monthStart, required, type Problem } from './errors.ts';
import type { ErrorKind } from '../errors.ts';
import { rebuildModelMonths } from '../models/refresh.ts';

const SQL_DIR = join(PROJECT_ROOT, 'sql', 'assessment');
const VALIDATE_SQL = readFileSync(join(SQL_DIR, 'validate_allocation.sql'), 'utf8');
const TEAM_ALLOCATION_SQL = readFileSync(join(SQL_DIR, 'team_allocation.sql'), 'utf8');

export interface AllocationPart {
  technician_id: string;
  /** Signed yuan, at most two decimals. */
  amount: number;
}

export interface SetAllocationArgs {
  month: string;
  team_id: string;
  parts: AllocationPart[];
  by: string;
  reason: string;
}

function amountText(a: unknown): string | null {
  if (typeof a === 'number') return Number.isFinite(a) ? String(a) : null;
  if (typeof a === 'string') return a;
  return null;
}

/** The largest amount of one part, in yuan (either sign): far above any bonus, far below what DECIMAL and doubles hold exactly. */
export const MAX_PART_AMOUNT = 1e9;

/**
 * What is wrong with one part's amount before the warehouse sees it, in plain words, or null:
 * a number must be finite, of at most two decimals and at most MAX_PART_AMOUNT yuan either way; a
 * text amount must not exceed MAX_PART_AMOUNT either (its format is the SQL rule's, bad_amount).
 */
function amountProblem(a: unknown): string | null {
  const tooLarge = 'is larger than 1,000,000,000 yuan';
  if (typeof a === 'number') {
    if (!Number.isFinite(a)) return 'is not a number';
    if (Math.abs(a) > MAX_PART_AMOUNT) return tooLarge;
    const cents = a * 100;
    if (Math.abs(cents - Math.round(cents)) > 1e-6) return 'is not yuan with at most two decimals';
    return null;
  }
  if (typeof a === 'string') {
    const n = Number(a.replace(/[\s,，¥￥元]/gu, ''));
    if (Number.isNaN(n)) return null; // not a number at all: the SQL rule (bad_amount) says so
    if (!Number.isFinite(n) || Math.abs(n) > MAX_PART_AMOUNT) return tooLarge;
  }
  return null;
}

/** Every part whose amount is out of range or not yuan and cents, as AssessmentError problems (bad_amount). */
function amountProblems(parts: unknown): Problem[] {
  if (!Array.isArray(parts)) return [];
  const out: Problem[] = [];
  for (const p of parts as (Partial<Record<'technician_id' | 'amount', unknown>> | null)[]) {
    const why = amountProblem(p?.amount);
    if (why === null) continue;
    const id = typeof p?.technician_id === 'string' ? p.technician_id.trim() : null;
    const shown = typeof p?.amount === 'number' || typeof p?.amount === 'string' ? String(p.amount).slice(0, 40) : '?';
    out.push({ code: 'bad_amount', technician_id: id, message: `${id || '?'}: amount ${shown} ${why}` });
  }
  return out;
}

function partsJson(parts: unknown): string {
  if (!Array.isArray(parts)) throw new AssessmentError('invalid', 'no_parts', 'parts must be a list of {technician_id, amount}');
  return JSON.stringify(
    parts.map((p: Partial<Record<'technician_id' | 'amount', unknown>> | null) => ({
      technician_id: typeof p?.technician_id === 'string' ? p.technician_id.trim() : null,
      amount: amountText(p?.amount),
    })),
  );
}

/**
 * A split refused for one reason that is about the month or the request rather than the split's
 * rule (sql/assessment/validate_allocation.sql): its kind. Every other refusal is 'refused'.
 */
const SINGLE_PROBLEM_KIND: Partial<Record<string, ErrorKind>> = { month_closed: 'conflict', no_unit: 'not_found', no_parts: 'invalid' };

async function mustBeOpen(wh: Warehouse, month: string, d: string): Promise<void> {
  if (await currentClose(wh, d)) {
    throw new AssessmentError('conflict', 'month_closed', `${month} is closed; an admin must reopen it before the split can change`);
  }
}

/** Sets the split of a team's amount for a month; throws AssessmentError (code, problems) when refused. */
export async function setAllocation(wh: Warehouse, args: SetAllocationArgs): Promise<TeamAllocation> {
  const d = monthStart(args.month);
  const teamId = required(args.team_id, 'team_id');
  const by = required(args.by, 'by');
  const reason = required(args.reason, 'reason');
  const json = partsJson(args.parts);
  const bad = amountProblems(args.parts);
  if (bad.length) {
    throw new AssessmentError(
      'refused',
      bad.length === 1 ? 'bad_amount' : 'invalid_allocation',
      `allocation of ${teamId} ${args.month} refused: ${bad.map((p) => p.message).join('; ')}`,
      bad,
    );
  }
  await wh.transaction(async () => {
    const problems = await wh.all<Problem>(VALIDATE_SQL, { month: d, team_id: teamId, parts: json });
    if (problems.length) {
      const code = problems.length === 1 ? problems[0]!.code : 'invalid_allocation';
      throw new AssessmentError(
        SINGLE_PROBLEM_KIND[code] ?? 'refused',
        code,
        `allocation of ${teamId} ${args.month} refused: ${problems.map((p) => p.message).join('; ')}`,
        problems,
      );
    }
    const previous = await overrideParts(wh, d, teamId);
    await wh.run(`DELETE FROM allocation_override WHERE month = CAST($1 AS DATE) AND team_id = $2`, [d, teamId]);
    await wh.run(
      `INSERT INTO allocation_override (month, team_id, technician_id, amount, set_by, set_at, reason)
       SELECT CAST($month AS DATE), $team_id, p.technician_id, parse_money(clean_text(p.amount)), $by, now()::TIMESTAMP, $reason
       FROM (SELECT unnest(from_json(CAST($parts AS VARCHAR), '[{"technician_id":"VARCHAR","amount":"VARCHAR"}]'), recursive := true)) p`,
      { month: d, team_id: teamId, by, reason, parts: json },
    );
    await rebuildModelMonths(wh, ['mart_bonus_person'], [d]);
    const unit = await unitAmount(wh, d, teamId);
    await writeAudit(wh, {
      actor: by,
      action: 'allocation.set',
      target: `${args.month}/${teamId}`,
      detail: { team_amount: unit?.amount ?? null, parts: await overrideParts(wh, d, teamId), previous: previous.length ? previous : null, reason },
    });
  });
  return getAllocation(wh, args.month, teamId);
}

/** Removes a manager's split: the computed proportional split applies again. */
export async function clearAllocation(wh: Warehouse, args: { month: string; team_id: string; by: string; reason: string }): Promise<TeamAllocation> {
  const d = monthStart(args.month);
  const teamId = required(args.team_id, 'team_id');
  const by = required(args.by, 'by');
  const reason = required(args.reason, 'reason');
  await wh.transaction(async () => {
    await mustBeOpen(wh, args.month, d);
    const previous = await overrideParts(wh, d, teamId);
    if (!previous.length) throw new AssessmentError('not_found', 'no_override', `${teamId} has no manager's split for ${args.month}`);
    await wh.run(`DELETE FROM allocation_override WHERE month = CAST($1 AS DATE) AND team_id = $2`, [d, teamId]);
    await rebuildModelMonths(wh, ['mart_bonus_person'], [d]);
    await writeAudit(wh, { actor: by, action: 'allocation.clear', target: `${args.month}/${teamId}`, detail: { previous, reason } });
  });
  return getAllocation(wh, args.month, teamId);
}

/** A team's amount for the month, its members with computed / manager's / paid parts. */
export async function getAllocation(wh: Warehouse, month: string, teamId: string): Promise<TeamAllocation> {
  const d = monthStart(month);
  const unit = await unitAmount(wh, d, teamId);
  const members = await wh.all<AllocationMember>(TEAM_ALLOCATION_SQL, { month: d, team_id: teamId });
  const set = await wh.one<{ set_by: string; set_at: string; reason: string; total: number }>(
    `SELECT any_value(set_by) AS set_by, strftime(max(set_at), '%Y-%m-%d %H:%M:%S') AS set_at, any_value(reason) AS reason, sum(amount) AS total
     FROM allocation_override WHERE month = CAST($1 AS DATE) AND team_id = $2 HAVING count(*) > 0`,
    [d, teamId],
  );
  return {
    month,
    team_id: teamId,
    amount: unit?.amount ?? null,
    outcome: unit?.outcome ?? null,
    closed: !!(await currentClose(wh, d)),
    members,
    override: set ? { set_by: set.set_by, set_at: set.set_at, reason: set.reason, applied: unit !== undefined && set.total === unit.amount } : null,
  };
}

async function unitAmount(wh: Warehouse, d: string, teamId: string): Promise<{ amount: number; outcome: AssessmentOutcome } | undefined> {
  return wh.one<{ amount: number; outcome: AssessmentOutcome }>(
    `SELECT amount, outcome FROM mart_assessment_unit WHERE month = CAST($1 AS DATE) AND unit = 'team' AND team_id = $2`,
    [d, teamId],
  );
}

async function overrideParts(wh: Warehouse, d: string, teamId: string): Promise<AllocationPart[]> {
  return wh.all<AllocationPart>(
    `SELECT technician_id, amount FROM allocation_override WHERE month = CAST($1 AS DATE) AND team_id = $2 ORDER BY technician_id`,
    [d, teamId],
  );
}
