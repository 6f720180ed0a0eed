/**
 * The upload page's header matching: the contract's matchHeader — the very function the server's
 * ingestion uses, so a file the server would refuse for its header is caught before the upload —
 * applied to each kind, to guess a file's kind and show the mapping before sending.
 * Pure functions (no Svelte, no $lib) so the browser tests can check them directly.
 */
import { matchHeader, type HeaderMatch, type KindColumn, type UploadKind } from '$contract';

/** A kind with how a file's header names its columns. */
export interface KindMapping extends HeaderMatch<KindColumn> {
  kind: UploadKind;
}

export function mapHeader(kind: UploadKind, header: string[]): KindMapping {
  return { kind, ...matchHeader(kind.columns, header) };
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
