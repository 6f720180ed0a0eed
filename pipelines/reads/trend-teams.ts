/**
 * The team × month matrix of the main KPIs (GET /api/trend/teams: the overview's heat map and
 * ranking), from kpi_month's team rows. A team-month without data is absent, not zero.
 */
import { addMonths, monthDate } from '../contract/months.ts';
import type { TeamTrend, TeamTrendRow } from '../contract/trend-teams.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { latestMonth } from './meta.ts';
import { DomainError } from '../errors.ts';

/** A month range outside what a trend can show: a 400 in plain words (DomainError 'invalid'). */
const outOfRange = (message: string) => new DomainError('invalid', 'bad_parameter', message);

/** The months a trend may cover: addMonths and the warehouse's dates are meaningful only in this range. */
export const TREND_FIRST_MONTH = '2000-01';
export const TREND_LAST_MONTH = '2100-12';

/** A trend's range was outside TREND_FIRST_MONTH…TREND_LAST_MONTH; the message is for the user. */
/**
 * The first month of `months` months ending with `end`; a DomainError 'invalid' (in plain words) when
 * `end` is not a month of TREND_FIRST_MONTH…TREND_LAST_MONTH or the range would begin before
 * TREND_FIRST_MONTH — so addMonths is only ever given 4-digit years.
 */
export function trendStart(end: string, months: number): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(end) || end < TREND_FIRST_MONTH || end > TREND_LAST_MONTH) {
    throw outOfRange(`the last month must be between ${TREND_FIRST_MONTH} and ${TREND_LAST_MONTH}`);
  }
  if (!Number.isInteger(months) || months < 1) throw outOfRange('the number of months must be at least 1');
  const first = addMonths(end, -(months - 1));
  if (!/^\d{4}-/.test(first) || first < TREND_FIRST_MONTH) {
    throw outOfRange(`${months} months ending with ${end} would begin before ${TREND_FIRST_MONTH}; choose a later month or fewer months`);
  }
  return first;
}

/**
 * @param opts.end the last month (default: the newest month with data)
 * @param opts.team only this team (a manager's)
 * @throws DomainError 'invalid' when the months are outside TREND_FIRST_MONTH…TREND_LAST_MONTH (trendStart)
 */
export async function getTeamTrend(wh: Warehouse, opts: { months: number; end?: string; team?: string | null }): Promise<TeamTrend> {
  const end = opts.end ?? (await latestMonth(wh));
  if (!end) return { months: [], rows: [] };
  const first = trendStart(end, opts.months);
  const months = Array.from({ length: opts.months }, (_, i) => addMonths(first, i));
  const rows = await wh.all<TeamTrendRow>(
    `SELECT strftime(k.month, '%Y-%m') AS month, k.scope_id AS team_id, t.team_name, k.forms, k.mean_score,
            k.timeliness_rate, k.satisfaction_rate, k.complaint_rate
     FROM kpi_month k LEFT JOIN teams t ON t.team_id = k.scope_id
     WHERE k.scope = 'team' AND k.scope_id <> '' AND k.month BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)
       AND ($3::VARCHAR IS NULL OR k.scope_id = $3)
     ORDER BY k.scope_id, k.month`,
    [monthDate(first), monthDate(end), opts.team ?? null],
  );
  return { months, rows };
}
