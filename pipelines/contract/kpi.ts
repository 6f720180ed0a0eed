/**
 * The KPI point (SPEC §4, §6): one month and one scope, flat, with the kpi_month names. The same
 * point answers GET /api/kpi and each month of GET /api/trend; the CLI's nested `kpi --json`
 * object is mapped from it (pipelines/reads/kpi.ts). Rates are fractions, null when their
 * denominator is 0 ("no data", never 0 %); nothing is rounded.
 */

/** Every figure with a month-over-month and year-over-year change (kpi_month mom_/yoy_ columns). */
export const KPI_RATE_KEYS = [
  'timeliness_rate', 'satisfaction_rate', 'complaint_rate', 'mean_score',
  'response_rate', 'resolution_rate', 'first_time_fix_rate', 'form_coverage', 'followup_rate',
  'spot_check_rate', 'discrepancy_rate', 'cost_per_job',
] as const;
export type KpiRateKey = (typeof KPI_RATE_KEYS)[number];

/**
 * The kpi_month counts the dashboard uses: 0 for a month or scope without data. Each running clock
 * (SPEC §4 "As-of time") has its pending count beside its rate's counts, left out of both:
 * tickets_pending (timeliness_rate), complaints_response_pending (response_rate),
 * complaints_resolution_pending (resolution_rate), jobs_first_fix_pending (first_time_fix_rate over
 * jobs_first_fix_decided), jobs_followup_pending (followup_rate over jobs_followup_due).
 * forms_reason_*: counted forms citing each dissatisfaction reason, satisfied or not.
 * forms_sample_verified / forms_sample_discrepant: forms with a random-queue spot check, and those
 * whose latest random-queue check is corrected or fraudulent — the basis of discrepancy_rate, the
 * estimate from the unbiased random sample (SPEC §4.7: targeted and ad-hoc checks never enter it);
 * forms_verified / forms_discrepant count every queue (the supervision's work).
 */
export const KPI_COUNT_KEYS = [
  'tickets_reported', 'tickets_due', 'tickets_on_time', 'tickets_late', 'tickets_pending', 'jobs',
  'forms', 'forms_all', 'total_score', 'forms_satisfied', 'forms_verified', 'forms_discrepant',
  'complaints_received', 'complaints_attributable',
  'complaints_response_due', 'complaints_responded_in_time', 'complaints_response_pending',
  'complaints_resolution_due', 'complaints_resolved_in_time', 'complaints_resolution_pending',
  'jobs_first_fix_decided', 'jobs_first_time_fix', 'jobs_first_fix_pending',
  'jobs_followup_due', 'jobs_followed_up', 'jobs_followup_pending',
  'forms_reason_attitude', 'forms_reason_skill', 'forms_reason_speed',
  'forms_sample_verified', 'forms_sample_discrepant',
] as const;
export type KpiCountKey = (typeof KPI_COUNT_KEYS)[number];

/** The mean points of each graded item over counted forms (null without forms). */
export const KPI_ITEM_MEAN_KEYS = ['mean_timeliness_points', 'mean_quality_points', 'mean_attitude_points'] as const;
export type KpiItemMeanKey = (typeof KPI_ITEM_MEAN_KEYS)[number];

/**
 * 不满意原因分布: the share of counted forms citing each dissatisfaction reason (forms_reason_* ÷
 * forms; a form may cite several, so they need not add up to 1), shown beside the item means;
 * null without forms.
 */
export const KPI_REASON_SHARE_KEYS = ['reason_attitude_share', 'reason_skill_share', 'reason_speed_share'] as const;
export type KpiReasonShareKey = (typeof KPI_REASON_SHARE_KEYS)[number];

/** The figures the policy sets a target for (target_<key> in policy_version, first_fix for first_time_fix). */
export const KPI_TARGET_KEYS = [
  'timeliness_rate', 'satisfaction_rate', 'complaint_rate', 'response_rate', 'resolution_rate',
  'first_time_fix_rate', 'form_coverage', 'followup_rate',
] as const;
export type KpiTargetKey = (typeof KPI_TARGET_KEYS)[number];

export const KPI_SCOPES = ['company', 'region', 'team', 'technician'] as const;
export type KpiScope = (typeof KPI_SCOPES)[number];

export type KpiCounts = { [K in KpiCountKey]: number };
export type KpiRates = { [K in KpiRateKey]: number | null };
export type KpiItemMeans = { [K in KpiItemMeanKey]: number | null };
export type KpiReasonShares = { [K in KpiReasonShareKey]: number | null };
export type KpiTargets = { [K in KpiTargetKey]: number | null };

/**
 * 环比 / 同比: this month − that month, per rate (fraction points; mean_score in points,
 * cost_per_job in yuan); null when either side is null or that month has no data.
 */
export interface KpiChange extends KpiRates {
  /** The month compared with, 'YYYY-MM'. */
  month: string;
}

/** GET /api/kpi, and one month of GET /api/trend. */
export interface KpiPoint extends KpiCounts, KpiRates, KpiItemMeans, KpiReasonShares {
  month: string;
  scope: KpiScope;
  /** null for the company. */
  scope_id: string | null;
  /**
   * The data's as-of time, 'YYYY-MM-DD HH:MM:SS' (null for an empty warehouse): the latest event
   * in any record; the pending counts are pending at this moment.
   */
  as_of: string | null;
  /** The month's policy targets (lower is better only for complaint_rate). */
  targets: KpiTargets;
  mom: KpiChange;
  yoy: KpiChange;
}

/** GET /api/trend: consecutive months, oldest first, ending with `end`. */
export interface KpiTrend {
  scope: KpiScope;
  scope_id: string | null;
  months: KpiPoint[];
}
