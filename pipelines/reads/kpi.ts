/**
 * The one KPI read (SPEC §4, §6): the flat KpiPoint of a month and scope from kpi_month, with its
 * month-over-month and year-over-year changes and the month's targets (all columns of kpi_month,
 * served as one JSON document per row from kpi_month_doc).
 * GET /api/kpi is one point, GET /api/trend a run of them, and the CLI's nested `kpi --json`
 * object is the point mapped by toSpecKpi. A month or scope without data has no kpi_month row:
 * zero counts, null rates and changes, targets from policy_for_month.
 */
import {
  KPI_COUNT_KEYS, KPI_ITEM_MEAN_KEYS, KPI_RATE_KEYS, KPI_REASON_SHARE_KEYS, KPI_TARGET_KEYS,
  type KpiChange, type KpiPoint, type KpiScope, type KpiTargetKey, type KpiTrend,
} from '../contract/kpi.ts';
import { addMonths, monthDate } from '../contract/months.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { latestMonth } from './meta.ts';
import { trendStart } from './trend-teams.ts';

export type Scope = { scope: 'company' } | { scope: Exclude<KpiScope, 'company'>; id: string };

/** policy_version's name of each target (first-time fix is target_first_fix_rate). */
const targetColumn = (k: KpiTargetKey) => (k === 'first_time_fix_rate' ? 'target_first_fix_rate' : `target_${k}`);

/**
 * Every month from $first to $last for one scope, one lookup of kpi_month (its rates, targets and
 * mom_/yoy_ changes are columns there). A month without a row (no data) takes its targets from
 * policy_for_month, asked for only then: joining the policy on every read tripled its cost.
 */
/**
 * A point's figures come from kpi_month_doc: its kpi_month row as one JSON document (reading one
 * column of one row instead of ~150 is what keeps a KPI answer cheap). Every month from $first
 * to $last for one scope; a month without data has no document.
 */
const POINTS_SQL = `
  WITH m AS (
    SELECT CAST(range AS DATE) AS month
    FROM range(CAST($first AS TIMESTAMP), CAST($last AS TIMESTAMP) + INTERVAL 1 MONTH, INTERVAL 1 MONTH)
  )
  SELECT strftime(m.month, '%Y-%m') AS month, k.doc,
         CASE WHEN a.as_of > TIMESTAMP '1970-01-01' THEN strftime(a.as_of, '%Y-%m-%d %H:%M:%S') END AS as_of
  FROM m
  CROSS JOIN data_as_of a
  LEFT JOIN kpi_month_doc k ON k.month = m.month AND k.scope = $scope AND k.scope_id = $scope_id
  ORDER BY m.month`;

/** One month: a plain row lookup (building a month range costs more than the lookup). */
const POINT_SQL = `
  SELECT strftime(k.month, '%Y-%m') AS month, k.doc,
         CASE WHEN a.as_of > TIMESTAMP '1970-01-01' THEN strftime(a.as_of, '%Y-%m-%d %H:%M:%S') END AS as_of
  FROM kpi_month_doc k, data_as_of a
  WHERE k.month = CAST($first AS DATE) AND k.scope = $scope AND k.scope_id = $scope_id`;

type DocRow = { month: string; doc: string | null; as_of: string | null };

/** A document (or its absence) as the row toPoint reads: figures by name, targets as target_<kpi>. */
function fromDoc(r: DocRow): PointRow {
  const doc = r.doc === null ? {} : (JSON.parse(r.doc) as Record<string, number | null>);
  const row: PointRow = { ...doc, month: r.month, has_row: r.doc !== null, as_of: r.as_of };
  for (const t of KPI_TARGET_KEYS) row[`target_${t}`] = doc[targetColumn(t)] ?? null;
  return row;
}

/** The targets of months without data, from the policy in force for each. */
const POLICY_TARGETS_SQL = `
  SELECT strftime(month, '%Y-%m') AS month, ${KPI_TARGET_KEYS.map((t) => `${targetColumn(t)} AS target_${t}`).join(', ')}
  FROM policy_for_month WHERE month BETWEEN CAST($first AS DATE) AND CAST($last AS DATE)`;

