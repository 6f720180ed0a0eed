/**
 * Assessment (SPEC §4.4–§4.6, §6 assessment): the units and bonus sheet of a month, a team's split
 * of its satisfaction reward/penalty, closing and reopening a month. Who sees individual pay is
 * decided here: hr and admin all, a manager their own team, an executive units only.
 */
import { closeMonth, getAllocation, getAssessment, reopenMonth, setAllocation } from '../../pipelines/assessment/index.ts';
import type { AssessmentAnswer } from '../../pipelines/contract/assessment.ts';
import { withNames } from '../../pipelines/reads/names.ts';
import { badRequest } from '../errors.ts';
import { readJson, type RouteDef } from '../http.ts';
import { error, id, json, me, month, STD_ERRORS, teamFor } from './kit.ts';

export function assessmentRoutes(): RouteDef[] {
  return [
    {
      method: 'GET', path: '/api/assessment', tag: 'assessment', access: ['hr', 'admin', 'executive', 'manager'],
      summary: 'Assessment units and bonus sheet of a month (SPEC §6 assessment)',
      notes: 'executive: units only — `people` is empty and `people_visible` false (individual pay is HR\'s). manager: their team\'s unit and people only.',
      query: { month: month() },
      responses: { 200: json('{month, units, people, closed, people_visible}'), ...STD_ERRORS, 409: error('models not built') },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const a = await withNames(wh, await getAssessment(wh, q.month as string));
        const answer: AssessmentAnswer =
          u.role === 'executive' ? { ...a, people: [], people_visible: false }
            : u.role === 'manager' ? { ...a, units: a.units.filter((x) => x.team_id === u.team_id), people: a.people.filter((p) => p.team_id === u.team_id), people_visible: true }
              : { ...a, people_visible: true };
        return c.json(answer);
      },
    },
    {
      method: 'GET', path: '/api/allocation', tag: 'assessment', access: ['manager', 'hr', 'admin'],
      summary: "A team's amount and its split among members (computed, manager's, paid)",
      notes: 'manager: own team only (team may be left out).',
      query: { month: month(), team: id('the team id (required except for a manager)') },
      responses: { 200: json('TeamAllocation'), ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const team = teamFor(me(user), q.team as string | undefined);
        if (!team) throw badRequest('query parameter "team" is required', 'missing_parameter');
        return c.json(await getAllocation(wh, q.month as string, team));
      },
    },
    {
      method: 'PUT', path: '/api/allocation', tag: 'assessment', access: ['manager', 'hr', 'admin'],
      summary: "Set a team's split of its satisfaction reward/penalty for a month (parts must add up exactly)",
      notes: 'manager: own team only. The acting user is recorded as `by` and in the audit log.',
      body: {
        required: true,
        schema: {
          type: 'object', required: ['month', 'team_id', 'parts', 'reason'],
          properties: {
            month: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }, team_id: { type: 'string' }, reason: { type: 'string' },
            parts: { type: 'array', items: { type: 'object', required: ['technician_id', 'amount'], properties: { technician_id: { type: 'string' }, amount: { type: ['number', 'string'] } } } },
          },
        },
      },
      responses: { 200: json('TeamAllocation after the change'), ...STD_ERRORS, 409: error('month closed'), 422: error('split refused; `problems` lists every reason') },
      async handler(c, { user, wh }) {
        const u = me(user);
        const b = await readJson(c);
        if (typeof b.team_id !== 'string' || typeof b.month !== 'string') throw badRequest('month and team_id are required strings', 'bad_body');
        const team = teamFor(u, b.team_id)!;
        return c.json(await setAllocation(wh, { month: b.month, team_id: team, parts: b.parts as never, reason: b.reason as string, by: u.username }));
      },
    },
    {
      method: 'POST', path: '/api/months/:month/close', tag: 'assessment', access: ['hr', 'admin'],
      summary: 'Close (freeze) a month',
      params: { month: month() },
      responses: { 200: json('the close record'), ...STD_ERRORS, 404: error('no assessment for the month'), 409: error('already closed, or models stale') },
      async handler(c, { p, user, wh }) {
        return c.json(await closeMonth(wh, { month: p.month as string, by: me(user).username }));
      },
    },
    {
      method: 'POST', path: '/api/months/:month/reopen', tag: 'assessment', access: ['admin'],
      summary: 'Reopen a closed month (admin, with a reason)',
      params: { month: month() },
      body: { required: true, schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } } },
      responses: { 200: json('the close record, reopened'), ...STD_ERRORS, 409: error('not closed') },
      async handler(c, { p, user, wh }) {
        const b = await readJson(c);
        return c.json(await reopenMonth(wh, { month: p.month as string, by: me(user).username, reason: b.reason as string }));
      },
    },

  ];
}
