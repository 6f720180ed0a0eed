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
      models.push({ name: f.replace(/^\d+_/, '').replace(/\.sql$/, ''), layer, path, materialized: m[1] as Materialized, sql: sql.trim().replace(/;\s*$/, '') });
    }
  }
  return models;
}
