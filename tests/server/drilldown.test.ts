/**
 * Breakdowns and drill-downs: /api/breakdown, /api/forms, /api/complaints, /api/records/:kind/:id
 * against a generated warehouse — the role matrix, figures against direct SQL on the facts and
 * marts, paging and sorting, masking per role, manager scoping, hostile filter values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../server/roles.ts';
import type { TempWarehouse } from '../helpers.ts';
import { buildWarehouse, call, makeApp, MANAGER_TEAM, MONTH, signIn, USERS, type Signed, type TestApp, signInAll } from './fixture.ts';

let t: TempWarehouse;
let app: TestApp;
let as: Record<Role, Signed>;
const M1 = `${MONTH}-01`;

/** A record id of the manager's team and one of another team, per kind. */
const ids = {} as Record<'tickets' | 'feedback' | 'complaints', { own: string; other: string }>;

beforeAll(async () => {
  t = await buildWarehouse();
  app = makeApp(t);
  as = await signInAll(app);
  const pick = async (sql: string) => {
    const own = (await t.wh.one<{ id: string }>(`${sql} AND team_id = $1 ORDER BY 1 LIMIT 1`, [MANAGER_TEAM]))!.id;
    const other = (await t.wh.one<{ id: string }>(`${sql} AND team_id <> $1 ORDER BY 1 LIMIT 1`, [MANAGER_TEAM]))!.id;
    return { own, other };
  };
  ids.tickets = await pick(`SELECT ticket_id AS id FROM tickets WHERE contact_phone IS NOT NULL`);
  ids.feedback = await pick(`SELECT form_id AS id FROM fct_forms WHERE true`);
  ids.complaints = await pick(`SELECT complaint_id AS id FROM fct_complaints WHERE true`);
});
afterAll(() => t.cleanup());

const get = (path: string, role: Role) => call(app, 'GET', path, { as: as[role] });
const json = async (path: string, role: Role) => {
  const res = await get(path, role);
  const text = await res.text();
  expect(res.status, `${path} as ${role}: ${text}`).toBe(200);
  return JSON.parse(text);
};

describe('role matrix', () => {
  it('every role may read breakdowns, lists and records; anonymous 401', async () => {
    const paths = [
      `/api/breakdown?month=${MONTH}&by=team`,
      `/api/breakdown?month=${MONTH}&by=fault_category`,
      `/api/forms?month=${MONTH}&page_size=5`,
      `/api/complaints?month=${MONTH}&page_size=5`,
      ...(['tickets', 'feedback', 'complaints'] as const).map((k) => `/api/records/${k}/${ids[k].own}`),
    ];
    for (const path of paths) {
      for (const role of ROLES) expect((await get(path, role)).status, `${path} as ${role}`).toBe(200);
      const anon = await call(app, 'GET', path);
      expect(anon.status).toBe(401);
    }
  });
});

