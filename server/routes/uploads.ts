/**
 * Uploads (issue 4 §3): `POST /api/uploads?kind=<kind>` — a multipart file streamed to disk
 * (server/upload-receive.ts), ingested through the pipeline on a SEPARATE DuckDB connection
 * (`wh.session()`), so requests on the main connection keep answering with committed data while a
 * long ingest runs; then the upload is audited and the models refreshed (pipelines/load-batch.ts).
 * See docs/server.md, "Uploads".
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { UploadKind } from '../../pipelines/contract/ingestion.ts';
import { KIND_NAMES, KINDS, type KindName } from '../../pipelines/ingest/kinds.ts';
import { rejectsPage } from '../../pipelines/reads/rejects.ts';
import { loadBatch } from '../../pipelines/load-batch.ts';
import { ApiError, forbidden } from '../errors.ts';
import type { RouteDef } from '../http.ts';
import { error, json, me, STD_ERRORS, type RouteDeps } from './kit.ts';
import { receiveUpload } from '../upload-receive.ts';

export const UPLOAD_PATH = '/api/uploads';
const UPLOADERS = ['supervisor', 'admin', 'hr'] as const;
/** The kinds each uploading role may send: hr only its own bonus adjustments (其他奖惩). */
export const UPLOAD_KINDS: Record<(typeof UPLOADERS)[number], readonly KindName[]> = {
  supervisor: KIND_NAMES,
  admin: KIND_NAMES,
  hr: ['adjustments'],
};

