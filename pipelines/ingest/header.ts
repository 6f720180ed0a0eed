/**
 * Maps a file's header to a kind's columns: each header cell may be the English id or the
 * Chinese label of SPEC §2 (or a listed alias). Unknown headers become extra columns, kept in
 * the `extra` JSON. A header that names one column twice, or lacks a required column, fails the
 * batch: no row of such a file could be read correctly.
 */
import type { Column, Kind } from './kinds.ts';
import { IngestError } from './errors.ts';

/** Added to downloaded rejects; ignored when the fixed file comes back. */
export const REJECT_REASON_COLUMN = 'reject_reason';

export interface HeaderMapping {
  /** column id → position in the file */
  positions: Map<string, number>;
  extras: { position: number; name: string }[];
}

function normalizeName(s: string): string {
  return s
    .replace(/^\uFEFF/, '')
    .replace(/[\s\u3000]+/g, '')
    .replaceAll('（', '(')
    .replaceAll('）', ')')
    .toLowerCase();
}

export function mapHeader(kind: Kind, header: string[], fileName: string): HeaderMapping {
  const byName = new Map<string, Column>();
  for (const c of kind.columns) {
    for (const n of [c.id, c.label, ...(c.aliases ?? [])]) byName.set(normalizeName(n), c);
  }
  const positions = new Map<string, number>();
  const extras: HeaderMapping['extras'] = [];
  header.forEach((raw, position) => {
    if (normalizeName(raw) === REJECT_REASON_COLUMN) return;
    const col = byName.get(normalizeName(raw));
    if (!col) {
      extras.push({ position, name: raw.trim() || `column_${position + 1}` });
      return;
    }
    const seen = positions.get(col.id);
    if (seen !== undefined) {
      throw new IngestError(
        `${fileName}: line 1: columns ${seen + 1} ("${header[seen]}") and ${position + 1} ("${raw}") both name ${col.id} (${col.label})`,
      );
    }
    positions.set(col.id, position);
  });
  const missing = kind.columns.filter((c) => c.required && !positions.has(c.id));
  if (missing.length) {
    throw new IngestError(
      `${fileName}: line 1: required column${missing.length > 1 ? 's' : ''} ${missing
        .map((c) => `${c.id} (${c.label})`)
        .join(', ')} missing from the header; is this a ${kind.name} (${kind.label}) file?`,
    );
  }
  return { positions, extras };
}

/** Positions of timestamp/date columns, for reading Excel serial dates. */
export function dateColumnPositions(kind: Kind, header: string[]): Set<number> {
  const dateIds = new Set(kind.columns.filter((c) => ['timestamp', 'date', 'month'].includes(c.type.t)).map((c) => c.id));
  const out = new Set<number>();
  try {
    const { positions } = mapHeader(kind, header, '');
    for (const [id, pos] of positions) if (dateIds.has(id)) out.add(pos);
  } catch {
    // A bad header fails the batch later with its own message.
  }
  return out;
}
