/**
 * Month close (SPEC §4.6). closeMonth copies the month's live assessment units and bonus sheet
 * into the snapshot tables (closed_assessment_unit, closed_bonus_person) with who closed it and
 * when; from then on getAssessment serves the frozen copy, and later data, refreshes, policy
 * changes or allocations never change it. reopenMonth (an admin, with a reason — the server
 * checks the role) ends the close; the snapshot is kept as the record of what was closed.
 * Every close and reopen is written to the audit log in the same transaction.
 */
import type { CloseRecord } from '../contract/assessment.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { currentClose } from './assessment.ts';
import { writeAudit } from './audit.ts';
import { AssessmentError, monthStart, required } from './errors.ts';

/** Columns a snapshot copies from its mart: all of the snapshot's own but the close's. */
async function snapshotColumns(wh: Warehouse, table: string): Promise<string[]> {
  const rows = await wh.all<{ column_name: string }>(
    `SELECT column_name FROM duckdb_columns() WHERE table_name = $1 AND NOT internal ORDER BY column_index`,
    [table],
  );
  return rows.map((r) => r.column_name).filter((c) => !['close_id', 'closed_by', 'closed_at'].includes(c));
}

export async function closeMonth(wh: Warehouse, args: { month: string; by: string }): Promise<CloseRecord> {
  const d = monthStart(args.month);
  const by = required(args.by, 'by');
  return wh.transaction(async () => {
    const open = await currentClose(wh, d);
    if (open) throw new AssessmentError('conflict', 'already_closed', `${args.month} was already closed by ${open.closed_by} at ${open.closed_at}`);
    const stale = await wh.one<{ stale: boolean }>(
      `SELECT (SELECT coalesce(max(batch_id), 0) FROM batches WHERE status = 'committed')
              > coalesce((SELECT max(up_to_batch) FROM model_refresh), -1) AS stale`,
    );
    if (stale!.stale) throw new AssessmentError('conflict', 'models_stale', 'data was ingested since the models were last refreshed; refresh before closing');
    const units = await wh.one<{ n: number }>(
      `SELECT count(*) AS n FROM duckdb_tables() t WHERE t.table_name = 'mart_assessment_unit' AND NOT t.temporary`,
    );
    const has = units!.n ? (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM mart_assessment_unit WHERE month = CAST($1 AS DATE)`, [d]))!.n : 0;
    if (!has) throw new AssessmentError('not_found', 'no_assessment', `there is no assessment for ${args.month} (no data for the month, or the models are not built)`);

    const { id } = (await wh.one<{ id: number }>(`SELECT nextval('close_id_seq') AS id`))!;
    await wh.run(`INSERT INTO month_close (close_id, month, closed_by, closed_at) VALUES ($1, CAST($2 AS DATE), $3, now()::TIMESTAMP)`, [id, d, by]);
    for (const [snapshot, mart] of [['closed_assessment_unit', 'mart_assessment_unit'], ['closed_bonus_person', 'mart_bonus_person']] as const) {
      const cols = (await snapshotColumns(wh, snapshot)).map((c) => `"${c}"`).join(', ');
      await wh.run(
        `INSERT INTO ${snapshot} (close_id, closed_by, closed_at, ${cols})
         SELECT c.close_id, c.closed_by, c.closed_at, ${cols.split(', ').map((c) => `m.${c}`).join(', ')}
         FROM ${mart} m, month_close c WHERE c.close_id = $1 AND m.month = CAST($2 AS DATE)`,
        [id, d],
      );
    }
    const totals = (await wh.one<{ units: number; people: number; paid: number | null }>(
      `SELECT (SELECT count(*) FROM closed_assessment_unit WHERE close_id = $1) AS units,
              (SELECT count(*) FROM closed_bonus_person WHERE close_id = $1) AS people,
              (SELECT sum(total) FROM closed_bonus_person WHERE close_id = $1) AS paid`,
      [id],
    ))!;
    await writeAudit(wh, {
      actor: by,
      action: 'month.close',
      target: args.month,
      detail: { close_id: id, units: totals.units, people: totals.people, total: totals.paid ?? 0 },
    });
    return (await closeRecord(wh, id))!;
  });
}

export async function reopenMonth(wh: Warehouse, args: { month: string; by: string; reason: string }): Promise<CloseRecord> {
  const d = monthStart(args.month);
  const by = required(args.by, 'by');
  const reason = required(args.reason, 'reason');
  return wh.transaction(async () => {
    const open = await currentClose(wh, d);
    if (!open) throw new AssessmentError('conflict', 'not_closed', `${args.month} is not closed`);
    await wh.run(`UPDATE month_close SET reopened_by = $2, reopened_at = now()::TIMESTAMP, reopen_reason = $3 WHERE close_id = $1`, [open.close_id, by, reason]);
    await writeAudit(wh, {
      actor: by,
      action: 'month.reopen',
      target: args.month,
      detail: { close_id: open.close_id, closed_by: open.closed_by, closed_at: open.closed_at, reason },
    });
    return (await closeRecord(wh, open.close_id))!;
  });
}

/** Every close of a month (or of all months), newest first. */
export async function listCloses(wh: Warehouse, month?: string): Promise<CloseRecord[]> {
  return wh.all<CloseRecord>(
    `${CLOSE_SELECT} WHERE $1::DATE IS NULL OR month = $1::DATE ORDER BY close_id DESC`,
    [month === undefined ? null : monthStart(month)],
  );
}

const CLOSE_SELECT = `SELECT close_id, strftime(month, '%Y-%m') AS month, closed_by,
    strftime(closed_at, '%Y-%m-%d %H:%M:%S') AS closed_at, reopened_by,
    strftime(reopened_at, '%Y-%m-%d %H:%M:%S') AS reopened_at, reopen_reason
  FROM month_close`;

async function closeRecord(wh: Warehouse, id: number): Promise<CloseRecord | undefined> {
  return wh.one<CloseRecord>(`${CLOSE_SELECT} WHERE close_id = $1`, [id]);
}
