/** Batch history (SPEC §3): every file ingested, newest first. */
import type { Warehouse } from '../warehouse/warehouse.ts';

export interface BatchRow {
  batch_id: number;
  kind: string;
  file_name: string;
  status: string;
  uploaded_by: string;
  started_at: string;
  rows_read: number;
  accepted: number;
  updated: number;
  rejected: number;
  warnings: number;
  error: string | null;
}

export async function listBatches(wh: Warehouse, limit = 100): Promise<BatchRow[]> {
  return wh.all<BatchRow>(
    `SELECT batch_id, kind, file_name, status, uploaded_by, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started_at,
            rows_read, accepted, updated, rejected, warnings, error
     FROM batches ORDER BY batch_id DESC LIMIT $1`,
    [limit],
  );
}
