/**
 * Ingestion history: the batches, newest first, and a batch's rejected rows as CSV (raw rows hold
 * customer PII, so only the roles that see PII may download them).
 */
import { listBatches } from '../../pipelines/ingest/batches.ts';
import { rejectsCsv } from '../../pipelines/ingest/rejects.ts';
import type { RouteDef } from '../http.ts';
import { error, json, STD_ERRORS } from './kit.ts';

export function batchRoutes(): RouteDef[] {
  return [
    {
      method: 'GET', path: '/api/batches', tag: 'ingestion', access: ['supervisor', 'admin', 'hr'],
      summary: 'Batch history, newest first',
      query: { limit: { type: 'int', description: 'how many batches', min: 1, max: 1000, default: 100 } },
      responses: { 200: json('{batches: [...]}'), ...STD_ERRORS },
      async handler(c, { q, wh }) {
        return c.json({ batches: await listBatches(wh, q.limit as number) });
      },
    },
    {
      method: 'GET', path: '/api/batches/:id/rejects.csv', tag: 'ingestion', access: ['supervisor', 'admin'],
      summary: "A batch's rejected rows in the file's own columns plus reject_reason (UTF-8 CSV with BOM)",
      notes: 'Raw rows hold customer PII, so only roles that see PII may download them.',
      params: { id: { type: 'int', description: 'the batch id', min: 1, max: 999_999_999 } },
      responses: { 200: { description: 'CSV', contentType: 'text/csv; charset=utf-8', schema: { type: 'string' } }, ...STD_ERRORS, 404: error('no such batch') },
      async handler(c, { p, wh }) {
        const csv = await rejectsCsv(wh, p.id as number);
        c.header('Content-Type', 'text/csv; charset=utf-8');
        c.header('Content-Disposition', `attachment; filename="rejects-${p.id}.csv"`);
        return c.body(csv);
      },
    },
  ];
}