describe('breakdown figures', () => {
  it('by team / technician / region are kpi_month rows with names', async () => {
    for (const by of ['team', 'region', 'technician'] as const) {
      const body = await json(`/api/breakdown?month=${MONTH}&by=${by}`, 'executive');
      const expected = await t.wh.all<{ scope_id: string; tickets_due: number; timeliness_rate: number | null; complaint_rate: number | null }>(
        `SELECT scope_id, tickets_due, timeliness_rate, complaint_rate FROM kpi_month WHERE month = DATE '${M1}' AND scope = '${by}' ORDER BY scope_id = '', scope_id`,
      );
      expect(expected.length).toBeGreaterThan(1);
      expect(body.rows.map((r: { key: string }) => r.key)).toEqual(expected.map((e) => e.scope_id));
      for (const [i, e] of expected.entries()) {
        expect(body.rows[i].tickets_due).toBe(e.tickets_due);
        expect(body.rows[i].timeliness_rate).toBe(e.timeliness_rate);
        expect(body.rows[i].complaint_rate).toBe(e.complaint_rate);
        expect(typeof body.rows[i].label).toBe('string');
      }
    }
    const teams = await json(`/api/breakdown?month=${MONTH}&by=team`, 'hr');
    const name = (await t.wh.one<{ n: string }>(`SELECT team_name AS n FROM teams WHERE team_id = 'T02'`))!.n;
    expect(teams.rows.find((r: { key: string }) => r.key === 'T02').label).toBe(name);
    // Team rows add up to the company.
    const company = (await t.wh.one<{ n: number }>(`SELECT tickets_due AS n FROM kpi_month WHERE month = DATE '${M1}' AND scope = 'company'`))!.n;
    expect(teams.rows.reduce((s: number, r: { tickets_due: number }) => s + r.tickets_due, 0)).toBe(company);
  });

  it('by fault_category and channel from fct_ticket_sla / fct_jobs; rates null on zero denominators', async () => {
    for (const col of ['fault_category', 'channel'] as const) {
      const body = await json(`/api/breakdown?month=${MONTH}&by=${col}`, 'supervisor');
      const sla = await t.wh.all<{ k: string; due: number; on_time: number; late: number }>(
        `SELECT coalesce(${col}, '') AS k, count(*) FILTER (WHERE status IN ('on_time','late')) AS due,
                count(*) FILTER (WHERE status = 'on_time') AS on_time, count(*) FILTER (WHERE status = 'late') AS late
         FROM fct_ticket_sla WHERE month = DATE '${M1}' GROUP BY 1`,
      );
      const jobs = await t.wh.all<{ k: string; n: number }>(`SELECT coalesce(${col}, '') AS k, count(*) AS n FROM fct_jobs WHERE month = DATE '${M1}' GROUP BY 1`);
      expect(sla.length).toBeGreaterThan(1);
      for (const s of sla) {
        const r = body.rows.find((x: { key: string }) => x.key === s.k);
        expect(r, s.k).toBeDefined();
        expect([r.tickets_due, r.tickets_on_time, r.tickets_late]).toEqual([s.due, s.on_time, s.late]);
        expect(r.timeliness_rate).toBe(s.due === 0 ? null : s.on_time / s.due);
        expect(r.jobs).toBe(jobs.find((j) => j.k === s.k)?.n ?? 0);
      }
      for (const r of body.rows) if (r.tickets_due === 0) expect(r.timeliness_rate).toBeNull();
    }
    const labels = await json(`/api/breakdown?month=${MONTH}&by=fault_category`, 'hr');
    expect(labels.rows.find((r: { key: string }) => r.key === 'body')?.label).toBe('车身');
  });

  it('by complaint_category from fct_complaints', async () => {
    const body = await json(`/api/breakdown?month=${MONTH}&by=complaint_category`, 'admin');
    const exp = await t.wh.all<{ k: string; received: number; attributable: number; due: number; ok: number }>(
      `SELECT coalesce(category, '') AS k, count(*) AS received, count(*) FILTER (WHERE attributable = 'yes') AS attributable,
              count(*) FILTER (WHERE responded_in_time IS NOT NULL) AS due, count(*) FILTER (WHERE responded_in_time) AS ok
       FROM fct_complaints WHERE month = DATE '${M1}' GROUP BY 1`,
    );
    expect(exp.length).toBeGreaterThan(0);
    expect(body.rows).toHaveLength(exp.length);
    for (const e of exp) {
      const r = body.rows.find((x: { key: string }) => x.key === e.k);
      expect([r.complaints_received, r.complaints_attributable]).toEqual([e.received, e.attributable]);
      expect(r.response_rate).toBe(e.due === 0 ? null : e.ok / e.due);
    }
  });

  it('a month without data gives no rows; bad by → 400', async () => {
    expect((await json('/api/breakdown?month=2019-01&by=channel', 'hr')).rows).toEqual([]);
    expect((await get(`/api/breakdown?month=${MONTH}&by=customer_name`, 'hr')).status).toBe(400);
    expect((await get(`/api/breakdown?month=${MONTH}`, 'hr')).status).toBe(400);
    expect((await get(`/api/breakdown?month=${MONTH}&by=region&team=T02`, 'hr')).status).toBe(400);
  });
});

