/**
 * Money and forged forms over HTTP (issue 10 items 4–5) on the hand-built warehouse of
 * tests/models/money-fixture.ts: GET /api/money, the fee-anomaly and forged-form lists and their
 * exports, the bonus sheet's HR flag — who may ask (executives get no forged-form list), a
 * manager's team, and the technician's phone (PII, SPEC §2.2) masked like a customer's for hr,
 * executive and manager.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { moneyBreakdown } from '../../pipelines/reads/money.ts';
import { createUser } from '../../server/auth.ts';
import { ROLES, type Role } from '../../server/roles.ts';
import type { TempWarehouse } from '../helpers.ts';
import { load, moneyWarehouse, VERIFICATIONS_FIRST, VERIFICATIONS_LATER } from '../models/money-fixture.ts';
import { call, FAST_SCRYPT, makeApp, PASSWORD, signIn, type ApiResponse, type Signed, type TestApp } from './fixture.ts';

let t: TempWarehouse;
let app: TestApp;
const as = {} as Record<Role, Signed>;
/** The manager of T1. */
const USERS: Record<Role, string> = { supervisor: 'sup1', hr: 'hr1', executive: 'exec1', manager: 'mgr1', admin: 'admin1' };

beforeAll(async () => {
  t = await moneyWarehouse();
  await load(t, 'verifications', VERIFICATIONS_FIRST, 'v1.csv');
  await load(t, 'verifications', VERIFICATIONS_LATER, 'v2.csv');
  await refreshModels(t.wh);
  for (const role of ROLES) await createUser(t.wh, { username: USERS[role], role, team_id: role === 'manager' ? 'T1' : null, password: PASSWORD }, FAST_SCRYPT);
  app = makeApp(t);
  for (const role of ROLES) as[role] = await signIn(app, USERS[role]);
});
afterAll(() => t.cleanup());

const get = (path: string, role: Role) => call(app, 'GET', path, { as: as[role] });
async function ok(res: ApiResponse) {
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}
const MASKED: readonly Role[] = ['hr', 'executive', 'manager'];

describe('GET /api/money', () => {
  it('serves moneyBreakdown by service type, customer type, team and technician', async () => {
    for (const by of ['service_type', 'customer_type', 'region', 'team', 'technician'] as const) {
      expect(await ok(await get(`/api/money?month=2025-05&by=${by}`, 'executive'))).toEqual(JSON.parse(JSON.stringify(await moneyBreakdown(t.wh, '2025-05', by, null))));
    }
    const free = (await ok(await get('/api/money?month=2025-05&by=service_type', 'hr'))).rows.find((r: { key: string }) => r.key === 'free');
    // K1, K3, K6: parts 110, labour 120, travel 70; fees 130; anomalies K1 (80) and K3 (50)
    expect(free).toMatchObject({ label: '免费服务', jobs: 3, parts_cost: 110, labor_cost: 120, travel_cost: 70, cost_total: 300, fee_charged: 130, fee_minus_cost: -170, fee_anomalies: 2, fee_anomaly_amount: 130 });
  });

  it('a manager: own team only; no region breakdown', async () => {
    const mine = await ok(await get('/api/money?month=2025-05&by=team', 'manager'));
    expect(mine.team).toBe('T1');
    expect(mine.rows.map((r: { key: string }) => r.key)).toEqual(['T1']);
    expect(mine.total).toMatchObject({ jobs: 4, fee_anomalies: 3, forged_forms: 1 });
    expect((await ok(await get('/api/money?month=2025-05&by=technician', 'manager'))).rows.map((r: { key: string }) => r.key)).toEqual(['E1', 'E2']);
    expect((await get('/api/money?month=2025-05&by=team&team=T2', 'manager')).status).toBe(403);
    expect((await get('/api/money?month=2025-05&by=region', 'manager')).status).toBe(403);
  });
});

describe('GET /api/fee-anomalies', () => {
  it('lists the jobs for supervision with the customer and the technician in full', async () => {
    const page = await ok(await get('/api/fee-anomalies?month=2025-05', 'supervisor'));
    expect(page).toMatchObject({ month: '2025-05', reason: null, total: 3, sort: '-fee_charged', pii_masked: false });
    expect(page.rows.map((r: { ticket_id: string; reasons: string[] }) => [r.ticket_id, r.reasons])).toEqual([
      ['K2', ['in_warranty']], ['K1', ['free_service', 'in_warranty']], ['K3', ['free_service']],
    ]);
    expect(page.rows[0]).toMatchObject({ technician_phone: '13812345678', contact_phone: '13912345678', address: '上海市浦东新区张江路1号', customer_name: '宋子豪' });
    expect(page.rows[2]).toMatchObject({ technician_id: 'E2', technician_phone: null }); // E2 has no phone
    const free = await ok(await get('/api/fee-anomalies?month=2025-05&reason=free_service&sort=ticket_id', 'admin'));
    expect(free.rows.map((r: { ticket_id: string }) => r.ticket_id)).toEqual(['K1', 'K3']);
  });

  it('masks the technician\'s phone like the customer\'s for hr, executive and manager', async () => {
    for (const role of MASKED) {
      const page = await ok(await get('/api/fee-anomalies?month=2025-05&sort=ticket_id', role));
      expect(page.pii_masked, role).toBe(true);
      expect(page.rows[0], role).toMatchObject({
        ticket_id: 'K1', technician_phone: '138****5678', contact_phone: '139****5678', address: '上海市浦东新区***', customer_name: '宋**',
      });
    }
  });

  it('a manager sees their own team only', async () => {
    expect((await ok(await get('/api/fee-anomalies?month=2025-05', 'manager'))).total).toBe(3); // all three are T1's
    expect((await get('/api/fee-anomalies?month=2025-05&team=T2', 'manager')).status).toBe(403);
  });
});

