/**
 * The one way a file becomes figures: ingest it as one batch (ingest/ingest.ts), write the audit
 * entry, refresh the models for the months it touched. The upload route, the CLI's `ingest`, the
 * calendar import and the demo loader all go through loadBatch; a spot-check verification, which
 * writes its one-row batch itself, refreshes through refreshModelsFor like the rest.
 *
 * A duplicate file changes nothing, so it is audited but not refreshed. Another connection writing
 * the same rows meanwhile (the server ingests uploads on their own connection) is a DomainError
 * 'conflict' `write_conflict` that says whether the batch was stored.
 */
import { writeAudit } from './assessment/audit.ts';
import { DomainError, isWriteConflict } from './errors.ts';
import type { BatchSummary } from './contract/ingestion.ts';
import { defaultUploader, ingestFile, type IngestHooks } from './ingest/ingest.ts';
import type { KindName } from './ingest/kinds.ts';
import { refreshModels, type RefreshReport } from './models/refresh.ts';
import { ensureReferenceData } from './models/setup.ts';
import type { Progress } from './progress.ts';
import type { Warehouse } from './warehouse/warehouse.ts';

/** After a stored batch: rebuild the months it touched, every month, or nothing (the caller refreshes later). */
export type RefreshMode = 'incremental' | 'full' | 'none';

/** The audit entry of a load, by `by`: its action, and its target and detail for each outcome. */
export interface BatchAudit {
  action: string;
  /** For a stored batch, or a duplicate. */
  stored: (summary: BatchSummary) => AuditFields;
  /** For a file the ingestion refused; without it a refusal is not audited. */
  failed?: (err: Error) => AuditFields;
}

interface AuditFields {
  target: string;
  detail: Record<string, unknown>;
}

export interface LoadBatchOptions {
  /** Who loads it: recorded on the batch and as the audit's actor (default `cli:<os user>`). */
  by?: string;
  /** Name to record for the file (an upload's original name); defaults to the file's own. */
  fileName?: string;
  onProgress?: Progress;
  /** Default 'incremental'. */
  refresh?: RefreshMode;
  audit?: BatchAudit;
  /**
   * Runs the writes that follow the ingest (audit entries, the refresh). The server passes its
   * warehouse write lock: the ingest runs on its own connection beside requests, this step alone.
   */
  exclusive?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Points inside the ingest where a test steps in (ingest/ingest.ts). */
  hooks?: IngestHooks;
}

export interface LoadedBatch {
  summary: BatchSummary;
  /** The refresh that ran; null for a duplicate or with refresh 'none'. */
  refresh: RefreshReport | null;
}

export async function loadBatch(wh: Warehouse, kind: KindName, file: string, opts: LoadBatchOptions = {}): Promise<LoadedBatch> {
  const by = opts.by ?? defaultUploader();
  const exclusive = opts.exclusive ?? (<T>(fn: () => Promise<T>) => fn());
  const audit = (fields: AuditFields) => writeAudit(wh, { actor: by, action: opts.audit!.action, ...fields });

  let summary: BatchSummary;
  try {
    summary = await ingestFile(wh, kind, file, {
      uploadedBy: by,
      fileName: opts.fileName,
      onProgress: opts.onProgress,
      // A stored batch's audit entry commits with the batch, on the ingest's connection.
      inTransaction: opts.audit ? (s) => audit(opts.audit!.stored(s)) : undefined,
      hooks: opts.hooks,
    });
  } catch (err) {
    const failed = opts.audit?.failed;
    if (failed) await exclusive(() => audit(failed(err as Error))).catch(() => undefined);
    if (isWriteConflict(err) || (err instanceof DomainError && err.code === 'write_conflict')) {
      throw new DomainError('conflict', 'write_conflict', 'the upload collided with another change to the same records; nothing was stored — send it again');
    }
    throw err;
  }

  const mode = summary.duplicate ? 'none' : (opts.refresh ?? 'incremental');
  try {
    const refresh = await exclusive(async () => {
      // A duplicate stored nothing, so it had no transaction to be audited in.
      if (opts.audit && summary.duplicate) await audit(opts.audit.stored(summary));
      if (mode === 'none') return null;
      opts.onProgress?.('refresh');
      return refreshModelsFor(wh, mode);
    });
    return { summary, refresh };
  } catch (err) {
    if (isWriteConflict(err)) {
      throw new DomainError('conflict', 'write_conflict', `batch ${summary.batch_id} is stored, but refreshing the figures collided with another change; they are refreshed with the next change`);
    }
    throw err;
  }
}

/**
 * Refreshes the models: the months the batches since the last refresh touched, or all months.
 * The working calendar they are built on is loaded first when the warehouse has none
 * (models/setup.ts; nothing to do otherwise).
 */
export async function refreshModelsFor(wh: Warehouse, mode: 'incremental' | 'full'): Promise<RefreshReport> {
  await ensureReferenceData(wh);
  return refreshModels(wh, { full: mode === 'full' });
}
