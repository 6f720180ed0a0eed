/**
 * The API against a real warehouse built from generated data: the role × endpoint matrix, manager
 * scoping, PII masking per role on the late-tickets list, the figures of SPEC §6, month close and
 * reopen, and the OpenAPI description kept true.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKpi, getKpiPoint } from '../../pipelines/reads/kpi.ts';
import { ROLES, type Role } from '../../server/roles.ts';
import type { TempWarehouse } from '../helpers.ts';
import { buildWarehouse, call, makeApp, MANAGER_TEAM, MONTH, signIn, USERS, type Signed, type TestApp, signInAll } from './fixture.ts';

let t: TempWarehouse;
let app: TestApp;
let as: Record<Role, Signed>;

beforeAll(async () => {
  t = await buildWarehouse();
  app = makeApp(t);
  as = await signInAll(app);
});
afterAll(() => t.cleanup());

const ALL = ROLES;
const MATRIX_MONTH = '2025-03'; // mutations of the matrix happen here, away from the other tests

/** Every route with a request that is valid for an allowed role, and the roles it allows (SPEC §1). */
const MATRIX: { method: string; path: string; body?: unknown; allowed: readonly Role[] }[] = [
  { method: 'GET', path: '/api/session', allowed: ALL },
  { method: 'GET', path: `/api/kpi?month=${MONTH}`, allowed: ALL },
  { method: 'GET', path: '/api/trend?months=3', allowed: ALL },
  { method: 'GET', path: `/api/tickets/late?month=${MONTH}&page_size=5`, allowed: ALL },
  { method: 'GET', path: `/api/breakdown?month=${MONTH}&by=team`, allowed: ALL },
  { method: 'GET', path: `/api/forms?month=${MONTH}&page_size=5`, allowed: ALL },
  { method: 'GET', path: `/api/complaints?month=${MONTH}&page_size=5`, allowed: ALL },
  { method: 'GET', path: '/api/records/tickets/BX202405020001', allowed: ALL }, // a T01 ticket (seed 7)
  { method: 'GET', path: `/api/assessment?month=${MONTH}`, allowed: ['hr', 'admin', 'executive', 'manager'] },
  { method: 'GET', path: `/api/allocation?month=${MONTH}&team=${MANAGER_TEAM}`, allowed: ['manager', 'hr', 'admin'] },
  { method: 'PUT', path: '/api/allocation', body: { month: MATRIX_MONTH, team_id: MANAGER_TEAM, parts: [], reason: 'matrix' }, allowed: ['manager', 'hr', 'admin'] },
  { method: 'POST', path: `/api/months/${MATRIX_MONTH}/close`, allowed: ['hr', 'admin'] },
  { method: 'POST', path: `/api/months/${MATRIX_MONTH}/reopen`, body: { reason: 'matrix' }, allowed: ['admin'] },
  { method: 'GET', path: '/api/batches', allowed: ['supervisor', 'admin', 'hr'] },
  { method: 'POST', path: '/api/uploads?kind=adjustments', allowed: ['supervisor', 'admin', 'hr'] }, // no file: 415 for the allowed (tests/server/uploads.test.ts)
  { method: 'GET', path: '/api/batches/3/rejects.csv', allowed: ['supervisor', 'admin'] },
  { method: 'GET', path: '/api/audit', allowed: ['admin', 'supervisor'] },
  { method: 'GET', path: `/api/spotchecks?month=${MONTH}`, allowed: ['supervisor', 'admin'] },
  { method: 'POST', path: '/api/verifications', body: { form_id: 'F-matrix-none', outcome: 'confirmed' }, allowed: ['supervisor', 'admin'] },
  { method: 'GET', path: `/api/fraud/targeted?month=${MONTH}`, allowed: ['supervisor', 'admin'] },
  { method: 'GET', path: `/api/fraud/technicians?month=${MONTH}`, allowed: ['supervisor', 'admin'] },
  { method: 'GET', path: `/api/fraud/findings?month=${MONTH}`, allowed: ['supervisor', 'admin', 'hr'] }, // hr: proven findings only (tests/server/fraud.test.ts)
  { method: 'GET', path: '/api/fraud/forms/F202501110001', allowed: ['supervisor', 'admin', 'hr'] }, // a form found fraudulent (seed 7): hr reads its evidence, masked
  { method: 'GET', path: `/api/exports/bonus-sheet?month=${MONTH}`, allowed: ['hr', 'admin', 'manager'] },
  { method: 'GET', path: `/api/exports/kpi?month=${MONTH}`, allowed: ALL },
  { method: 'GET', path: `/api/exports/late-tickets?month=${MONTH}`, allowed: ALL },
  { method: 'GET', path: `/api/exports/forms?month=${MONTH}`, allowed: ALL },
  { method: 'GET', path: `/api/exports/complaints?month=${MONTH}`, allowed: ALL },
  { method: 'GET', path: `/api/money?month=${MONTH}&by=team`, allowed: ALL },
  { method: 'GET', path: `/api/fee-anomalies?month=${MONTH}&page_size=5`, allowed: ALL },
  { method: 'GET', path: `/api/forged-forms?month=${MONTH}&page_size=5`, allowed: ['supervisor', 'hr', 'admin', 'manager'] },
  { method: 'GET', path: `/api/exports/fee-anomalies?month=${MONTH}`, allowed: ALL },
  { method: 'GET', path: `/api/exports/forged-forms?month=${MONTH}`, allowed: ['supervisor', 'hr', 'admin', 'manager'] },
  { method: 'GET', path: '/api/policy', allowed: ['admin', 'hr', 'supervisor', 'executive'] },
  { method: 'POST', path: '/api/policy', body: { effective_from: '2035-01', target_timeliness_rate: 2 }, allowed: ['admin'] }, // 400 for admin: no side effect
  { method: 'GET', path: '/api/calendar?year=2025', allowed: ALL },
  { method: 'POST', path: '/api/calendar', body: { rows: [] }, allowed: ['admin'] }, // 400 for admin
  { method: 'GET', path: '/api/users', allowed: ['admin'] },
  { method: 'POST', path: '/api/users', body: { username: 'matrix-user', role: 'hr', password: 'short' }, allowed: ['admin'] }, // 400 for admin
  { method: 'PATCH', path: '/api/users/:username', body: {}, allowed: ['admin'] }, // literal route path (400 for admin), so the coverage check matches it
  { method: 'GET', path: '/api/meta', allowed: ALL },
  { method: 'GET', path: '/api/uploads/kinds', allowed: ['supervisor', 'admin', 'hr'] },
  { method: 'GET', path: '/api/batches/3/rejects', allowed: ['supervisor', 'admin'] },
  { method: 'GET', path: '/api/trend/teams?months=3', allowed: ALL },
  { method: 'GET', path: `/api/months/${MONTH}/changes`, allowed: ['hr', 'admin', 'manager'] },
  { method: 'GET', path: '/api/openapi.json', allowed: ALL },
];

