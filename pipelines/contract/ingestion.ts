/**
 * Ingestion answers: the file contract of each kind (GET /api/uploads/kinds), a batch's summary
 * (the CLI's `ingest --json`, POST /api/uploads), its rejected rows (GET /api/batches/:id/rejects)
 * and the batch history (GET /api/batches).
 */
import type { HeaderColumn } from './header.ts';

/** A column of a kind as the upload page matches headers against it. */
export interface KindColumn extends HeaderColumn {
  aliases: string[];
  required: boolean;
}

/** One kind the user may upload. */
export interface UploadKind {
  /** teams, technicians, tickets, feedback, complaints, verifications, adjustments, calendar */
  name: string;
  label: string;
  /** The columns that identify a record. */
  key: string[];
  columns: KindColumn[];
}

/** One file ingested as one batch (SPEC §3). */
export interface BatchSummary {
  batch_id: number;
  kind: string;
  file_name: string;
  sha256: string;
  format: string;
  encoding: string;
  rows: number;
  accepted: number;
  inserted: number;
  updated: number;
  unchanged: number;
  replaced: number;
  rejected: number;
  warnings: number;
  duplicate: boolean;
  /** For a duplicate: the batch that already holds this file. */
  duplicate_of: number | null;
  seconds: number;
}

/** POST /api/uploads: the batch and the months whose figures were rebuilt. */
export interface UploadResult extends BatchSummary {
  refreshed_months: string[];
}

export interface RejectReason {
  column: string;
  code: string;
  message: string;
}

/** A rejected row: its line in the file (the header is line 1) and every reason. */
export interface RejectRow {
  line_no: number;
  reasons: RejectReason[];
}

export interface RejectsPage {
  batch_id: number;
  /** Rejected rows of the batch, not of the page. */
  total: number;
  rows: RejectRow[];
}

/** A batch of the history, newest first. */
export interface BatchRow {
  batch_id: number;
  kind: string;
  file_name: string;
  status: string;
  uploaded_by: string;
  started_at: string;
  rows_read: number | null;
  accepted: number | null;
  updated: number | null;
  rejected: number | null;
  warnings: number | null;
  error: string | null;
}
