/**
 * KPIs (SPEC §4, §6): a month's KPI point for the company, a region, a team or a technician, and
 * the monthly trend — the same flat point per month, with month-over-month and year-over-year
 * changes (pipelines/reads/kpi.ts). A manager sees only their own team.
 */
import { getKpiPoint, getKpiTrend, type Scope } from '../../pipelines/reads/kpi.ts';
import { technicianTeam } from '../../pipelines/reads/names.ts';
import { badRequest, forbidden } from '../errors.ts';
import type { RouteDef } from '../http.ts';
import { ROLES } from '../roles.ts';
import { id, json, me, month, STD_ERRORS, teamFor } from './kit.ts';

export function kpiRoutes(): RouteDef[] {
  return [
    {
      method: 'GET', path: '/api/kpi', tag: 'kpi', access: [...ROLES],
      summary: 'KPIs of a month for the company, a region, a team or a technician: the flat KPI point (SPEC §4, §6 figures)',
      notes: 'The KpiPoint of pipelines/contract/kpi.ts: counts and rates under their kpi_month names (tickets_due, jobs, forms, forms_satisfied, timeliness_rate, mean_score, …), targets, and mom / yoy changes (this − that; null when either side is null). The same point as the month of GET /api/trend; the CLI `kpi --json` gives it as the nested SPEC §6 object. A month without data: zero counts, null rates. At most one of team, region, technician. manager: always their own team (or one of its technicians); another team, a region or another team\'s technician → 403.',
      query: {
        month: month(),
        team: id('a team id'),
        region: id('a region name'),
        technician: id('a technician id'),
      },
      responses: { 200: json('{month, scope, scope_id, …counts, …rates, targets, mom: {month, …rates}, yoy: {month, …rates}}'), ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const given = (['team', 'region', 'technician'] as const).filter((k) => q[k] !== undefined);
        if (given.length > 1) throw badRequest('give at most one of team, region, technician', 'bad_parameter');
        let scope: Scope = { scope: 'company' };
        if (q.team !== undefined) scope = { scope: 'team', id: q.team as string };
        if (q.region !== undefined) scope = { scope: 'region', id: q.region as string };
        if (q.technician !== undefined) scope = { scope: 'technician', id: q.technician as string };
        if (u.role === 'manager') {
          if (scope.scope === 'region') throw forbidden('a manager sees only their own team', 'other_team');
          if (scope.scope === 'technician') {
            if ((await technicianTeam(wh, scope.id)) !== u.team_id) throw forbidden('a manager sees only the technicians of their own team', 'other_team');
          } else {
            scope = { scope: 'team', id: teamFor(u, scope.scope === 'team' ? scope.id : undefined)! };
          }
        }
        return c.json(await getKpiPoint(wh, q.month as string, scope));
      },
    },
    {
      method: 'GET', path: '/api/trend', tag: 'kpi', access: [...ROLES],
      summary: 'Monthly KPIs of the last N months with month-over-month and year-over-year changes',
      notes: 'Each month is the KPI point of GET /api/kpi (every count, rate and target). Changes are differences (this − that) for every rate: rates in fraction points (0.02 = 2 percentage points), mean_score in points, cost_per_job in yuan; null when either side is null or the other month has no data. A month without data: zero counts, null rates. manager: own team only.',
      query: {
        months: { type: 'int', description: 'how many months, ending with `end`', min: 1, max: 36, default: 12 },
        end: month('the last month (default: the latest month with data)', false),
        team: id('a team id'),
        region: id('a region name'),
      },
      responses: { 200: json('{scope, scope_id, months: [KPI point, oldest first]}'), ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        if (q.team !== undefined && q.region !== undefined) throw badRequest('give at most one of team, region', 'bad_parameter');
        if (u.role === 'manager' && q.region !== undefined) throw forbidden('a manager sees only their own team', 'other_team');
        const team = teamFor(u, q.team as string | undefined);
        const scope: Scope = team !== undefined ? { scope: 'team', id: team } : q.region !== undefined ? { scope: 'region', id: q.region as string } : { scope: 'company' };
        return c.json(await getKpiTrend(wh, { months: q.months as number, end: q.end as string | undefined, scope }));
      },
    },

  ];
}
