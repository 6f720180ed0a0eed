/**
 * The refresh invariant as a check (SPEC §4, issue 10): the models of a warehouse, refreshed
 * incrementally batch after batch, must equal a full rebuild, row for row. `snapshotModels` reads
 * every model table sorted by all its columns; `firstModelDifference` names the first model whose
 * rows differ; `differenceFromFullRebuild` checkpoints a live warehouse, rebuilds a copy of its file
 * in full and compares the two. Used by the property test (tests/models/refresh-invariant.test.ts)
 * and the soak script (scripts/soak.ts).
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Warehouse } from '../warehouse/warehouse.ts';
import { loadModels } from './models.ts';
import { refreshModels } from './refresh.ts';

export type ModelSnapshot = Map<string, unknown[]>;

/** Every model's rows, sorted by all their columns (names in build order). */
export async function snapshotModels(wh: Warehouse): Promise<ModelSnapshot> {
  const out: ModelSnapshot = new Map();
  for (const { name } of loadModels()) out.set(name, await wh.all(`SELECT * FROM ${name} ORDER BY ALL`));
  return out;
}

/** The first model whose rows differ between two snapshots, with a few differing rows; null when equal. */
export function firstModelDifference(a: ModelSnapshot, b: ModelSnapshot, names: [string, string] = ['incremental', 'full']): string | null {
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name) ?? [];
    const y = b.get(name) ?? [];
    if (isDeepStrictEqual(x, y)) continue;
    const key = (r: unknown) => JSON.stringify(r);
    const inX = new Set(x.map(key));
    const inY = new Set(y.map(key));
    const onlyY = y.filter((r) => !inX.has(key(r)));
    const onlyX = x.filter((r) => !inY.has(key(r)));
    return `${name}: ${names[0]} has ${x.length} rows, ${names[1]} ${y.length}; only in ${names[1]}: ${JSON.stringify(onlyY.slice(0, 2))}; only in ${names[0]}: ${JSON.stringify(onlyX.slice(0, 2))}`;
  }
  return null;
}

let copies = 0;

/**
 * The first model whose rows differ between the warehouse (open, possibly in use) and a full
 * rebuild of a copy of its file, written beside it in `dir` and removed afterwards; null when equal.
 */
export async function differenceFromFullRebuild(t: { wh: Warehouse; dbPath: string; dir: string }): Promise<string | null> {
  const incremental = await snapshotModels(t.wh);
  await t.wh.run('CHECKPOINT');
  const copyPath = join(t.dir, `full-${process.pid}-${++copies}.duckdb`);
  copyFileSync(t.dbPath, copyPath);
  const copy = await Warehouse.open(copyPath);
  try {
    await refreshModels(copy, { full: true });
    return firstModelDifference(incremental, await snapshotModels(copy));
  } finally {
    copy.close();
    rmSync(copyPath, { force: true });
    rmSync(`${copyPath}.wal`, { force: true });
  }
}