describe('role × endpoint matrix', () => {
  for (const r of MATRIX) {
    it(`${r.method} ${r.path}`, async () => {
      for (const role of ROLES) {
        const res = await call(app, r.method, r.path, { as: as[role], body: r.body });
        const text = await res.text();
        if (r.allowed.includes(role)) {
          // Allowed: never refused for the role. (A mutation may still be refused on its merits: 409/422.)
          expect([401, 403], `${role}: ${res.status} ${text}`).not.toContain(res.status);
          expect(res.status, `${role}: ${text}`).toBeLessThan(500);
          if (r.method === 'GET') expect(res.status, `${role}: ${text}`).toBe(200);
        } else {
          expect(res.status, `${role} must be refused: ${text}`).toBe(403);
          expect(JSON.parse(text).error.code).toBe('forbidden');
        }
      }
      if (r.path !== '/api/openapi.json') {
        const anon = await call(app, r.method, r.path, { body: r.body });
        expect(anon.status).toBe(401);
        expect((await anon.json()).error.code).toBe('unauthenticated');
      }
    });
  }

  it('covers every API route', () => {
    const declared = new Set(MATRIX.map((r) => `${r.method} ${r.path.split('?')[0]!.replace(/\d{4}-\d{2}/, ':month').replace(/\/batches\/3\b/, '/batches/:id').replace(/^\/api\/records\/\w+\/\w+$/, '/api/records/:kind/:id').replace(/^\/api\/fraud\/forms\/[\w.-]+$/, '/api/fraud/forms/:form_id')}`));
    const registered = apiRoutes(app);
    for (const r of registered) if (r !== 'POST /api/session' && r !== 'DELETE /api/session') expect(declared, r).toContain(r);
  });
});

