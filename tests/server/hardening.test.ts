/**
 * Issue 11 hardening, through the API on a generated warehouse: PII inside free text and long
 * personal customer names masked for hr, executive and manager in JSON and CSV exports (item 3);
 * /api/trend/teams month range (item 14); allocation amounts (item 10); demo data only in an
 * empty warehouse (item 5).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoData, isEmptyWarehouse } from '../../pipelines/demo.ts';
import { generate } from '../../pipelines/generate/generate.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { ensureInitialUsers } from '../../server/users.ts';
import { ROLES, type Role } from '../../server/roles.ts';
import { tempWarehouse, type TempWarehouse } from '../helpers.ts';
import { buildWarehouse, call, makeApp, MANAGER_TEAM, MONTH, signInAll, type Signed, type TestApp } from './fixture.ts';

let t: TempWarehouse;
let app: TestApp;
let as: Record<Role, Signed>;
let complaintId: string;

/** Free text holding every PII pattern maskFreeText knows, and what hr/executive/manager must not see of it. */
const DESCRIPTION = '客户手机139.1234.5678，备用１３９１２３４５６７８，座机021-62345678，邮箱zhangwei@qq.com，地址上海市浦东新区张江路88号3室';
const RESOLUTION = '已回电 139 1234 5678，上门至3号楼2单元1201室';
const SECRETS = ['1234.5678', '１２３４', '62345678', 'zhangwei@', '张江路', '88号', '1201', '1234 5678', 'Zhang Wei'];
const LONG_NAME = 'Zhang Wei';

beforeAll(async () => {
  t = await buildWarehouse();
  complaintId = (await t.wh.one<{ id: string }>(
    `SELECT complaint_id AS id FROM fct_complaints WHERE team_id = $1 AND strftime(received_at, '%Y-%m') = $2 ORDER BY 1 LIMIT 1`, [MANAGER_TEAM, MONTH],
  ))!.id;
  await t.wh.run(`UPDATE complaints SET description = $1, resolution = $2, customer_name = $3 WHERE complaint_id = $4`, [DESCRIPTION, RESOLUTION, LONG_NAME, complaintId]);
  await refreshModels(t.wh);
  app = makeApp(t);
  as = await signInAll(app);
}, 300_000);
afterAll(() => t.cleanup());

const get = (path: string, role: Role) => call(app, 'GET', path, { as: as[role] });
const NO_PII: Role[] = ['hr', 'executive', 'manager'];
const PII: Role[] = ROLES.filter((r) => !NO_PII.includes(r));

describe('PII in free text and customer names (item 3)', () => {
  it('the record route masks phones, landlines, e-mails and addresses in free text for hr, executive and manager', async () => {
    for (const role of NO_PII) {
      const res = await get(`/api/records/complaints/${complaintId}`, role);
      const text = await res.text();
      expect(res.status, text).toBe(200);
      for (const s of SECRETS) expect(text, `${role}: ${s}`).not.toContain(s);
      const cur = JSON.parse(text).current;
      expect(cur.description).toBe('客户手机139******5678，备用１３９****５６７８，座机021*****5678，邮箱z***@qq.com，地址上海市浦东新区***');
      expect(cur.resolution).toBe('已回电 139******5678，上门至***');
      expect(cur.customer_name).toBe('Z********');
    }
    for (const role of PII) {
      const cur = (await (await get(`/api/records/complaints/${complaintId}`, role)).json()).current;
      expect([cur.description, cur.resolution, cur.customer_name], role).toEqual([DESCRIPTION, RESOLUTION, LONG_NAME]);
    }
  });

  it('long personal customer names are masked in the JSON list and the CSV export for hr, executive and manager', async () => {
    for (const role of NO_PII) {
      const json = await (await get(`/api/complaints?month=${MONTH}&team=${MANAGER_TEAM}&page_size=500`, role)).json();
      const row = json.rows.find((r: { complaint_id: string }) => r.complaint_id === complaintId);
      expect(row.customer_name, role).toBe('Z********');
      const res = await get(`/api/exports/complaints?month=${MONTH}&team=${MANAGER_TEAM}&format=csv`, role);
      const csv = await res.text();
      expect(res.status, csv).toBe(200);
      expect(csv, role).toContain(complaintId);
      expect(csv, role).not.toContain(LONG_NAME);
      expect(csv, role).toContain('Z********');
    }
    for (const role of PII) {
      const json = await (await get(`/api/complaints?month=${MONTH}&team=${MANAGER_TEAM}&page_size=500`, role)).json();
      expect(json.rows.find((r: { complaint_id: string }) => r.complaint_id === complaintId).customer_name, role).toBe(LONG_NAME);
      const csv = await (await get(`/api/exports/complaints?month=${MONTH}&team=${MANAGER_TEAM}&format=csv`, role)).text();
      expect(csv, role).toContain(LONG_NAME);
    }
  });
});