export function uploadRoutes(d: RouteDeps): RouteDef[] {
  const { wh } = d;
  // Files arrive side by side, each within its deadline, and are ingested one at a time in the
  // order they arrived (per app, i.e. per process): a slow sender holds neither the ingest nor the
  // others. At most limits.uploadsAtOnce are in progress; one more → 409.
  let inProgress = 0;
  let turn: Promise<void> = Promise.resolve();
  const nextTurn = (): Promise<() => void> => {
    let release!: () => void;
    const prev = turn;
    turn = new Promise<void>((r) => (release = r));
    return prev.then(() => release);
  };

  return [
    {
      method: 'GET', path: '/api/uploads/kinds', tag: 'ingestion', access: [...UPLOADERS],
      summary: 'The file contract of each kind the user may upload: columns with English id, Chinese label, aliases, required',
      notes: 'The upload page detects the kind of a file from its header and shows the column mapping before sending. hr: adjustments only.',
      responses: { 200: json('{kinds: [{name, label, key, columns: [{id, label, aliases, required}]}]}'), ...STD_ERRORS },
      async handler(c, { user, wh }) {
        const role = me(user).role as (typeof UPLOADERS)[number];
        const kinds = UPLOAD_KINDS[role].map((name): UploadKind => {
          const k = KINDS[name];
          return {
            name, label: k.label, key: k.key,
            columns: k.columns.map((col) => ({ id: col.id, label: col.label, aliases: col.aliases ?? [], required: col.required === true })),
          };
        });
        return c.json({ kinds });
      },
    },
    {
      method: 'GET', path: '/api/batches/:id/rejects', tag: 'ingestion', access: ['supervisor', 'admin'],
      summary: 'The first rejected rows of a batch with every reason (line, column, message), as JSON',
      notes: 'For the upload summary; the whole file with the original cells is rejects.csv.',
      params: { id: { type: 'int', description: 'the batch id', min: 1, required: true } },
      query: { limit: { type: 'int', description: 'at most this many rows (1–500, default 50)', min: 1, max: 500, default: 50 } },
      responses: { 200: json('{batch_id, total, rows: [{line_no, reasons: [{column, code, message}]}]}'), ...STD_ERRORS },
      async handler(c, { p, q, wh }) {
        return c.json(await rejectsPage(wh, p.id as number, q.limit as number));
      },
    },
    {
      method: 'POST', path: UPLOAD_PATH, tag: 'ingestion', access: [...UPLOADERS], lock: 'none',
      summary: 'Upload a file (multipart/form-data, field "file"; needs X-CSRF-Token): ingested as one batch, batch summary back',
      notes:
        'supervisor and admin may upload every kind; hr only adjustments (other kinds → 403). Accepted: .csv, .tsv, .txt (UTF-8 or GBK/GB18030 text) and .xlsx; ' +
        'the extension and the first bytes are checked (→ 415). Size limit UPLOAD_MAX_BYTES (default 200 MiB) → 413. The file is streamed to disk, ingested on a ' +
        'separate connection (reads keep answering with the committed data meanwhile), the models are refreshed (briefly holding the warehouse write lock) and the ' +
        'upload is audited (action upload, committed with the batch). Files arrive side by side within UPLOAD_MAX_SECONDS (default 600) and with pauses ' +
        'under UPLOAD_IDLE_SECONDS (default 30), else 408 upload_too_slow; they are ingested one at a time in the order they arrived. At most UPLOADS_AT_ONCE (default 4) ' +
        'uploads are in progress; one more → 409 upload_in_progress. ' +
        'A file already ingested for the kind answers duplicate: true and changes nothing. A file the pipeline refuses (header, encoding…) → 422 with its message.',
      query: { kind: { type: 'enum', description: 'what the file holds', values: KIND_NAMES, required: true } },
      body: {
        required: true,
        contentType: 'multipart/form-data',
        schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'the CSV, TSV or XLSX file (one file; other fields are ignored)' } } },
      },
      responses: {
        200: { description: 'the batch summary {batch_id, kind, file_name, rows, accepted, inserted, updated, unchanged, replaced, rejected, warnings, duplicate, duplicate_of, refreshed_months, …}', schema: { type: 'object' } },
        ...STD_ERRORS,
        408: error('the file arrived too slowly (upload_too_slow)'),
        409: error('too many uploads in progress, or a write conflict with another writer'),
        413: error('file larger than the upload limit'),
        415: error('not multipart, or a file type that is not accepted'),
        422: error('the pipeline refused the file (file, line, column, reason)'),
      },
      async handler(c, { q, user }) {
        const u = me(user);
        const kind = q.kind as KindName;
        if (!UPLOAD_KINDS[u.role as (typeof UPLOADERS)[number]]?.includes(kind)) {
          throw forbidden(`the ${u.role} role may upload only ${UPLOAD_KINDS[u.role as (typeof UPLOADERS)[number]]?.join(', ') ?? 'nothing'}`, 'kind_not_allowed');
        }
        if (inProgress >= d.limits.uploadsAtOnce) {
          throw new ApiError(409, 'upload_in_progress', 'too many uploads are in progress; try again when one has finished', {}, { 'Retry-After': '5' });
        }
        inProgress++;
        let path: string | undefined;
        let release: (() => void) | undefined;
        try {
          const file = await receiveUpload(c.req.raw, join(wh.filesDir, 'uploads'), d.limits.uploadMaxBytes, {
            totalMs: d.limits.uploadMaxSeconds * 1000,
            idleMs: d.limits.uploadIdleSeconds * 1000,
          });
          path = file.path;
          release = await nextTurn();
          const s = await wh.session();
          try {
            const { summary, refresh } = await loadBatch(s, kind, file.path, {
              by: u.username,
              fileName: file.fileName,
              // The mart rebuild holds the write lock: requests on the main connection neither
              // conflict with it (an allocation rebuilds bonus-sheet months too) nor wait for the
              // ingest, only for this short step. The audit entry commits with the batch.
              exclusive: (fn) => d.lock.write(fn),
              audit: {
                action: 'upload',
                stored: (b) => ({
                  target: kind,
                  detail: { file: file.fileName, bytes: file.bytes, batch_id: b.batch_id, duplicate: b.duplicate, rows: b.rows, accepted: b.accepted, rejected: b.rejected },
                }),
                failed: (err) => ({ target: kind, detail: { file: file.fileName, result: 'failed', error: err.message } }),
              },
            });
            return c.json({ ...summary, refreshed_months: refresh?.months ?? [] });
          } finally {
            s.close();
          }
        } finally {
          if (path) rmSync(path, { force: true });
          release?.();
          inProgress--;
        }
      },
    },
  ];
}
