/**
 * bench:api — the dashboard's endpoints under 20 concurrent clients on loopback (issue 4), beside
 * the same reads called directly on DuckDB with the same concurrency, in the same run.
 * Each endpoint: LOAD_SECONDS of 20 clients looping (bounded by time and by MAX_REQUESTS), then
 * p50/p95/p99 in ms and the overhead of HTTP (routing, session, roles, JSON) over direct DuckDB.
 * Targets: served-month endpoints p95 < 50 ms; overhead < 20 %.
 * Sizes: BENCH_TICKETS (default 10 000 000), BENCH_SECONDS (default 5), BENCH_CLIENTS (default 20).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.ts';
import { createUser } from '../../server/auth.ts';
import { getKpi } from '../../pipelines/models/kpi.ts';
import { getAssessment } from '../../pipelines/assessment/index.ts';
import { listLateTickets } from '../../server/late-tickets.ts';
import { buildBenchWarehouse, percentiles } from './bench-warehouse.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 10_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const MAX_REQUESTS = 200_000;
const MONTH = '2025-06';

/** CLIENTS workers calling `fn` until SECONDS pass; latencies in ms. */
async function load(fn: () => Promise<void>): Promise<{ ms: number[]; rps: number }> {
  for (let i = 0; i < 10; i++) await fn(); // warm-up
  const ms: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
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

const dir = mkdtempSync(join(tmpdir(), 'bench-api-'));
let server: ReturnType<typeof serve> | undefined;
try {
  const { wh } = await buildBenchWarehouse(dir, TICKETS);
  const password = 'bench-password-2026';
  for (const [username, role] of [['sup', 'supervisor'], ['hr', 'hr']] as const) await createUser(wh, { username, role, password });
  const app = createApp({ wh, webRoot: join(dir, 'no-web') });
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server!.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cookieOf = async (username: string) => {
    const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status}`);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  const cookies = { sup: await cookieOf('sup'), hr: await cookieOf('hr') };
  const get = (path: string, who: keyof typeof cookies) => async () => {
    const res = await fetch(base + path, { headers: { cookie: cookies[who] } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    await res.arrayBuffer();
  };

  const cases: { name: string; http: () => Promise<void>; direct: () => Promise<void> }[] = [
    { name: 'kpi (company)', http: get(`/api/kpi?month=${MONTH}`, 'sup'), direct: async () => void (await getKpi(wh, MONTH)) },
    { name: 'kpi (team T01)', http: get(`/api/kpi?month=${MONTH}&team=T01`, 'sup'), direct: async () => void (await getKpi(wh, MONTH, { scope: 'team', id: 'T01' })) },
    {
      name: 'breakdown by team',
      http: get(`/api/breakdown?month=${MONTH}&by=team`, 'sup'),
      direct: async () => void (await wh.all(`SELECT * FROM kpi_month WHERE month = CAST($1 AS DATE) AND scope = 'team'`, [`${MONTH}-01`])),
    },
    { name: 'assessment', http: get(`/api/assessment?month=${MONTH}`, 'hr'), direct: async () => void (await getAssessment(wh, MONTH)) },
    {
      name: 'late tickets, page of 50',
      http: get(`/api/tickets/late?month=${MONTH}&page_size=50`, 'sup'),
      direct: async () => void (await listLateTickets(wh, { month: MONTH }, 's.minutes_late DESC', { limit: 50, offset: 0 })),
    },
  ];
  console.log(`\n${CLIENTS} concurrent clients, ${SECONDS} s per case, loopback; ms`);
  console.log('case                       | HTTP p50 / p95 / p99       req/s | direct p50 / p95 / p99     | overhead p50, p95');
  for (const c of cases) {
    const h = await load(c.http);
    const d = await load(c.direct);
    const hp = percentiles(h.ms);
    const dp = percentiles(d.ms);
    const f = (p: { p50: number; p95: number; p99: number }) => `${p.p50.toFixed(1)} / ${p.p95.toFixed(1)} / ${p.p99.toFixed(1)}`.padEnd(22);
    const over = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(0)} %`;
    console.log(
      `${c.name.padEnd(26)} | ${f(hp)} ${h.rps.toFixed(0).padStart(6)} | ${f(dp)} | ${over(hp.p50, dp.p50)}, ${over(hp.p95, dp.p95)}` +
        `${hp.p95 < 50 ? '' : '  (p95 over 50 ms)'}`,
    );
  }
} finally {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
}
