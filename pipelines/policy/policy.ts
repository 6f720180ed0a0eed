/**
 * Policy versions (SPEC §5): read them, and create a new version that takes effect from a month.
 * A new version starts from the version in force for its month; the fields given replace those
 * values (grade_points and sla_rules, when given, replace the whole set). The result is validated
 * field by field (PolicyError 'invalid_policy' with problems naming the fields), refused when a
 * closed month lies at or after its first month (sql/policy/closed_months_from.sql) or when a
 * version already starts that month, then stored with its audit entry in one transaction. The
 * models are then rebuilt for that month on (sql/policy/months_from.sql) — months before it keep
 * their policy and their figures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAudit } from '../assessment/audit.ts';
import { DomainError, type ErrorKind } from '../errors.ts';
import { refreshModels, type RefreshReport } from '../models/refresh.ts';
import { isMonth } from '../contract/months.ts';
import { SLA_HOURS_UNITS, type CreatedVersion, type PolicyVersion, type SlaRule } from '../contract/policy.ts';
import { GRADES, MOM_MODES } from '../contract/vocabulary.ts';
import { PROJECT_ROOT, type Warehouse } from '../warehouse/warehouse.ts';

const sql = (name: string) => readFileSync(join(PROJECT_ROOT, 'sql', 'policy', name), 'utf8');
const CLOSED_MONTHS_FROM = sql('closed_months_from.sql');
const MONTHS_FROM = sql('months_from.sql');

export interface Problem {
  field: string;
  message: string;
}

/** A refused policy version: a DomainError whose `problems` name the fields (empty when none applies). */
export class PolicyError extends DomainError<Problem> {
  override name = 'PolicyError';
  declare readonly code: 'invalid_policy' | 'month_closed' | 'version_exists';
  declare readonly problems: Problem[];
  constructor(kind: ErrorKind, code: PolicyError['code'], message: string, problems: Problem[] = []) {
    super(kind, code, message, { problems });
  }
}

type Kind =
  | { t: 'rate'; nullable?: boolean }
  | { t: 'int'; min: number; max: number }
  | { t: 'money'; sign: 'nonneg' | 'nonpos' | 'pos'; nullable?: boolean }
  | { t: 'mom_mode' }
  | { t: 'time'; end?: boolean };

/** The scalar fields of policy_version (migration 004) a version sets, with their rules. */
export const POLICY_FIELDS: Record<string, Kind> = {
  target_timeliness_rate: { t: 'rate' },
  target_satisfaction_rate: { t: 'rate' },
  target_complaint_rate: { t: 'rate' },
  target_response_rate: { t: 'rate', nullable: true },
  target_resolution_rate: { t: 'rate', nullable: true },
  target_first_fix_rate: { t: 'rate', nullable: true },
  target_form_coverage: { t: 'rate', nullable: true },
  target_followup_rate: { t: 'rate', nullable: true },
  satisfied_min_score: { t: 'int', min: -1000, max: 1000 },
  mom_mode: { t: 'mom_mode' },
  mom_reward_amount: { t: 'money', sign: 'nonneg' },
  mom_penalty_amount: { t: 'money', sign: 'nonpos' },
  mom_amount_per_point: { t: 'money', sign: 'pos', nullable: true },
  complaint_penalty_minor: { t: 'money', sign: 'nonpos' },
  complaint_penalty_major: { t: 'money', sign: 'nonpos' },
  complaint_penalty_severe: { t: 'money', sign: 'nonpos' },
  quarterly_min_jobs: { t: 'int', min: 0, max: 100_000 },
  quarterly_reward_amount: { t: 'money', sign: 'nonneg' },
  complaint_response_hours: { t: 'int', min: 1, max: 10_000 },
  complaint_resolution_working_days: { t: 'int', min: 1, max: 365 },
  first_fix_window_days: { t: 'int', min: 1, max: 3650 },
  followup_window_days: { t: 'int', min: 1, max: 3650 },
  spot_check_rate: { t: 'rate' },
  // Forged forms and cost (SPEC §4.4, §4; migration 009): the penalty per form found fraudulent, and an
  // optional cost budget per job (null: no budget).
  forged_form_penalty: { t: 'money', sign: 'nonpos' },
  cost_budget_per_job: { t: 'money', sign: 'pos', nullable: true },
  // The working window of working-hour SLA rules (SPEC §4.1; migration 010): 'HH:MM', at least an hour.
  working_window_start: { t: 'time' },
  working_window_end: { t: 'time', end: true },
  // Fraud risk (SPEC §4.7; migration 011, docs/models.md "Fraud risk"): the share of the week's calls
  // spent on the targeted queue, the signals' thresholds and their weights in the risk score.
  targeted_check_share: { t: 'rate' },
  // At most 28 days: the window then never reaches past the previous month, which is what lets
  // fct_form_risk be refreshed by month (every month's next month is rebuilt with it).
  risk_phone_window_days: { t: 'int', min: 1, max: 28 },
  risk_phone_min_customers: { t: 'int', min: 1, max: 1000 },
  risk_early_submit_minutes: { t: 'int', min: -1440, max: 1440 },
  risk_burst_minutes: { t: 'int', min: 1, max: 240 },
  risk_burst_min_customers: { t: 'int', min: 2, max: 100 },
  risk_all_max_months: { t: 'int', min: 1, max: 24 },
  risk_all_max_min_forms: { t: 'int', min: 1, max: 100_000 },
  risk_all_max_p_value: { t: 'rate' },
  risk_replaced_drop_points: { t: 'int', min: 1, max: 1000 },
  risk_findings_months: { t: 'int', min: 1, max: 120 },
  risk_findings_min_corrected: { t: 'int', min: 1, max: 1000 },
  risk_findings_corrected_share: { t: 'rate' },
  risk_weight_shared_phone: { t: 'rate' },
  risk_weight_technician_phone: { t: 'rate' },
  risk_weight_early_submission: { t: 'rate' },
  risk_weight_burst: { t: 'rate' },
  risk_weight_all_max: { t: 'rate' },
  risk_weight_replaced_drop: { t: 'rate' },
  risk_weight_prior_findings: { t: 'rate' },
};
const FIELD_NAMES = Object.keys(POLICY_FIELDS);

