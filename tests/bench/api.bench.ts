/**
 * bench:api — the dashboard's endpoints under 20 concurrent clients on loopback (issue 4), beside
 * the same reads called directly on DuckDB with the same concurrency and the same read
 * connections, in the same run.
 *
 * The server runs in this process; the 20 HTTP clients run in a separate process
 * (tests/bench/load-client.ts), so client work doesn't share the server's event loop. Each case:
 * BENCH_SECONDS of load, then p50/p95/p99 in ms and the overhead of HTTP (routing, session, roles,
 * masking, JSON) over the direct calls. Targets: served-month endpoints p95 < 50 ms; overhead < 20 %.
 * Sizes: BENCH_TICKETS (default 10 000 000), BENCH_SECONDS (default 5), BENCH_CLIENTS (default 20),
 * BENCH_READ_CONNECTIONS (default 4). BENCH_WAREHOUSE=<file> keeps the generated warehouse there and
 * reuses it on the next run (building 10 M tickets takes minutes).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../server/app.ts';
import { createUser } from '../../server/auth.ts';
import { ReadPool, DEFAULT_READ_CONNECTIONS } from '../../server/read-pool.ts';
import { getKpi } from '../../pipelines/reads/kpi.ts';
import { getAssessment } from '../../pipelines/assessment/index.ts';
import { Warehouse } from '../../pipelines/warehouse/warehouse.ts';
import { breakdown } from '../../pipelines/reads/breakdown.ts';
import { countLateTickets, listLateTickets } from '../../pipelines/reads/late-tickets.ts';
import { lookupSession } from '../../server/auth.ts';
import { buildBenchWarehouse, percentiles } from './bench-warehouse.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 10_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const READERS = Number(process.env.BENCH_READ_CONNECTIONS ?? DEFAULT_READ_CONNECTIONS);
const MAX_REQUESTS = 200_000;
const MONTH = '2025-06';
const PASSWORD = 'bench-password-2026';

/** CLIENTS in-process workers calling `fn` until SECONDS pass; latencies in ms. */
async function loadDirect(fn: () => Promise<void>): Promise<{ ms: number[]; rps: number }> {
  for (let i = 0; i < 10; i++) await fn();
  const ms: number[] = [];
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end && ms.length < MAX_REQUESTS) {
        const s = performance.now();
        await fn();
        ms.push(performance.now() - s);
      }
    }),
  );
  return { ms, rps: ms.length / ((performance.now() - t0) / 1000) };
}

