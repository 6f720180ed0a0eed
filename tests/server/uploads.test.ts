/**
 * POST /api/uploads: roles and kinds, CSRF, type and size checks, the batch summary with rejects
 * and their download, duplicates, GBK text, pipeline refusals, one upload at a time, and reads on
 * the main connection answered with committed figures while a large upload is being ingested.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../server/config.ts';
import { ROLES, type Role } from '../../server/roles.ts';
import type { TempWarehouse } from '../helpers.ts';
import { buildWarehouse, call, makeApp, MONTH, signIn, USERS, type ApiResponse, type Signed, type TestApp, signInAll } from './fixture.ts';

let t: TempWarehouse;
let app: TestApp;
let as: Record<Role, Signed>;
/** The app's limits, read at each request: a test lowers one for a moment. */
const limits = { ...DEFAULT_LIMITS };

beforeAll(async () => {
  t = await buildWarehouse();
  app = makeApp(t, { limits });
  as = await signInAll(app);
}, 60_000);
afterAll(() => t.cleanup());

function upload(
  kind: string,
  name: string,
  content: string | Uint8Array,
  opts: { as?: Signed; csrf?: string | null; field?: string } = {},
): Promise<ApiResponse> {
  const fd = new FormData();
  fd.append(opts.field ?? 'file', new Blob([content]), name);
  const headers: Record<string, string> = {};
  if (opts.as) {
    headers.cookie = opts.as.cookie;
    if (opts.csrf !== null) headers['x-csrf-token'] = opts.csrf ?? opts.as.csrf;
  }
  return app.request(`/api/uploads?kind=${kind}`, { method: 'POST', headers, body: fd });
}

const TICKET_HEADER = 'ticket_id,reported_at,customer_name,team_id\n';
const adjustments = (reason: string) => `technician_id,month,amount,reason,approved_by\nNO-SUCH-TECH,2025-04,100.00,${reason},boss\n`;

