/** Batch history (SPEC §3): every file ingested, newest first. */
import type { BatchRow } from '../contract/ingestion.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';

export async function listBatches(wh: Warehouse, limit = 100): Promise<BatchRow[]> {
  return wh.all<BatchRow>(
    `SELECT batch_id, kind, file_name, status, uploaded_by, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started_at,
            rows_read, accepted, updated, rejected, warnings, error
     FROM batches ORDER BY batch_id DESC LIMIT $1`,
    [limit],
  );
}
