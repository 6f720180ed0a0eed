/**
 * Batch behaviour (SPEC §3): duplicates change nothing, upserts keep history, feedback forms
 * replace each other per ticket, unknown references warn, a bad header fails the batch, and
 * rejects come back as a file that can be fixed and sent again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { rejectsCsv } from '../../pipelines/ingest/rejects.ts';
import { listBatches } from '../../pipelines/ingest/batches.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;
beforeEach(async () => {
  t = await tempWarehouse();
});
afterEach(() => t.cleanup());

const H = ['工单号', '报修时间', '客户名称', '班组编号', '工号', '完成时间'];

describe('batches', () => {
  it('reports a byte-identical file as a duplicate and changes nothing; archives the original', async () => {
    const f = t.file('t.csv', csv([H, ['K1', '2025-05-01 08:00', '甲', 'T1', 'E1', '']]));
    const first = await ingestFile(t.wh, 'tickets', f);
    expect(first).toMatchObject({ duplicate: false, inserted: 1 });
    const again = await ingestFile(t.wh, 'tickets', f);
    expect(again).toMatchObject({ duplicate: true, duplicate_of: first.batch_id, accepted: 0, rows: 0 });
    expect((await listBatches(t.wh)).length).toBe(1);
    const [b] = await t.wh.all<{ archive_path: string; sha256: string }>('SELECT archive_path, sha256 FROM batches');
    expect(readFileSync(b!.archive_path)).toEqual(readFileSync(f));
  });

  it('upserts by key: newest batch wins, earlier version kept in history, identical rows unchanged', async () => {
    await ingestFile(t.wh, 'tickets', t.file('a.csv', csv([H, ['K1', '2025-05-01 08:00', '甲', 'T1', 'E1', ''], ['K2', '2025-05-01 09:00', '乙', 'T1', 'E1', '']])));
    const b2 = await ingestFile(
      t.wh,
      'tickets',
      t.file('b.csv', csv([H, ['K1', '2025-05-01 08:00', '甲', 'T1', 'E1', '2025-05-02 10:00'], ['K2', '2025-05-01 09:00', '乙', 'T1', 'E1', ''], ['K3', '2025-05-03 09:00', '丙', 'T1', 'E1', '']])),
    );
    expect(b2).toMatchObject({ rows: 3, accepted: 3, inserted: 1, updated: 1, unchanged: 1, rejected: 0 });
    expect(await t.wh.all(`SELECT ticket_id, strftime(completed_at, '%Y-%m-%d %H:%M') AS c, batch_id FROM tickets ORDER BY 1`)).toEqual([
      { ticket_id: 'K1', c: '2025-05-02 10:00', batch_id: b2.batch_id },
      { ticket_id: 'K2', c: null, batch_id: b2.batch_id - 1 },
      { ticket_id: 'K3', c: null, batch_id: b2.batch_id },
    ]);
    expect(await t.wh.all(`SELECT ticket_id, completed_at, batch_id, superseded_by, change FROM tickets_history`)).toEqual([
      { ticket_id: 'K1', completed_at: null, batch_id: b2.batch_id - 1, superseded_by: b2.batch_id, change: 'updated' },
    ]);
  });

  it('a second feedback form for a ticket replaces the first, which stays in history', async () => {
    const FH = ['form_id', 'ticket_id', 'submitted_at', 'timeliness', 'quality', 'attitude'];
    await ingestFile(t.wh, 'feedback', t.file('f1.csv', csv([FH, ['F1', 'K1', '2025-05-02', 'C', 'C', 'C'], ['F9', 'K9', '2025-05-02', 'A', 'A', 'A']])));
    const b = await ingestFile(
      t.wh,
      'feedback',
      t.file('f2.csv', csv([FH, ['F2', 'K1', '2025-05-05', 'A', 'B', 'A'], ['F3', 'K3', '2025-05-05', 'B', 'B', 'B'], ['F4', 'K3', '2025-05-06', 'A', 'A', 'A']])),
    );
    expect(b).toMatchObject({ accepted: 3, inserted: 3, replaced: 2 });
    expect(await t.wh.all('SELECT form_id, ticket_id FROM feedback ORDER BY 1')).toEqual([
      { form_id: 'F2', ticket_id: 'K1' },
      { form_id: 'F4', ticket_id: 'K3' },
      { form_id: 'F9', ticket_id: 'K9' },
    ]);
    expect(await t.wh.all('SELECT form_id, change, superseded_by FROM feedback_history ORDER BY 1')).toEqual([
      { form_id: 'F1', change: 'replaced', superseded_by: b.batch_id },
      { form_id: 'F3', change: 'replaced', superseded_by: b.batch_id },
    ]);
  });

  it('accepts unknown team and technician ids with a warning', async () => {
    await ingestFile(t.wh, 'teams', t.file('teams.csv', csv([['team_id', 'team_name'], ['T1', '一站']])));
    await ingestFile(t.wh, 'technicians', t.file('tech.csv', csv([['technician_id', 'name', 'team_id'], ['E1', '甲', 'T1'], ['E2', '乙', 'T7']])));
    const b = await ingestFile(t.wh, 'tickets', t.file('t.csv', csv([H, ['K1', '2025-05-01 08:00', '甲', 'T1', 'E1', ''], ['K2', '2025-05-01 08:00', '乙', 'T9', 'E9', ''], ['K3', '2025-05-01 08:00', '丙', 'T1', 'E5', '']])));
    expect(b).toMatchObject({ accepted: 3, rejected: 0, warnings: 2 });
    expect(await t.wh.all('SELECT line_no, "column", value, code, message FROM batch_warnings WHERE batch_id = $1 ORDER BY 1, 2', [b.batch_id])).toEqual([
      { line_no: 3, column: 'team_id', value: 'T9', code: 'unknown_reference', message: 'team_id: "T9" is not a known team (teams.team_id)' },
      { line_no: 3, column: 'technician_id', value: 'E9', code: 'unknown_reference', message: 'technician_id: "E9" is not a known technician (technicians.technician_id)' },
      { line_no: 4, column: 'technician_id', value: 'E5', code: 'unknown_reference', message: 'technician_id: "E5" is not a known technician (technicians.technician_id)' },
    ]);
  });

  it('fails a file without a required column, names file, line and column, and records the failure', async () => {
    const f = t.file('wrong.csv', csv([['工单号', '客户名称'], ['K1', '甲']]));
    await expect(ingestFile(t.wh, 'tickets', f)).rejects.toThrow('wrong.csv: line 1: required column reported_at (报修时间) missing from the header; is this a tickets (报修工单) file?');
    expect(await t.wh.all('SELECT count(*) AS n FROM tickets')).toEqual([{ n: 0 }]);
    const [b] = await listBatches(t.wh);
    expect(b).toMatchObject({ status: 'failed', kind: 'tickets', file_name: 'wrong.csv' });
  });

  it('fails a header naming one column twice', async () => {
    const f = t.file('twice.csv', csv([['ticket_id', '工单号', 'reported_at', 'customer_name'], ['K1', 'K1', '2025-05-01', 'x']]));
    await expect(ingestFile(t.wh, 'tickets', f)).rejects.toThrow('twice.csv: line 1: columns 1 ("ticket_id") and 2 ("工单号") both name ticket_id (工单号)');
  });

  it('rejects download in the original columns plus reject_reason; fixed and re-sent, they are accepted', async () => {
    const b = await ingestFile(
      t.wh,
      'tickets',
      t.file('t.csv', csv([['工单号', '报修时间', '客户名称', '备注'], ['K1', '2025-05-01 08:00', '甲', '=HYPERLINK("x")'], ['K2', '2025-05-32 08:00', '乙', '=cmd'], ['K3', '2025-05-01 08:00', '', '-5']])),
    );
    expect(b.rejected).toBe(2);
    const text = await rejectsCsv(t.wh, b.batch_id);
    expect(text).toBe(
      '\uFEFF工单号,报修时间,客户名称,备注,reject_reason\r\n' +
        'K2,2025-05-32 08:00,乙,\'=cmd,"line 3: reported_at (报修时间): cannot read ""2025-05-32 08:00"" as a timestamp"\r\n' +
        'K3,2025-05-01 08:00,,-5,line 4: customer_name (客户名称) is required\r\n',
    );
    const fixed = text.replace('2025-05-32', '2025-05-31').replace('K3,2025-05-01 08:00,,', 'K3,2025-05-01 08:00,丙,');
    const f2 = join(t.dir, 'fixed.csv');
    writeFileSync(f2, fixed);
    const b2 = await ingestFile(t.wh, 'tickets', f2);
    expect(b2).toMatchObject({ accepted: 2, inserted: 2, rejected: 0 });
    expect(await t.wh.all(`SELECT ticket_id, CAST(extra AS VARCHAR) AS extra FROM tickets ORDER BY 1`)).toEqual([
      { ticket_id: 'K1', extra: '{"备注":"=HYPERLINK(\\"x\\")"}' },
      { ticket_id: 'K2', extra: '{"备注":"\'=cmd"}' },
      { ticket_id: 'K3', extra: '{"备注":"-5"}' },
    ]);
    expect(existsSync(f2)).toBe(true);
  });
});
