/**
 * The one KPI read (SPEC §4, §6): the flat KpiPoint of a month and scope from kpi_month, with its
 * month-over-month and year-over-year changes from kpi_month_change and the month's targets.
 * GET /api/kpi is one point, GET /api/trend a run of them, and the CLI's nested `kpi --json`
 * object is the point mapped by toSpecKpi. A month or scope without data has no kpi_month row:
 * zero counts, null rates and changes, targets from policy_for_month.
 */
import {
  KPI_COUNT_KEYS, KPI_ITEM_MEAN_KEYS, KPI_RATE_KEYS, KPI_TARGET_KEYS,
  type KpiChange, type KpiPoint, type KpiScope, type KpiTargetKey, type KpiTrend,
} from '../contract/kpi.ts';
import { addMonths, monthDate } from '../contract/months.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { latestMonth } from './meta.ts';

export type Scope = { scope: 'company' } | { scope: Exclude<KpiScope, 'company'>; id: string };

/** policy_version's name of each target (first-time fix is target_first_fix_rate). */
const targetColumn = (k: KpiTargetKey) => (k === 'first_time_fix_rate' ? 'target_first_fix_rate' : `target_${k}`);

/**
 * Every month from $first to $last for one scope. Targets come from the kpi_month row when there
 * is one (the policy it was computed with), else from policy_for_month.
 */
const POINTS_SQL = `
  WITH m AS (
    SELECT CAST(range AS DATE) AS month
    FROM range(CAST($first AS TIMESTAMP), CAST($last AS TIMESTAMP) + INTERVAL 1 MONTH, INTERVAL 1 MONTH)
  )
  SELECT strftime(m.month, '%Y-%m') AS month,
         ${KPI_COUNT_KEYS.map((c) => `coalesce(k.${c}, 0) AS ${c}`).join(', ')},
         ${[...KPI_RATE_KEYS, ...KPI_ITEM_MEAN_KEYS].map((c) => `k.${c}`).join(', ')},
         ${KPI_TARGET_KEYS.map((t) => `CASE WHEN k.month IS NULL THEN p.${targetColumn(t)} ELSE k.${targetColumn(t)} END AS target_${t}`).join(', ')},
         ${KPI_RATE_KEYS.map((r) => `c.mom_${r}, c.yoy_${r}`).join(', ')}
  FROM m
  LEFT JOIN kpi_month k ON k.month = m.month AND k.scope = $scope AND k.scope_id = $scope_id
  LEFT JOIN kpi_month_change c ON c.month = m.month AND c.scope = $scope AND c.scope_id = $scope_id
  LEFT JOIN policy_for_month p ON p.month = m.month
  ORDER BY m.month`;

type PointRow = Record<string, number | null> & { month: string };

function record<K extends string, V>(keys: readonly K[], value: (k: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((k) => [k, value(k)])) as Record<K, V>;
}

function toPoint(r: PointRow, scope: Scope): KpiPoint {
  const change = (side: 'mom' | 'yoy', month: string): KpiChange => ({ month, ...record(KPI_RATE_KEYS, (k) => r[`${side}_${k}`] ?? null) });
  return {
    month: r.month,
    scope: scope.scope,
    scope_id: scope.scope === 'company' ? null : scope.id,
    ...record(KPI_COUNT_KEYS, (k) => r[k] ?? 0),
    ...record(KPI_RATE_KEYS, (k) => r[k] ?? null),
    ...record(KPI_ITEM_MEAN_KEYS, (k) => r[k] ?? null),
    targets: record(KPI_TARGET_KEYS, (k) => r[`target_${k}`] ?? null),
    mom: change('mom', addMonths(r.month, -1)),
    yoy: change('yoy', addMonths(r.month, -12)),
  };
}

async function readPoints(wh: Warehouse, first: string, last: string, scope: Scope): Promise<KpiPoint[]> {
  const rows = await wh.all<PointRow>(POINTS_SQL, {
    first: monthDate(first), last: monthDate(last), scope: scope.scope, scope_id: scope.scope === 'company' ? '' : scope.id,
  });
  return rows.map((r) => toPoint(r, scope));
}

/** GET /api/kpi: the KPIs of a month and scope. */
export async function getKpiPoint(wh: Warehouse, month: string, scope: Scope = { scope: 'company' }): Promise<KpiPoint> {
  return (await readPoints(wh, month, month, scope))[0]!;
}

/** GET /api/trend: `months` consecutive points ending with `end` (default: the newest month with data). */
export async function getKpiTrend(wh: Warehouse, opts: { months: number; end?: string; scope: Scope }): Promise<KpiTrend> {
  const { scope } = opts;
  const head = { scope: scope.scope, scope_id: scope.scope === 'company' ? null : scope.id || null };
  const end = opts.end ?? (await latestMonth(wh));
  if (!end) return { ...head, months: [] };
  return { ...head, months: await readPoints(wh, addMonths(end, -(opts.months - 1)), end, scope) };
}

// ---------------------------------------------------------------------------------------------
// The CLI's machine interface (SPEC §6)

/** `kpi --json`: the stable nested object scripts and payroll tooling read. */
export interface SpecKpi {
  month: string;
  scope: KpiScope;
  scope_id: string | null;
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
  };
  satisfaction_rate: number | null;
  complaints: { received: number; attributable: number; response_rate: number | null; resolution_rate: number | null };
  complaint_rate: number | null;
  first_time_fix_rate: number | null;
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
    },
    satisfaction_rate: p.satisfaction_rate,
    complaints: { received: p.complaints_received, attributable: p.complaints_attributable, response_rate: p.response_rate, resolution_rate: p.resolution_rate },
    complaint_rate: p.complaint_rate,
    first_time_fix_rate: p.first_time_fix_rate,
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
