/**
 * Writing CSV files: DuckDB COPY for the bulk (ordered, so output is identical across runs),
 * small JS helpers for appended rows, a UTF-8 BOM, and streaming transcoding to GB18030 (as a
 * Chinese Excel "CSV" export would be).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { appendFileSync, createReadStream, createWriteStream, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { linesSql, type Output } from './formats.ts';
import { lit } from './random.ts';

/**
 * COPY a file's output to a UTF-8 CSV: the header line, then one record per row in the source
 * table's order. Records are built whole in SQL (linesSql), so the writer does no quoting.
 */
export async function copyCsv(conn: DuckDBConnection, output: Output, path: string): Promise<void> {
  await conn.run(
    `COPY (${linesSql(output)}) TO ${lit(path)} (FORMAT CSV, HEADER, QUOTE '', ESCAPE '', DELIMITER ',', PRESERVE_ORDER true)`,
  );
}

/** One CSV record (RFC 4180 quoting when needed; null is an empty cell). */
export function csvLine(values: ReadonlyArray<string | null>): string {
  return values
    .map((v) => {
      if (v === null) return '';
      return /[",\r\n]/.test(v) || v === '' ? `"${v.replaceAll('"', '""')}"` : v;
    })
    .join(',');
}

export function appendLines(path: string, lines: string[]): void {
  if (lines.length) appendFileSync(path, lines.map((l) => `${l}\n`).join(''), 'utf8');
}

/** Rewrites a UTF-8 file with a leading byte-order mark (streaming). */
export async function addBom(path: string): Promise<void> {
  const tmp = `${path}.bom.tmp`;
  writeFileSync(tmp, '\uFEFF', 'utf8');
  await pipeline(createReadStream(path), createWriteStream(tmp, { flags: 'a' }));
  renameSync(tmp, path);
}

/** Transcodes a UTF-8 file to GB18030 (streaming, constant memory), replacing it. */
export async function toGb18030(path: string): Promise<void> {
  const tmp = `${path}.gb.tmp`;
  const src = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  await pipeline(src as Readable, iconv.encodeStream('gb18030'), createWriteStream(tmp));
  rmSync(path);
  renameSync(tmp, path);
}
