/** The benchmarks' warehouse: generated demo files (24 months) ingested and modelled, with timings. */
import { join } from 'node:path';
import { generate } from '../../pipelines/generate/generate.ts';
import { Warehouse } from '../../pipelines/warehouse/warehouse.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels, type RefreshReport } from '../../pipelines/models/refresh.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';

export const BENCH_END = '2025-12';
export const secs = (t0: number) => (performance.now() - t0) / 1000;

export async function buildBenchWarehouse(dir: string, tickets: number, log = console.log): Promise<{ wh: Warehouse; full: RefreshReport }> {
  let t0 = performance.now();
  const files = await generate({ out: join(dir, 'demo'), months: 24, tickets, seed: 3, dirty: false, end: BENCH_END });
  log(`generated ${tickets.toLocaleString()} tickets (24 months to ${BENCH_END}) in ${secs(t0).toFixed(0)} s`);
  const wh = await Warehouse.open(join(dir, 'warehouse.duckdb'));
  await ensureReferenceData(wh);
  for (const f of files) {
    t0 = performance.now();
    const b = await ingestFile(wh, f.kind, f.file);
    log(`ingest ${f.kind.padEnd(13)} ${b.rows.toLocaleString().padStart(11)} rows in ${secs(t0).toFixed(1)} s`);
  }
  t0 = performance.now();
  const full = await refreshModels(wh, { full: true });
  log(`full model build: ${secs(t0).toFixed(1)} s (${full.months.length} months)`);
  return { wh, full };
}

export function percentiles(ms: number[]): { p50: number; p95: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}