const SLA_KEYS = ['priority', 'name', 'when_fault_category', 'when_distance_over', 'when_distance_at_most', 'when_needs_supplier', 'when_distance_unknown', 'first_response_hours', 'arrival_hours', 'hours_unit'] as const;

/** The most hours a working-hour SLA rule may give (see checkSlaRules). */
const MAX_WORKING_HOURS = 2000;

/** 'HH:MM' within a day; a window's end may also be 24:00 (midnight). */
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

const MAX_MONEY = 1e9;

// ---------------------------------------------------------------------------------------------
// Reading

/** Every version, oldest first, with its grade points and SLA rules (by priority). */
export async function listPolicyVersions(wh: Warehouse): Promise<PolicyVersion[]> {
  const versions = await wh.all<Record<string, unknown>>(
    `SELECT * REPLACE (strftime(effective_from, '%Y-%m') AS effective_from, strftime(created_at, '%Y-%m-%d %H:%M:%S') AS created_at,
                       substr(CAST(working_window_start AS VARCHAR), 1, 5) AS working_window_start, substr(CAST(working_window_end AS VARCHAR), 1, 5) AS working_window_end)
     FROM policy_version ORDER BY effective_from`,
  );
  const points = await wh.all<{ effective_from: string; grade: string; points: number }>(
    `SELECT strftime(effective_from, '%Y-%m') AS effective_from, grade, points FROM policy_grade_point ORDER BY effective_from, grade`,
  );
  const rules = await wh.all<SlaRule & { effective_from: string }>(
    `SELECT * REPLACE (strftime(effective_from, '%Y-%m') AS effective_from) FROM policy_sla_rule ORDER BY effective_from, priority`,
  );
  return versions.map((v): PolicyVersion => ({
    ...(v as Pick<PolicyVersion, 'effective_from' | 'created_at' | 'created_by' | 'note'>),
    grade_points: Object.fromEntries(points.filter((p) => p.effective_from === v.effective_from).map((p) => [p.grade, p.points])),
    sla_rules: rules.filter((r) => r.effective_from === v.effective_from).map(({ effective_from: _, ...r }) => r),
  }));
}

/** The version in force for a month ('YYYY-MM'): the latest whose effective_from is not after it. */
export async function policyInForce(wh: Warehouse, month: string): Promise<PolicyVersion | undefined> {
  const all = await listPolicyVersions(wh);
  return all.filter((v) => v.effective_from <= month).at(-1);
}

// ---------------------------------------------------------------------------------------------
// Validation

