/**
 * bench:kpi — the models on 10 million generated tickets over 24 months (issue 3). Prints:
 *   - ingest time of each generated file, and the full model build time;
 *   - the incremental refresh after ingesting one more day of tickets (~14k);
 *   - p50/p95 of the `kpi` (and `assessment`) reads for a month served from marts, beside a plain
 *     DuckDB aggregate over the raw tickets table for the same month (the same-run reference).
 * Targets: incremental refresh < 3 s; a served month's KPI read p95 < 50 ms.
 * Sizes: BENCH_TICKETS (default 10 000 000), BENCH_QUERIES (default 200).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlString } from '../../pipelines/warehouse/warehouse.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { buildBenchWarehouse, percentiles, secs } from './bench-warehouse.ts';
import { getKpi } from '../../pipelines/reads/kpi.ts';
import { benchExtraReads } from './kpi-extra-reads.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 10_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const MONTH = '2025-06';

async function timeQueries(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return percentiles(ms);
}

const dir = mkdtempSync(join(tmpdir(), 'bench-kpi-'));
try {
  const { wh, full } = await buildBenchWarehouse(dir, TICKETS);
  let t0 = performance.now();
  for (const m of full.models) console.log(`  ${m.name.padEnd(26)} ${m.seconds.toFixed(2)} s`);

  // One more day: the last day's tickets again, one day later, under new ids.
  const dayFile = join(dir, 'one-more-day.csv');
  await wh.run(`COPY (
      SELECT 'N' || ticket_id AS ticket_id, reported_at + INTERVAL 1 DAY AS reported_at, channel, customer_name, distance_km,
             fault_category, team_id, technician_id, first_response_at + INTERVAL 1 DAY AS first_response_at,
             arrived_at + INTERVAL 1 DAY AS arrived_at, completed_at + INTERVAL 1 DAY AS completed_at, result
      FROM tickets WHERE reported_at >= (SELECT date_trunc('day', max(reported_at)) FROM tickets)
    ) TO ${sqlString(dayFile)} (HEADER)`);
  t0 = performance.now();
  const day = await ingestFile(wh, 'tickets', dayFile);
  const ingestDay = secs(t0);
  t0 = performance.now();
  const inc = await refreshModels(wh);
  const incSecs = secs(t0);
  console.log(`\none more day: ingest ${day.rows.toLocaleString()} tickets ${ingestDay.toFixed(2)} s; incremental refresh ${incSecs.toFixed(2)} s (months ${inc.months.join(', ')}) — target < 3 s ${incSecs < 3 ? 'MET' : 'NOT MET'}`);
  for (const m of inc.models) console.log(`  ${m.name.padEnd(26)} ${m.seconds.toFixed(2)} s`);

  const kpi = await timeQueries(() => getKpi(wh, MONTH));
  const kpiTeam = await timeQueries(() => getKpi(wh, MONTH, { scope: 'team', id: 'T01' }));
  const raw = await timeQueries(() =>
    wh.all(
      `SELECT count(*) AS reported, count(completed_at) AS completed,
              count(*) FILTER (WHERE arrived_at <= reported_at + INTERVAL 24 HOUR) AS arrived_24h
       FROM tickets WHERE reported_at >= CAST($1 AS TIMESTAMP) AND reported_at < CAST($1 AS TIMESTAMP) + INTERVAL 1 MONTH`,
      [`${MONTH}-01`],
    ),
  );
  const fmt = (r: { p50: number; p95: number }) => `p50 ${r.p50.toFixed(2)} ms  p95 ${r.p95.toFixed(2)} ms`;
  console.log(`\nreads for ${MONTH}, ${QUERIES} each:`);
  console.log(`  kpi (company, from marts)              ${fmt(kpi)} — target p95 < 50 ms ${kpi.p95 < 50 ? 'MET' : 'NOT MET'}`);
  console.log(`  kpi (team T01, from marts)             ${fmt(kpiTeam)}`);
  for (const [name, r] of await benchExtraReads(wh, MONTH, timeQueries)) console.log(`  ${name.padEnd(38)} ${fmt(r)}`);
  console.log(`  reference: plain aggregate, raw tickets ${fmt(raw)} (ratio kpi/raw p50 ${(kpi.p50 / raw.p50).toFixed(2)})`);
  wh.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
