/**
 * The KPI table of a month by team (月度KPI, GET /api/exports/kpi): every kpi_month column of the
 * company row, then of each team with data (team id '' = records without a team), with a name
 * for people. The export picks and orders its columns.
 */
import { monthDate } from '../contract/months.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { NO_TEAM_LABEL } from '../contract/breakdown.ts';
import { sqlString } from '../warehouse/warehouse.ts';

export type KpiTableRow = Record<string, string | number | null>;

/** @param team only that team's row, and no company row (a manager's export) */
export async function kpiTable(wh: Warehouse, month: string, team: string | null): Promise<KpiTableRow[]> {
  return wh.all<KpiTableRow>(
    `SELECT k.*, CASE WHEN k.scope = 'company' THEN '全公司' WHEN k.scope_id = '' THEN ${sqlString(NO_TEAM_LABEL)} ELSE tm.team_name END AS team_name
     FROM kpi_month k LEFT JOIN teams tm ON k.scope = 'team' AND tm.team_id = k.scope_id
     WHERE k.month = CAST($month AS DATE)
       AND (k.scope = 'team' OR (k.scope = 'company' AND $team::VARCHAR IS NULL))
       AND ($team::VARCHAR IS NULL OR k.scope_id = $team)
     ORDER BY k.scope <> 'company', k.scope_id`,
    { month: monthDate(month), team },
  );
}