export interface PolicyInput {
  effective_from: string;
  note: string | null;
  fields: Record<string, string | number | null>;
  grade_points: Record<string, number>;
  sla_rules: SlaRule[];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkScalar(name: string, kind: Kind, v: unknown, out: Problem[]): void {
  const bad = (message: string) => out.push({ field: name, message: `${name} ${message}` });
  if (v === null || v === undefined) {
    if (!('nullable' in kind && kind.nullable)) bad('is required');
    return;
  }
  switch (kind.t) {
    case 'rate':
      if (!isNum(v) || v < 0 || v > 1) bad('must be a fraction between 0 and 1 (0.9 for 90 %)');
      return;
    case 'int':
      if (!isNum(v) || !Number.isInteger(v) || v < kind.min || v > kind.max) bad(`must be a whole number between ${kind.min} and ${kind.max}`);
      return;
    case 'money': {
      if (!isNum(v) || Math.abs(v) > MAX_MONEY || Math.round(v * 100) !== Number((v * 100).toFixed(6))) {
        bad(`must be an amount in yuan with at most 2 decimals, at most ${MAX_MONEY} in size`);
        return;
      }
      if (kind.sign === 'nonneg' && v < 0) bad('must be 0 or positive (a reward)');
      if (kind.sign === 'nonpos' && v > 0) bad('must be 0 or negative (a penalty)');
      if (kind.sign === 'pos' && v <= 0) bad('must be positive');
      return;
    }
    case 'mom_mode':
      if (!(MOM_MODES as readonly unknown[]).includes(v)) bad(`must be one of ${MOM_MODES.join(', ')}`);
      return;
    case 'time':
      if (typeof v !== 'string' || !(TIME_OF_DAY.test(v) || (kind.end && v === '24:00'))) bad(`must be a time of day HH:MM (00:00 to ${kind.end ? '24:00' : '23:59'})`);
  }
}

function checkGradePoints(v: unknown, out: Problem[]): Record<string, number> {
  const f = 'grade_points';
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    out.push({ field: f, message: `${f} must be an object {A, B, C, D, E} of whole numbers` });
    return {};
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(GRADES as readonly string[]).includes(k)) out.push({ field: `${f}.${k}`, message: `${f} has only the grades ${GRADES.join(', ')}` });
  for (const g of GRADES) {
    const p = o[g];
    if (!isNum(p) || !Number.isInteger(p) || p < -100 || p > 100) out.push({ field: `${f}.${g}`, message: `${f}.${g} must be a whole number between -100 and 100` });
  }
  for (let i = 1; i < GRADES.length; i++) {
    const [hi, lo] = [o[GRADES[i - 1]!], o[GRADES[i]!]];
    if (isNum(hi) && isNum(lo) && lo > hi) out.push({ field: `${f}.${GRADES[i]}`, message: `${f}.${GRADES[i]} must not be above ${f}.${GRADES[i - 1]} (A is the best grade)` });
  }
  return o as Record<string, number>;
}

