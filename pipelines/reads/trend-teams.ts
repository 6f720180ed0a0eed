/**
 * The team × month matrix of the main KPIs (GET /api/trend/teams: the overview's heat map and
 * ranking), from kpi_month's team rows. A team-month without data is absent, not zero.
 */
import { addMonths, monthDate } from '../contract/months.ts';
import type { TeamTrend, TeamTrendRow } from '../contract/trend-teams.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { latestMonth } from './meta.ts';

/**
 * @param opts.end the last month (default: the newest month with data)
 * @param opts.team only this team (a manager's)
 */
export async function getTeamTrend(wh: Warehouse, opts: { months: number; end?: string; team?: string | null }): Promise<TeamTrend> {
  const end = opts.end ?? (await latestMonth(wh));
  if (!end) return { months: [], rows: [] };
  const first = addMonths(end, -(opts.months - 1));
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
