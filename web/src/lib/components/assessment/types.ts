/** Shapes of the assessment API answers (GET /api/assessment, /api/allocation, /api/months/:m/changes). */
export type Outcome = 'reward' | 'penalty' | 'none' | 'no_basis';

export interface Unit {
  unit: 'company' | 'team';
  team_id: string | null;
  forms: number;
  total_score: number;
  mean_score: number | null;
  prev_forms: number;
  prev_total_score: number;
  prev_mean_score: number | null;
  outcome: Outcome;
  amount: number;
}

export interface Person {
  technician_id: string;
  name: string | null;
  team_id: string | null;
  team_name: string | null;
  satisfaction_share: number;
  complaint_penalty: number;
  quarterly_reward: number;
  adjustments: number;
  total: number;
}

export interface Closed {
  by: string;
  at: string;
}

export interface Assessment {
  month: string;
  units: Unit[];
  people: Person[];
  closed: Closed | null;
  people_visible: boolean;
}

export interface Member {
  technician_id: string;
  name: string | null;
  known_technician: boolean;
  jobs: number;
  computed: number;
  override: number | null;
  paid: number;
}

export interface Allocation {
  month: string;
  team_id: string;
  amount: number | null;
  outcome: Outcome | null;
  closed: boolean;
  members: Member[];
  override: { set_by: string; set_at: string; reason: string; applied: boolean } | null;
}

export interface Difference {
  key: string;
  frozen: Record<string, unknown> | null;
  live: Record<string, unknown> | null;
  fields: string[];
}

export interface Changes {
  month: string;
  closed: Closed | null;
  differs: boolean;
  units: Difference[];
  people: Difference[];
}

/** One reason a request was refused (the server's `problems`; technician_id when it names one). */
export interface Problem {
  code?: string;
  technician_id?: string | null;
  message: string;
}

/** Signed yuan text ('-184.50', '1000') → fen, exactly; '' is 0; anything else null. */
export function toFen(text: string): number | null {
  const s = text.trim().replace(/^¥/, '').replace(/^[−–]/, '-').replace(/,/g, '');
  if (s === '') return 0;
  const m = /^([+-]?)(\d{1,12})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -fen : fen;
}

/** Fen → yuan text for inputs and the API ('-184', '12.5' → '12.50'); amounts travel as text. */
export function fenText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  const yuan = Math.floor(a / 100);
  const rest = a % 100;
  return rest === 0 ? `${sign}${yuan}` : `${sign}${yuan}.${String(rest).padStart(2, '0')}`;
}

/** Yuan from the API (may carry float noise) → fen. */
export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}
