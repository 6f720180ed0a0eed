/**
 * pipelines/load-batch.ts, the one use case "ingest a file → audit → refresh the models": the audit
 * entry of each outcome, a duplicate audited but not refreshed, a refused file, and a write
 * conflict reported as a DomainError that says whether the batch was stored.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../pipelines/assessment/index.ts';
import { DomainError } from '../../pipelines/errors.ts';
import { loadBatch, type BatchAudit } from '../../pipelines/load-batch.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;
beforeEach(async () => {
  t = await tempWarehouse();
});
afterEach(() => t.cleanup());

const H = ['工单号', '报修时间', '客户名称', '班组编号', '工号', '完成时间'];
const audit: BatchAudit = {
  action: 'upload',
  stored: (b) => ({ target: 'tickets', detail: { batch_id: b.batch_id, duplicate: b.duplicate } }),
  failed: (err) => ({ target: 'tickets', detail: { result: 'failed', error: err.message } }),
};

describe('loadBatch', () => {
  it('ingests, audits and refreshes; the same file again is audited as a duplicate and refreshes nothing', async () => {
    const f = t.file('t.csv', csv([H, ['K1', '2025-05-01 08:00', '甲', 'T1', 'E1', '2025-05-01 12:00']]));
    const first = await loadBatch(t.wh, 'tickets', f, { by: 'sup1', audit });
    expect(first.summary).toMatchObject({ duplicate: false, inserted: 1 });
    expect(first.refresh?.months).toContain('2025-05');

    const again = await loadBatch(t.wh, 'tickets', f, { by: 'sup1', audit });
    expect(again).toMatchObject({ summary: { duplicate: true, duplicate_of: first.summary.batch_id }, refresh: null });

    const entries = await listAudit(t.wh, { action: 'upload' });
    expect(entries.map((e) => [e.actor, e.target, e.detail])).toEqual([
      ['sup1', 'tickets', { batch_id: first.summary.batch_id, duplicate: true }],
      ['sup1', 'tickets', { batch_id: first.summary.batch_id, duplicate: false }],
    ]);
  });

  it("refresh 'none' stores the batch and leaves the models", async () => {
    const f = t.file('t.csv', csv([H, ['K1', '2025-05-01 08:00', '甲', 'T1', 'E1', '']]));
    const r = await loadBatch(t.wh, 'tickets', f, { refresh: 'none' });
    expect(r.refresh).toBeNull();
    expect((await t.wh.one<{ n: number }>('SELECT count(*) AS n FROM model_refresh'))!.n).toBe(0);
  });

  it('a refused file: DomainError refused/ingest_failed, and the failure is audited', async () => {
    const f = t.file('no-id.csv', csv([['报修时间', '客户名称'], ['2025-05-01 08:00', '甲']]));
    const err = await loadBatch(t.wh, 'tickets', f, { by: 'sup1', audit }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ kind: 'refused', code: 'ingest_failed' });
    const [entry] = await listAudit(t.wh, { action: 'upload' });
    expect(entry).toMatchObject({ actor: 'sup1', target: 'tickets', detail: { result: 'failed', error: (err as Error).message } });
  });

  it('a write conflict after the ingest says the batch is stored', async () => {
    const f = t.file('t.csv', csv([H, ['K1', '2025-05-01 08:00', '甲', 'T1', 'E1', '']]));
    const conflict = () => Promise.reject(new Error('TransactionContext Error: Conflict on update!'));
    const err = await loadBatch(t.wh, 'tickets', f, { exclusive: conflict }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ kind: 'conflict', code: 'write_conflict' });
    expect((err as Error).message).toMatch(/^batch \d+ is stored, but refreshing the figures collided/);
  });
});
