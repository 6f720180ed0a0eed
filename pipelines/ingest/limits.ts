/**
 * Limits on what a file may be, checked before DuckDB reads it (docs/ingestion.md, "Limits"): a
 * file far wider than any kind (tens of thousands of columns, or megabytes on one line), or an
 * XLSX that unpacks to hundreds of megabytes, would otherwise take minutes and gigabytes to read.
 */
import { IngestError } from './errors.ts';

/** Columns in a header. Every kind has under 30 columns, so 500 leaves room for hundreds of extras. */
export const MAX_COLUMNS = 500;
/** Bytes on one physical line of a CSV/TSV file (the line break not counted): 1 MiB. */
export const MAX_LINE_BYTES = 1 << 20;
/** What an XLSX may unpack to (the sum of its zip entries' sizes): 100 MiB. */
export const MAX_XLSX_UNPACKED_BYTES = 100 << 20;
/** The header line must fit in the file's first 64 KiB. */
export const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Refuses a header wider than MAX_COLUMNS.
 * @param atLeast the count is a lower bound (only the start of the header was read)
 */
export function checkColumns(fileName: string, columns: number, atLeast = false): void {
  if (columns > MAX_COLUMNS) {
    throw new IngestError(
      `${fileName}: line 1: the header has ${atLeast ? 'at least ' : ''}${columns} columns; at most ${MAX_COLUMNS} columns are allowed`,
    );
  }
}
