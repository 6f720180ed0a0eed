/**
 * The `kpi` read (SPEC §6): one month and one scope from the kpi_month mart, shaped as the stable
 * JSON contract. Rates and means are not rounded; a zero denominator gives null.
 */
import type { Warehouse } from '../warehouse/warehouse.ts';

export type Scope = { scope: 'company' } | { scope: 'region' | 'team' | 'technician'; id: string };

export interface KpiRow {
  month: string;
  scope: string;
  scope_id: string;
  tickets_reported: number;
  tickets_due: number;
  tickets_on_time: number;
  tickets_late: number;
  tickets_pending: number;
  jobs: number;
  forms: number;
  forms_all: number;
  total_score: number;
  forms_satisfied: number;
  complaints_received: number;
  complaints_attributable: number;
  [k: string]: unknown;
}

export interface Kpi {
  month: string;
  scope: string;
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
  targets: Record<string, number | null>;
}

export function monthDate(month: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`month must be YYYY-MM, got "${month}"`);
  return `${month}-01`;
}

/** The KPIs of a month and scope; an empty month gives zero counts and null rates. */
export async function getKpi(wh: Warehouse, month: string, scope: Scope = { scope: 'company' }): Promise<Kpi> {
  const id = scope.scope === 'company' ? '' : scope.id;
  const row = await wh.one<Record<string, number | null>>(
    `SELECT * EXCLUDE (month, scope, scope_id) FROM kpi_month WHERE month = CAST($1 AS DATE) AND scope = $2 AND scope_id = $3`,
    [monthDate(month), scope.scope, id],
  );
  const targetsOf = (r: Record<string, number | null>) => ({
    timeliness_rate: r.target_timeliness_rate ?? null,
    satisfaction_rate: r.target_satisfaction_rate ?? null,
    complaint_rate: r.target_complaint_rate ?? null,
    response_rate: r.target_response_rate ?? null,
    resolution_rate: r.target_resolution_rate ?? null,
    first_time_fix_rate: r.target_first_fix_rate ?? null,
    form_coverage: r.target_form_coverage ?? null,
    followup_rate: r.target_followup_rate ?? null,
  });
  // A month or scope without data has no kpi_month row; its targets still come from the policy.
  const targets = row ? targetsOf(row) : await wh.one<Record<string, number | null>>(
    `SELECT target_timeliness_rate AS timeliness_rate, target_satisfaction_rate AS satisfaction_rate,
            target_complaint_rate AS complaint_rate, target_response_rate AS response_rate,
            target_resolution_rate AS resolution_rate, target_first_fix_rate AS first_time_fix_rate,
            target_form_coverage AS form_coverage, target_followup_rate AS followup_rate
     FROM policy_for_month WHERE month = CAST($1 AS DATE)`,
    [monthDate(month)],
  );
  const n = (k: string) => (row?.[k] as number | undefined) ?? 0;
  const r = (k: string) => (row?.[k] as number | null | undefined) ?? null;
  return {
    month,
    scope: scope.scope,
    scope_id: scope.scope === 'company' ? null : id,
    tickets: { reported: n('tickets_reported'), completed: n('jobs'), due: n('tickets_due'), on_time: n('tickets_on_time'), late: n('tickets_late'), pending: n('tickets_pending') },
    timeliness_rate: r('timeliness_rate'),
    feedback: {
      forms: n('forms'),
      total_score: n('total_score'),
      mean_score: r('mean_score'),
      satisfied: n('forms_satisfied'),
      item_means: { timeliness: r('mean_timeliness_points'), quality: r('mean_quality_points'), attitude: r('mean_attitude_points') },
      coverage: r('form_coverage'),
      verified: n('forms_verified'),
      discrepant: n('forms_discrepant'),
    },
    satisfaction_rate: r('satisfaction_rate'),
    complaints: { received: n('complaints_received'), attributable: n('complaints_attributable'), response_rate: r('response_rate'), resolution_rate: r('resolution_rate') },
    complaint_rate: r('complaint_rate'),
    first_time_fix_rate: r('first_time_fix_rate'),
    followup_rate: r('followup_rate'),
    spot_check_rate: r('spot_check_rate'),
    discrepancy_rate: r('discrepancy_rate'),
    cost_per_job: r('cost_per_job'),
    targets: targets ?? {},
  };
}
