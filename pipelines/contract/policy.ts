/**
 * Policy versions (SPEC §5): GET /api/policy, POST /api/policy. A version holds the targets,
 * scoring, amounts and clocks (one field each, names as policy_version's columns), the points per
 * grade and the SLA rules; it applies from its effective month until the next version.
 */

/**
 * The unit of an SLA rule's hours (SPEC §4.1): calendar hours from reported_at, or working hours —
 * hours inside the version's working window (working_window_start–working_window_end, 'HH:MM',
 * default 08:30–17:30) on working days of the working calendar.
 */
export const SLA_HOURS_UNITS = ['calendar', 'working'] as const;
export type SlaHoursUnit = (typeof SLA_HOURS_UNITS)[number];

/** An SLA rule: the first rule (by priority) whose conditions all hold applies to a ticket. */
export interface SlaRule {
  priority: number;
  name: string;
  when_fault_category: string | null;
  when_distance_over: number | null;
  when_distance_at_most: number | null;
  when_needs_supplier: boolean | null;
  when_distance_unknown: boolean | null;
  first_response_hours: number | null;
  arrival_hours: number | null;
  /** The unit of both hours; a rule posted without it is 'calendar'. */
  hours_unit: SlaHoursUnit;
}

export interface PolicyVersion {
  /** 'YYYY-MM' */
  effective_from: string;
  created_at: string;
  created_by: string;
  note: string | null;
  /**
   * The scalar fields of policy_version (target_timeliness_rate, mom_mode, …), among them the
   * working window of working-hour SLA rules, working_window_start and working_window_end ('HH:MM').
   */
  [field: string]: unknown;
  /** Points per grade A–E. */
  grade_points: Record<string, number>;
  sla_rules: SlaRule[];
}

/** POST /api/policy: the version stored and the months rebuilt with it. */
export interface CreatedVersion {
  version: PolicyVersion;
  refresh: { full: boolean; months: string[]; seconds: number };
}

/**
 * The fraud-risk fields of a policy version (SPEC §4.7; docs/models.md "Fraud risk"): the share of
 * the week's spot-check calls spent on the targeted queue, the thresholds of the risk signals and
 * each signal's weight in the risk score (a fraction: how strongly the signal alone points to a
 * forged form).
 */
export interface RiskPolicy {
  /** Of the week's calls (random + targeted), the share for the targeted queue; at most 0.9. */
  targeted_check_share: number;
  /** shared_phone: the window (days, ≤ 28) before the job, and how many other customers fire it. */
  risk_phone_window_days: number;
  risk_phone_min_customers: number;
  /** early_submission: a form submitted before completed_at + this many minutes (0: before the job was done). */
  risk_early_submit_minutes: number;
  /** burst: ± minutes around the form, and how many different customers (the form's included) fire it. */
  risk_burst_minutes: number;
  risk_burst_min_customers: number;
  /** all_max: the rolling window (months), the fewest forms tested, and the p-value it fires below (0 < p ≤ 0.5). */
  risk_all_max_months: number;
  risk_all_max_min_forms: number;
  risk_all_max_p_value: number;
  /** replaced_drop: how many points lower the later phone form must be. */
  risk_replaced_drop_points: number;
  /**
   * prior_findings: the months looked back; without a fraudulent finding, how many corrected forms,
   * and which share of the technician's checked forms, fire it (honest work is corrected too).
   */
  risk_findings_months: number;
  risk_findings_min_corrected: number;
  risk_findings_corrected_share: number;
  risk_weight_shared_phone: number;
  risk_weight_technician_phone: number;
  risk_weight_early_submission: number;
  risk_weight_burst: number;
  risk_weight_all_max: number;
  risk_weight_replaced_drop: number;
  risk_weight_prior_findings: number;
}

export const RISK_POLICY_FIELDS = [
  'targeted_check_share', 'risk_phone_window_days', 'risk_phone_min_customers', 'risk_early_submit_minutes',
  'risk_burst_minutes', 'risk_burst_min_customers', 'risk_all_max_months', 'risk_all_max_min_forms', 'risk_all_max_p_value',
  'risk_replaced_drop_points', 'risk_findings_months', 'risk_findings_min_corrected', 'risk_findings_corrected_share',
  'risk_weight_shared_phone', 'risk_weight_technician_phone', 'risk_weight_early_submission', 'risk_weight_burst',
  'risk_weight_all_max', 'risk_weight_replaced_drop', 'risk_weight_prior_findings',
] as const satisfies readonly (keyof RiskPolicy)[];
