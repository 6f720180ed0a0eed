/**
 * The overview's requests, in three groups that draw independently (cards and trends; team
 * ranking and heat map; regions). A group can be asked for before the page exists (`prefetch`,
 * from the route's module as soon as the session is known): the page then takes that answer
 * instead of asking again, so the page's code loading and first render overlap the server's work.
 */
import type { Breakdown, KpiTrend, TeamTrend } from '$contract';
import { get } from '$lib/api';
import { scopeQuery, type Scope } from './model';

export interface Teams {
  breakdown: Breakdown<'team'> | null;
  trend: TeamTrend;
}

/**
 * Cards and trends: one trend request. Its last month is the selected month, a full KPI point
 * with its targets and its month-over-month and year-over-year changes — what the cards show.
 */
const fetchMain = (m: string, s: Scope, n: number) => get<KpiTrend>('/api/trend', { months: n, end: m, ...scopeQuery(s) });

async function fetchTeams(m: string, withRanking: boolean): Promise<Teams> {
  const [breakdown, trend] = await Promise.all([
    withRanking ? get<Breakdown<'team'>>('/api/breakdown', { month: m, by: 'team' }) : null,
    get<TeamTrend>('/api/trend/teams', { months: 12, end: m }),
  ]);
  return { breakdown, trend };
}

const fetchRegions = (m: string) => get<Breakdown<'region'>>('/api/breakdown', { month: m, by: 'region' });

/** Answers asked for ahead of the page, by group and parameters; each is taken at most once. */
const early = new Map<string, Promise<unknown>>();
/** An early answer nobody took within this time is dropped (the data may have changed since). */
const EARLY_TTL_MS = 5000;

function ahead(key: string, load: () => Promise<unknown>): void {
  if (early.has(key)) return;
  const p = load();
  // The page's own await reports a failure; an answer nobody takes must not be an unhandled rejection.
  p.catch(() => undefined);
  early.set(key, p);
  setTimeout(() => early.get(key) === p && early.delete(key), EARLY_TTL_MS);
}

function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  const p = early.get(key) as Promise<T> | undefined;
  if (!p) return load();
  early.delete(key);
  return p;
}

const scopeKey = (s: Scope) => (s.kind === 'company' ? 'company' : `${s.kind}:${s.id}`);
const mainKey = (m: string, s: Scope, n: number) => `main ${m} ${scopeKey(s)} ${n}`;
const teamsKey = (m: string, withRanking: boolean) => `teams ${m} ${withRanking}`;
const regionsKey = (m: string) => `regions ${m}`;

export const getMain = (m: string, s: Scope, n: number) => once(mainKey(m, s, n), () => fetchMain(m, s, n));
export const getTeams = (m: string, withRanking: boolean) => once(teamsKey(m, withRanking), () => fetchTeams(m, withRanking));
export const getRegions = (m: string) => once(regionsKey(m), () => fetchRegions(m));

/** Ask for what the page will show with these settings (the same requests the page makes). */
export function prefetch(m: string, s: Scope, n: number, manager: boolean): void {
  ahead(mainKey(m, s, n), () => fetchMain(m, s, n));
  ahead(teamsKey(m, !manager), () => fetchTeams(m, !manager));
  if (!manager) ahead(regionsKey(m), () => fetchRegions(m));
}
