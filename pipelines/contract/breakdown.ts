/**
 * GET /api/breakdown: a month's figures by a dimension. team / region / technician rows are
 * kpi_month rows (every count and rate); fault category and channel rows count tickets and jobs;
 * complaint category rows count complaints. Rates are null when their denominator is 0.
 */
import type { KpiRateKey } from './kpi.ts';

export const BREAKDOWN_BY = ['team', 'region', 'technician', 'fault_category', 'complaint_category', 'channel'] as const;
export type BreakdownBy = (typeof BREAKDOWN_BY)[number];

/** Columns of a kpi_month breakdown row (team, region, technician), names as in kpi_month. */
export const KPI_BREAKDOWN_COLUMNS = [
  'tickets_reported', 'tickets_due', 'tickets_on_time', 'tickets_late', 'tickets_pending', 'jobs', 'forms',
  'complaints_received', 'complaints_attributable',
  'complaints_response_pending', 'complaints_resolution_pending', 'jobs_first_fix_pending', 'jobs_followup_pending',
  'timeliness_rate', 'satisfaction_rate', 'complaint_rate', 'mean_score', 'response_rate', 'resolution_rate',
  'first_time_fix_rate', 'form_coverage', 'followup_rate', 'cost_per_job',
] as const;
export type KpiBreakdownColumn = (typeof KPI_BREAKDOWN_COLUMNS)[number];

interface Keyed {
  /** The dimension's id ('' for records without one). */
  key: string;
  /** Its name for people: team name, category label; （未分班组） etc. for ''. */
  label: string;
}

/** by = team | region | technician; technician rows also carry the technician's team. */
export type KpiBreakdownRow = Keyed & { team_id?: string | null } & {
  [K in KpiBreakdownColumn]: K extends KpiRateKey ? number | null : number;
};

/** by = fault_category | channel. */
export interface TicketBreakdownRow extends Keyed {
  tickets_reported: number;
  tickets_due: number;
  tickets_on_time: number;
  tickets_late: number;
  tickets_pending: number;
  timeliness_rate: number | null;
  jobs: number;
  /** First-time fix decided / fixed / window still open (pending, left out of the rate). */
  jobs_first_fix_decided: number;
  jobs_first_time_fix: number;
  jobs_first_fix_pending: number;
  /** Follow-up decided (due) / followed up in time / window still open (pending). */
  jobs_followup_due: number;
  jobs_followed_up: number;
  jobs_followup_pending: number;
  first_time_fix_rate: number | null;
  followup_rate: number | null;
}

/** by = complaint_category. */
export interface ComplaintBreakdownRow extends Keyed {
  complaints_received: number;
  complaints_attributable: number;
  complaints_response_due: number;
  complaints_responded_in_time: number;
  response_rate: number | null;
  complaints_resolution_due: number;
  complaints_resolved_in_time: number;
  resolution_rate: number | null;
}

export type BreakdownRowOf<B extends BreakdownBy> = B extends 'team' | 'region' | 'technician'
  ? KpiBreakdownRow
  : B extends 'complaint_category'
    ? ComplaintBreakdownRow
    : TicketBreakdownRow;

export type BreakdownRow = BreakdownRowOf<BreakdownBy>;

export interface Breakdown<B extends BreakdownBy = BreakdownBy> {
  month: string;
  by: B;
  /** The team filter applied (a manager's own team), null for none. */
  team: string | null;
  rows: BreakdownRowOf<B>[];
}

/** The name the reads give the records without a team (the empty team id); the dashboard shows its own translation. */
export const NO_TEAM_LABEL = '（未分班组）';
