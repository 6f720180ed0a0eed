/**
 * The KPI table's model: which columns a breakdown has, how a cell compares with its target,
 * how rows sort, and the company row built from GET /api/kpi (whose shape is nested, unlike the
 * flat breakdown rows).
 */
import type { MessageKey } from '$lib/i18n.svelte';

export type Dimension = 'team' | 'region' | 'fault_category' | 'complaint_category' | 'channel';
export const DIMENSIONS: Dimension[] = ['team', 'region', 'fault_category', 'complaint_category', 'channel'];

/** A breakdown row: key, label, and counts/rates by field name (null = no data). */
export type KpiRow = { key: string; label: string } & Record<string, string | number | null>;

export interface KpiResponse {
  month: string;
  tickets: { reported: number; completed: number; due: number; on_time: number; late: number; pending: number };
  timeliness_rate: number | null;
  feedback: { forms: number; mean_score: number | null; coverage: number | null; verified: number; discrepant: number; satisfied: number };
  satisfaction_rate: number | null;
  complaints: { received: number; attributable: number; response_rate: number | null; resolution_rate: number | null };
  complaint_rate: number | null;
  first_time_fix_rate: number | null;
  followup_rate: number | null;
  spot_check_rate: number | null;
  discrepancy_rate: number | null;
  cost_per_job: number | null;
  targets: Record<string, number | null | undefined>;
}

export type Kind = 'count' | 'rate' | 'score' | 'money';
/** Which drill-down list a count opens (the lists pages' fixed URLs). */
export type Drill = 'late' | 'low_score' | 'complaints';

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

/** Lower is better only for the complaint rate (target "< 3 %"); every other target is a floor. */
export function lowerIsBetter(key: string): boolean {
  return key === 'complaint_rate';
}

/** 'good' when the target is met, 'bad' when missed, null when there is no figure or no target. */
export function judge(key: string, value: unknown, targets: Record<string, number | null | undefined>): 'good' | 'bad' | null {
  const target = targets[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || typeof target !== 'number') return null;
  if (lowerIsBetter(key)) return value < target ? 'good' : 'bad';
  return value >= target ? 'good' : 'bad';
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

/** The company row in the breakdown's flat shape. */
export function companyRow(k: KpiResponse, label: string): KpiRow {
  return {
    key: '',
    label,
    tickets_reported: k.tickets.reported,
    tickets_due: k.tickets.due,
    tickets_on_time: k.tickets.on_time,
    tickets_late: k.tickets.late,
    tickets_pending: k.tickets.pending,
    jobs: k.tickets.completed,
    forms: k.feedback.forms,
    complaints_received: k.complaints.received,
    complaints_attributable: k.complaints.attributable,
    timeliness_rate: k.timeliness_rate,
    satisfaction_rate: k.satisfaction_rate,
    complaint_rate: k.complaint_rate,
    mean_score: k.feedback.mean_score,
    response_rate: k.complaints.response_rate,
    resolution_rate: k.complaints.resolution_rate,
    first_time_fix_rate: k.first_time_fix_rate,
    form_coverage: k.feedback.coverage,
    followup_rate: k.followup_rate,
    cost_per_job: k.cost_per_job,
  };
}

/** The drill-down list of a count (pages built by the lists helper at fixed URLs); team null = every team. */
export function drillHref(drill: Drill, month: string, team: string | null): string {
  const q = new URLSearchParams({ month });
  if (team !== null) q.set('team', team);
  if (drill === 'late') return `/lists/late?${q}`;
  if (drill === 'complaints') return `/lists/complaints?${q}`;
  q.set('filter', 'low_score');
  return `/lists/forms?${q}`;
}
