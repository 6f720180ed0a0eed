/**
 * The SQL models of sql/models, read as files: layers run in order (staging → facts → marts), files
 * within a layer by their number. A model's name is its file name without the number; its header
 * says how it is materialized:
 *   -- materialized: view         CREATE OR REPLACE VIEW
 *   -- materialized: table        CREATE OR REPLACE TABLE (small, rebuilt on every refresh)
 *   -- materialized: incremental  a table with a `month` column; a refresh deletes and re-inserts
 *                                 only the months in the temp table `refresh_months`, and the
 *                                 model's SQL selects only those (with getvariable('refresh_from')
 *                                 / ('refresh_to') as a range DuckDB can prune by).
 * An incremental fact may say how it treats a month rebuilt only because the as-of time moved (a
 * "clock month": no batch touched it, nothing it depends on changed but the time):
 *   -- clock: <key> WHEN <predicate>  only the stored rows matching the predicate (a pending clock
 *                                 whose deadline the new as-of time, getvariable('as_of'), has
 *                                 passed) are rebuilt; the model's SQL keeps, in clock months, only
 *                                 the source rows whose key is in temp table refresh_clock_keys
 *                                 (months in refresh_clock_months).
 *   -- as-of: independent         nothing in the model depends on the as-of time: clock months
 *                                 are left as they are.
 * Without either, a clock month is rebuilt whole (the safe default).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../warehouse/warehouse.ts';

export const MODELS_DIR = join(PROJECT_ROOT, 'sql', 'models');
export const LAYERS = ['staging', 'facts', 'marts'] as const;

export type Materialized = 'view' | 'table' | 'incremental';

export interface Model {
  name: string;
  layer: (typeof LAYERS)[number];
  path: string;
  materialized: Materialized;
  sql: string;
  /** `-- clock:` — the key column, and which stored rows of a clock month the as-of time can change. */
  clock?: { key: string; when: string };
  /** `-- as-of: independent` — clock months need no rebuild. */
  asOfIndependent: boolean;
}

export function loadModels(dir: string = MODELS_DIR): Model[] {
  const models: Model[] = [];
  for (const layer of LAYERS) {
    const files = readdirSync(join(dir, layer)).filter((f) => /^\d+_[a-z0-9_]+\.sql$/.test(f)).sort();
    for (const f of files) {
      const path = join(dir, layer, f);
      const sql = readFileSync(path, 'utf8');
      const m = /^--\s*materialized:\s*(view|table|incremental)\s*$/m.exec(sql);
      if (!m) throw new Error(`${path}: the header needs a line "-- materialized: view|table|incremental"`);
      const clock = /^--\s*clock:\s*([a-z_][a-z0-9_]*)\s+WHEN\s+(.+?)\s*$/m.exec(sql);
      const asOfIndependent = /^--\s*as-of:\s*independent\s*$/m.test(sql);
      const body = sql.replace(/^\s*--.*$/gm, '');
      if ((clock || asOfIndependent) && m[1] !== 'incremental') throw new Error(`${path}: "clock" and "as-of" apply to incremental models only`);
      if (clock && asOfIndependent) throw new Error(`${path}: a model is either refreshed by clock or independent of the as-of time, not both`);
      if (clock && !/refresh_clock_keys/.test(body)) throw new Error(`${path}: a model refreshed by clock must keep only the keys of refresh_clock_keys in clock months`);
      if (asOfIndependent && /data_as_of|getvariable\('as_of'\)/.test(body)) throw new Error(`${path}: reads the as-of time, so it is not independent of it`);
      models.push({
        name: f.replace(/^\d+_/, '').replace(/\.sql$/, ''), layer, path, materialized: m[1] as Materialized, sql: sql.trim().replace(/;\s*$/, ''),
        clock: clock ? { key: clock[1]!, when: clock[2]! } : undefined,
        asOfIndependent,
      });
    }
  }
  return models;
}
