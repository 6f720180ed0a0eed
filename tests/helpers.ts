/** Test helpers: a throwaway warehouse in a temp folder, and files written in a chosen encoding. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { Warehouse } from '../pipelines/warehouse/warehouse.ts';

export interface TempWarehouse {
  wh: Warehouse;
  dir: string;
  dbPath: string;
  file: (name: string, content: string, encoding?: 'utf-8' | 'utf-8-bom' | 'gbk' | 'gb18030') => string;
  cleanup: () => void;
}

export async function tempWarehouse(): Promise<TempWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-test-'));
  const dbPath = join(dir, 'test.duckdb');
  const wh = await Warehouse.open(dbPath);
  return {
    wh,
    dir,
    dbPath,
    file(name, content, encoding = 'utf-8') {
      const path = join(dir, name);
      if (encoding === 'gbk' || encoding === 'gb18030') writeFileSync(path, iconv.encode(content, encoding));
      else writeFileSync(path, (encoding === 'utf-8-bom' ? '\uFEFF' : '') + content);
      return path;
    },
    cleanup() {
      try {
        wh.close();
      } catch {
        // already closed by the test
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CSV text from rows of cells (no quoting needed by the callers' values). */
export function csv(rows: (string | number)[][]): string {
  return rows.map((r) => r.join(',')).join('\n') + '\n';
}