describe('forms list', () => {
  it('low_score, unverified and all match fct_forms; pages and sorts', async () => {
    const n = async (where: string) => (await t.wh.one<{ n: number }>(`SELECT count(*) AS n FROM fct_forms WHERE month = DATE '${M1}' AND ${where}`))!.n;
    const low = await json(`/api/forms?month=${MONTH}&page_size=500`, 'supervisor');
    expect(low.filter).toBe('low_score');
    expect(low.total).toBe(await n('counted AND score <= 2'));
    expect(low.rows.every((r: { score: number; counted: boolean }) => r.score <= 2 && r.counted)).toBe(true);
    const scores = low.rows.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect((await json(`/api/forms?month=${MONTH}&filter=low_score&max_score=-2&page_size=1`, 'hr')).total).toBe(await n('counted AND score <= -2'));
    const unv = await json(`/api/forms?month=${MONTH}&filter=unverified&page_size=1`, 'supervisor');
    expect(unv.total).toBe(await n('NOT verified'));
    const all = await json(`/api/forms?month=${MONTH}&filter=all&page_size=4&sort=-submitted_at`, 'supervisor');
    expect(all.total).toBe(await n('true'));
    const p2 = await json(`/api/forms?month=${MONTH}&filter=all&page_size=4&page=2&sort=-submitted_at`, 'supervisor');
    const times = [...all.rows, ...p2.rows].map((r: { submitted_at: string }) => r.submitted_at);
    expect(times).toEqual([...times].sort().reverse());
    expect(new Set([...all.rows, ...p2.rows].map((r: { form_id: string }) => r.form_id)).size).toBe(8);
    expect((await get(`/api/forms?month=${MONTH}&page_size=501`, 'hr')).status).toBe(400);
    expect((await get(`/api/forms?month=${MONTH}&sort=contact_phone`, 'hr')).status).toBe(400);
    expect((await get(`/api/forms?month=${MONTH}&filter=all&max_score=1`, 'hr')).status).toBe(400);
  });
});

describe('complaints list', () => {
  it('filters by category and attributable, sorts, pages', async () => {
    const all = await json(`/api/complaints?month=${MONTH}&page_size=500`, 'admin');
    const n = (await t.wh.one<{ n: number }>(`SELECT count(*) AS n FROM fct_complaints WHERE month = DATE '${M1}'`))!.n;
    expect(all.total).toBe(n);
    const received = all.rows.map((r: { received_at: string }) => r.received_at);
    expect(received).toEqual([...received].sort().reverse());
    const cat = all.rows[0].category as string;
    const yes = await json(`/api/complaints?month=${MONTH}&category=${cat}&attributable=yes&page_size=500`, 'admin');
    const m = (await t.wh.one<{ n: number }>(
      `SELECT count(*) AS n FROM fct_complaints WHERE month = DATE '${M1}' AND category = $1 AND attributable = 'yes'`, [cat],
    ))!.n;
    expect(yes.total).toBe(m);
    expect(yes.rows.every((r: { category: string; attributable: string }) => r.category === cat && r.attributable === 'yes')).toBe(true);
    const bySev = await json(`/api/complaints?month=${MONTH}&sort=-severity&page_size=500`, 'admin');
    const rank = { minor: 1, major: 2, severe: 3 } as Record<string, number>;
    const sev = bySev.rows.map((r: { severity: string | null }) => (r.severity ? rank[r.severity]! : 0)).filter((x: number) => x > 0);
    expect(sev).toEqual([...sev].sort((a, b) => b - a));
    expect((await get(`/api/complaints?month=${MONTH}&attributable=maybe`, 'admin')).status).toBe(400);
  });
});

