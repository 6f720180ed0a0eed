/** Shapes of the ingestion API answers (server/routes-uploads.ts, server/routes.ts). */

export interface BatchResult {
  batch_id: number;
  kind: string;
  file_name: string;
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
  duplicate_of: number | null;
  seconds: number;
  refreshed_months: string[];
}

export interface RejectReason {
  column: string;
  code: string;
  message: string;
}

export interface RejectsPage {
  batch_id: number;
  total: number;
  rows: { line_no: number; reasons: RejectReason[] }[];
}

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
