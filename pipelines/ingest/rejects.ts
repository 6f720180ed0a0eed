/**
 * Rejected rows of a batch as a CSV the user can fix and upload again: the file's own header and
 * raw values, plus `reject_reason` with every reason of the row (SPEC §3).
 */
import type { Warehouse } from '../warehouse/warehouse.ts';
import { csvLine, UTF8_BOM } from '../export/safe-cell.ts';
import { DomainError } from '../errors.ts';
import { REJECT_REASON_COLUMN } from '../contract/header.ts';

export interface RejectRow {
  line_no: number;
  raw: (string | null)[];
  reasons: { column: string; code: string; message: string }[];
}

export async function listRejects(wh: Warehouse, batchId: number): Promise<{ header: string[]; rows: RejectRow[] }> {
  const batch = await wh.one<{ header: string[] | null }>('SELECT header FROM batches WHERE batch_id = $1', [batchId]);
  if (!batch) throw new DomainError('not_found', 'not_found', `batch ${batchId} does not exist`);
  const rows = await wh.all<RejectRow>('SELECT line_no, raw, reasons FROM rejects WHERE batch_id = $1 ORDER BY line_no', [batchId]);
  return { header: batch.header ?? [], rows };
}

/** `line 5: reason one; reason two` */
export function formatReason(r: RejectRow): string {
  return `line ${r.line_no}: ${r.reasons.map((x) => x.message).join('; ')}`;
}

export async function rejectsCsv(wh: Warehouse, batchId: number): Promise<string> {
  const { header, rows } = await listRejects(wh, batchId);
  const out = [UTF8_BOM + csvLine([...header, REJECT_REASON_COLUMN])];
  for (const r of rows) {
    const cells = header.map((_, i) => r.raw?.[i] ?? '');
    out.push(csvLine([...cells, formatReason(r)]));
  }
  return out.join('');
}