/** A point's figures by name (counts, rates, target_<kpi>, mom_/yoy_<rate>), its month, as-of time and whether it has data. */
type PointRow = { month: string; has_row: boolean; as_of: string | null; [figure: string]: number | string | boolean | null };

function record<K extends string, V>(keys: readonly K[], value: (k: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((k) => [k, value(k)])) as Record<K, V>;
}

function toPoint(r: PointRow, scope: Scope): KpiPoint {
  // Figures are numbers or null (JSON numbers of the document); the row's other fields are named.
  const num = (k: string) => (r[k] ?? null) as number | null;
  const change = (side: 'mom' | 'yoy', month: string): KpiChange => ({ month, ...record(KPI_RATE_KEYS, (k) => num(`${side}_${k}`)) });
  return {
    month: r.month,
    scope: scope.scope,
    scope_id: scope.scope === 'company' ? null : scope.id,
    as_of: r.as_of ?? null,
    ...record(KPI_COUNT_KEYS, (k) => num(k) ?? 0),
    ...record(KPI_RATE_KEYS, num),
    ...record(KPI_ITEM_MEAN_KEYS, num),
    ...record(KPI_REASON_SHARE_KEYS, num),
    targets: record(KPI_TARGET_KEYS, (k) => num(`target_${k}`)),
    mom: change('mom', addMonths(r.month, -1)),
    yoy: change('yoy', addMonths(r.month, -12)),
  };
}

async function readPoints(wh: Warehouse, first: string, last: string, scope: Scope): Promise<KpiPoint[]> {
  const range = { first: monthDate(first), last: monthDate(last) };
  const rows = (await wh.all<DocRow>(POINTS_SQL, { ...range, scope: scope.scope, scope_id: scope.scope === 'company' ? '' : scope.id })).map(fromDoc);
  if (rows.some((r) => !r.has_row)) {
    const policy = new Map((await wh.all<PointRow>(POLICY_TARGETS_SQL, range)).map((p) => [p.month, p]));
    for (const r of rows) if (!r.has_row) for (const t of KPI_TARGET_KEYS) r[`target_${t}`] = policy.get(r.month)?.[`target_${t}`] ?? null;
  }
  return rows.map((r) => toPoint(r, scope));
}

/** GET /api/kpi: the KPIs of a month and scope. */
export async function getKpiPoint(wh: Warehouse, month: string, scope: Scope = { scope: 'company' }): Promise<KpiPoint> {
  const row = await wh.one<DocRow>(POINT_SQL, { first: monthDate(month), scope: scope.scope, scope_id: scope.scope === 'company' ? '' : scope.id });
  return row ? toPoint(fromDoc(row), scope) : (await readPoints(wh, month, month, scope))[0]!;
}

/** GET /api/trend: `months` consecutive points ending with `end` (default: the newest month with data). */
export async function getKpiTrend(wh: Warehouse, opts: { months: number; end?: string; scope: Scope }): Promise<KpiTrend> {
  const { scope } = opts;
  const head = { scope: scope.scope, scope_id: scope.scope === 'company' ? null : scope.id || null };
  const end = opts.end ?? (await latestMonth(wh));
  if (!end) return { ...head, months: [] };
  return { ...head, months: await readPoints(wh, trendStart(end, opts.months), end, scope) };
}

// ---------------------------------------------------------------------------------------------
// The CLI's machine interface (SPEC §6)

/**
 * `kpi --json`: the stable nested object scripts and payroll tooling read. The SPEC §6 names are
 * fixed; later figures are only ever added (docs/models.md lists every name): the as-of time, the
 * pending count beside each running clock's rate, first-time fix and follow-up counts, and the
 * dissatisfaction reasons.
 */
