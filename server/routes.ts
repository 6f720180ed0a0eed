/**
 * The API routes of this slice (issue 4), each with the roles it allows. Figures carry the names of
 * SPEC §6. Scoping for `manager` (own team only) and PII masking are applied here, on the server.
 */
import type { Context } from 'hono';
import type { Warehouse } from '../pipelines/warehouse/warehouse.ts';
import { getKpi, type Scope } from '../pipelines/models/kpi.ts';
import { closeMonth, getAllocation, getAssessment, listAudit, reopenMonth, setAllocation } from '../pipelines/assessment/index.ts';
import { listBatches } from '../pipelines/ingest/batches.ts';
import { rejectsCsv } from '../pipelines/ingest/rejects.ts';
import type { SignInLimiter } from './auth.ts';
import { ApiError, badRequest, forbidden } from './errors.ts';
import { readJson, type RouteDef } from './http.ts';
import { maskCustomer } from './mask.ts';
import { countLateTickets, listLateTickets } from './late-tickets.ts';
import { sessionRoutes } from './routes-session.ts';
import { arrowPage, FORMAT_Q } from './arrow.ts';
import { ROLES, type User } from './roles.ts';
import type { RwLock } from './lock.ts';
import { exportRoutes } from './routes-exports.ts';
import { drilldownRoutes } from './routes-drilldown.ts';
import { spotcheckRoutes } from './routes-spotcheck.ts';
import { adminRoutes } from './routes-admin.ts';
import { uploadRoutes } from './routes-uploads.ts';
import { dashboardRoutes } from './routes-dashboard.ts';

export const SESSION_COOKIE = 'aftersales_session';

