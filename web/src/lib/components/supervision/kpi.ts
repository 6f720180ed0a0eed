/**
 * The KPI table's model: which columns a breakdown has, how a cell compares with its target,
 * how rows sort, and the company row — the month's KPI point (GET /api/kpi), which carries the
 * breakdown's columns under the same names.
 */
import { BREAKDOWN_BY, KPI_BREAKDOWN_COLUMNS, type BreakdownBy, type KpiPoint } from '$contract';
import type { MessageKey } from '$lib/i18n.svelte';
import type { ListOf } from '$lib/drill';
import { meetsTarget } from '$lib/targets';

/** The table's dimensions: every breakdown but by technician (that is the lists' job). */
export type Dimension = Exclude<BreakdownBy, 'technician'>;
export const DIMENSIONS = BREAKDOWN_BY.filter((b): b is Dimension => b !== 'technician');

/**
 * A breakdown row as the table reads it: key, label, and counts/rates by column name (null = no
 * data). The rows of the several breakdowns have different columns (the contract's BreakdownRow).
 */
export type KpiRow = { key: string; label: string } & Record<string, string | number | null>;

export type Kind = 'count' | 'rate' | 'score' | 'money';
/** Which drill-down list a count opens. */
export type Drill = Extract<ListOf, 'late' | 'low_score' | 'complaints'>;

export interface Column {
  key: string;
  label: MessageKey;
  /** A shorter header where the full KPI name would widen the table past the screen (full name as tooltip). */
  short?: MessageKey;
  kind: Kind;
  drill?: Drill;
  /** A column with no figure of its own: only the drill-down link. */
  linkOnly?: boolean;
}

const ALL: Column[] = [
  { key: 'tickets_due', label: 'supervision.col.tickets_due', kind: 'count' },
  { key: 'tickets_late', label: 'supervision.col.tickets_late', kind: 'count', drill: 'late' },
  { key: 'timeliness_rate', label: 'kpi.timeliness_rate', kind: 'rate' },
  { key: 'forms', label: 'supervision.col.forms', kind: 'count' },
  { key: 'satisfaction_rate', label: 'kpi.satisfaction_rate', kind: 'rate' },
  { key: 'mean_score', label: 'kpi.mean_score', short: 'supervision.short.mean_score', kind: 'score' },
  { key: 'low_score', label: 'supervision.col.low_score', kind: 'count', drill: 'low_score', linkOnly: true },
  { key: 'complaints_received', label: 'supervision.col.complaints_received', kind: 'count', drill: 'complaints' },
  { key: 'complaints_attributable', label: 'supervision.col.complaints_attributable', short: 'supervision.short.complaints_attributable', kind: 'count' },
  { key: 'complaint_rate', label: 'kpi.complaint_rate', kind: 'rate' },
  { key: 'response_rate', label: 'kpi.response_rate', short: 'supervision.short.response_rate', kind: 'rate' },
  { key: 'resolution_rate', label: 'kpi.resolution_rate', short: 'supervision.short.resolution_rate', kind: 'rate' },
  { key: 'first_time_fix_rate', label: 'kpi.first_time_fix_rate', kind: 'rate' },
  { key: 'form_coverage', label: 'kpi.form_coverage', kind: 'rate' },
  { key: 'followup_rate', label: 'kpi.followup_rate', kind: 'rate' },
  { key: 'cost_per_job', label: 'kpi.cost_per_job', kind: 'money' },
];

/**
 * The columns a breakdown answers: the API gives every KPI for team/region but only some for
 * fault category, channel and complaint category, so the table shows what the rows carry.
 * Drill-down links exist for teams only (the lists filter by team).
 */
export function columnsFor(by: Dimension, rows: KpiRow[]): Column[] {
  const sample = rows[0];
  return ALL.filter((c) => {
    if (c.linkOnly) return by === 'team' && (!sample || 'forms' in sample);
    return sample ? c.key in sample : by === 'team';
  }).map((c) => (by === 'team' ? c : { ...c, drill: undefined }));
}

/** A cell's colour: 'good' when the target is met, 'bad' when missed, null when there is no figure or no target. */
export function judge(key: string, value: unknown, targets: Record<string, number | null | undefined>): 'good' | 'bad' | null {
  const met = meetsTarget(key, value, targets[key]);
  return met === null ? null : met ? 'good' : 'bad';
}

export interface Sort {
  key: string;
  desc: boolean;
}

/** `?sort=timeliness_rate` ascending, `?sort=-timeliness_rate` descending. */
export function parseSort(s: string | null): Sort | null {
  if (!s) return null;
  return s.startsWith('-') ? { key: s.slice(1), desc: true } : { key: s, desc: false };
}

export function formatSort(s: Sort | null): string | null {
  return s ? (s.desc ? '-' : '') + s.key : null;
}

/** Rows in the requested order; rows without a figure ("no data") always go last. */
export function sortRows(rows: KpiRow[], sort: Sort | null, locale: string): KpiRow[] {
  if (!sort) return rows;
  const dir = sort.desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[sort.key];
    const y = b[sort.key];
    const xn = x === null || x === undefined || x === '';
    const yn = y === null || y === undefined || y === '';
    if (xn || yn) return xn === yn ? 0 : xn ? 1 : -1;
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
    return String(x).localeCompare(String(y), locale) * dir;
  });
}

/** The company row: the KPI point's figures under the breakdown's column names. */
export function companyRow(k: KpiPoint, label: string): KpiRow {
  return { key: '', label, ...Object.fromEntries(KPI_BREAKDOWN_COLUMNS.map((c) => [c, k[c]])) };
}
