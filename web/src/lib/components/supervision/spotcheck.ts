/** Shapes of the spot-check queue (GET /api/spotchecks) and a verification (POST /api/verifications). */

export const OUTCOMES = ['confirmed', 'corrected', 'fraudulent', 'unreachable'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_ITEMS = ['timeliness', 'quality', 'attitude'] as const;
export type GradeItem = (typeof GRADE_ITEMS)[number];

export interface SpotGroup {
  week: string;
  week_start: string;
  week_month: string;
  team_id: string | null;
  team_name: string | null;
  forms: number;
  spot_check_rate: number;
  sample_size: number;
  verified: number;
}

export interface SpotRow {
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
  form_timeliness: string;
  form_quality: string;
  form_attitude: string;
  timeliness: string;
  quality: string;
  attitude: string;
  score: number;
  counted: boolean;
  overall: string | null;
  verification_outcome: Outcome | null;
  verified_at: string | null;
  verified_by: string | null;
  verification_note: string | null;
}

export interface SpotQueue {
  month: string | null;
  week: string | null;
  team: string | null;
  groups: SpotGroup[];
  rows: SpotRow[];
}

export interface VerificationInput {
  form_id: string;
  outcome: Outcome;
  timeliness?: Grade;
  quality?: Grade;
  attitude?: Grade;
  note?: string;
}

export interface VerificationResult {
  verification: { form_id: string; outcome: Outcome; verified_at: string; verified_by: string };
  form: { month: string | null; counted: boolean | null; score: number | null };
  batch_id: number;
  refreshed_months: string[];
}

/** A group's id in the URL (?group=2026-W40:T01); ':' never occurs in a week or a team id. */
export function groupId(g: { week: string; team_id: string | null }): string {
  return `${g.week}:${g.team_id ?? ''}`;
}
