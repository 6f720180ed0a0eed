/**
 * Reads the dashboard needs beside the SPEC §6 figures: what the pickers offer (months with data,
 * teams, regions), the team × month matrix behind the overview's heat map, and what changed
 * since a month was closed (SPEC §4.6: "the dashboard shows what would differ"). All from marts.
 */
import { compareClosed } from '../pipelines/assessment/index.ts';
import type { RouteDef } from './http.ts';
import { json, me, STD_ERRORS, teamFor, type RouteDeps } from './routes.ts';
import { ROLES } from './roles.ts';

function addMonths(m: string, n: number): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  const t = y * 12 + (mo - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

export function dashboardRoutes(d: RouteDeps): RouteDef[] {
  return [
    {
      method: 'GET', path: '/api/meta', tag: 'dashboard', access: [...ROLES],
      summary: 'What the pickers offer: months with data (newest first), teams, regions, the data\'s as-of time',
      notes: 'manager: only their own team, and no regions.',
      responses: { 200: json('{as_of, latest_month, months, teams: [{team_id, team_name, region}], regions}'), ...STD_ERRORS },
      async handler(c, { user, wh }) {
        const u = me(user);
        const months = (await wh.all<{ m: string }>(
          `SELECT strftime(month, '%Y-%m') AS m FROM kpi_month WHERE scope = 'company' ORDER BY month DESC`,
        )).map((r) => r.m);
        const asOf = await wh.one<{ as_of: string | null }>(
          `SELECT CASE WHEN as_of > TIMESTAMP '1970-01-01' THEN strftime(as_of, '%Y-%m-%d %H:%M:%S') END AS as_of FROM data_as_of`,
        );
        let teams = await wh.all<{ team_id: string; team_name: string | null; region: string | null }>(
          `SELECT team_id, team_name, region FROM teams ORDER BY team_id`,
        );
        if (u.role === 'manager') teams = teams.filter((t) => t.team_id === u.team_id);
        const regions = u.role === 'manager' ? [] : [...new Set(teams.map((t) => t.region).filter((r): r is string => !!r))].sort();
        return c.json({ as_of: asOf?.as_of ?? null, latest_month: months[0] ?? null, months, teams, regions });
      },
    },
    {
      method: 'GET', path: '/api/trend/teams', tag: 'kpi', access: [...ROLES],
      summary: 'Main KPIs per team and month over N months (the overview heat map and ranking)',
      notes: 'manager: own team only. A team-month without data is absent (not zero).',
      query: {
        months: { type: 'int', description: 'how many months (1–36, default 12)', min: 1, max: 36, default: 12 },
        end: { type: 'month', description: 'the last month (default: the latest month with data)' },
      },
      responses: { 200: json('{months: [YYYY-MM…], rows: [{month, team_id, team_name, forms, mean_score, timeliness_rate, satisfaction_rate, complaint_rate}]}'), ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const team = teamFor(u, undefined);
        const end = (q.end as string | undefined) ?? (await wh.one<{ m: string | null }>(
          `SELECT strftime(max(month), '%Y-%m') AS m FROM kpi_month WHERE scope = 'company'`,
        ))?.m;
        if (!end) return c.json({ months: [], rows: [] });
        const n = q.months as number;
        const first = addMonths(end, -(n - 1));
        const months = Array.from({ length: n }, (_, i) => addMonths(first, i));
        const rows = await wh.all(
          `SELECT strftime(k.month, '%Y-%m') AS month, k.scope_id AS team_id, t.team_name, k.forms, k.mean_score,
                  k.timeliness_rate, k.satisfaction_rate, k.complaint_rate
           FROM kpi_month k LEFT JOIN teams t ON t.team_id = k.scope_id
           WHERE k.scope = 'team' AND k.scope_id <> '' AND k.month BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)
             AND ($3::VARCHAR IS NULL OR k.scope_id = $3)
           ORDER BY k.scope_id, k.month`,
          [`${first}-01`, `${end}-01`, team ?? null],
        );
        return c.json({ months, rows });
      },
    },
    {
      method: 'GET', path: '/api/months/:month/changes', tag: 'assessment', access: ['hr', 'admin', 'manager'],
      summary: 'What would differ if a closed month were computed from today\'s data (SPEC §4.6)',
      notes: 'For an open month: closed null, differs false. manager: own unit and people only.',
      params: { month: { type: 'month', description: 'the month, YYYY-MM', required: true } },
      responses: { 200: json('{month, closed, differs, units: [{key, frozen, live, fields}], people: [...]}'), ...STD_ERRORS },
      async handler(c, { p, user, wh }) {
        const u = me(user);
        const cmp = await compareClosed(wh, p.month as string);
        if (u.role !== 'manager') return c.json(cmp);
        const own = <T extends { frozen: { team_id?: string | null } | null; live: { team_id?: string | null } | null }>(x: T) =>
          (x.frozen ?? x.live)?.team_id === u.team_id;
        const units = cmp.units.filter(own);
        const people = cmp.people.filter(own);
        return c.json({ ...cmp, units, people, differs: units.length + people.length > 0 });
      },
    },
  ];
}