describe('POST /api/uploads', () => {
  it('roles: supervisor and admin any kind, hr adjustments only, executive and manager refused', async () => {
    for (const role of ROLES) {
      const res = await upload('adjustments', `adj-${role}.csv`, adjustments(`role ${role}`), { as: as[role] });
      const body = await res.json();
      if (role === 'supervisor' || role === 'admin' || role === 'hr') {
        expect(res.status, `${role}: ${JSON.stringify(body)}`).toBe(200);
        expect(body.kind).toBe('adjustments');
        expect(body.duplicate).toBe(false);
      } else {
        expect(res.status, role).toBe(403);
        expect(body.error.code).toBe('forbidden');
      }
    }
    const hrTickets = await upload('tickets', 't.csv', TICKET_HEADER + 'HR-1,2025-05-01 10:00,客户,T01\n', { as: as.hr });
    expect(hrTickets.status).toBe(403);
    expect((await hrTickets.json()).error.code).toBe('kind_not_allowed');
    expect((await upload('adjustments', 'a.csv', adjustments('anon'))).status).toBe(401);
    const audit = await (await call(app, 'GET', '/api/audit?action=upload', { as: as.admin })).json();
    expect(audit.entries.length).toBeGreaterThanOrEqual(3);
    expect(audit.entries.map((e: { actor: string }) => e.actor)).toContain(USERS.hr);
  });

  it('unknown or missing kind → 400; missing CSRF token → 403', async () => {
    expect((await upload('bogus', 'a.csv', 'x\n', { as: as.admin })).status).toBe(400);
    const noKind = await app.request('/api/uploads', { method: 'POST', headers: { cookie: as.admin.cookie, 'x-csrf-token': as.admin.csrf }, body: new FormData() });
    expect(noKind.status).toBe(400);
    const res = await upload('adjustments', 'a.csv', adjustments('csrf'), { as: as.admin, csrf: null });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('csrf');
    expect((await upload('adjustments', 'a.csv', adjustments('csrf'), { as: as.admin, csrf: 'wrong' })).status).toBe(403);
  });

  it('a dirty CSV answers the summary with rejects, downloadable as rejects.csv; sending it again is a duplicate', async () => {
    const csv = TICKET_HEADER + 'UP-D1,2025-05-02 08:00:00,客户甲,T01\nUP-D2,2025-02-30 08:00:00,客户乙,T01\nUP-D3,,客户丙,T01\n';
    const res = await upload('tickets', '脏数据.csv', csv, { as: as.supervisor });
    const s = await res.json();
    expect(res.status, JSON.stringify(s)).toBe(200);
    expect(s).toMatchObject({ kind: 'tickets', file_name: '脏数据.csv', rows: 3, accepted: 1, inserted: 1, rejected: 2, duplicate: false, duplicate_of: null });
    expect(Array.isArray(s.refreshed_months)).toBe(true);

    const rej = await call(app, 'GET', `/api/batches/${s.batch_id}/rejects.csv`, { as: as.supervisor });
    expect(rej.status).toBe(200);
    const text = await rej.text();
    expect(text).toContain('UP-D2');
    expect(text).toContain('UP-D3');
    expect(text).toMatch(/line 3/);

    const again = await upload('tickets', 'again.csv', csv, { as: as.admin });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true, duplicate_of: s.batch_id });
    const batches = await (await call(app, 'GET', '/api/batches?limit=5', { as: as.admin })).json();
    expect(batches.batches[0].batch_id).toBe(s.batch_id); // the duplicate stored nothing
  });

  it('a GBK (Chinese Excel) CSV with Chinese headers is read', async () => {
    const gbk = iconv.encode('班组编号,班组名称,区域\nT-GBK,测试班组,华东\n', 'gbk');
    const res = await upload('teams', '班组.csv', gbk, { as: as.admin });
    const s = await res.json();
    expect(res.status, JSON.stringify(s)).toBe(200);
    expect(s).toMatchObject({ encoding: 'gb18030', accepted: 1, rejected: 0 });
    const row = await t.wh.one<{ team_name: string }>(`SELECT team_name FROM teams WHERE team_id = 'T-GBK'`);
    expect(row?.team_name).toBe('测试班组');
  });

  it('a file the pipeline refuses → 422 with its message', async () => {
    const res = await upload('tickets', 'no-id.csv', 'reported_at,customer_name\n2025-05-01 10:00,x\n', { as: as.admin });
    expect(res.status).toBe(422);
    const e = (await res.json()).error;
    expect(e.code).toBe('ingest_failed');
    expect(e.message).toMatch(/no-id\.csv/);
    expect(e.message).toMatch(/ticket_id/);
  });

  it('a file too wide, or in Big5, → 422 naming the uploaded file and the limit, within seconds', async () => {
    const started = Date.now();
    const wide = TICKET_HEADER.trim() + ',' + Array.from({ length: 20_000 }, (_, i) => `x${i}`).join(',') + '\n';
    const res = await upload('tickets', '宽表.csv', wide, { as: as.admin });
    expect(res.status).toBe(422);
    const e = (await res.json()).error;
    expect(e.code).toBe('ingest_failed');
    expect(e.message).toMatch(/^宽表\.csv: line 1: .*at most 500 columns/);
    expect(Date.now() - started).toBeLessThan(5000);

    const big5 = iconv.encode(TICKET_HEADER + 'B5-1,2025-05-01 10:00,台北某物流公司車隊維修處,T01\nB5-2,2025-05-01 10:00,臺灣貨運股份有限公司,T01\n', 'big5');
    const res2 = await upload('tickets', '繁體.csv', big5, { as: as.admin });
    expect(res2.status).toBe(422);
    const e2 = (await res2.json()).error;
    expect(e2.message).toMatch(/^繁體\.csv: .*accepted encodings are UTF-8 \(with or without BOM\) and GBK\/GB18030/);
  });

  it('oversized → 413, and nothing stays behind', async () => {
    limits.uploadMaxBytes = 2000;
    try {
      const big = TICKET_HEADER + Array.from({ length: 100 }, (_, i) => `BIG-${i},2025-05-01 10:00,客户,T01`).join('\n');
      const res = await upload('tickets', 'big.csv', big, { as: as.admin });
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe('payload_too_large');
      // A declared Content-Length over the limit is refused before reading.
      const fd = new FormData();
      fd.append('file', new Blob([big]), 'big.csv');
      const req = new Request('http://x/api/uploads?kind=tickets', { method: 'POST', body: fd });
      const bytes = new Uint8Array(await req.arrayBuffer());
      const declared = await app.request('/api/uploads?kind=tickets', {
        method: 'POST', body: bytes,
        headers: { cookie: as.admin.cookie, 'x-csrf-token': as.admin.csrf, 'content-type': req.headers.get('content-type')!, 'content-length': String(bytes.length) },
      });
      expect(declared.status).toBe(413);
    } finally {
      limits.uploadMaxBytes = DEFAULT_LIMITS.uploadMaxBytes;
    }
    const { readdirSync, existsSync } = await import('node:fs');
    const dir = `${t.wh.filesDir}/uploads`;
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('a refused upload leaves no file behind by the time it is answered (20 in a row)', async () => {
    const { readdirSync, existsSync } = await import('node:fs');
    const dir = `${t.wh.filesDir}/uploads`;
    limits.uploadMaxBytes = 2000;
    try {
      const big = TICKET_HEADER + Array.from({ length: 100 }, (_, i) => `BIG-${i},2025-05-01 10:00,客户,T01`).join('\n');
      for (let i = 0; i < 20; i++) {
        const res = await upload('tickets', 'big.csv', big, { as: as.admin });
        expect(res.status).toBe(413);
        expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
      }
    } finally {
      limits.uploadMaxBytes = DEFAULT_LIMITS.uploadMaxBytes;
    }
  });

  it('wrong type → 415: a PNG named .csv, an .exe, a fake .xlsx, a JSON body', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    for (const [name, content] of [['image.csv', png], ['setup.exe', 'MZ\x90\0'], ['book.xlsx', 'ticket_id\nX\n'], ['binary.txt', 'a,b\n1,\0\n']] as const) {
      const res = await upload('tickets', name, content, { as: as.admin });
      expect(res.status, name).toBe(415);
      expect((await res.json()).error.code).toBe('unsupported_media_type');
    }
    const json = await call(app, 'POST', '/api/uploads?kind=tickets', { as: as.admin, body: { file: 'x' } });
    expect(json.status).toBe(415);
    const noFile = await upload('tickets', 'a.csv', TICKET_HEADER, { as: as.admin, field: 'other' });
    expect(noFile.status).toBe(400);
  });

  it('reads answer with committed figures while a large upload is ingested; a second upload meanwhile waits its turn', async () => {
    const kpiPath = `/api/kpi?month=${MONTH}`;
    const before = await (await call(app, 'GET', kpiPath, { as: as.executive })).json();
    const N = 200_000;
    const lines: string[] = [TICKET_HEADER.trimEnd()];
    for (let i = 0; i < N; i++) lines.push(`LOAD-${i},${MONTH}-${String(1 + (i % 28)).padStart(2, '0')} 09:00:00,客户${i % 97},T01`);
    // The body is streamed in chunks; the server pulls them as it writes the file to disk.
    const boundary = 'upload-test-boundary-7f3a';
    const payload = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="load.csv"\r\nContent-Type: text/csv\r\n\r\n` +
        lines.join('\n') + `\n\r\n--${boundary}--\r\n`,
    );
    let pulled!: () => void;
    const firstPull = new Promise<void>((r) => (pulled = r));
    let offset = 0;
    let bodyDoneAt = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        pulled();
        if (offset >= payload.length) {
          bodyDoneAt = Date.now();
          return ctrl.close();
        }
        ctrl.enqueue(payload.subarray(offset, offset + 256 * 1024));
        offset += 256 * 1024;
      },
    }, { highWaterMark: 0 });
    const started = Date.now();
    let finishedAt = 0;
    const big = app
      .request('/api/uploads?kind=tickets', {
        method: 'POST', body, duplex: 'half',
        headers: { cookie: as.supervisor.cookie, 'x-csrf-token': as.supervisor.csrf, 'content-type': `multipart/form-data; boundary=${boundary}` },
      } as RequestInit)
      .then(async (r) => {
        finishedAt = Date.now();
        return { status: r.status, body: await r.json() };
      });
    await firstPull;
    // A small file sent while the big one arrives is not refused (issue 11: a slow sender held the
    // one slot): it is ingested in its turn.
    let secondAt = 0;
    const second = upload('adjustments', 'second.csv', adjustments('second'), { as: as.admin }).then(async (r) => {
      secondAt = Date.now();
      return { status: r.status, body: await r.json() };
    });

    const reads: { body: unknown; doneAt: number; ms: number }[] = [];
    while (!finishedAt) {
      const t0 = Date.now();
      const res = await call(app, 'GET', kpiPath, { as: as.executive });
      expect(res.status).toBe(200);
      reads.push({ body: await res.json(), doneAt: Date.now(), ms: Date.now() - t0 });
      await new Promise((r) => setTimeout(r, 20));
    }
    const done = await big;
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const secondDone = await second;
    expect(secondDone.status, JSON.stringify(secondDone.body)).toBe(200);
    expect(secondDone.body).toMatchObject({ kind: 'adjustments', duplicate: false });
    expect(secondAt, 'the small upload did not wait for the big one to arrive').toBeLessThan(finishedAt);
    expect(done.body).toMatchObject({ accepted: N, inserted: N, rejected: 0 });
    const after = await (await call(app, 'GET', kpiPath, { as: as.executive })).json();
    expect(after.tickets_reported).toBe(before.tickets_reported + N);

    // Every read saw either the figures before or after — never a half-ingested state — and the
    // ones before the refresh (most of them) were answered while the ingest ran, quickly.
    const during = reads.filter((r) => r.doneAt < finishedAt);
    const pre = during.filter((r) => JSON.stringify(r.body) === JSON.stringify(before));
    for (const r of reads) expect([JSON.stringify(before), JSON.stringify(after)]).toContain(JSON.stringify(r.body));
    expect(pre.length, `reads during the upload: ${during.length}, upload took ${finishedAt - started} ms`).toBeGreaterThanOrEqual(3);
    expect(Math.max(...pre.map((r) => r.ms))).toBeLessThan(finishedAt - started);
    // …including while DuckDB ingested on the other connection, after the body was on disk.
    expect(pre.filter((r) => r.doneAt > bodyDoneAt).length, `body done at ${bodyDoneAt - started} ms`).toBeGreaterThanOrEqual(2);
    // Once the new figures were seen, the old ones never came back.
    const firstAfter = reads.findIndex((r) => JSON.stringify(r.body) === JSON.stringify(after));
    if (firstAfter >= 0) for (const r of reads.slice(firstAfter)) expect(r.body).toEqual(after);
  }, 60_000);
});
