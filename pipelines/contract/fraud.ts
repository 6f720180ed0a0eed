/**
 * Fraud risk (SPEC §4.7; docs/models.md "Fraud risk"): the targeted spot-check queue, one form's risk
 * signals with their evidence, technicians ranked by risk with their monthly history, and the
 * findings of the spot checks per technician and queue. Customer and technician phones are
 * unmasked here: supervision reads these (the caller masks them for other roles).
 */
import type { VerificationQueue } from './spotcheck.ts';
import type { Role, VerificationOutcome } from './vocabulary.ts';

/**
 * Who reads risk data — scores, reasons, evidence, the targeted queue, the technicians ranked by
 * risk (GET /api/fraud/targeted, /api/fraud/technicians, /api/fraud/forms/:form_id): supervision
 * only. Managers are refused (supervision and execution are separate, SPEC §1), executives and hr
 * get no risk score of an unproven form.
 */
export const FRAUD_RISK_ROLES: readonly Role[] = ['supervisor', 'admin'];
/**
 * Who reads spot-check findings per technician (GET /api/fraud/findings): supervision (every check
 * by queue and outcome) and hr (only the proven findings — fraudulent and corrected — that reach
 * the bonus sheet: ProvenFindingsList). hr also reads the evidence of a form found fraudulent
 * (GET /api/fraud/forms/:form_id of a forged form), phones and names masked.
 */
export const FRAUD_FINDINGS_ROLES: readonly Role[] = ['supervisor', 'admin', 'hr'];

/**
 * The risk signals, in the order reasons are listed. Form-level: shared_phone 一号多户,
 * technician_phone 客户电话为服务人员手机, early_submission 完工前提交, burst 集中代填, replaced_drop
 * 现场表被电话回访推翻. Technician-level: all_max 满分比例异常 (carried by the technician's
 * all-maximum forms), prior_findings 此前查实 (by all the technician's forms).
 */
export const RISK_SIGNALS = ['shared_phone', 'technician_phone', 'early_submission', 'burst', 'all_max', 'replaced_drop', 'prior_findings'] as const;
export type RiskSignal = (typeof RISK_SIGNALS)[number];

/** One ISO week of the targeted queue. */
export interface TargetedWeek {
  week: string;
  week_start: string;
  /** 'YYYY-MM' holding the week's Thursday: its policy sets the share. */
  week_month: string;
  /** The week's random-sample calls, every team (Σ sample sizes). */
  random_calls: number;
  targeted_check_share: number;
  /** ceil(random_calls × share ÷ (1 − share)): the targeted calls of the week. */
  size: number;
  /** Forms with a signal, not in the random sample and not checked from another queue. */
  candidates: number;
  /** Of the listed forms (of the team asked), those checked. */
  verified: number;
}

export interface TargetedRow {
  week: string;
  /** 1 = highest risk of the week, company-wide. */
  targeted_rank: number;
  form_id: string;
  ticket_id: string;
  team_id: string | null;
  team_name: string | null;
  technician_id: string | null;
  technician_name: string | null;
  customer_name: string | null;
  contact_phone: string | null;
  completed_at: string;
  submitted_at: string | null;
  job_month: string;
  source: string | null;
  form_timeliness: string;
  form_quality: string;
  form_attitude: string;
  /** The form's risk score in [0, 1]. */
  score: number;
  signals: RiskSignal[];
  reasons_zh: string[];
  reasons_en: string[];
  verification_outcome: VerificationOutcome | null;
  verification_queue: VerificationQueue | null;
  verified_at: string | null;
  verified_by: string | null;
  verification_note: string | null;
}

export interface TargetedQueue {
  week: string | null;
  month: string | null;
  team: string | null;
  groups: TargetedWeek[];
  rows: TargetedRow[];
}

/** Another customer's form on the same phone, inside the window. */
export interface PhoneSharingForm {
  form_id: string;
  ticket_id: string;
  customer_id: string | null;
  customer_name: string | null;
  technician_id: string | null;
  completed_at: string;
}

/** What each signal rests on. */
export interface RiskEvidence {
  shared_phone: { window_days: number; other_customers: number; other_forms: number; forms: PhoneSharingForm[] };
  technician_phone: { technician_id: string | null; technician_name: string | null; own: boolean };
  early_submission: { completed_at: string; submitted_at: string | null; minutes_after_completion: number | null; date_only: boolean };
  burst: { minutes: number; customers: number; forms: string[] };
  all_max: { months: number | null; forms: number | null; max_forms: number | null; basis: 'team' | 'company' | null; basis_share: number | null; p_value: number | null };
  replaced_drop: { on_site_form: string | null; on_site_score: number | null; phone_form: string | null; phone_score: number | null };
  prior_findings: { months: number | null; checked: number; fraudulent: number; corrected: number; forms: string[] };
}

