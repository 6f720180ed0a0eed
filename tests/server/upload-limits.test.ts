/**
 * Issue 11 items 7, 11 and 15: a slow sender is stopped by deadlines and holds no one else up; at
 * most UPLOADS_AT_ONCE uploads are in progress; an upload's audit entry commits with its batch; a
 * sign-in does not wait behind the warehouse write lock (a model refresh).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBatch } from '../../pipelines/load-batch.ts';
import { createUser } from '../../server/auth.ts';
import { DEFAULT_LIMITS } from '../../server/config.ts';
import { RwLock } from '../../server/lock.ts';
import { tempWarehouse, type TempWarehouse } from '../helpers.ts';
import { FAST_SCRYPT, makeApp, PASSWORD, signIn, type Signed, type TestApp } from './fixture.ts';

let t: TempWarehouse;
let app: TestApp;
let admin: Signed;
const limits = { ...DEFAULT_LIMITS, uploadIdleSeconds: 1, uploadMaxSeconds: 3, uploadsAtOnce: 2 };
const lock = new RwLock();

beforeAll(async () => {
  t = await tempWarehouse();
  await createUser(t.wh, { username: 'admin1', role: 'admin', team_id: null, password: PASSWORD }, FAST_SCRYPT);
  app = makeApp(t, { limits, lock });
  admin = await signIn(app, 'admin1');
});
afterAll(() => t.cleanup());

const BOUNDARY = 'limits-test-boundary';
const head = (name: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`;
const ADJ_HEADER = 'technician_id,month,amount,reason,approved_by\n';

/** An upload whose body is written by `feed`: it enqueues pieces, waits, and may never close. */
function sendStream(feed: (push: (s: string) => void, close: () => void) => Promise<void>) {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(ctrl) {
      void feed(
        (s) => {
          try {
            ctrl.enqueue(enc.encode(s));
          } catch {
            // the server stopped reading
          }
        },
        () => ctrl.close(),
      );
    },
  });
  const started = Date.now();
  return app
    .request('/api/uploads?kind=adjustments', {
      method: 'POST', body, duplex: 'half',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    } as RequestInit)
    .then(async (r) => ({ status: r.status, body: await r.json(), ms: Date.now() - started }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const uploadsDir = () => join(t.wh.filesDir, 'uploads');
const leftovers = () => (existsSync(uploadsDir()) ? readdirSync(uploadsDir()) : []);

function quickUpload(reason: string) {
  return sendStream(async (push, close) => {
    push(head(`${reason}.csv`) + ADJ_HEADER + `NO-SUCH,2025-04,10.00,${reason},boss\n\r\n--${BOUNDARY}--\r\n`);
    close();
  });
}

describe('upload deadlines and slots (item 7)', () => {
  it('a sender that pauses longer than UPLOAD_IDLE_SECONDS gets 408 and leaves no file', async () => {
    const res = await sendStream(async (push) => {
      push(head('stall.csv') + ADJ_HEADER + 'NO-SUCH,2025-04,1');
      // …and nothing more, ever.
    });
    expect(res.status, JSON.stringify(res.body)).toBe(408);
    expect(res.body.error.code).toBe('upload_too_slow');
    expect(res.body.error.message).toMatch(/nothing arrived for 1 s/);
    expect(res.ms).toBeLessThan(2_500);
    expect(leftovers()).toEqual([]);
  });

  it('a sender that trickles past UPLOAD_MAX_SECONDS gets 408 although it never pauses long', async () => {
    const res = await sendStream(async (push) => {
      push(head('trickle.csv') + ADJ_HEADER);
      for (let i = 0; i < 40; i++) {
        await sleep(300);
        push(`NO-SUCH,2025-04,${i}.00,trickle ${i},boss\n`);
      }
    });
    expect(res.status, JSON.stringify(res.body)).toBe(408);
    expect(res.body.error.message).toMatch(/did not arrive within 3 s/);
    expect(res.ms).toBeGreaterThanOrEqual(2_900);
    expect(res.ms).toBeLessThan(5_000);
    expect(leftovers()).toEqual([]);
  });

  it('while a slow sender stalls, another upload is received and ingested; one more than UPLOADS_AT_ONCE → 409', async () => {
    const stalled = sendStream(async (push) => push(head('slow.csv') + ADJ_HEADER));
    await sleep(100);
    const quick = await quickUpload('quick while another stalls');
    expect(quick.status, JSON.stringify(quick.body)).toBe(200);
    expect(quick.body).toMatchObject({ kind: 'adjustments', accepted: 1 });
    expect(quick.ms).toBeLessThan(1_000);

    const second = sendStream(async (push) => push(head('slow2.csv') + ADJ_HEADER));
    await sleep(100);
    const third = await quickUpload('one too many');
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('upload_in_progress');
    expect((await stalled).status).toBe(408);
    expect((await second).status).toBe(408);
    // The slots are free again.
    expect((await quickUpload('after the slow ones')).status).toBe(200);
    expect(leftovers()).toEqual([]);
  });
});

describe('an upload and its audit entry commit together (item 11)', () => {
  it('the audit entry is written inside the batch transaction: invisible to others until COMMIT, there after', async () => {
    const file = t.file('audited.csv', ADJ_HEADER + 'NO-SUCH,2025-04,12.00,audited,boss\n');
    const other = await t.wh.session();
    const count = async (wh: { one: typeof t.wh.one }) =>
      (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM audit_log WHERE action = 'upload' AND (detail->>'file') = 'audited.csv'`))!.n;
    const s = await t.wh.session();
    const seen: { inside: number; outside: number }[] = [];
    try {
      const { summary } = await loadBatch(s, 'adjustments', file, {
        by: 'admin1',
        refresh: 'none',
        audit: { action: 'upload', stored: (b) => ({ target: 'adjustments', detail: { file: 'audited.csv', batch_id: b.batch_id } }) },
        hooks: { beforeCommit: async () => void seen.push({ inside: await count(s), outside: await count(other) }) },
      });
      // A kill at this point (the crash test's pause) would have lost both or kept both.
      expect(seen).toEqual([{ inside: 1, outside: 0 }]);
      expect(await count(other)).toBe(1);
      expect(summary.accepted).toBe(1);
    } finally {
      s.close();
      other.close();
    }
  });
});

describe('a sign-in while the figures are refreshed (item 15)', () => {
  it('does not wait for the warehouse write lock', async () => {
    let release!: () => void;
    const held = lock.write(() => new Promise<void>((r) => (release = r)));
    await sleep(20);
    try {
      const t0 = Date.now();
      const s = await signIn(app, 'admin1');
      const ms = Date.now() - t0;
      expect(s.csrf).toMatch(/./);
      // The lock is held until released below; waiting for it would never end.
      expect(ms).toBeLessThan(2_000);
      const out = await app.request('/api/session', { method: 'DELETE', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
      expect(out.status).toBe(204);
    } finally {
      release();
      await held;
    }
  });
});
