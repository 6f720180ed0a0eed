/**
 * What a KPI is computed from (SPEC §4, sql/models/marts/02_kpi_month.sql): its numerator and
 * denominator counts under their kpi_month names, and the count of running clocks that are still
 * pending at the data's as-of time (left out of both). The overview's cards, the satisfaction
 * detail and the supervision table read the same map, so a figure and its basis never disagree.
 */
import type { KpiCountKey, KpiRateKey } from '$contract';

export interface Basis {
  num: KpiCountKey;
  den: KpiCountKey;
  /** The clock still running at the as-of time (SPEC §4 "As-of time"), left out of the rate. */
  pending?: KpiCountKey;
}

export const BASIS: Partial<Record<KpiRateKey, Basis>> = {
  timeliness_rate: { num: 'tickets_on_time', den: 'tickets_due', pending: 'tickets_pending' },
  satisfaction_rate: { num: 'forms_satisfied', den: 'forms' },
  complaint_rate: { num: 'complaints_attributable', den: 'jobs' },
  mean_score: { num: 'total_score', den: 'forms' },
  response_rate: { num: 'complaints_responded_in_time', den: 'complaints_response_due', pending: 'complaints_response_pending' },
  resolution_rate: { num: 'complaints_resolved_in_time', den: 'complaints_resolution_due', pending: 'complaints_resolution_pending' },
  first_time_fix_rate: { num: 'jobs_first_time_fix', den: 'jobs_first_fix_decided', pending: 'jobs_first_fix_pending' },
  followup_rate: { num: 'jobs_followed_up', den: 'jobs_followup_due', pending: 'jobs_followup_pending' },
  spot_check_rate: { num: 'forms_verified', den: 'forms_all' },
  // The estimate from the random sample only (SPEC §4.7): forms whose latest random-queue check is
  // corrected or fraudulent ÷ forms with a random-queue check. forms_discrepant / forms_verified
  // count every queue (targeted and ad-hoc checks too): the supervision's work, not the estimate.
  discrepancy_rate: { num: 'forms_sample_discrepant', den: 'forms_sample_verified' },
};

/** The pending count's name beside a rate (tickets_pending beside timeliness_rate, …), if it has one. */
export function pendingKey(rate: string): KpiCountKey | undefined {
  return BASIS[rate as KpiRateKey]?.pending;
}

/** A row's pending count for a rate: undefined when the rate has none or the row does not carry it. */
export function pendingOf(rate: string, row: object | null | undefined): number | undefined {
  const k = pendingKey(rate);
  const v = k && row ? (row as Record<string, unknown>)[k] : undefined;
  return typeof v === 'number' ? v : undefined;
}

/** A row's numerator and denominator of a rate, when it carries both. */
export function basisOf(rate: string, row: object | null | undefined): { num: number; den: number } | null {
  const b = BASIS[rate as KpiRateKey];
  if (!b || !row) return null;
  const r = row as Record<string, unknown>;
  const [n, d] = [r[b.num], r[b.den]];
  return typeof n === 'number' && typeof d === 'number' ? { num: n, den: d } : null;
}
