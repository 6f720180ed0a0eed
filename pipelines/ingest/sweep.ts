/**
 * Files a killed process leaves behind (issue 11 item 11): an upload being received (`uploads/`), a
 * normalized copy being ingested (`tmp/`), and the archived original of a batch that never
 * committed (`archive/`, no `batches.archive_path` names it). Swept when the server opens the
 * warehouse: it then holds DuckDB's lock on the file, so no other process can be writing them.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Warehouse } from '../warehouse/warehouse.ts';

export interface SweepReport {
  uploads: number;
  tmp: number;
  archive: number;
}

export async function sweepLeftovers(wh: Warehouse): Promise<SweepReport> {
  const root = wh.filesDir;
  const report: SweepReport = { uploads: emptyDir(join(root, 'uploads')), tmp: emptyDir(join(root, 'tmp')), archive: 0 };
  const archive = join(root, 'archive');
  if (!existsSync(archive)) return report;
  // By file name (sha256-name), not by the stored absolute path: a warehouse moved to another folder
  // keeps its archive.
  const kept = new Set(
    (await wh.all<{ p: string }>('SELECT DISTINCT archive_path AS p FROM batches WHERE archive_path IS NOT NULL')).map((r) => basename(r.p)),
  );
  for (const sub of readdirSync(archive)) {
    const dir = join(archive, sub);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir)) {
      const path = join(dir, f);
      if (kept.has(f)) continue;
      rmSync(path, { force: true });
      report.archive++;
    }
  }
  return report;
}

function emptyDir(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const f of readdirSync(dir)) {
    rmSync(join(dir, f), { recursive: true, force: true });
    n++;
  }
  return n;
}
