/**
 * End to end over the generator's own files: every kind ingests in manifest order, and each dirty
 * row the generator planted is rejected (or warned about) on its line, for its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, DIRTY_EXPECTED } from '../../pipelines/generate/generate.ts';
import type { BatchSummary } from '../../pipelines/contract/ingestion.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { listRejects } from '../../pipelines/ingest/rejects.ts';
import { tempWarehouse, type TempWarehouse } from '../helpers.ts';

/** The generator names reasons in its own words; these are the ingester's codes for them. */
const CODE: Record<string, string> = {
  bad_timestamp: 'unparseable_timestamp',
  bad_date: 'unparseable_date',
  bad_number: 'unparseable_number',
  bad_enum: 'unknown_enum',
  negative_number: 'negative_value',
  negative_money: 'negative_value',
  wrong_column_count: 'column_count',
};

/** Rules over two columns: the generator and the ingester may name either column. */
const CROSS_COLUMN = new Set(['completed_when_cancelled', 'corrected_without_grades']);

interface Expected {
  files: { kind: string; file: string; rows: { line: number; expect: 'reject' | 'warning'; reason: string; column: string | null }[] }[];
}

let t: TempWarehouse;
const batches = new Map<string, BatchSummary>();
let expected: Expected;

beforeAll(async () => {
  t = await tempWarehouse();
  const out = join(t.dir, 'demo');
  const files = await generate({ out, months: 3, tickets: 4000, seed: 11, dirty: true, end: '2025-06' });
  for (const f of files) batches.set(f.kind, await ingestFile(t.wh, f.kind, f.file));
  expected = JSON.parse(readFileSync(join(out, DIRTY_EXPECTED), 'utf8')) as Expected;
});
afterAll(() => t.cleanup());

describe('generated demo files with --dirty', () => {
  it('ingests every kind, each in its own encoding', () => {
    expect([...batches.values()].map((b) => [b.kind, b.encoding])).toEqual([
      ['teams', 'xlsx'],
      ['technicians', 'utf-8-bom'],
      ['tickets', 'utf-8'],
      ['feedback', 'utf-8'],
      ['complaints', 'gb18030'],
      ['verifications', 'utf-8'],
      ['adjustments', 'utf-8'],
    ]);
    for (const b of batches.values()) expect(b.accepted).toBeGreaterThan(0);
  });

  it('rejects each planted row on its line for its reason, and warns where it should', async () => {
    for (const f of expected.files) {
      const b = batches.get(f.kind)!;
      const { rows } = await listRejects(t.wh, b.batch_id);
      const byLine = new Map(rows.map((r) => [r.line_no, r.reasons]));
      const warnings = await t.wh.all<{ line_no: number; column: string }>('SELECT line_no, "column" FROM batch_warnings WHERE batch_id = $1', [b.batch_id]);
      for (const e of f.rows) {
        const where = `${f.file} line ${e.line} (${e.reason})`;
        if (e.expect === 'warning') {
          expect(warnings.some((w) => w.line_no === e.line && (!e.column || w.column === e.column)), where).toBe(true);
          continue;
        }
        const reasons = byLine.get(e.line);
        expect(reasons, where).toBeDefined();
        const code = CODE[e.reason] ?? e.reason;
        const columnOk = (c: string) => !e.column || CROSS_COLUMN.has(code) || c === e.column;
        expect(reasons!.some((r) => r.code === code && columnOk(r.column)), `${where}: got ${JSON.stringify(reasons)}`).toBe(true);
      }
      // The only rejects beyond the planted ones are the earlier rows of a duplicated key.
      const planted = f.rows.filter((r) => r.expect === 'reject').length;
      const dupOriginals = rows.filter((r) => r.reasons.every((x) => x.code === 'duplicate_key') && !f.rows.some((e) => e.line === r.line_no)).length;
      expect(b.rejected, f.file).toBe(planted + dupOriginals);
      expect(dupOriginals, f.file).toBe(f.rows.filter((r) => r.reason === 'duplicate_key').length);
    }
  });
});
