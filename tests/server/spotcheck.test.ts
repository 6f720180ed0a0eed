/**
 * Spot checks against a real warehouse built from generated data: the queue is a reproducible
 * sample whose size follows the policy rate (one team-week checked by hand), only supervision may
 * use it, and a recorded verification is stored as a batch, audited, and moves the KPIs
 * (fraudulent removes the form, corrected changes its score).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../pipelines/assessment/audit.ts';
import { getKpi } from '../../pipelines/reads/kpi.ts';
import { isoWeekLabel, isoWeekMonday } from '../../pipelines/spotcheck/queue.ts';
import { chinaTimestamp } from '../../pipelines/spotcheck/verify.ts';
import { ROLES, type Role } from '../../server/roles.ts';
import type { TempWarehouse } from '../helpers.ts';
import { buildWarehouse, call, makeApp, MONTH, signIn, USERS, type Signed, type TestApp, signInAll } from './fixture.ts';

let t: TempWarehouse;
let app: TestApp;
let as: Record<Role, Signed>;
const WEEK = '2025-W19'; // Monday 2025-05-05 … Sunday 2025-05-11, all in MONTH

beforeAll(async () => {
  t = await buildWarehouse();
  app = makeApp(t);
  as = await signInAll(app);
});
afterAll(() => t.cleanup());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = any;

async function queue(qs: string, who: Role = 'supervisor'): Promise<Row> {
  const res = await call(app, 'GET', `/api/spotchecks?${qs}`, { as: as[who] });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

describe('ISO weeks', () => {
  it('parses and labels weeks', () => {
    expect(isoWeekMonday('2025-W19')).toBe('2025-05-05');
    expect(isoWeekMonday('2025-W01')).toBe('2024-12-30');
    expect(isoWeekMonday('2020-W53')).toBe('2020-12-28');
    expect(() => isoWeekMonday('2025-W53')).toThrow(/no ISO week/);
    expect(() => isoWeekMonday('2025-W00')).toThrow(/no ISO week/);
    expect(isoWeekLabel(new Date('2021-01-03T00:00:00Z'))).toBe('2020-W53');
    expect(chinaTimestamp(new Date('2025-05-31T20:00:00.123Z'))).toBe('2025-06-01 04:00:00.123');
  });
});

describe('GET /api/spotchecks', () => {
  it('is a reproducible sample whose size follows the policy rate (one team-week by hand)', async () => {
    const a = await queue(`week=${WEEK}`);
    const b = await queue(`week=${WEEK}`);
    expect(b).toEqual(a);
    expect(a.rows.length).toBeGreaterThan(0);
    expect(a.groups.length).toBeGreaterThan(1);

    const g = a.groups.find((x: Row) => x.team_id === 'T02');
    expect(g).toBeDefined();
    // By hand: the forms of jobs T02 completed Monday 2025-05-05 … Sunday 2025-05-11.
    const { n } = (await t.wh.one<{ n: number }>(
      `SELECT count(*) AS n FROM feedback f JOIN tickets tk USING (ticket_id) JOIN fct_jobs j USING (ticket_id)
       WHERE j.team_id = 'T02' AND tk.completed_at >= TIMESTAMP '2025-05-05' AND tk.completed_at < TIMESTAMP '2025-05-12'`,
    ))!;
    const rate = (await t.wh.one<{ r: number }>(`SELECT spot_check_rate AS r FROM policy_for_month WHERE month = DATE '2025-05-01'`))!.r;
    expect(rate).toBe(0.05);
    expect(g.forms).toBe(n);
    expect(g.spot_check_rate).toBe(rate);
    expect(g.sample_size).toBe(Math.ceil(Math.round(rate * n * 1e9) / 1e9));
    const t02 = a.rows.filter((r: Row) => r.team_id === 'T02');
    expect(t02.length).toBe(g.sample_size);
    for (const r of t02) {
      expect(r.week).toBe(WEEK);
      expect(r.completed_at >= '2025-05-05' && r.completed_at < '2025-05-12').toBe(true);
    }
    // Every group is sampled to its size.
    for (const x of a.groups) expect(a.rows.filter((r: Row) => r.team_id === x.team_id).length).toBe(x.sample_size);

    // The contact phone is the ticket's, unmasked.
    const r0 = a.rows[0];
    const tk = await t.wh.one<{ contact_phone: string | null; customer_name: string }>('SELECT contact_phone, customer_name FROM tickets WHERE ticket_id = $1', [r0.ticket_id]);
    expect(r0.contact_phone).toBe(tk!.contact_phone);
    expect(r0.customer_name).toBe(tk!.customer_name);
    for (const k of ['form_id', 'ticket_id', 'team_id', 'technician_id', 'technician_name', 'score', 'timeliness', 'quality', 'attitude', 'submitted_at', 'verification_outcome']) {
      expect(r0).toHaveProperty(k);
    }

    // Team filter and month mode give the same sample for that week.
    const only = await queue(`week=${WEEK}&team=T02`);
    expect(only.rows).toEqual(t02);
    const month = await queue(`month=${MONTH}`);
    expect(month.rows.filter((r: Row) => r.week === WEEK)).toEqual(a.rows);
    expect(new Set(month.rows.map((r: Row) => r.week))).toEqual(new Set(['2025-W18', '2025-W19', '2025-W20', '2025-W21', '2025-W22']));
  });

  it('refuses bad parameters and non-supervision roles', async () => {
    for (const qs of ['', `week=${WEEK}&month=${MONTH}`, 'week=2025-19', 'week=2025-W54', `week=${WEEK}&team=x' OR 1=1`]) {
      const res = await call(app, 'GET', `/api/spotchecks?${encodeURI(qs)}`, { as: as.admin });
      expect(res.status, qs).toBe(400);
    }
    for (const role of ['manager', 'hr', 'executive'] as const) {
      expect((await call(app, 'GET', `/api/spotchecks?week=${WEEK}`, { as: as[role] })).status).toBe(403);
    }
  });
});

describe('POST /api/verifications', () => {
  async function unverifiedCounted(nonZeroScore = false): Promise<Row> {
    const q = await queue(`month=${MONTH}`);
    const r = q.rows.find((x: Row) => x.job_month === MONTH && x.counted && x.verification_outcome === null && (!nonZeroScore || x.score !== 0));
    expect(r).toBeDefined();
    return r;
  }

  it('fraudulent removes the form from the counted forms and the KPI; stored as a batch and audited; the sample stays', async () => {
    const before = await queue(`month=${MONTH}`);
    const form = await unverifiedCounted(true);
    const k0 = await getKpi(t.wh, MONTH);
    const kt0 = await getKpi(t.wh, MONTH, { scope: 'team', id: form.team_id });

    const res = await call(app, 'POST', '/api/verifications', { as: as.supervisor, body: { form_id: form.form_id, outcome: 'fraudulent', note: '客户称未填写' } });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json();
    expect(body.verification).toMatchObject({ form_id: form.form_id, outcome: 'fraudulent', verified_by: USERS.supervisor, line_no: 1, note: '客户称未填写' });
    expect(body.form).toMatchObject({ form_id: form.form_id, month: MONTH, counted: false, verification_outcome: 'fraudulent' });
    expect(body.refreshed_months).toContain(MONTH);

    const k1 = await getKpi(t.wh, MONTH);
    expect(k1.feedback.forms).toBe(k0.feedback.forms - 1);
    expect(form.score).not.toBe(0);
    expect(k1.feedback.total_score).toBe(k0.feedback.total_score - form.score);
    const kt1 = await getKpi(t.wh, MONTH, { scope: 'team', id: form.team_id });
    expect(kt1.feedback.forms).toBe(kt0.feedback.forms - 1);

    // Stored like an ingested verification: a committed one-row batch of kind verifications.
    const v = await t.wh.one<Row>('SELECT verified_by, outcome, batch_id, line_no, note FROM verifications WHERE form_id = $1 AND batch_id = $2', [form.form_id, body.batch_id]);
    expect(v).toMatchObject({ verified_by: USERS.supervisor, outcome: 'fraudulent', line_no: 1 });
    const b = await t.wh.one<Row>('SELECT kind, uploaded_by, status, rows_read, inserted, length(sha256) AS sha_len FROM batches WHERE batch_id = $1', [body.batch_id]);
    expect(b).toMatchObject({ kind: 'verifications', uploaded_by: USERS.supervisor, status: 'committed', rows_read: 1, inserted: 1, sha_len: 64 });
    const audit = await listAudit(t.wh, { action: 'verification', target: form.form_id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: USERS.supervisor, detail: { outcome: 'fraudulent', batch_id: body.batch_id } });

    // The sample does not shift; the form now shows its outcome.
    const after = await queue(`month=${MONTH}`);
    expect(after.rows.map((r: Row) => r.form_id)).toEqual(before.rows.map((r: Row) => r.form_id));
    expect(after.rows.find((r: Row) => r.form_id === form.form_id)).toMatchObject({ verification_outcome: 'fraudulent', verified_by: USERS.supervisor, counted: false });
  });

  it('corrected replaces the grades and changes the score and the KPI', async () => {
    const form = await unverifiedCounted();
    const k0 = await getKpi(t.wh, MONTH);
    const res = await call(app, 'POST', '/api/verifications', {
      as: as.admin, body: { form_id: form.form_id, outcome: 'corrected', timeliness: 'E', quality: 'E', attitude: 'E' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json();
    expect(body.form).toMatchObject({ counted: true, score: -6, timeliness: 'E', quality: 'E', attitude: 'E', verification_outcome: 'corrected' });
    const k1 = await getKpi(t.wh, MONTH);
    expect(k1.feedback.forms).toBe(k0.feedback.forms);
    expect(k1.feedback.total_score).toBe(k0.feedback.total_score - form.score - 6);
  });

  it('validates: unknown form 404, corrected without grades 400 with the reason, bad values 400', async () => {
    const form = await unverifiedCounted();
    const count = async () => (await t.wh.one<{ n: number }>('SELECT count(*) AS n FROM verifications'))!.n;
    const n0 = await count();
    const post = (body: unknown) => call(app, 'POST', '/api/verifications', { as: as.supervisor, body });

    const unknown = await post({ form_id: 'NO-SUCH-FORM', outcome: 'confirmed' });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('not_found');

    const noGrades = await post({ form_id: form.form_id, outcome: 'corrected', timeliness: 'A' });
    expect(noGrades.status).toBe(400);
    const e = (await noGrades.json()).error;
    expect(e.code).toBe('grades_required');
    expect(e.message).toContain('quality, attitude missing');

    for (const [body, code] of [
      [{ form_id: form.form_id, outcome: 'maybe' }, 'bad_body'],
      [{ outcome: 'confirmed' }, 'bad_body'],
      [{ form_id: form.form_id, outcome: 'corrected', timeliness: 'F', quality: 'A', attitude: 'A' }, 'bad_grade'],
      [{ form_id: form.form_id, outcome: 'confirmed', quality: 'A' }, 'grades_not_allowed'],
      [{ form_id: form.form_id, outcome: 'confirmed', verified_by: 'someone-else' }, 'bad_body'],
      ['{not json', 'malformed_json'],
    ] as const) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.code).toBe(code);
    }
    expect(await count()).toBe(n0);
  });

  it('needs the CSRF token and a supervision role; nothing is recorded when refused', async () => {
    const form = await unverifiedCounted();
    const count = async () => (await t.wh.one<{ n: number }>('SELECT count(*) AS n FROM verifications WHERE form_id = $1', [form.form_id]))!.n;
    const body = { form_id: form.form_id, outcome: 'confirmed' };
    const noToken = await call(app, 'POST', '/api/verifications', { as: as.supervisor, body, csrf: null });
    expect(noToken.status).toBe(403);
    expect((await noToken.json()).error.code).toBe('csrf');
    const wrong = await call(app, 'POST', '/api/verifications', { as: as.supervisor, body, csrf: as.admin.csrf });
    expect(wrong.status).toBe(403);
    for (const role of ['manager', 'hr', 'executive'] as const) {
      const res = await call(app, 'POST', '/api/verifications', { as: as[role], body });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('forbidden');
    }
    expect(await count()).toBe(0);
    expect(await listAudit(t.wh, { action: 'verification', target: form.form_id })).toHaveLength(0);
  });
});
