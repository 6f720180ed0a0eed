/**
 * Which KPIs the overview shows and which way is good for each, and what the page shows read from
 * its URL. The answers' shapes are the contract's (KpiTrend, Breakdown, TeamTrend).
 */
import type { KpiRateKey } from '$contract';
import { listHref, type ListOf } from '$lib/drill';
import { lowerIsBetter } from '$lib/targets';

export type Rate = number | null;

export type CardKey = Extract<
  KpiRateKey,
  'timeliness_rate' | 'satisfaction_rate' | 'complaint_rate' | 'mean_score' | 'first_time_fix_rate' | 'response_rate' | 'resolution_rate' | 'followup_rate'
>;

/** KPIs a team can be ranked by: each has a list behind it to drill into. */
export type RankKey = Extract<KpiRateKey, 'timeliness_rate' | 'satisfaction_rate' | 'complaint_rate' | 'mean_score' | 'response_rate'>;
export const RANK_KEYS: RankKey[] = ['timeliness_rate', 'satisfaction_rate', 'complaint_rate', 'mean_score', 'response_rate'];

export interface KpiDef {
  key: CardKey;
  /** A score (points, 2 decimals) rather than a rate (a fraction shown as %). */
  score: boolean;
  /** Lower is better (complaint rate). */
  lowerBetter: boolean;
}

export const CARDS: KpiDef[] = (
  ['timeliness_rate', 'satisfaction_rate', 'complaint_rate', 'mean_score', 'first_time_fix_rate', 'response_rate', 'resolution_rate', 'followup_rate'] as const
).map(
  (key) => ({ key, score: key === 'mean_score', lowerBetter: lowerIsBetter(key) }),
);

export function def(key: CardKey): KpiDef {
  return CARDS.find((c) => c.key === key)!;
}

/** 'good' | 'bad' | '' for a change, by the KPI's direction. */
export function changeTone(change: Rate, lowerBetter: boolean): 'good' | 'bad' | '' {
  if (change === null || Math.abs(change) < 1e-12) return '';
  return change > 0 !== lowerBetter ? 'good' : 'bad';
}

/** The list behind each KPI a chart or card shows: the rows that make the figure what it is. */
const LIST_OF: Record<RankKey, ListOf> & Partial<Record<CardKey, ListOf>> = {
  timeliness_rate: 'late',
  satisfaction_rate: 'low_score',
  mean_score: 'low_score',
  complaint_rate: 'attributable',
  response_rate: 'complaints',
  resolution_rate: 'complaints',
};

/** The list behind a KPI's figure of a month (and team). */
export function drillUrl(key: RankKey, month: string, team?: string | null): string {
  return listHref(LIST_OF[key], month, team);
}

/** A card's list, or null where none exists (first-time fix, follow-up: no list of jobs yet). */
export function cardUrl(key: CardKey, month: string, team?: string | null): string | null {
  const list = LIST_OF[key];
  return list ? listHref(list, month, team) : null;
}

export type Scope = { kind: 'company' } | { kind: 'region'; id: string } | { kind: 'team'; id: string };

export function scopeQuery(s: Scope): { team?: string; region?: string } {
  if (s.kind === 'team') return { team: s.id };
  if (s.kind === 'region') return { region: s.id };
  return {};
}

// What the page shows, read from its URL (and, for a manager, their team). The page and the early
// requests made before the page exists (data.ts) read it the same way.

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