export interface SpecKpi {
  month: string;
  scope: KpiScope;
  scope_id: string | null;
  /** The data's as-of time: what is pending is pending at this moment. */
  as_of: string | null;
  tickets: { reported: number; completed: number; due: number; on_time: number; late: number; pending: number };
  timeliness_rate: number | null;
  feedback: {
    forms: number;
    total_score: number;
    mean_score: number | null;
    satisfied: number;
    item_means: { timeliness: number | null; quality: number | null; attitude: number | null };
    coverage: number | null;
    verified: number;
    discrepant: number;
    /** The random queue's checks only: the basis of discrepancy_rate. */
    sample_verified: number;
    sample_discrepant: number;
    /** Counted forms citing each dissatisfaction reason, satisfied or not. */
    reasons: { attitude: number; skill: number; speed: number };
    /** The same ÷ counted forms (null without forms). */
    reason_shares: { attitude: number | null; skill: number | null; speed: number | null };
  };
  satisfaction_rate: number | null;
  complaints: {
    received: number;
    attributable: number;
    response_rate: number | null;
    resolution_rate: number | null;
    /** 24 h response: decided (due), answered in time, still running (pending). */
    response_due: number;
    responded_in_time: number;
    response_pending: number;
    /** 3-working-day resolution: decided (due), resolved in time, still running (pending). */
    resolution_due: number;
    resolved_in_time: number;
    resolution_pending: number;
  };
  complaint_rate: number | null;
  /** Jobs whose first-time fix is decided, fixed the first time, and still in their window. */
  first_time_fix: { decided: number; fixed: number; pending: number };
  first_time_fix_rate: number | null;
  /** Jobs whose follow-up is decided (due), followed up in time, and still in their window. */
  followup: { due: number; followed_up: number; pending: number };
  followup_rate: number | null;
  spot_check_rate: number | null;
  discrepancy_rate: number | null;
  cost_per_job: number | null;
  targets: KpiPoint['targets'];
}

/** The SPEC §6 object of a point: the same figures under their §6 names. */
export function toSpecKpi(p: KpiPoint): SpecKpi {
  return {
    month: p.month,
    scope: p.scope,
    scope_id: p.scope_id,
    as_of: p.as_of,
    tickets: { reported: p.tickets_reported, completed: p.jobs, due: p.tickets_due, on_time: p.tickets_on_time, late: p.tickets_late, pending: p.tickets_pending },
    timeliness_rate: p.timeliness_rate,
    feedback: {
      forms: p.forms,
      total_score: p.total_score,
      mean_score: p.mean_score,
      satisfied: p.forms_satisfied,
      item_means: { timeliness: p.mean_timeliness_points, quality: p.mean_quality_points, attitude: p.mean_attitude_points },
      coverage: p.form_coverage,
      verified: p.forms_verified,
      discrepant: p.forms_discrepant,
      sample_verified: p.forms_sample_verified,
      sample_discrepant: p.forms_sample_discrepant,
      reasons: { attitude: p.forms_reason_attitude, skill: p.forms_reason_skill, speed: p.forms_reason_speed },
      reason_shares: { attitude: p.reason_attitude_share, skill: p.reason_skill_share, speed: p.reason_speed_share },
    },
    satisfaction_rate: p.satisfaction_rate,
    complaints: {
      received: p.complaints_received,
      attributable: p.complaints_attributable,
      response_rate: p.response_rate,
      resolution_rate: p.resolution_rate,
      response_due: p.complaints_response_due,
      responded_in_time: p.complaints_responded_in_time,
      response_pending: p.complaints_response_pending,
      resolution_due: p.complaints_resolution_due,
      resolved_in_time: p.complaints_resolved_in_time,
      resolution_pending: p.complaints_resolution_pending,
    },
    complaint_rate: p.complaint_rate,
    first_time_fix: { decided: p.jobs_first_fix_decided, fixed: p.jobs_first_time_fix, pending: p.jobs_first_fix_pending },
    first_time_fix_rate: p.first_time_fix_rate,
    followup: { due: p.jobs_followup_due, followed_up: p.jobs_followed_up, pending: p.jobs_followup_pending },
    followup_rate: p.followup_rate,
    spot_check_rate: p.spot_check_rate,
    discrepancy_rate: p.discrepancy_rate,
    cost_per_job: p.cost_per_job,
    targets: p.targets,
  };
}

/** `kpi --json`: the SPEC §6 object of a month and scope. */
export async function getKpi(wh: Warehouse, month: string, scope: Scope = { scope: 'company' }): Promise<SpecKpi> {
  return toSpecKpi(await getKpiPoint(wh, month, scope));
}