function apiRoutes(a: TestApp): string[] {
  return [...new Set(a.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`))];
}

describe('figures', () => {
  it('GET /api/kpi serves getKpiPoint for the company, a team, a region, a technician', async () => {
    for (const [qs, scope] of [
      ['', { scope: 'company' }],
      ['&team=T02', { scope: 'team', id: 'T02' }],
      ['&region=华东', { scope: 'region', id: '华东' }],
      ['&technician=E0201', { scope: 'technician', id: 'E0201' }],
    ] as const) {
      const res = await call(app, 'GET', `/api/kpi?month=${MONTH}${encodeURI(qs)}`, { as: as.executive });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(JSON.parse(JSON.stringify(await getKpiPoint(t.wh, MONTH, scope as never))));
    }
  });

  it('GET /api/kpi refuses bad parameters with a clear 400', async () => {
    for (const [qs, msg] of [
      ['', 'query parameter "month" is required'],
      ['?month=2025-13', 'must be a month YYYY-MM'],
      [`?month=${MONTH}&team=T01&region=华东`, 'at most one of'],
      [`?month=${MONTH}&teem=T01`, 'unknown query parameter "teem"'],
      [`?month=${MONTH}&month=2025-04`, 'more than once'],
    ] as const) {
      const res = await call(app, 'GET', `/api/kpi${encodeURI(qs)}`, { as: as.admin });
      expect(res.status, qs).toBe(400);
      expect((await res.json()).error.message).toContain(msg);
    }
  });

  it('GET /api/trend gives N months with month-over-month and year-over-year changes from kpi_month', async () => {
    const res = await call(app, 'GET', `/api/trend?months=12&end=${MONTH}`, { as: as.executive });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.scope).toBe('company');
    expect(body.months.map((m: { month: string }) => m.month)).toEqual([
      '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03', '2025-04', '2025-05',
    ]);
    const may = body.months.at(-1);
    const k = (m: string) => getKpi(t.wh, m);
    const [k5, k4, k24] = [await k('2025-05'), await k('2025-04'), await k('2024-05')];
    expect(may.timeliness_rate).toBe(k5.timeliness_rate);
    expect(may.mean_score).toBe(k5.feedback.mean_score);
    expect(may.mom.month).toBe('2025-04');
    expect(may.mom.timeliness_rate).toBeCloseTo(k5.timeliness_rate! - k4.timeliness_rate!, 12);
    expect(may.mom.mean_score).toBeCloseTo(k5.feedback.mean_score! - k4.feedback.mean_score!, 12);
    expect(may.yoy.month).toBe('2024-05');
    expect(may.yoy.satisfaction_rate).toBeCloseTo(k5.satisfaction_rate! - k24.satisfaction_rate!, 12);
    // The first month has no year-ago data in the warehouse: no basis, null — never 0.
    expect(body.months[0].yoy.timeliness_rate).toBeNull();
    const bad = await call(app, 'GET', '/api/trend?months=100', { as: as.executive });
    expect(bad.status).toBe(400);
  });

  it('GET /api/assessment serves getAssessment: units only for executive', async () => {
    const full = await (await call(app, 'GET', `/api/assessment?month=${MONTH}`, { as: as.hr })).json();
    expect(full.month).toBe(MONTH);
    expect(full.units[0].unit).toBe('company');
    expect(full.people.length).toBeGreaterThan(0);
    for (const p of full.people) expect(p.total).toBe(p.satisfaction_share + p.complaint_penalty + p.forged_form_penalty + p.quarterly_reward + p.adjustments);
    const exec = await (await call(app, 'GET', `/api/assessment?month=${MONTH}`, { as: as.executive })).json();
    expect(exec.units).toEqual(full.units);
    expect(exec.people).toEqual([]);
    expect(exec.people_visible).toBe(false);
  });

  it('GET /api/batches/:id/rejects.csv answers CSV, 404 for an unknown batch', async () => {
    const res = await call(app, 'GET', '/api/batches/3/rejects.csv', { as: as.supervisor });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM: Excel reads Chinese right
    expect(new TextDecoder().decode(bytes)).toContain('reject_reason');
    const missing = await call(app, 'GET', '/api/batches/99999/rejects.csv', { as: as.supervisor });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
    expect((await call(app, 'GET', '/api/batches/abc/rejects.csv', { as: as.supervisor })).status).toBe(400);
  });
});

describe('manager scoping (own team only)', () => {
  const mgr = () => as.manager;

  it('KPIs: own team by default and on request; another team, a region or a stranger technician → 403', async () => {
    const own = await (await call(app, 'GET', `/api/kpi?month=${MONTH}`, { as: mgr() })).json();
    expect([own.scope, own.scope_id]).toEqual(['team', MANAGER_TEAM]);
    expect((await call(app, 'GET', `/api/kpi?month=${MONTH}&team=${MANAGER_TEAM}`, { as: mgr() })).status).toBe(200);
    const other = await call(app, 'GET', `/api/kpi?month=${MONTH}&team=T02`, { as: mgr() });
    expect(other.status).toBe(403);
    expect((await other.json()).error.code).toBe('other_team');
    expect((await call(app, 'GET', `/api/kpi?month=${MONTH}&region=${encodeURIComponent('华北')}`, { as: mgr() })).status).toBe(403);
    const ownTech = (await t.wh.one<{ id: string }>(`SELECT technician_id AS id FROM technicians WHERE team_id = $1 LIMIT 1`, [MANAGER_TEAM]))!.id;
    const otherTech = (await t.wh.one<{ id: string }>(`SELECT technician_id AS id FROM technicians WHERE team_id <> $1 LIMIT 1`, [MANAGER_TEAM]))!.id;
    expect((await call(app, 'GET', `/api/kpi?month=${MONTH}&technician=${ownTech}`, { as: mgr() })).status).toBe(200);
    expect((await call(app, 'GET', `/api/kpi?month=${MONTH}&technician=${otherTech}`, { as: mgr() })).status).toBe(403);
  });

  it('trend, late tickets, allocation: another team → 403', async () => {
    for (const path of [`/api/trend?team=T02`, `/api/tickets/late?month=${MONTH}&team=T02`, `/api/allocation?month=${MONTH}&team=T02`]) {
      const res = await call(app, 'GET', path, { as: mgr() });
      expect(res.status, path).toBe(403);
    }
    const put = await call(app, 'PUT', '/api/allocation', { as: mgr(), body: { month: MONTH, team_id: 'T02', parts: [], reason: 'x' } });
    expect(put.status).toBe(403);
    const trend = await (await call(app, 'GET', '/api/trend?months=2', { as: mgr() })).json();
    expect([trend.scope, trend.scope_id]).toEqual(['team', MANAGER_TEAM]);
  });

  it('lists are filtered to the team', async () => {
    const late = await (await call(app, 'GET', `/api/tickets/late?month=${MONTH}&page_size=500`, { as: mgr() })).json();
    const expected = (await t.wh.one<{ n: number }>(
      `SELECT count(*) AS n FROM fct_ticket_sla WHERE month = DATE '2025-05-01' AND status = 'late' AND team_id = $1`, [MANAGER_TEAM],
    ))!.n;
    expect(expected).toBeGreaterThan(0);
    expect(late.total).toBe(expected);
    expect(late.rows.length).toBe(expected);
    expect(late.rows.every((r: { team_id: string }) => r.team_id === MANAGER_TEAM)).toBe(true);

    const a = await (await call(app, 'GET', `/api/assessment?month=${MONTH}`, { as: mgr() })).json();
    expect(a.units.map((u: { team_id: string }) => u.team_id)).toEqual([MANAGER_TEAM]);
    expect(a.people.length).toBeGreaterThan(0);
    expect(a.people.every((p: { team_id: string }) => p.team_id === MANAGER_TEAM)).toBe(true);
  });

  it('a manager splits their own team\'s amount; the audit log names them', async () => {
    const alloc = await (await call(app, 'GET', `/api/allocation?month=${MONTH}`, { as: mgr() })).json();
    expect(alloc.team_id).toBe(MANAGER_TEAM);
    const members = alloc.members.filter((m: { jobs: number }) => m.jobs > 0);
    expect(members.length).toBeGreaterThan(1);
    // Everything to the first member: still adds up exactly.
    const parts = members.map((m: { technician_id: string }, i: number) => ({ technician_id: m.technician_id, amount: i === 0 ? alloc.amount : 0 }));
    const res = await call(app, 'PUT', '/api/allocation', { as: mgr(), body: { month: MONTH, team_id: MANAGER_TEAM, parts, reason: '按贡献分配' } });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.override.set_by).toBe(USERS.manager);
    const bad = await call(app, 'PUT', '/api/allocation', { as: mgr(), body: { month: MONTH, team_id: MANAGER_TEAM, parts: parts.slice(1), reason: 'x' } });
    if (alloc.amount !== 0) {
      expect(bad.status).toBe(422);
      expect((await bad.json()).error.problems.some((p: { code: string }) => p.code === 'sum_mismatch')).toBe(true);
    }
    const audit = await (await call(app, 'GET', '/api/audit?action=allocation.set', { as: as.admin })).json();
    expect(audit.entries[0].actor).toBe(USERS.manager);
    expect(audit.entries[0].target).toBe(`${MONTH}/${MANAGER_TEAM}`);
  });
});

describe('PII on the late-tickets list', () => {
  it('phones and addresses leave unmasked only for supervisor and admin', async () => {
    const raw = await t.wh.all<{ contact_phone: string | null; address: string | null }>(
      `SELECT t.contact_phone, t.address FROM fct_ticket_sla s JOIN tickets t USING (ticket_id)
       WHERE s.month = DATE '2025-05-01' AND s.status = 'late'`,
    );
    const phones = raw.map((r) => r.contact_phone).filter((p): p is string => !!p);
    const addresses = raw.map((r) => r.address).filter((p): p is string => !!p);
    expect(phones.length).toBeGreaterThan(10);
    for (const role of ROLES) {
      const res = await call(app, 'GET', `/api/tickets/late?month=${MONTH}&page_size=500`, { as: as[role] });
      expect(res.status).toBe(200);
      const text = await res.text();
      const body = JSON.parse(text);
      expect(body.rows.length).toBeGreaterThan(0);
      const withPhone = body.rows.filter((r: { contact_phone: string | null }) => r.contact_phone);
      if (role === 'supervisor' || role === 'admin') {
        expect(body.pii_masked).toBe(false);
        expect(withPhone.every((r: { contact_phone: string }) => /^1\d{10}$/.test(r.contact_phone))).toBe(true);
        expect(phones).toContain(withPhone[0].contact_phone);
      } else {
        expect(body.pii_masked).toBe(true);
        expect(withPhone.every((r: { contact_phone: string }) => /^1\d{2}\*{4}\d{4}$/.test(r.contact_phone)), role).toBe(true);
        expect(body.rows.every((r: { address: string | null }) => r.address === null || r.address.endsWith('***')), role).toBe(true);
        // No raw phone or full address anywhere in the response.
        for (const p of phones) expect(text.includes(p), `${role} got ${p}`).toBe(false);
        for (const a of addresses) expect(text.includes(a), `${role} got ${a}`).toBe(false);
      }
    }
  });

  it('pages, sorts by a whitelisted key, filters', async () => {
    const p1 = await (await call(app, 'GET', `/api/tickets/late?month=${MONTH}&page_size=3&sort=-minutes_late`, { as: as.supervisor })).json();
    const p2 = await (await call(app, 'GET', `/api/tickets/late?month=${MONTH}&page_size=3&page=2&sort=-minutes_late`, { as: as.supervisor })).json();
    expect(p1.rows).toHaveLength(3);
    const minutes = [...p1.rows, ...p2.rows].map((r: { minutes_late: number }) => r.minutes_late);
    expect(minutes).toEqual([...minutes].sort((a, b) => b - a));
    expect(p2.rows[0].ticket_id).not.toBe(p1.rows[0].ticket_id);
    const asc = await (await call(app, 'GET', `/api/tickets/late?month=${MONTH}&page_size=5&sort=reported_at&team=T02`, { as: as.supervisor })).json();
    const times = asc.rows.map((r: { reported_at: string }) => r.reported_at);
    expect(times).toEqual([...times].sort());
    expect(asc.rows.every((r: { team_id: string }) => r.team_id === 'T02')).toBe(true);
    expect((await call(app, 'GET', `/api/tickets/late?month=${MONTH}&page_size=501`, { as: as.supervisor })).status).toBe(400);
    expect((await call(app, 'GET', `/api/tickets/late?month=${MONTH}&sort=customer_name`, { as: as.supervisor })).status).toBe(400);
    const far = await (await call(app, 'GET', `/api/tickets/late?month=${MONTH}&page=9999`, { as: as.supervisor })).json();
    expect(far.rows).toEqual([]);
    expect(far.total).toBe(p1.total);
  });
});

describe('month close and reopen', () => {
  it('hr closes, the assessment is frozen, only admin reopens and needs a reason', async () => {
    const m = '2025-04';
    const closed = await call(app, 'POST', `/api/months/${m}/close`, { as: as.hr });
    const body = await closed.json();
    expect(closed.status, JSON.stringify(body)).toBe(200);
    expect(body.closed_by).toBe(USERS.hr);
    const a = await (await call(app, 'GET', `/api/assessment?month=${m}`, { as: as.hr })).json();
    expect(a.closed.by).toBe(USERS.hr);
    const again = await call(app, 'POST', `/api/months/${m}/close`, { as: as.admin });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('already_closed');
    expect((await call(app, 'POST', `/api/months/${m}/reopen`, { as: as.hr, body: { reason: 'x' } })).status).toBe(403);
    const noReason = await call(app, 'POST', `/api/months/${m}/reopen`, { as: as.admin, body: { reason: '  ' } });
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).error.code).toBe('reason_required');
    const reopened = await call(app, 'POST', `/api/months/${m}/reopen`, { as: as.admin, body: { reason: '补录反馈表' } });
    expect(reopened.status).toBe(200);
    expect((await reopened.json()).reopen_reason).toBe('补录反馈表');
    expect((await call(app, 'POST', '/api/months/2025-4/close', { as: as.hr })).status).toBe(400);
  });
});

describe('OpenAPI', () => {
  it('describes exactly the registered routes', async () => {
    const res = await call(app, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toMatch(/^3\.1/);
    const described = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(described.sort()).toEqual(apiRoutes(app).sort());
    // Each operation says who may call it, and declares its query parameters.
    expect(doc.paths['/api/tickets/late'].get['x-roles']).toEqual([...ROLES]);
    expect(doc.paths['/api/months/{month}/reopen'].post['x-roles']).toEqual(['admin']);
    const names = doc.paths['/api/tickets/late'].get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['month', 'team', 'page', 'page_size', 'sort']));
    // The upload is described as what it is: multipart with one binary `file` field.
    const upload = doc.paths['/api/uploads'].post.requestBody.content;
    expect(Object.keys(upload)).toEqual(['multipart/form-data']);
    expect(upload['multipart/form-data'].schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(Object.keys(doc.paths['/api/allocation'].put.requestBody.content)).toEqual(['application/json']);
  });
});