describe('PII masking per role', () => {
  it('no raw phone or address for hr, executive, manager on forms, complaints and records', async () => {
    const phones = (await t.wh.all<{ p: string }>(
      `SELECT contact_phone AS p FROM tickets WHERE contact_phone IS NOT NULL UNION SELECT contact_phone FROM complaints WHERE contact_phone IS NOT NULL`,
    )).map((r) => r.p);
    const addresses = (await t.wh.all<{ a: string }>(`SELECT address AS a FROM tickets WHERE address IS NOT NULL`)).map((r) => r.a);
    const phoneSet = new Set(phones);
    expect(phones.length).toBeGreaterThan(10);
    for (const role of ROLES) {
      for (const path of [
        `/api/forms?month=${MONTH}&filter=all&page_size=200`,
        `/api/complaints?month=${MONTH}&page_size=200`,
        `/api/records/tickets/${ids.tickets.own}`,
        `/api/records/complaints/${ids.complaints.own}`,
      ]) {
        const res = await get(path, role);
        expect(res.status).toBe(200);
        const text = await res.text();
        const body = JSON.parse(text);
        const rows: { contact_phone?: string | null }[] = body.rows ?? [body.current];
        const withPhone = rows.filter((r) => r.contact_phone);
        expect(withPhone.length, `${path} has phones`).toBeGreaterThan(0);
        if (role === 'supervisor' || role === 'admin') {
          expect(body.pii_masked).toBe(false);
          expect(withPhone.some((r) => phoneSet.has(r.contact_phone!))).toBe(true);
        } else {
          expect(body.pii_masked).toBe(true);
          expect(withPhone.every((r) => /\*{4}/.test(r.contact_phone!)), `${role} ${path}`).toBe(true);
          const found = [...text.matchAll(/1\d{10}/g)].map((m) => m[0]).filter((p) => phoneSet.has(p));
          expect(found, `${role} got raw phones on ${path}`).toEqual([]);
          for (const a of addresses) if (text.includes(a)) expect.fail(`${role} got address ${a} on ${path}`);
          expect(text).not.toContain('"extra"');
        }
      }
    }
  });
});

describe('manager scoping', () => {
  it('breakdowns: own team only; another team or a region → 403', async () => {
    const teams = await json(`/api/breakdown?month=${MONTH}&by=team`, 'manager');
    expect(teams.rows.map((r: { key: string }) => r.key)).toEqual([MANAGER_TEAM]);
    const techs = await json(`/api/breakdown?month=${MONTH}&by=technician`, 'manager');
    expect(techs.rows.length).toBeGreaterThan(0);
    expect(techs.rows.every((r: { team_id: string }) => r.team_id === MANAGER_TEAM)).toBe(true);
    const fault = await json(`/api/breakdown?month=${MONTH}&by=fault_category`, 'manager');
    const due = (await t.wh.one<{ n: number }>(
      `SELECT count(*) FILTER (WHERE status IN ('on_time','late')) AS n FROM fct_ticket_sla WHERE month = DATE '${M1}' AND team_id = $1`, [MANAGER_TEAM],
    ))!.n;
    expect(fault.rows.reduce((s: number, r: { tickets_due: number }) => s + r.tickets_due, 0)).toBe(due);
    for (const path of [
      `/api/breakdown?month=${MONTH}&by=region`,
      `/api/breakdown?month=${MONTH}&by=team&team=T02`,
      `/api/forms?month=${MONTH}&team=T02`,
      `/api/complaints?month=${MONTH}&team=T02`,
    ]) {
      const res = await get(path, 'manager');
      expect(res.status, path).toBe(403);
      expect((await res.json()).error.code).toBe('other_team');
    }
  });

  it('lists are filtered to the team', async () => {
    const forms = await json(`/api/forms?month=${MONTH}&filter=all&page_size=500`, 'manager');
    const nf = (await t.wh.one<{ n: number }>(`SELECT count(*) AS n FROM fct_forms WHERE month = DATE '${M1}' AND team_id = $1`, [MANAGER_TEAM]))!.n;
    expect(forms.total).toBe(nf);
    expect(forms.rows.every((r: { team_id: string }) => r.team_id === MANAGER_TEAM)).toBe(true);
    const comp = await json(`/api/complaints?month=${MONTH}&page_size=500`, 'manager');
    const nc = (await t.wh.one<{ n: number }>(`SELECT count(*) AS n FROM fct_complaints WHERE month = DATE '${M1}' AND team_id = $1`, [MANAGER_TEAM]))!.n;
    expect(comp.total).toBe(nc);
    expect(comp.rows.every((r: { team_id: string }) => r.team_id === MANAGER_TEAM)).toBe(true);
  });

  it("another team's record is 404 for a manager, 200 for others", async () => {
    for (const k of ['tickets', 'feedback', 'complaints'] as const) {
      const path = `/api/records/${k}/${ids[k].other}`;
      const res = await get(path, 'manager');
      expect(res.status, path).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
      expect((await get(path, 'hr')).status).toBe(200);
    }
  });
});

