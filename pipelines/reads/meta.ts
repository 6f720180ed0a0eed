/**
 * What the dashboard's pickers offer (GET /api/meta): the months with data (newest first), the
 * teams with their regions, and the data's as-of time; and the newest month with data, the
 * default end of every trend.
 */
import type { Meta, TeamRef } from '../contract/meta.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';

/** The newest month with company data, 'YYYY-MM'; null for an empty warehouse. */
export async function latestMonth(wh: Warehouse): Promise<string | null> {
  return (await wh.one<{ m: string | null }>(`SELECT strftime(max(month), '%Y-%m') AS m FROM kpi_month WHERE scope = 'company'`))?.m ?? null;
}

/** @param team only this team (a manager's); then no regions are offered */
export async function getMeta(wh: Warehouse, team?: string | null): Promise<Meta> {
  const months = (await wh.all<{ m: string }>(
    `SELECT strftime(month, '%Y-%m') AS m FROM kpi_month WHERE scope = 'company' ORDER BY month DESC`,
  )).map((r) => r.m);
  const asOf = await wh.one<{ as_of: string | null }>(
    `SELECT CASE WHEN as_of > TIMESTAMP '1970-01-01' THEN strftime(as_of, '%Y-%m-%d %H:%M:%S') END AS as_of FROM data_as_of`,
  );
  let teams = await wh.all<TeamRef>(`SELECT team_id, team_name, region FROM teams ORDER BY team_id`);
  if (team !== undefined) teams = teams.filter((t) => t.team_id === team);
  const regions = team !== undefined ? [] : [...new Set(teams.map((t) => t.region).filter((r): r is string => !!r))].sort();
  return { as_of: asOf?.as_of ?? null, latest_month: months[0] ?? null, months, teams, regions };
}