export interface FormRiskSignal<S extends RiskSignal = RiskSignal> {
  signal: S;
  fired: boolean;
  /** In [0, 1]; 0 when it does not fire. */
  strength: number;
  /** The policy weight of the form's month. */
  weight: number;
  reason_zh: string | null;
  reason_en: string | null;
  evidence: RiskEvidence[S];
}

/** One form's risk: every signal, fired or not, in RISK_SIGNALS order. */
export interface FormRisk {
  form_id: string;
  ticket_id: string;
  /** The job's month 'YYYY-MM'. */
  month: string;
  team_id: string | null;
  technician_id: string | null;
  technician_name: string | null;
  customer_name: string | null;
  contact_phone: string | null;
  source: string | null;
  score: number;
  signals: { [S in RiskSignal]: FormRiskSignal<S> }[RiskSignal][];
  /** Whether the form is in the random sample of its team-week (null: not a completed job). */
  in_random_sample: boolean | null;
  verifications: { verified_at: string; verified_by: string; outcome: VerificationOutcome; queue: VerificationQueue }[];
}

/** A technician's month, for the ranking and for sparklines. */
export interface TechnicianRiskPoint {
  month: string;
  forms: number;
  /** Forms with a form-level signal. */
  forms_flagged: number;
  /** Σ of the forms' scores: were each the chance its form is forged, the forged forms to expect. */
  score_sum: number;
  mean_score: number;
  max_score: number;
  signals: RiskSignal[];
}

export interface TechnicianRiskRow extends TechnicianRiskPoint {
  /** 1 = highest score_sum of the month (ties: max_score, then id). */
  rank: number;
  technician_id: string;
  technician_name: string | null;
  /** The team the technician served most that month. */
  team_id: string;
  team_name: string | null;
  /** Forms whose submitted grades are all the best. */
  forms_max: number;
  /** Forms on which each form-level signal fires. */
  signal_forms: { shared_phone: number; technician_phone: number; early_submission: number; burst: number; replaced_drop: number };
  all_max: { fired: boolean; months: number; forms: number | null; max_forms: number | null; share: number | null; basis: 'team' | 'company' | null; basis_share: number | null; p_value: number | null };
  prior_findings: { fired: boolean; months: number; checked: number; fraudulent: number; corrected: number };
  /** The technician-level reasons (all_max, prior_findings) that fire. */
  reasons_zh: string[];
  reasons_en: string[];
  /** The months up to this one (oldest first) in which the technician had forms. */
  history: TechnicianRiskPoint[];
}

export interface TechnicianRiskList {
  month: string;
  team: string | null;
  rows: TechnicianRiskRow[];
}

/** Checks of one queue: how many, and what they found. */
export interface QueueFindings {
  checked: number;
  confirmed: number;
  corrected: number;
  fraudulent: number;
  unreachable: number;
}

export interface TechnicianFindingsRow {
  technician_id: string;
  technician_name: string | null;
  team_id: string | null;
  team_name: string | null;
  /** The checks made in the month, of the technician's forms: all queues, and each queue. */
  month: QueueFindings;
  by_queue: Record<VerificationQueue, QueueFindings>;
  /** Every check up to the end of the month. */
  to_date: QueueFindings;
}

export interface FindingsList {
  month: string;
  team: string | null;
  rows: TechnicianFindingsRow[];
  /** The month's checks of every technician listed, by queue: a targeted queue finds more per call. */
  totals: Record<VerificationQueue, QueueFindings>;
}

/** The proven findings of one technician: forms found fraudulent or corrected (no queue, no check that found nothing). */
export interface ProvenFindings {
  corrected: number;
  fraudulent: number;
}

export interface ProvenFindingsRow {
  technician_id: string;
  technician_name: string | null;
  team_id: string | null;
  team_name: string | null;
  /** Found in the month (the month of the verification). */
  month: ProvenFindings;
  /** Found up to the end of the month. */
  to_date: ProvenFindings;
}

/**
 * GET /api/fraud/findings for hr: the technicians with a fraudulent or corrected finding in the
 * month — what reaches the bonus sheet —, never which queue called them nor the checks that found
 * nothing (a targeted call that was confirmed would still tell who was suspected).
 */
export interface ProvenFindingsList {
  month: string;
  team: string | null;
  proven_only: true;
  rows: ProvenFindingsRow[];
}