describe('records', () => {
  it('current record with its history (oldest first) and batches', async () => {
    // Give a ticket a history: move a copy of its current version to tickets_history as if a later
    // batch had updated it.
    const id = ids.tickets.own;
    const cur = (await t.wh.one<{ batch_id: number }>(`SELECT batch_id FROM tickets WHERE ticket_id = $1`, [id]))!;
    await t.wh.run(`INSERT INTO tickets_history SELECT *, batch_id, 'updated' FROM tickets WHERE ticket_id = $1`, [id]);
    try {
      const body = await json(`/api/records/tickets/${id}`, 'supervisor');
      expect(body.kind).toBe('tickets');
      expect(body.current.ticket_id).toBe(id);
      expect(body.team_id).toBe(MANAGER_TEAM);
      expect(body.history).toHaveLength(1);
      expect(body.history[0].change).toBe('updated');
      expect(body.batches.map((b: { batch_id: number }) => b.batch_id)).toContain(cur.batch_id);
      expect(body.batches[0].file_name).toBeTruthy();
      const masked = await json(`/api/records/tickets/${id}`, 'executive');
      expect(masked.history[0].contact_phone).toBe(masked.current.contact_phone);
      expect(masked.current.contact_phone).toMatch(/\*{4}/);
    } finally {
      await t.wh.run(`DELETE FROM tickets_history WHERE ticket_id = $1`, [id]);
    }
    const f = await json(`/api/records/feedback/${ids.feedback.own}`, 'manager');
    expect(f.current.form_id).toBe(ids.feedback.own);
    expect(f.history).toEqual([]);
    expect((await get('/api/records/tickets/NO_SUCH_TICKET', 'admin')).status).toBe(404);
    expect((await get(`/api/records/users/${ids.tickets.own}`, 'admin')).status).toBe(400);
  });
});

describe('hostile filter values', () => {
  it("SQL and HTML in filters → 400 (never 500, never echoed)", async () => {
    const evil = encodeURIComponent("' OR 1=1 --<script>");
    for (const path of [
      `/api/breakdown?month=${MONTH}&by=${evil}`,
      `/api/breakdown?month=${MONTH}&by=team&team=${evil}`,
      `/api/forms?month=${MONTH}&technician=${evil}`,
      `/api/forms?month=${MONTH}&sort=${evil}`,
      `/api/forms?month=${MONTH}&max_score=${evil}`,
      `/api/complaints?month=${MONTH}&category=${evil}`,
      `/api/complaints?month=${MONTH}&attributable=${evil}`,
      `/api/complaints?month=${evil}`,
      `/api/records/tickets/${evil}`,
      `/api/records/${evil}/T1`,
    ]) {
      for (const role of ['admin', 'manager'] as const) {
        const res = await get(path, role);
        const text = await res.text();
        expect([400, 404], `${path}: ${res.status} ${text}`).toContain(res.status);
        expect(text).not.toContain('<script>');
        expect(text).not.toContain('1=1');
      }
    }
  });
});
