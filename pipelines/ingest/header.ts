/**
 * Maps a file's header to a kind's columns with the shared matching (pipelines/contract/header.ts):
 * each header cell may be the English id or the Chinese label of SPEC §2 (or a listed alias).
 * Unknown headers become extra columns, kept in the `extra` JSON. A header that names one column
 * twice, or lacks a required column, fails the batch: no row of such a file could be read correctly.
 */
import { matchHeader } from '../contract/header.ts';
import type { Kind } from './kinds.ts';
import { IngestError } from './errors.ts';

export interface HeaderMapping {
  /** column id → position in the file */
  positions: Map<string, number>;
  extras: { position: number; name: string }[];
}

export function mapHeader(kind: Kind, header: string[], fileName: string): HeaderMapping {
  const m = matchHeader(kind.columns, header);
  const dup = m.headers.find((h) => h.status === 'duplicate');
  if (dup) {
    const seen = dup.firstPosition!;
    throw new IngestError(
      `${fileName}: line 1: columns ${seen + 1} ("${header[seen]}") and ${dup.position + 1} ("${dup.header}") both name ${dup.column!.id} (${dup.column!.label})`,
    );
  }
  if (m.missing.length) {
    throw new IngestError(
      `${fileName}: line 1: required column${m.missing.length > 1 ? 's' : ''} ${m.missing
        .map((c) => `${c.id} (${c.label})`)
        .join(', ')} missing from the header; is this a ${kind.name} (${kind.label}) file?`,
    );
  }
  const positions = new Map<string, number>();
  const extras: HeaderMapping['extras'] = [];
  for (const h of m.headers) {
    if (h.status === 'mapped') positions.set(h.column!.id, h.position);
    if (h.status === 'extra') extras.push({ position: h.position, name: h.header.trim() || `column_${h.position + 1}` });
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
