/**
 * The assessment (SPEC §4.3–§4.6, §6): units' month-over-month outcome, the per-person bonus
 * sheet, a team's split by its manager, month close and what would differ after it.
 * Money is signed yuan, not rounded; a mean without forms is null.
 */
import type { AssessmentOutcome } from './vocabulary.ts';

/** 考核单元: the company or a team, this month against the month before. */
export interface AssessmentUnit {
  unit: 'company' | 'team';
  /** null for the company. */
  team_id: string | null;
  forms: number;
  total_score: number;
  mean_score: number | null;
  prev_forms: number;
  prev_total_score: number;
  prev_mean_score: number | null;
  outcome: AssessmentOutcome;
  amount: number;
}

/**
 * 奖惩明细: one person's line of the bonus sheet (SPEC §4.5): satisfaction_share + complaint_penalty
 * + forged_form_penalty + quarterly_reward + adjustments = total.
 */
export interface BonusPerson {
  technician_id: string;
  team_id: string | null;
  satisfaction_share: number;
  complaint_penalty: number;
  /** 伪造反馈表扣款: the penalties for forms found fraudulent this month (SPEC §4.4; negative yuan). */
  forged_form_penalty: number;
  quarterly_reward: number;
  adjustments: number;
  total: number;
  /**
   * The HR flag (SPEC §4.4): forms of this person's tickets found fraudulent by a spot check this
   * month (the month of the verification), and their ids (link: GET /api/records/feedback/:form_id;
   * the list: GET /api/forged-forms). Forgery may be grounds for dismissal — HR decides.
   */
  forged_forms: number;
  forged_form_ids: string[];
}

export interface ClosedInfo {
  by: string;
  at: string;
}

/** The CLI's `assessment --json` (SPEC §6): frozen figures when the month is closed. */
export interface Assessment {
  month: string;
  units: AssessmentUnit[];
  people: BonusPerson[];
  closed: ClosedInfo | null;
}

/** A bonus-sheet line with the names people read beside the ids. */
export interface NamedBonusPerson extends BonusPerson {
  name: string | null;
  team_name: string | null;
}

/** GET /api/assessment: an executive gets no people (people_visible false); a manager their team's. */
export interface AssessmentAnswer extends Omit<Assessment, 'people'> {
  people: NamedBonusPerson[];
  people_visible: boolean;
}

export interface AllocationMember {
  technician_id: string;
  name: string | null;
  known_technician: boolean;
  jobs: number;
  /** The proportional largest-remainder part. */
  computed: number;
  /** The manager's part, when a split is set. */
  override: number | null;
  /** What the bonus sheet pays. */
  paid: number;
}

/** GET/PUT /api/allocation: a team's satisfaction reward/penalty and its split (SPEC §4.5). */
export interface TeamAllocation {
  month: string;
  team_id: string;
  /** The team's amount of the month (live); null when the team has no unit. */
  amount: number | null;
  outcome: AssessmentOutcome | null;
  /** The month is closed: the split cannot change until an admin reopens it. */
  closed: boolean;
  members: AllocationMember[];
  /** The manager's split, if any; `applied` is false once it no longer adds up to the amount. */
  override: { set_by: string; set_at: string; reason: string; applied: boolean } | null;
}

/** POST /api/months/:month/close and …/reopen. */
export interface CloseRecord {
  close_id: number;
  month: string;
  closed_by: string;
  closed_at: string;
  reopened_by: string | null;
  reopened_at: string | null;
  reopen_reason: string | null;
}

export interface Difference<T> {
  /** 'company', a team_id, or a technician_id. */
  key: string;
  /** null: not in the frozen figures (appeared since). */
  frozen: T | null;
  /** null: not in the live figures any more. */
  live: T | null;
  /** The fields whose values differ (all fields when a side is missing). */
  fields: string[];
}

/** GET /api/months/:month/changes: what would differ if the closed month were computed today. */
export interface ClosedComparison {
  month: string;
  closed: ClosedInfo | null;
  /** True when a unit or a person would differ. */
  differs: boolean;
  units: Difference<AssessmentUnit>[];
  people: Difference<BonusPerson>[];
}
