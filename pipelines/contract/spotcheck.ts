/**
 * Spot checks (SPEC §2.6): the queue of sampled feedback forms per team and ISO week
 * (GET /api/spotchecks) and one verification recorded from the dashboard (POST /api/verifications).
 */
import type { Grade, VerificationOutcome } from './vocabulary.ts';

/**
 * 抽查队列: which list a verification came from (SPEC §4.7). `random` 随机抽查 — the unbiased
 * sample, the only checks the discrepancy-rate estimate reads; `targeted` 定向抽查 — the list ranked
 * by fraud risk; `ad_hoc` 临时抽查 — any other reason. The enum_label domain `verification_queue`.
 */
export const VERIFICATION_QUEUES = ['random', 'targeted', 'ad_hoc'] as const;
export type VerificationQueue = (typeof VERIFICATION_QUEUES)[number];

/** A team's sample of one ISO week. */
export interface QueueGroup {
  /** ISO week, 'YYYY-Www'. */
  week: string;
  /** Its Monday, 'YYYY-MM-DD'. */
  week_start: string;
  /** The month its Thursday lies in, 'YYYY-MM' (whose policy sets the rate). */
  week_month: string;
  team_id: string | null;
  team_name: string | null;
  /** The team's forms of the week. */
  forms: number;
  spot_check_rate: number;
  sample_size: number;
  verified: number;
}

/** A sampled form. */
export interface QueueRow {
  week: string;
  team_id: string | null;
  team_name: string | null;
  sample_rank: number;
  form_id: string;
  ticket_id: string;
  technician_id: string | null;
  technician_name: string | null;
  customer_name: string | null;
  contact_phone: string | null;
  completed_at: string;
  submitted_at: string | null;
  job_month: string;
  /** The grades as submitted on the form. */
  form_timeliness: string;
  form_quality: string;
  form_attitude: string;
  /** The grades in force (corrected ones after a `corrected` verification) and their score. */
  timeliness: string;
  quality: string;
  attitude: string;
  score: number;
  counted: boolean;
  overall: string | null;
  verification_outcome: VerificationOutcome | null;
  verified_at: string | null;
  verified_by: string | null;
  verification_note: string | null;
}

export interface Queue {
  week: string | null;
  month: string | null;
  team: string | null;
  groups: QueueGroup[];
  rows: QueueRow[];
}

/**
 * The body of POST /api/verifications; grades only (and all three) with outcome corrected. `queue`:
 * the list the form was taken from; `random` only for a form in the random sample of its team-week.
 * Left out, it is `random` when the form is in that sample, else `ad_hoc`.
 */
export interface VerificationInput {
  form_id: string;
  outcome: VerificationOutcome;
  queue?: VerificationQueue;
  timeliness?: Grade;
  quality?: Grade;
  attitude?: Grade;
  note?: string;
}

/** The verification as stored: a one-row batch of kind verifications. */
export interface StoredVerification {
  form_id: string;
  verified_at: string;
  verified_by: string;
  outcome: VerificationOutcome;
  timeliness: string | null;
  quality: string | null;
  attitude: string | null;
  note: string | null;
  queue: VerificationQueue;
  batch_id: number;
  line_no: number;
}

/** The form's effective state in the models after the verification. */
export interface FormState {
  form_id: string;
  ticket_id: string;
  /** The month of the form's job ('YYYY-MM'), null when the ticket is not (yet) a completed job. */
  month: string | null;
  team_id: string | null;
  technician_id: string | null;
  counted: boolean | null;
  score: number | null;
  timeliness: string | null;
  quality: string | null;
  attitude: string | null;
  verification_outcome: string | null;
}

export interface VerificationResult {
  verification: StoredVerification;
  form: FormState;
  batch_id: number;
  refreshed_months: string[];
}