describe('GET /api/trend/teams range (item 14)', () => {
  it('refuses months before 2000-01 or after 2100-12 with 400 in plain words', async () => {
    for (const q of ['end=0000-01&months=36', 'end=1999-12&months=1', 'end=2000-06&months=12', 'end=2101-01&months=1', 'end=9999-12&months=3']) {
      const res = await get(`/api/trend/teams?${q}`, 'executive');
      const text = await res.text();
      expect(res.status, `${q}: ${text}`).toBe(400);
      expect(text).toMatch(/2000-01/);
      expect(text).not.toMatch(/"0-03"|Error:|at /);
    }
  });

  it('the KPI trend refuses the same ranges the same way', async () => {
    for (const q of ['end=0000-01&months=36', 'end=2000-06&months=12', 'end=9999-12&months=3']) {
      const res = await get(`/api/trend?${q}`, 'executive');
      const text = await res.text();
      expect(res.status, `${q}: ${text}`).toBe(400);
      expect(text).toMatch(/2000-01/);
    }
    const ok = await (await get('/api/trend?end=2000-12&months=12', 'executive')).json();
    expect(ok.months[0].month).toBe('2000-01');
  });

  it('still answers ranges inside 2000-01…2100-12, with 4-digit months', async () => {
    const r = await (await get('/api/trend/teams?end=2000-12&months=12', 'executive')).json();
    expect(r.months[0]).toBe('2000-01');
    expect(r.months).toHaveLength(12);
    const last = await (await get('/api/trend/teams?end=2100-12&months=2', 'executive')).json();
    expect(last.months).toEqual(['2100-11', '2100-12']);
  });
});

describe('PUT /api/allocation amounts (item 10)', () => {
  it('answers 422 in plain words, not 500, for amounts out of range or with more than two decimals; writes nothing', async () => {
    const alloc = await (await get(`/api/allocation?month=${MONTH}&team=${MANAGER_TEAM}`, 'hr')).json();
    const ids: string[] = alloc.members.map((m: { technician_id: string }) => m.technician_id);
    expect(ids.length).toBeGreaterThan(1);
    const put = (amounts: unknown[]) => call(app, 'PUT', '/api/allocation', {
      as: as.hr, body: { month: MONTH, team_id: MANAGER_TEAM, reason: 'hardening', parts: amounts.map((amount, i) => ({ technician_id: ids[i], amount })) },
    });
    for (const [amounts, words] of [
      [[1e16, -1e16 + 1], /larger than 1,000,000,000 yuan/],
      [[1e300, 0], /larger than/],
      [['1e16', 0], /larger than/],
      [['10000000000000000', 0], /larger than/],
      [[12.345, 0], /at most two decimals/],
    ] as [unknown[], RegExp][]) {
      const res = await put(amounts);
      const text = await res.text();
      expect(res.status, `${JSON.stringify(amounts)}: ${text}`).toBe(422);
      expect(JSON.parse(text).error.message).toMatch(words);
      expect(text).not.toMatch(/Conversion|DECIMAL|out of range|Error:/);
    }
    const after = await (await get(`/api/allocation?month=${MONTH}&team=${MANAGER_TEAM}`, 'hr')).json();
    expect(after.override).toBeNull();
  });
});

describe('demo data only in an empty warehouse (item 5)', () => {
  it('a warehouse holding master data but no tickets gets no demo data and no demo accounts', async () => {
    const w = await tempWarehouse();
    try {
      await ensureReferenceData(w.wh);
      const files = await generate({ out: join(w.dir, 'gen'), months: 1, tickets: 50, seed: 3, dirty: false, end: MONTH });
      for (const f of files.filter((f) => f.kind === 'teams' || f.kind === 'technicians')) await ingestFile(w.wh, f.kind, f.file, { uploadedBy: 'ops' });
      expect(await isEmptyWarehouse(w.wh)).toBe(false);
      expect(await ensureDemoData(w.wh, { tickets: 50, months: 1 })).toBe(false);
      expect((await w.wh.one<{ n: number }>('SELECT count(*) AS n FROM tickets'))!.n).toBe(0);
      const users = await ensureInitialUsers(w.wh, { adminPassword: 'a long admin passphrase' });
      expect(users.created.map((u) => u.username)).toEqual(['admin']);
    } finally {
      await w.cleanup();
    }
  });

  it('a failed upload is enough to count as in use; a truly empty warehouse gets demo data and the demo accounts', async () => {
    const w = await tempWarehouse();
    try {
      await ensureReferenceData(w.wh);
      expect(await isEmptyWarehouse(w.wh)).toBe(true);
      await w.wh.run(`INSERT INTO batches (batch_id, kind, file_name, sha256, uploaded_by, started_at, status)
                      VALUES (999999, 'tickets', 'x.csv', 'x', 'ops', now()::TIMESTAMP, 'failed')`);
      expect(await isEmptyWarehouse(w.wh)).toBe(false);
      await w.wh.run('DELETE FROM batches WHERE batch_id = 999999');
      expect(await ensureDemoData(w.wh, { tickets: 200, months: 1 })).toBe(true);
      expect((await w.wh.one<{ n: number }>('SELECT count(*) AS n FROM tickets'))!.n).toBeGreaterThan(0);
      const users = await ensureInitialUsers(w.wh, { adminPassword: 'a long admin passphrase' });
      expect(users.created.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'supervisor', 'hr', 'executive', 'manager']));
      // Started again, it is no longer empty: nothing more is generated.
      expect(await ensureDemoData(w.wh, { tickets: 200, months: 1 })).toBe(false);
    } finally {
      await w.cleanup();
    }
  }, 300_000);
});