describe('forged forms: the HR flag and its list', () => {
  it('the bonus sheet flags the person with the form ids, and the form opens', async () => {
    const a = await ok(await get('/api/assessment?month=2025-05', 'hr'));
    expect(a.people.map((p: { technician_id: string; forged_form_penalty: number; forged_forms: number; forged_form_ids: string[]; total: number }) =>
      [p.technician_id, p.forged_form_penalty, p.forged_forms, p.forged_form_ids, p.total])).toEqual([
      ['E1', -1000, 1, ['F1'], -1000],
      ['E3', -1000, 1, ['F3'], -1000],
    ]);
    const form = await ok(await get('/api/records/feedback/F1', 'hr'));
    expect(form.current).toMatchObject({ form_id: 'F1', ticket_id: 'K10' });
  });

  it('GET /api/forged-forms: by the verification month, phones masked for hr and manager, a manager\'s team only, no executive', async () => {
    const sup = await ok(await get('/api/forged-forms?month=2025-05&sort=form_id', 'supervisor'));
    expect(sup.rows.map((r: Record<string, unknown>) => [r.form_id, r.ticket_id, r.job_month, r.technician_id, r.technician_phone, r.verified_at, r.findings, r.penalty])).toEqual([
      ['F1', 'K10', '2025-04', 'E1', '13812345678', '2025-05-03 10:00:00', 1, -1000],
      ['F3', 'K5', '2025-05', 'E3', '15900001111', '2025-05-20 10:00:00', 2, -1000],
    ]);
    const hr = await ok(await get('/api/forged-forms?month=2025-05&sort=form_id', 'hr'));
    expect(hr.pii_masked).toBe(true);
    expect(hr.rows.map((r: Record<string, unknown>) => [r.form_id, r.technician_phone, r.contact_phone, r.customer_name])).toEqual([
      ['F1', '138****5678', '139****5678', '宋**'],
      ['F3', '159****1111', '139****5678', '宋**'],
    ]);
    const mgr = await ok(await get('/api/forged-forms?month=2025-05', 'manager'));
    expect(mgr.rows.map((r: Record<string, unknown>) => [r.form_id, r.technician_phone])).toEqual([['F1', '138****5678']]);
    expect((await get('/api/forged-forms?month=2025-05&team=T2', 'manager')).status).toBe(403);
    expect((await get('/api/forged-forms?month=2025-05', 'executive')).status).toBe(403);
    // April: F2's finding was lifted by its May re-check
    expect((await ok(await get('/api/forged-forms?month=2025-04', 'hr'))).total).toBe(0);
  });
});

/** CSV rows (caption line first), BOM and CRLF stripped; the fixture's values hold no commas or quotes. */
async function csvRows(res: ApiResponse): Promise<string[][]> {
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.text()).replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '').map((l) => l.split(','));
}

describe('exports', () => {
  it('fee anomalies as CSV: the list\'s rows, reasons in words, phones masked for hr', async () => {
    const rows = await csvRows(await get('/api/exports/fee-anomalies?month=2025-05&format=csv', 'hr'));
    expect(rows[0]![0]).toContain('已脱敏');
    const head = rows[1]!;
    const col = (h: string) => head.indexOf(h);
    expect(rows.slice(2).map((r) => [r[col('工单号')], r[col('收费金额')], r[col('疑点')], r[col('服务人员手机')], r[col('联系电话')]])).toEqual([
      ['K2', '300', '保内收费', '138****5678', '139****5678'],
      ['K1', '80', '免费服务收费、保内收费', '138****5678', '139****5678'],
      ['K3', '50', '免费服务收费', '', '139****5678'],
    ]);
  });

  it('forged forms as CSV: a manager\'s team, masked; executives refused', async () => {
    const rows = await csvRows(await get('/api/exports/forged-forms?month=2025-05&format=csv', 'manager'));
    const head = rows[1]!;
    expect(rows.slice(2).map((r) => [r[head.indexOf('表单编号')], r[head.indexOf('工号')], r[head.indexOf('服务人员手机')], r[head.indexOf('扣款')]])).toEqual([
      ['F1', 'E1', '138****5678', '-1000'],
    ]);
    const sup = await csvRows(await get('/api/exports/forged-forms?month=2025-05&format=csv', 'supervisor'));
    // newest finding first: F3 (20 May, E3), F1 (3 May, E1)
    expect(sup.slice(2).map((r) => r[sup[1]!.indexOf('服务人员手机')])).toEqual(['15900001111', '13812345678']);
    expect((await get('/api/exports/forged-forms?month=2025-05', 'executive')).status).toBe(403);
  });

  it('the bonus sheet carries the forged-form penalty and the HR flag', async () => {
    const rows = await csvRows(await get('/api/exports/bonus-sheet?month=2025-05&format=csv', 'hr'));
    const head = rows[1]!;
    const e1 = rows.find((r) => r[0] === 'E1')!;
    expect([e1[head.indexOf('伪造反馈表扣款')], e1[head.indexOf('合计')], e1[head.indexOf('伪造反馈表')], e1[head.indexOf('伪造反馈表编号')]]).toEqual(['-1000', '-1000', '1', 'F1']);
    const totals = rows.at(-1)!;
    expect([totals[head.indexOf('伪造反馈表扣款')], totals[head.indexOf('伪造反馈表')]]).toEqual(['-2000', '2']);
  });
});
