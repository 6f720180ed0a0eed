/**
 * The browser's copy of the server's header matching (pipelines/ingest/header.ts): a header cell
 * names a column by its English id, its Chinese label or an alias, ignoring case, spaces and
 * full-width brackets. Used to guess the kind of a file and show the mapping before sending, so
 * a file the server would refuse for its header is caught before the upload.
 * Pure functions (no Svelte, no $lib) so the browser tests can check them directly.
 */

export interface KindColumn {
  id: string;
  label: string;
  aliases: string[];
  required: boolean;
}

export interface UploadKind {
  name: string;
  label: string;
  key: string[];
  columns: KindColumn[];
}

/** Added by the server to downloaded rejects; ignored when the fixed file comes back. */
export const REJECT_REASON_COLUMN = 'reject_reason';

export type HeaderStatus = 'mapped' | 'extra' | 'duplicate' | 'ignored';

export interface HeaderMatch {
  position: number;
  header: string;
  status: HeaderStatus;
  column: KindColumn | null;
  /** For 'duplicate': the position of the first header naming the same column. */
  firstPosition?: number;
}

export interface KindMapping {
  kind: UploadKind;
  headers: HeaderMatch[];
  matched: number;
  missing: KindColumn[];
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

export function mapHeader(kind: UploadKind, header: string[]): KindMapping {
  const byName = new Map<string, KindColumn>();
  for (const c of kind.columns) for (const n of [c.id, c.label, ...c.aliases]) byName.set(normalizeName(n), c);
  const first = new Map<string, number>();
  let duplicates = 0;
  const headers = header.map((raw, position): HeaderMatch => {
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
  const missing = kind.columns.filter((c) => c.required && !first.has(c.id));
  return { kind, headers, matched: first.size, missing, duplicates };
}

/**
 * The kind a header most likely belongs to: among kinds whose required columns are all present,
 * the one matching the most columns; when none is complete, the one matching the most (its
 * missing columns are then shown). Ties go to the kind with fewer unmatched headers, then to the
 * server's order. Null when no header matches any kind.
 */
export function detectKind(kinds: UploadKind[], header: string[]): KindMapping | null {
  let best: KindMapping | null = null;
  const score = (m: KindMapping) => [m.missing.length === 0 ? 1 : 0, m.matched, -m.headers.filter((h) => h.status === 'extra').length];
  for (const kind of kinds) {
    const m = mapHeader(kind, header);
    if (m.matched === 0) continue;
    if (!best) {
      best = m;
      continue;
    }
    const a = score(m);
    const b = score(best);
    const i = a.findIndex((v, j) => v !== b[j]);
    if (i >= 0 && a[i]! > b[i]!) best = m;
  }
  return best;
}
