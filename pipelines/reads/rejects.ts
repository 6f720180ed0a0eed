/**
 * A batch's first rejected rows with every reason, as JSON (GET /api/batches/:id/rejects, the
 * upload summary). The whole file with the original cells is pipelines/ingest/rejects.ts's CSV.
 */
import type { RejectRow, RejectsPage } from '../contract/ingestion.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';

export async function rejectsPage(wh: Warehouse, batchId: number, limit: number): Promise<RejectsPage> {
  const total = await wh.one<{ n: number }>('SELECT count(*)::INT AS n FROM rejects WHERE batch_id = $1', [batchId]);
  const rows = await wh.all<RejectRow>(
    'SELECT line_no::INT AS line_no, reasons FROM rejects WHERE batch_id = $1 ORDER BY line_no LIMIT $2',
    [batchId, limit],
  );
  return { batch_id: batchId, total: total?.n ?? 0, rows };
}