function checkSlaRules(v: unknown, faultCategories: Set<string>, out: Problem[]): SlaRule[] {
  const f = 'sla_rules';
  if (!Array.isArray(v) || v.length === 0 || v.length > 50) {
    out.push({ field: f, message: `${f} must be a list of 1 to 50 rules` });
    return [];
  }
  const seen = new Set<number>();
  return v.map((raw, i) => {
    const at = `${f}[${i}]`;
    const bad = (k: string, message: string) => out.push({ field: `${at}.${k}`, message: `${at}.${k} ${message}` });
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      out.push({ field: at, message: `${at} must be an object` });
      return raw as SlaRule;
    }
    const r = raw as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!(SLA_KEYS as readonly string[]).includes(k)) bad(k, `is not a rule field; allowed: ${SLA_KEYS.join(', ')}`);
    if (!isNum(r.priority) || !Number.isInteger(r.priority) || r.priority < 1 || r.priority > 1000) bad('priority', 'must be a whole number between 1 and 1000');
    else if (seen.has(r.priority)) bad('priority', `${r.priority} is used by another rule; priorities must be unique`);
    else seen.add(r.priority);
    if (typeof r.name !== 'string' || r.name.trim() === '' || r.name.length > 200) bad('name', 'must be a non-empty text of at most 200 characters');
    const cat = r.when_fault_category ?? null;
    if (cat !== null && (typeof cat !== 'string' || !faultCategories.has(cat))) bad('when_fault_category', `must be null or one of ${[...faultCategories].join(', ')}`);
    for (const k of ['when_distance_over', 'when_distance_at_most'] as const) {
      const x = r[k] ?? null;
      if (x !== null && (!isNum(x) || x < 0 || x > 100_000)) bad(k, 'must be null or a distance in km between 0 and 100000');
    }
    for (const k of ['when_needs_supplier', 'when_distance_unknown'] as const) {
      const x = r[k] ?? null;
      if (x !== null && typeof x !== 'boolean') bad(k, 'must be null, true or false');
    }
    for (const k of ['first_response_hours', 'arrival_hours'] as const) {
      const x = r[k] ?? null;
      if (x !== null && (!isNum(x) || x <= 0 || x > 10_000)) bad(k, 'must be null (event not required) or hours > 0 (at most 10000)');
    }
    if ((r.first_response_hours ?? null) === null && (r.arrival_hours ?? null) === null) {
      bad('first_response_hours', 'or arrival_hours must be given: a rule requires at least one event');
    }
    // The unit of both hours (SPEC §4.1); a rule sent without one keeps calendar hours.
    const unit = r.hours_unit ?? 'calendar';
    if (!(SLA_HOURS_UNITS as readonly unknown[]).includes(unit)) bad('hours_unit', `must be ${SLA_HOURS_UNITS.join(' or ')} (hours inside the working window on working days)`);
    // A working-hour deadline must fall on the working calendar (dim_date: ten years past the data):
    // with a window of at least an hour, 2000 working hours are at most 2000 working days.
    if (unit === 'working') {
      for (const k of ['first_response_hours', 'arrival_hours'] as const) if (isNum(r[k]) && r[k] > MAX_WORKING_HOURS) bad(k, `must be at most ${MAX_WORKING_HOURS} working hours`);
    }
    return Object.fromEntries(SLA_KEYS.map((k) => [k, k === 'hours_unit' ? unit : (r[k] ?? null)])) as unknown as SlaRule;
  });
}

/**
 * Validates a request body against the version in force for its month (the base). Unknown fields,
 * a bad month and every field rule violation are collected into one PolicyError.
 */
export async function parsePolicyInput(wh: Warehouse, body: Record<string, unknown>): Promise<PolicyInput> {
  const problems: Problem[] = [];
  const allowed = new Set(['effective_from', 'note', 'grade_points', 'sla_rules', ...FIELD_NAMES]);
  for (const k of Object.keys(body)) if (!allowed.has(k)) problems.push({ field: k, message: `${k} is not a policy field` });
  const month = body.effective_from;
  if (typeof month !== 'string' || !isMonth(month)) {
    problems.push({ field: 'effective_from', message: 'effective_from must be a month YYYY-MM' });
    throw new PolicyError('invalid', 'invalid_policy', problemsMessage(problems), problems);
  }
  const note = body.note ?? null;
  if (note !== null && (typeof note !== 'string' || note.length > 500)) problems.push({ field: 'note', message: 'note must be a text of at most 500 characters' });

  const base = await policyInForce(wh, month);
  const fields: Record<string, string | number | null> = {};
  for (const name of FIELD_NAMES) {
    const v = name in body ? body[name] : base?.[name];
    checkScalar(name, POLICY_FIELDS[name]!, v, problems);
    fields[name] = (v ?? null) as string | number | null;
  }
  if (fields.mom_mode === 'per_point' && fields.mom_amount_per_point === null) {
    problems.push({ field: 'mom_amount_per_point', message: 'mom_amount_per_point is required when mom_mode is per_point' });
  }
  const [open, close] = [fields.working_window_start, fields.working_window_end];
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  if (typeof open === 'string' && typeof close === 'string' && TIME_OF_DAY.test(open) && (TIME_OF_DAY.test(close) || close === '24:00') && minutes(close) - minutes(open) < 60) {
    problems.push({ field: 'working_window_end', message: 'working_window_end must be at least one hour after working_window_start (the window lies within one day)' });
  }
  checkRiskPolicy(fields, problems);
  const cats = new Set((await wh.all<{ id: string }>(`SELECT id FROM enum_label WHERE domain = 'fault_category' ORDER BY id`)).map((r) => r.id));
  const grade_points = checkGradePoints('grade_points' in body ? body.grade_points : base?.grade_points, problems);
  // The maximum form score is 3 × the best grade's points (SPEC §4.3: one source, no setting of its own).
  const best = grade_points[GRADES[0]!];
  if (isNum(fields.satisfied_min_score) && isNum(best) && fields.satisfied_min_score > 3 * best) {
    problems.push({ field: 'satisfied_min_score', message: `satisfied_min_score must not be above the maximum form score (3 × grade_points.${GRADES[0]} = ${3 * best})` });
  }
  const sla_rules = checkSlaRules('sla_rules' in body ? body.sla_rules : base?.sla_rules, cats, problems);
  if (problems.length) throw new PolicyError('invalid', 'invalid_policy', problemsMessage(problems), problems);
  return { effective_from: month, note: note as string | null, fields, grade_points, sla_rules };
}

