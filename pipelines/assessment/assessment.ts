/**
 * The `assessment` read (SPEC §6): a month's assessment units and bonus sheet as the stable JSON
 * contract — from the frozen snapshot when the month is closed (SPEC §4.6), else from the live
 * marts (mart_assessment_unit, mart_bonus_person). Numbers are not rounded; a mean without forms
 * is null. compareClosed tells what would differ between the frozen and the live figures.
 */
import type { Assessment, AssessmentUnit, BonusPerson, ClosedComparison, Difference } from '../contract/assessment.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { AssessmentError, monthStart } from './errors.ts';

const UNIT_COLUMNS = 'unit, team_id, forms, total_score, mean_score, prev_forms, prev_total_score, prev_mean_score, outcome, amount';
const PERSON_COLUMNS =
  'technician_id, team_id, satisfaction_share, complaint_penalty, forged_form_penalty, quarterly_reward, adjustments, total, forged_forms, forged_form_ids';
const UNIT_ORDER = `ORDER BY unit <> 'company', team_id`;
const PERSON_ORDER = 'ORDER BY team_id NULLS LAST, technician_id';

export interface OpenClose {
  close_id: number;
  closed_by: string;
  closed_at: string;
}

/** The close in force for a month ('YYYY-MM-01'), or undefined when the month is open. */
export async function currentClose(wh: Warehouse, monthDate: string): Promise<OpenClose | undefined> {
  return wh.one<OpenClose>(
    `SELECT close_id, closed_by, strftime(closed_at, '%Y-%m-%d %H:%M:%S') AS closed_at
     FROM month_close WHERE month = CAST($1 AS DATE) AND reopened_at IS NULL
     ORDER BY close_id DESC LIMIT 1`,
    [monthDate],
  );
}

/**
 * Runs a read of the assessment marts; before the first refresh they do not exist, which is a
 * conflict to explain, not an internal error. (Asked of DuckDB's error rather than checked first:
 * a look into the catalog cost more than the read itself.)
 */
async function fromMarts<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (/Catalog Error: Table with name (mart_assessment_unit|mart_bonus_person) does not exist/.test(String((e as Error).message))) {
      throw new AssessmentError('conflict', 'no_models', 'the assessment models are not built yet; refresh the models first');
    }
    throw e;
  }
}

/** The live figures of a month, from the marts. */
export async function liveAssessment(wh: Warehouse, month: string): Promise<{ units: AssessmentUnit[]; people: BonusPerson[] }> {
  const d = monthStart(month);
  return fromMarts(async () => ({
    units: await wh.all<AssessmentUnit>(`SELECT ${UNIT_COLUMNS} FROM mart_assessment_unit WHERE month = CAST($1 AS DATE) ${UNIT_ORDER}`, [d]),
    people: await wh.all<BonusPerson>(`SELECT ${PERSON_COLUMNS} FROM mart_bonus_person WHERE month = CAST($1 AS DATE) ${PERSON_ORDER}`, [d]),
  }));
}

async function frozenAssessment(wh: Warehouse, closeId: number): Promise<{ units: AssessmentUnit[]; people: BonusPerson[] }> {
  const units = await wh.all<AssessmentUnit>(`SELECT ${UNIT_COLUMNS} FROM closed_assessment_unit WHERE close_id = $1 ${UNIT_ORDER}`, [closeId]);
  const people = await wh.all<BonusPerson>(`SELECT ${PERSON_COLUMNS} FROM closed_bonus_person WHERE close_id = $1 ${PERSON_ORDER}`, [closeId]);
  return { units, people };
}

/**
 * The assessment of a month (SPEC §6 `assessment --month YYYY-MM --json`): units (the company
 * first, then teams by id) and people (by team, then technician), frozen when the month is closed.
 */
export async function getAssessment(wh: Warehouse, month: string): Promise<Assessment> {
  const close = await currentClose(wh, monthStart(month));
  const figures = close ? await frozenAssessment(wh, close.close_id) : await liveAssessment(wh, month);
  return { month, units: figures.units, people: figures.people, closed: close ? { by: close.closed_by, at: close.closed_at } : null };
}

/**
 * What would differ if the closed month were computed from today's data (SPEC §4.6: "the
 * dashboard shows what would differ"). Only rows that differ are listed. For an open month there
 * is nothing frozen: closed is null and the lists are empty.
 */
export async function compareClosed(wh: Warehouse, month: string): Promise<ClosedComparison> {
  const close = await currentClose(wh, monthStart(month));
  if (!close) return { month, closed: null, differs: false, units: [], people: [] };
  const frozen = await frozenAssessment(wh, close.close_id);
  const live = await liveAssessment(wh, month);
  const units = diff(frozen.units, live.units, (u) => u.team_id ?? 'company');
  const people = diff(frozen.people, live.people, (p) => p.technician_id);
  return { month, closed: { by: close.closed_by, at: close.closed_at }, differs: units.length + people.length > 0, units, people };
}

function diff<T extends object>(frozen: T[], live: T[], keyOf: (r: T) => string): Difference<T>[] {
  const f = new Map(frozen.map((r) => [keyOf(r), r]));
  const l = new Map(live.map((r) => [keyOf(r), r]));
  const keys = [...new Set([...f.keys(), ...l.keys()])];
  const out: Difference<T>[] = [];
  for (const key of keys) {
    const a = f.get(key) ?? null;
    const b = l.get(key) ?? null;
    // Values are numbers, strings, null or lists of ids (forged_form_ids): compared as JSON.
    const same = (k: string) => JSON.stringify((a as Record<string, unknown>)[k]) === JSON.stringify((b as Record<string, unknown>)[k]);
    const fields = Object.keys((a ?? b)!).filter((k) => !a || !b || !same(k));
    if (fields.length) out.push({ key, frozen: a, live: b, fields });
  }
  return out;
}