export interface RouteDeps {
  wh: Warehouse;
  lock: RwLock;
  limiter: SignInLimiter;
  now: () => Date;
  sessionTtlMs: number;
  clientIp: (c: Context) => string;
  cookieSecure: (c: Context) => boolean;
  openapi: () => Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

const month = (description = 'the month, YYYY-MM', required = true) => ({ type: 'month', description, required }) as const;
const id = (description: string) => ({ type: 'id', description }) as const;

export const error = (description: string) => ({ description, schema: { $ref: '#/components/schemas/Error' } });
export const STD_ERRORS = { 400: error('invalid parameters'), 401: error('not signed in'), 403: error('role not allowed, or another team') };
export const json = (description: string, schema: Record<string, unknown> = { type: 'object' }) => ({ description, schema });

/** The signed-in user of a route that requires one (the access check has run). */
export function me(user: User | undefined): User {
  if (!user) throw new ApiError(401, 'unauthenticated', 'sign in first');
  return user;
}

/** A manager asking for another team is refused; otherwise the manager's own team is used. */
export function teamFor(user: User, requested: string | undefined): string | undefined {
  if (user.role !== 'manager') return requested;
  if (requested !== undefined && requested !== user.team_id) throw forbidden('a manager sees only their own team', 'other_team');
  return user.team_id!;
}

const MAIN_RATES = ['timeliness_rate', 'satisfaction_rate', 'complaint_rate', 'mean_score'] as const;

function addMonths(m: string, n: number): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  const t = y * 12 + (mo - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

const LATE_SORTS = {
  minutes_late: 's.minutes_late',
  reported_at: 's.reported_at',
  ticket_id: 's.ticket_id',
  team_id: 's.team_id',
  technician_id: 's.technician_id',
} as const;
const LATE_SORT_VALUES = Object.keys(LATE_SORTS).flatMap((k) => [k, `-${k}`]);

// ---------------------------------------------------------------------------------------------

export function apiRoutes(d: RouteDeps): RouteDef[] {

  /** The bonus sheet shows who is paid: technician and team names beside the ids (extra fields). */
  async function withNames<A extends { people: { technician_id: string; team_id: string | null }[] }>(wh: Warehouse, a: A) {
    const tech = new Map((await wh.all<{ id: string; name: string | null }>('SELECT technician_id AS id, name FROM technicians')).map((r) => [r.id, r.name]));
    const team = new Map((await wh.all<{ id: string; name: string | null }>('SELECT team_id AS id, team_name AS name FROM teams')).map((r) => [r.id, r.name]));
    return { ...a, people: a.people.map((p) => ({ ...p, name: tech.get(p.technician_id) ?? null, team_name: p.team_id ? team.get(p.team_id) ?? null : null })) };
  }

  return [
    ...sessionRoutes(d),

    // ---------------------------------------------------------------- KPIs
    {
      method: 'GET', path: '/api/kpi', tag: 'kpi', access: [...ROLES],
      summary: 'KPIs of a month for the company, a region, a team or a technician (SPEC §6 kpi)',
      notes: 'At most one of team, region, technician. manager: always their own team (or one of its technicians); another team, a region or another team\'s technician → 403.',
      query: {
        month: month(),
        team: id('a team id'),
        region: id('a region name'),
        technician: id('a technician id'),
      },
      responses: { 200: json('the SPEC §6 kpi object'), ...STD_ERRORS },
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
            const t = await wh.one<{ team_id: string | null }>('SELECT team_id FROM technicians WHERE technician_id = $1', [scope.id]);
            if (t?.team_id !== u.team_id) throw forbidden('a manager sees only the technicians of their own team', 'other_team');
          } else {
            scope = { scope: 'team', id: teamFor(u, scope.scope === 'team' ? scope.id : undefined)! };
          }
        }
        return c.json(await getKpi(wh, q.month as string, scope));
      },
    },
    {
      method: 'GET', path: '/api/trend', tag: 'kpi', access: [...ROLES],
      summary: 'Monthly KPIs of the last N months with month-over-month and year-over-year changes',
      notes: 'Changes are differences (this − that): rates in fraction points (0.02 = 2 percentage points), mean_score in points; null when either side is null. manager: own team only.',
      query: {
        months: { type: 'int', description: 'how many months, ending with `end`', min: 1, max: 36, default: 12 },
        end: month('the last month (default: the latest month with data)', false),
        team: id('a team id'),
        region: id('a region name'),
      },
      responses: { 200: json('{scope, scope_id, months: [{month, …rates, mom, yoy}]}'), ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        if (q.team !== undefined && q.region !== undefined) throw badRequest('give at most one of team, region', 'bad_parameter');
        if (u.role === 'manager' && q.region !== undefined) throw forbidden('a manager sees only their own team', 'other_team');
        const team = teamFor(u, q.team as string | undefined);
        const scope = team !== undefined ? 'team' : q.region !== undefined ? 'region' : 'company';
        const scopeId = team ?? (q.region as string | undefined) ?? '';
        const end = (q.end as string | undefined) ?? (await wh.one<{ m: string | null }>(
          `SELECT strftime(max(month), '%Y-%m') AS m FROM kpi_month WHERE scope = 'company'`,
        ))?.m;
        if (!end) return c.json({ scope, scope_id: scopeId || null, months: [] });
        const n = q.months as number;
        const first = addMonths(end, -(n - 1));
        const rows = await wh.all<Record<string, number | null> & { month: string }>(
          `SELECT strftime(month, '%Y-%m') AS month, tickets_reported, tickets_due, jobs, forms, complaints_received, complaints_attributable,
                  timeliness_rate, satisfaction_rate, complaint_rate, mean_score, first_time_fix_rate, followup_rate, form_coverage
           FROM kpi_month
           WHERE scope = $1 AND scope_id = $2 AND month BETWEEN CAST($3 AS DATE) AND CAST($4 AS DATE)`,
          [scope, scopeId, `${addMonths(first, -12)}-01`, `${end}-01`],
        );
        const byMonth = new Map(rows.map((r) => [r.month, r]));
        const empty = (m: string) => ({
          month: m, tickets_reported: 0, tickets_due: 0, jobs: 0, forms: 0, complaints_received: 0, complaints_attributable: 0,
          timeliness_rate: null, satisfaction_rate: null, complaint_rate: null, mean_score: null, first_time_fix_rate: null, followup_rate: null, form_coverage: null,
        });
        const at = (m: string) => byMonth.get(m) ?? empty(m);
        const diff = (a: number | null | undefined, b: number | null | undefined) => (a === null || a === undefined || b === null || b === undefined ? null : a - b);
        const change = (cur: Record<string, unknown>, other: Record<string, unknown>, otherMonth: string) => ({
          month: otherMonth,
          ...Object.fromEntries(MAIN_RATES.map((k) => [k, diff(cur[k] as number | null, other[k] as number | null)])),
        });
        const months = [];
        for (let i = 0; i < n; i++) {
          const m = addMonths(first, i);
          const cur = at(m);
          months.push({ ...cur, mom: change(cur, at(addMonths(m, -1)), addMonths(m, -1)), yoy: change(cur, at(addMonths(m, -12)), addMonths(m, -12)) });
        }
        return c.json({ scope, scope_id: scopeId || null, months });
      },
    },

