/**
 * Reads the dashboard needs beside the SPEC §6 figures: what the pickers offer (months with data,
 * teams, regions), the team × month matrix behind the overview's heat map, and what changed
 * since a month was closed (SPEC §4.6: "the dashboard shows what would differ"). All from marts.
 */
import { compareClosed } from '../../pipelines/assessment/index.ts';
import { getMeta } from '../../pipelines/reads/meta.ts';
import { getTeamTrend, TREND_FIRST_MONTH, TREND_LAST_MONTH } from '../../pipelines/reads/trend-teams.ts';
import type { RouteDef } from '../http.ts';
import { json, me, STD_ERRORS, teamFor, type RouteDeps } from './kit.ts';
import { ROLES } from '../roles.ts';

export function dashboardRoutes(d: RouteDeps): RouteDef[] {
  return [
    {
      method: 'GET', path: '/api/meta', tag: 'dashboard', access: [...ROLES],
      summary: 'What the pickers offer: months with data (newest first), teams, regions, the data\'s as-of time',
      notes: 'manager: only their own team, and no regions.',
      responses: { 200: json('{as_of, latest_month, months, teams: [{team_id, team_name, region}], regions}'), ...STD_ERRORS },
      async handler(c, { user, wh }) {
        const u = me(user);
        return c.json(await getMeta(wh, u.role === 'manager' ? u.team_id : undefined));
      },
    },
    {
      method: 'GET', path: '/api/trend/teams', tag: 'kpi', access: [...ROLES],
      summary: 'Main KPIs per team and month over N months (the overview heat map and ranking)',
      notes: `manager: own team only. A team-month without data is absent (not zero). The months must lie within ${TREND_FIRST_MONTH}…${TREND_LAST_MONTH} (400 otherwise).`,
      query: {
        months: { type: 'int', description: 'how many months (1–36, default 12)', min: 1, max: 36, default: 12 },
        end: { type: 'month', description: 'the last month (default: the latest month with data)' },
      },
      responses: { 200: json('{months: [YYYY-MM…], rows: [{month, team_id, team_name, forms, mean_score, timeliness_rate, satisfaction_rate, complaint_rate}]}'), ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const team = teamFor(u, undefined);
        return c.json(await getTeamTrend(wh, { months: q.months as number, end: q.end as string | undefined, team }));
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
