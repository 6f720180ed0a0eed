/**
 * Demo warehouse for a newcomer (`npm start`): on an empty warehouse (no uploads of any kind), generate a year and a half of
 * demo files (a few hundred thousand tickets), ingest them through the normal pipeline and build
 * the models. The HTTP server and dashboard will start from the same function.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Warehouse } from './warehouse/warehouse.ts';
import { defaultEnd, generate } from './generate/generate.ts';
import { loadBatch, refreshModelsFor } from './load-batch.ts';
import { ensureReferenceData } from './models/setup.ts';

export interface DemoOptions {
  tickets?: number;
  months?: number;
  log?: (msg: string) => void;
}

/** The tables uploads fill (SPEC §3), live and history: any row in them means the warehouse is in use. */
const RECORD_TABLES = ['teams', 'technicians', 'tickets', 'feedback', 'complaints', 'verifications', 'adjustments'] as const;

/**
 * True when the warehouse holds nothing anyone loaded: no batch at all but the built-in calendar
 * (ensureReferenceData, uploaded_by 'setup'), committed or failed, and no row in any upload table
 * or its history. A warehouse with only master data (teams, technicians) is not empty.
 */
export async function isEmptyWarehouse(wh: Warehouse): Promise<boolean> {
  const batches = (await wh.one<{ n: number }>(
    `SELECT count(*) AS n FROM batches WHERE NOT (kind = 'calendar' AND uploaded_by = 'setup')`,
  ))!.n;
  if (Number(batches) > 0) return false;
  const rows = RECORD_TABLES.flatMap((t) => [`(SELECT count(*) FROM (SELECT 1 FROM ${t} LIMIT 1))`, `(SELECT count(*) FROM (SELECT 1 FROM ${t}_history LIMIT 1))`]);
  const { n } = (await wh.one<{ n: number }>(`SELECT ${rows.join(' + ')} AS n`))!;
  return Number(n) === 0;
}

/**
 * Returns true when demo data was loaded: only into an empty warehouse (isEmptyWarehouse). The
 * demo accounts (server/users.ts) follow the demo batches, so a warehouse in use gets neither.
 */
export async function ensureDemoData(wh: Warehouse, opts: DemoOptions = {}): Promise<boolean> {
  const log = opts.log ?? (() => undefined);
  await ensureReferenceData(wh);
  if (!(await isEmptyWarehouse(wh))) {
    await refreshModelsFor(wh, 'incremental');
    return false;
  }
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-demo-'));
  try {
    log('empty warehouse: generating demo data …');
    // fraud: a few forgers and honest look-alikes, so the risk signals have something to find
    // (its truth/ files stay in the temp folder: only the manifest's files are loaded)
    const files = await generate({ out: dir, months: opts.months ?? 18, tickets: opts.tickets ?? 300_000, seed: 1, dirty: true, fraud: true, end: defaultEnd() });
    // Every file first, then one full build: cheaper than a refresh after each.
    for (const f of files) {
      const { summary: b } = await loadBatch(wh, f.kind, f.file, { by: 'demo', refresh: 'none' });
      log(`  ${f.kind}: ${b.accepted} accepted, ${b.rejected} rejected`);
    }
    const r = await refreshModelsFor(wh, 'full');
    log(`models built in ${r.seconds.toFixed(1)} s`);
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