    // ---------------------------------------------------------------- assessment
    {
      method: 'GET', path: '/api/assessment', tag: 'assessment', access: ['hr', 'admin', 'executive', 'manager'],
      summary: 'Assessment units and bonus sheet of a month (SPEC §6 assessment)',
      notes: 'executive: units only — `people` is empty and `people_visible` false (individual pay is HR\'s). manager: their team\'s unit and people only.',
      query: { month: month() },
      responses: { 200: json('{month, units, people, closed, people_visible}'), ...STD_ERRORS, 409: error('models not built') },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const a = await withNames(wh, await getAssessment(wh, q.month as string));
        if (u.role === 'executive') return c.json({ ...a, people: [], people_visible: false });
        if (u.role === 'manager') {
          return c.json({
            ...a,
            units: a.units.filter((x) => x.team_id === u.team_id),
            people: a.people.filter((p) => p.team_id === u.team_id),
            people_visible: true,
          });
        }
        return c.json({ ...a, people_visible: true });
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

    // ---------------------------------------------------------------- batches, audit
    {
      method: 'GET', path: '/api/batches', tag: 'ingestion', access: ['supervisor', 'admin', 'hr'],
      summary: 'Batch history, newest first',
      query: { limit: { type: 'int', description: 'how many batches', min: 1, max: 1000, default: 100 } },
      responses: { 200: json('{batches: [...]}'), ...STD_ERRORS },
      async handler(c, { q, wh }) {
        return c.json({ batches: await listBatches(wh, q.limit as number) });
      },
    },
    {
      method: 'GET', path: '/api/batches/:id/rejects.csv', tag: 'ingestion', access: ['supervisor', 'admin'],
      summary: "A batch's rejected rows in the file's own columns plus reject_reason (UTF-8 CSV with BOM)",
      notes: 'Raw rows hold customer PII, so only roles that see PII may download them.',
      params: { id: { type: 'int', description: 'the batch id', min: 1, max: 999_999_999 } },
      responses: { 200: { description: 'CSV', contentType: 'text/csv; charset=utf-8', schema: { type: 'string' } }, ...STD_ERRORS, 404: error('no such batch') },
      async handler(c, { p, wh }) {
        const csv = await rejectsCsv(wh, p.id as number);
        c.header('Content-Type', 'text/csv; charset=utf-8');
        c.header('Content-Disposition', `attachment; filename="rejects-${p.id}.csv"`);
        return c.body(csv);
      },
    },
    {
      method: 'GET', path: '/api/audit', tag: 'audit', access: ['admin', 'supervisor'],
      summary: 'Audit log, newest first',
      query: {
        action: { type: 'text', description: 'exact action, e.g. login, month.close', max: 64 },
        target: { type: 'text', description: "target prefix ('2025-05' also finds '2025-05/T01')", max: 128 },
        limit: { type: 'int', description: 'how many entries', min: 1, max: 1000, default: 100 },
      },
      responses: { 200: json('{entries: [...]}'), ...STD_ERRORS },
      async handler(c, { q, wh }) {
        return c.json({ entries: await listAudit(wh, { action: q.action as string | undefined, target: q.target as string | undefined, limit: q.limit as number }) });
      },
    },

    // ---------------------------------------------------------------- drill-down
    {
      method: 'GET', path: '/api/tickets/late', tag: 'drill-down', access: [...ROLES],
      summary: 'Late tickets of a month (SLA §4.1), paged, with the customer contact',
      notes: 'contact_phone and address are masked (138****5678, address to the district) and personal customer names shortened for hr, executive and manager; supervisor and admin see them in full. manager: own team only.',
      query: {
        month: month('the month the tickets were reported in'),
        team: id('a team id'),
        technician: id('a technician id'),
        page: { type: 'int', description: 'page number, from 1', min: 1, max: 1_000_000, default: 1 },
        page_size: { type: 'int', description: 'rows per page', min: 1, max: 500, default: 50 },
        sort: { type: 'enum', description: 'sort key; a leading - sorts descending', values: LATE_SORT_VALUES, default: '-minutes_late' },
        format: FORMAT_Q,
      },
      responses: { 200: json('{month, page, page_size, total, sort, rows: [...]} (or Arrow IPC with format=arrow)'), ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const team = teamFor(u, q.team as string | undefined) ?? null;
        const sort = q.sort as string;
        const desc = sort.startsWith('-');
        const col = LATE_SORTS[(desc ? sort.slice(1) : sort) as keyof typeof LATE_SORTS];
        const filter = { month: q.month as string, team, technician: (q.technician as string | undefined) ?? null };
        const total = await countLateTickets(wh, filter);
        const size = q.page_size as number;
        const rows = await listLateTickets(wh, filter, `${col} ${desc ? 'DESC' : 'ASC'}`, { limit: size, offset: ((q.page as number) - 1) * size });
        const masked = rows.map((r) => maskCustomer(r as { contact_phone: string | null; address: string | null; customer_name: string | null }, u.role));
        if (q.format === 'arrow') return arrowPage(masked, total, q.page, size);
        return c.json({
          month: q.month, page: q.page, page_size: size, total, sort,
          pii_masked: u.role !== 'supervisor' && u.role !== 'admin',
          rows: masked,
        });
      },
    },

    ...uploadRoutes(d),
    ...dashboardRoutes(d),
    ...spotcheckRoutes(d),
    ...exportRoutes(d),
    ...drilldownRoutes(d),
    ...adminRoutes(d),

    // ---------------------------------------------------------------- description
    {
      method: 'GET', path: '/api/openapi.json', tag: 'meta', access: 'public', lock: 'none',
      summary: 'This API as OpenAPI 3.1',
      responses: { 200: json('the OpenAPI document') },
      async handler(c, { wh }) {
        return c.json(d.openapi());
      },
    },
  ];
}