/** The fraud-risk fields' rules beyond their kind: what would make a signal or the queue meaningless. */
function checkRiskPolicy(fields: Record<string, string | number | null>, out: Problem[]): void {
  const p = fields.risk_all_max_p_value;
  // 0 would never fire; above 0.5 a share at or below the team's could fire.
  if (isNum(p) && (p <= 0 || p > 0.5)) out.push({ field: 'risk_all_max_p_value', message: 'risk_all_max_p_value must be above 0 and at most 0.5 (0.001 fires when so many all-maximum forms would happen once in a thousand by chance)' });
  const share = fields.targeted_check_share;
  // The random sample is the other part of the calls: it can shrink, never vanish.
  if (isNum(share) && share > 0.9) out.push({ field: 'targeted_check_share', message: 'targeted_check_share must be at most 0.9: the random sample keeps at least a tenth of the calls' });
}

function problemsMessage(p: Problem[]): string {
  return `invalid policy: ${p.map((x) => x.field).join(', ')}`;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Stores a validated version (with its audit entry), then rebuilds the models from its month on. */
export async function createPolicyVersion(wh: Warehouse, input: PolicyInput, by: string): Promise<CreatedVersion> {
  const first = `${input.effective_from}-01`;
  await wh.transaction(async () => {
    const closed = await wh.all<{ month: string }>(CLOSED_MONTHS_FROM, [first]);
    if (closed.length) {
      throw new PolicyError(
        'conflict',
        'month_closed',
        `a version effective from ${input.effective_from} would apply to closed months (${closed.map((c) => c.month).join(', ')}); reopen them first or choose a later month`,
        closed.map((c) => ({ field: 'effective_from', message: `${c.month} is closed` })),
      );
    }
    const exists = await wh.one<{ n: number }>('SELECT count(*) AS n FROM policy_version WHERE effective_from = CAST($1 AS DATE)', [first]);
    if (exists!.n) throw new PolicyError('conflict', 'version_exists', `a version effective from ${input.effective_from} already exists`, [{ field: 'effective_from', message: 'taken' }]);

    const cols = ['effective_from', 'created_at', 'created_by', 'note', ...FIELD_NAMES];
    const values = [first, by, input.note, ...FIELD_NAMES.map((n) => input.fields[n] ?? null)];
    const placeholders = ['CAST($1 AS DATE)', 'now()::TIMESTAMP', ...values.slice(1).map((_, i) => `$${i + 2}`)];
    await wh.run(`INSERT INTO policy_version (${cols.join(', ')}) VALUES (${placeholders.join(', ')})`, values);
    for (const g of GRADES) {
      await wh.run('INSERT INTO policy_grade_point VALUES (CAST($1 AS DATE), $2, $3)', [first, g, input.grade_points[g]!]);
    }
    for (const r of input.sla_rules) {
      await wh.run(
        `INSERT INTO policy_sla_rule (effective_from, ${SLA_KEYS.join(', ')}) VALUES (CAST($1 AS DATE), ${SLA_KEYS.map((_, i) => `$${i + 2}`).join(', ')})`,
        [first, ...SLA_KEYS.map((k) => r[k])],
      );
    }
    await writeAudit(wh, {
      actor: by, action: 'policy.create', target: input.effective_from,
      detail: { note: input.note, ...input.fields, grade_points: input.grade_points, sla_rules: input.sla_rules },
    });
  });
  const report = await refreshFrom(wh, first);
  const version = (await listPolicyVersions(wh)).find((v) => v.effective_from === input.effective_from)!;
  return { version, refresh: { full: report.full, months: report.months, seconds: report.seconds } };
}

/** Rebuilds the models from a month on; a full build when they were never built. */
async function refreshFrom(wh: Warehouse, first: string): Promise<RefreshReport> {
  const built = await wh.one<{ n: number }>(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'policy_for_month' AND NOT temporary`);
  if (!built!.n) return refreshModels(wh, { full: true });
  const months = (await wh.all<{ month: string }>(MONTHS_FROM, [first])).map((r) => r.month);
  return refreshModels(wh, { months });
}
