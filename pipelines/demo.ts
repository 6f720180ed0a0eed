/**
 * Demo warehouse for a newcomer (`npm start`): on an empty warehouse, generate a year and a half of
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

/** Returns true when demo data was loaded (the warehouse had no tickets). */
export async function ensureDemoData(wh: Warehouse, opts: DemoOptions = {}): Promise<boolean> {
  const log = opts.log ?? (() => undefined);
  await ensureReferenceData(wh);
  const { n } = (await wh.one<{ n: number }>('SELECT count(*) AS n FROM tickets'))!;
  if (n > 0) {
    await refreshModelsFor(wh, 'incremental');
    return false;
  }
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-demo-'));
  try {
    log('empty warehouse: generating demo data …');
    const files = await generate({ out: dir, months: opts.months ?? 18, tickets: opts.tickets ?? 300_000, seed: 1, dirty: true, end: defaultEnd() });
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