/** The same load over HTTP from a separate process. */
function loadHttp(url: string, cookie: string): Promise<{ ms: number[]; rps: number }> {
  const client = fileURLToPath(new URL('./load-client.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', client, JSON.stringify({ url, cookie, clients: CLIENTS, seconds: SECONDS, maxRequests: MAX_REQUESTS })], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load client exited ${code}`));
      const r = JSON.parse(out) as { count: number; seconds: number; ms: number[] };
      resolve({ ms: r.ms, rps: r.count / r.seconds });
    });
  });
}

async function openWarehouse(): Promise<{ wh: Warehouse; cleanup: () => void }> {
  const keep = process.env.BENCH_WAREHOUSE;
  if (keep && existsSync(keep)) {
    console.log(`reusing ${keep}`);
    const wh = await Warehouse.open(keep);
    // Models whose SQL changed since the warehouse was built are rebuilt (a no-op otherwise).
    const r = await refreshModels(wh);
    if (r.months.length > 1) console.log(`refreshed the reused warehouse (${r.full ? 'full' : r.months.length + ' months'}) in ${r.seconds.toFixed(1)} s`);
    return { wh, cleanup: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-api-'));
  const { wh } = await buildBenchWarehouse(dir, TICKETS);
  if (!keep) return { wh, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  // Keep it: reopen from its final place.
  const path = wh.path;
  wh.close();
  mkdirSync(dirname(keep), { recursive: true });
  rmSync(keep, { force: true });
  const { renameSync, cpSync } = await import('node:fs');
  renameSync(path, keep);
  if (existsSync(`${path}.files`)) cpSync(`${path}.files`, `${keep}.files`, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  return { wh: await Warehouse.open(keep), cleanup: () => undefined };
}

const { wh, cleanup } = await openWarehouse();
const servers: ReturnType<typeof serve>[] = [];
const pool = new ReadPool(wh, READERS);
try {
  for (const [username, role] of [['bench-sup', 'supervisor'], ['bench-hr', 'hr']] as const) {
    if (!(await wh.one('SELECT 1 AS x FROM users WHERE username = $1', [username]))) await createUser(wh, { username, role, password: PASSWORD });
  }
  // Two apps on one warehouse: as `npm start` runs it (response cache on) and without the cache,
  // so the cost of answering from DuckDB through HTTP is measured too.
  const listen = async (responseCache: boolean) => {
    const app = createApp({ wh, webRoot: join(tmpdir(), 'no-web-build'), readConnections: READERS, responseCache });
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => s.once('listening', r));
    servers.push(s);
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  };
  const base = await listen(true);
  const uncached = await listen(false);
  const signIn = async (username: string) => {
    const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
    if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status}`);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  const cookies = { sup: await signIn('bench-sup'), hr: await signIn('bench-hr') };
  // Sessions live in the warehouse: the cookies are good on both apps.
  const sessionId = (who: keyof typeof cookies) => cookies[who].split('=')[1]!;
  // Direct = what the handler reads, without HTTP: the session lookup and the route's queries,
  // on the same read connections.
  const direct = (who: keyof typeof cookies, read: (r: Warehouse) => Promise<unknown>) => () =>
    pool.use(async (r) => {
      await lookupSession(r, sessionId(who), new Date());
      await read(r);
    });

  const cases: { name: string; path: string; who: keyof typeof cookies; direct: () => Promise<void> }[] = [
    { name: 'kpi (company)', path: `/api/kpi?month=${MONTH}`, who: 'sup', direct: direct('sup', (r) => getKpi(r, MONTH)) },
    { name: 'kpi (team T01)', path: `/api/kpi?month=${MONTH}&team=T01`, who: 'sup', direct: direct('sup', (r) => getKpi(r, MONTH, { scope: 'team', id: 'T01' })) },
    { name: 'breakdown by team', path: `/api/breakdown?month=${MONTH}&by=team`, who: 'sup', direct: direct('sup', (r) => breakdown(r, MONTH, 'team', null)) },
    { name: 'assessment', path: `/api/assessment?month=${MONTH}`, who: 'hr', direct: direct('hr', (r) => getAssessment(r, MONTH)) },
    {
      name: 'late tickets, page of 50',
      path: `/api/tickets/late?month=${MONTH}&page_size=50`,
      who: 'sup',
      direct: direct('sup', async (r) => {
        await countLateTickets(r, { month: MONTH });
        await listLateTickets(r, { month: MONTH }, 's.minutes_late DESC', { limit: 50, offset: 0 });
      }),
    },
  ];
  console.log(`\n${CLIENTS} concurrent clients (HTTP from a separate process), ${SECONDS} s per case, ${READERS} read connections, loopback; ms`);
  console.log('case                       | HTTP (cached, as npm start) p50/p95/p99 req/s | HTTP uncached p50/p95/p99 req/s | direct p50/p95/p99 req/s | uncached over direct p50, p95');
  const f = (p: { p50: number; p95: number; p99: number }, rps: number) =>
    `${p.p50.toFixed(1)} / ${p.p95.toFixed(1)} / ${p.p99.toFixed(1)} ${rps.toFixed(0).padStart(5)}`.padEnd(31);
  const over = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(0)} %`;
  for (const c of cases) {
    const h = await loadHttp(base + c.path, cookies[c.who]);
    const u = await loadHttp(uncached + c.path, cookies[c.who]);
    const d = await loadDirect(c.direct);
    const [hp, up, dp] = [percentiles(h.ms), percentiles(u.ms), percentiles(d.ms)];
    console.log(
      `${c.name.padEnd(26)} | ${f(hp, h.rps)} | ${f(up, u.rps)} | ${f(dp, d.rps)} | ${over(up.p50, dp.p50)}, ${over(up.p95, dp.p95)}` +
        `${hp.p95 < 50 ? '' : '  (cached p95 over 50 ms)'}`,
    );
  }
} finally {
  for (const s of servers) s.close();
  pool.close();
  wh.close();
  cleanup();
}
