/**
 * Policy versions (SPEC §5): GET /api/policy, POST /api/policy. A version holds the targets,
 * scoring, amounts and clocks (one field each, names as policy_version's columns), the points per
 * grade and the SLA rules; it applies from its effective month until the next version.
 */

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
}

export interface PolicyVersion {
  /** 'YYYY-MM' */
  effective_from: string;
  created_at: string;
  created_by: string;
  note: string | null;
  /** The scalar fields of policy_version (target_timeliness_rate, mom_mode, …). */
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
