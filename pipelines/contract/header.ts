/**
 * How a file's header names a kind's columns (SPEC §2): a header cell is a column's English id,
 * its Chinese label or a listed alias, ignoring case, white space (also the full-width space), a
 * byte-order mark and full-width brackets. The server's ingestion (pipelines/ingest/header.ts)
 * and the upload page's preview both match with this, so the page refuses exactly the headers
 * the server would.
 */

/** Added to downloaded rejects; ignored when the fixed file comes back. */
export const REJECT_REASON_COLUMN = 'reject_reason';

/** What matching needs of a column; the kinds (pipelines/ingest/kinds.ts, /api/uploads/kinds) have more. */
export interface HeaderColumn {
  id: string;
  label: string;
  aliases?: readonly string[];
  required?: boolean;
}

/**
 * mapped: names a column (the first to name it); extra: names none (kept in `extra`);
 * duplicate: names a column an earlier cell already names; ignored: the rejects' reason column.
 */
export type HeaderStatus = 'mapped' | 'extra' | 'duplicate' | 'ignored';

export interface HeaderCell<C extends HeaderColumn = HeaderColumn> {
  position: number;
  /** The cell as written. */
  header: string;
  status: HeaderStatus;
  column: C | null;
  /** For 'duplicate': the position of the first cell naming the same column. */
  firstPosition?: number;
}

export interface HeaderMatch<C extends HeaderColumn = HeaderColumn> {
  headers: HeaderCell<C>[];
  /** How many columns the header names. */
  matched: number;
  /** Required columns no cell names. */
  missing: C[];
  /** How many cells name a column a second time. */
  duplicates: number;
}

export function normalizeName(s: string): string {
  return s
    .replace(/^\uFEFF/, '')
    .replace(/[\s\u3000]+/g, '')
    .replaceAll('（', '(')
    .replaceAll('）', ')')
    .toLowerCase();
}

/** Each header cell against a kind's columns, and the required columns missing. */
export function matchHeader<C extends HeaderColumn>(columns: readonly C[], header: readonly string[]): HeaderMatch<C> {
  const byName = new Map<string, C>();
  for (const c of columns) for (const n of [c.id, c.label, ...(c.aliases ?? [])]) byName.set(normalizeName(n), c);
  const first = new Map<string, number>();
  let duplicates = 0;
  const headers = header.map((raw, position): HeaderCell<C> => {
    const name = normalizeName(raw);
    if (name === REJECT_REASON_COLUMN) return { position, header: raw, status: 'ignored', column: null };
    const column = byName.get(name) ?? null;
    if (!column) return { position, header: raw, status: 'extra', column: null };
    const seen = first.get(column.id);
    if (seen !== undefined) {
      duplicates++;
      return { position, header: raw, status: 'duplicate', column, firstPosition: seen };
    }
    first.set(column.id, position);
    return { position, header: raw, status: 'mapped', column };
  });
  const missing = columns.filter((c) => c.required && !first.has(c.id));
  return { headers, matched: first.size, missing, duplicates };
}

/**
 * The delimiter of a CSV header line: the most frequent of tab, comma and semicolon outside
 * quotes (comma when none). The server reads files with it; the browser previews them with it.
 */
export function detectDelimiter(headerLine: string): string {
  const counts: Record<string, number> = { '\t': 0, ',': 0, ';': 0 };
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch in counts) counts[ch]!++;
  }
  const best = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ',';
}
