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
