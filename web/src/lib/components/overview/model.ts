/**
 * What the overview reads from the API (the fields it uses), which KPIs it shows and which way is
 * good for each, and where a click on a chart leads (the lists pages' URLs are fixed).
 */
import { url } from '$lib/api';

export type Rate = number | null;

/** GET /api/kpi (the fields the cards use). */
export interface Kpi {
  month: string;
  scope: string;
  scope_id: string | null;
  timeliness_rate: Rate;
  satisfaction_rate: Rate;
  complaint_rate: Rate;
  first_time_fix_rate: Rate;
  feedback: { forms: number; mean_score: Rate };
  complaints: { received: number; attributable: number; response_rate: Rate; resolution_rate: Rate };
  targets: Partial<Record<string, number | null>>;
}

export interface Change {
  month: string;
  timeliness_rate: Rate;
  satisfaction_rate: Rate;
  complaint_rate: Rate;
  mean_score: Rate;
}

/** One month of GET /api/trend. */
export interface TrendMonth {
  month: string;
  tickets_due: number;
  forms: number;
  jobs: number;
  complaints_attributable: number;
  timeliness_rate: Rate;
  satisfaction_rate: Rate;
  complaint_rate: Rate;
  mean_score: Rate;
  first_time_fix_rate: Rate;
  mom: Change;
  yoy: Change;
}

export interface Trend {
  scope: string;
  scope_id: string | null;
  months: TrendMonth[];
}

/** A row of GET /api/breakdown?by=team|region. */
export interface BreakdownRow {
  key: string;
  label: string | null;
  tickets_due: number;
  forms: number;
  jobs: number;
  complaints_received: number;
  timeliness_rate: Rate;
  satisfaction_rate: Rate;
  complaint_rate: Rate;
  mean_score: Rate;
  response_rate: Rate;
  first_time_fix_rate: Rate;
}

export interface Breakdown {
  month: string;
  by: string;
  rows: BreakdownRow[];
}

/** GET /api/trend/teams. */
export interface TeamTrend {
  months: string[];
  rows: {
    month: string;
    team_id: string;
    team_name: string | null;
    forms: number;
    mean_score: Rate;
    timeliness_rate: Rate;
    satisfaction_rate: Rate;
    complaint_rate: Rate;
  }[];
}

export type CardKey = 'timeliness_rate' | 'satisfaction_rate' | 'complaint_rate' | 'mean_score' | 'first_time_fix_rate' | 'response_rate';

/** KPIs a team can be ranked by: each has a list behind it to drill into. */
export type RankKey = 'timeliness_rate' | 'satisfaction_rate' | 'complaint_rate' | 'mean_score' | 'response_rate';
export const RANK_KEYS: RankKey[] = ['timeliness_rate', 'satisfaction_rate', 'complaint_rate', 'mean_score', 'response_rate'];

export interface KpiDef {
  key: CardKey;
  /** A score (points, 2 decimals) rather than a rate (a fraction shown as %). */
  score: boolean;
  /** Lower is better (complaint rate). */
  lowerBetter: boolean;
}

export const CARDS: KpiDef[] = [
  { key: 'timeliness_rate', score: false, lowerBetter: false },
  { key: 'satisfaction_rate', score: false, lowerBetter: false },
  { key: 'complaint_rate', score: false, lowerBetter: true },
  { key: 'mean_score', score: true, lowerBetter: false },
  { key: 'first_time_fix_rate', score: false, lowerBetter: false },
  { key: 'response_rate', score: false, lowerBetter: false },
];

export function def(key: CardKey): KpiDef {
  return CARDS.find((c) => c.key === key)!;
}

/** The card's figure out of /api/kpi (some KPIs sit under feedback/complaints). */
export function kpiValue(k: Kpi | null | undefined, key: CardKey): Rate {
  if (!k) return null;
  if (key === 'mean_score') return k.feedback?.mean_score ?? null;
  if (key === 'response_rate') return k.complaints?.response_rate ?? null;
  return k[key] ?? null;
}

export function diff(a: Rate, b: Rate): Rate {
  return a === null || b === null ? null : a - b;
}

/**
 * Whether a value meets its target: ≥ target for most rates, < target for the complaint rate
 * (SPEC §4: "< 3 %"). Null when either is missing: no verdict without data.
 */
export function meets(value: Rate, target: Rate | undefined, lowerBetter: boolean): boolean | null {
  if (value === null || target === null || target === undefined) return null;
  return lowerBetter ? value < target : value >= target;
}

/** 'good' | 'bad' | '' for a change, by the KPI's direction. */
export function changeTone(change: Rate, lowerBetter: boolean): 'good' | 'bad' | '' {
  if (change === null || Math.abs(change) < 1e-12) return '';
  return change > 0 !== lowerBetter ? 'good' : 'bad';
}

export function addMonths(m: string, n: number): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  const t = y * 12 + (mo - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/** The list behind a KPI's figure of a month (and team): the lists pages' fixed URLs. */
export function drillUrl(key: RankKey, month: string, team?: string | null): string {
  const tm = team || undefined;
  switch (key) {
    case 'timeliness_rate':
      return url('/lists/late', { month, team: tm });
    case 'satisfaction_rate':
    case 'mean_score':
      return url('/lists/forms', { month, team: tm, filter: 'low_score' });
    case 'complaint_rate':
      return url('/lists/complaints', { month, team: tm, attributable: 'yes' });
    case 'response_rate':
      return url('/lists/complaints', { month, team: tm });
  }
}

export type Scope = { kind: 'company' } | { kind: 'region'; id: string } | { kind: 'team'; id: string };

export function scopeQuery(s: Scope): { team?: string; region?: string } {
  if (s.kind === 'team') return { team: s.id };
  if (s.kind === 'region') return { region: s.id };
  return {};
}

// What the page shows, read from its URL (and, for a manager, their team). The page and the early
// requests made before the page exists (data.ts) read it the same way.

/** The month to show: the URL's, else the newest month with data ('' when there is none). */
export function monthParam(params: URLSearchParams, latest: string | null | undefined): string {
  const m = params.get('month');
  return m && /^\d{4}-\d{2}$/.test(m) ? m : (latest ?? '');
}

export function spanParam(params: URLSearchParams): 12 | 24 {
  return params.get('span') === '24' ? 24 : 12;
}

export function rankParam(params: URLSearchParams): RankKey {
  const r = params.get('rank') as RankKey | null;
  return r && RANK_KEYS.includes(r) ? r : 'timeliness_rate';
}

/** The scope as a string key ('company', 'region:…', 'team:…'): a manager's is always their team. */
export function scopeKeyParam(params: URLSearchParams, manager: boolean, ownTeam: string | null | undefined): string {
  if (manager) return 'team:' + (ownTeam ?? '');
  const team = params.get('team');
  if (team) return 'team:' + team;
  const region = params.get('region');
  return region ? 'region:' + region : 'company';
}

export function scopeOf(key: string): Scope {
  if (key.startsWith('team:')) return { kind: 'team', id: key.slice(5) };
  if (key.startsWith('region:')) return { kind: 'region', id: key.slice(7) };
  return { kind: 'company' };
}
