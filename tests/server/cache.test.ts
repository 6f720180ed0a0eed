/**
 * The response cache (server/response-cache.ts, on in `npm start`): a GET answer is kept until
 * the next write through the app; answers are never shared across roles or teams; the session
 * route is never cached; a disabled or expired session is not kept alive by the cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCache } from '../../server/response-cache.ts';
import { createUser } from '../../server/auth.ts';
import type { Role } from '../../server/roles.ts';
import type { TempWarehouse } from '../helpers.ts';
import { buildWarehouse, call, FAST_SCRYPT, makeApp, MANAGER_TEAM, MONTH, PASSWORD, signIn, signInAll, type Signed, type TestApp } from './fixture.ts';

let t: TempWarehouse;
let clock = new Date('2025-06-01T08:00:00Z').getTime();
let app: TestApp;
let as: Record<Role, Signed>;

beforeAll(async () => {
  t = await buildWarehouse();
  app = makeApp(t, { responseCache: true, now: () => new Date(clock) });
  as = await signInAll(app);
});
afterAll(() => t.cleanup());

const kpi = async (who: Signed, q = '') => (await call(app, 'GET', `/api/kpi?month=${MONTH}${q}`, { as: who })).json();

/** Changes the company's on-time count behind the app's back, in the document KPI answers are served from. */
const shiftOnTime = (by: number) =>
  t.wh.run(
    `UPDATE kpi_month_doc
     SET doc = CAST(json_merge_patch(doc, json_object('tickets_on_time', CAST(json_extract(doc, '$.tickets_on_time') AS BIGINT) + $by)) AS VARCHAR)
     WHERE scope = 'company' AND month = CAST($month AS DATE)`,
    { by, month: `${MONTH}-01` },
  );

describe('response cache', () => {
  it('keeps a GET answer until a write through the app, then answers from the warehouse again', async () => {
    const before = await kpi(as.supervisor);
    // A change behind the app's back is not seen while the answer is kept: proof it is served from memory.
    await shiftOnTime(-1);
    expect(await kpi(as.supervisor)).toEqual(before);
    // A write through the app (an allocation) drops every kept answer.
    const alloc = await (await call(app, 'GET', `/api/allocation?month=${MONTH}&team=${MANAGER_TEAM}`, { as: as.hr })).json();
    const parts = alloc.members.map((m: { technician_id: string; paid: number }) => ({ technician_id: m.technician_id, amount: m.paid }));
    expect((await call(app, 'PUT', '/api/allocation', { as: as.hr, body: { month: MONTH, team_id: MANAGER_TEAM, parts, reason: 'cache test' } })).status).toBe(200);
    const after = await kpi(as.supervisor);
    expect(after.tickets_on_time).toBe(before.tickets_on_time - 1);
    await shiftOnTime(+1);
  });

  it('never shares an answer across roles or teams', async () => {
    const path = `/api/tickets/late?month=${MONTH}&page_size=5`;
    const sup = await (await call(app, 'GET', path, { as: as.supervisor })).json();
    const hr = await (await call(app, 'GET', path, { as: as.hr })).json();
    expect(sup.pii_masked).toBe(false);
    expect(hr.pii_masked).toBe(true);
    const again = await (await call(app, 'GET', path, { as: as.supervisor })).json();
    expect(again.pii_masked).toBe(false);
    const mgr = await kpi(as.manager);
    expect(mgr.scope).toBe('team');
    expect((await kpi(as.executive)).scope).toBe('company');
    expect((await kpi(as.manager)).scope_id).toBe(MANAGER_TEAM);
  });

  it('the session answer is each user\'s own', async () => {
    await createUser(t.wh, { username: 'hr2', role: 'hr', team_id: null, password: PASSWORD }, FAST_SCRYPT);
    const hr2 = await signIn(app, 'hr2');
    expect((await (await call(app, 'GET', '/api/session', { as: as.hr })).json()).username).toBe('hr1');
    expect((await (await call(app, 'GET', '/api/session', { as: hr2 })).json()).username).toBe('hr2');
  });

  it('a disabled user is out at once; an expired session is not kept alive', async () => {
    await createUser(t.wh, { username: 'hr3', role: 'hr', team_id: null, password: PASSWORD }, FAST_SCRYPT);
    const hr3 = await signIn(app, 'hr3');
    expect((await call(app, 'GET', `/api/kpi?month=${MONTH}`, { as: hr3 })).status).toBe(200);
    expect((await call(app, 'PATCH', '/api/users/hr3', { as: as.admin, body: { disabled: true } })).status).toBe(200);
    expect((await call(app, 'GET', `/api/kpi?month=${MONTH}`, { as: hr3 })).status).toBe(401);

    expect((await call(app, 'GET', `/api/kpi?month=${MONTH}`, { as: as.executive })).status).toBe(200);
    clock += 9 * 3600_000; // past the 8 h session lifetime
    expect((await call(app, 'GET', `/api/kpi?month=${MONTH}`, { as: as.executive })).status).toBe(401);
  });
});

describe('ResponseCache', () => {
  it('drops answers of a read that began before a write, evicts the least recently used', () => {
    const c = new ResponseCache(2);
    const a = { status: 200, body: new ArrayBuffer(1), headers: [] as [string, string][] };
    const v = c.current();
    c.invalidate();
    c.set('k', v, a);
    expect(c.get('k')).toBeUndefined();
    c.set('a', c.current(), a);
    c.set('b', c.current(), a);
    c.get('a');
    c.set('c', c.current(), a);
    expect([c.get('a'), c.get('b'), c.get('c')].map(Boolean)).toEqual([true, false, true]);
    const big = new ResponseCache(10, 4);
    big.set('x', big.current(), { ...a, body: new ArrayBuffer(5) });
    expect(big.get('x')).toBeUndefined();
  });
});

describe('ResponseCache memory bound', () => {
  it('varying URLs cannot grow it past its bound in bytes; the least recently used answers go first', () => {
    const bound = 1024 * 1024;
    const c = new ResponseCache(100_000, 512 * 1024, bound);
    const answer = () => ({ status: 200, body: new ArrayBuffer(10_000), headers: [['content-type', 'application/json']] as [string, string][] });
    c.set('/api/kpi?month=2025-05&x=0', c.current(), answer());
    for (let i = 1; i < 2000; i++) {
      c.set(`/api/kpi?month=2025-05&x=${i}`, c.current(), answer());
      if (i % 50 === 0) expect(c.get('/api/kpi?month=2025-05&x=0')).toBeDefined(); // kept: used recently
      expect(c.bytes).toBeLessThanOrEqual(bound);
    }
    expect(c.size).toBeGreaterThan(50);
    expect(c.size).toBeLessThan(105);
    expect(c.get('/api/kpi?month=2025-05&x=1')).toBeUndefined(); // the least recently used were evicted
    expect(c.get('/api/kpi?month=2025-05&x=1999')).toBeDefined();
    // Replacing an answer under the same key does not count it twice; invalidate frees everything.
    const before = c.bytes;
    c.set('/api/kpi?month=2025-05&x=1999', c.current(), answer());
    expect(c.bytes).toBe(before);
    c.invalidate();
    expect([c.size, c.bytes]).toEqual([0, 0]);
  });

  it('is bounded to 64 MiB by default', () => {
    expect(new ResponseCache().maxTotalBytes).toBe(64 * 1024 * 1024);
  });
});
