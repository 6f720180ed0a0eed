/**
 * Reads the first worksheet of an XLSX workbook (streamed with exceljs) into the normalized CSV
 * described in source.ts. Dates become `YYYY-MM-DD HH:MM:SS` text: Excel stores them as serial
 * day numbers, which exceljs turns into Dates for date-formatted cells; a bare number in a
 * timestamp column is taken as a serial too.
 */
import ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename } from 'node:path';
import { csvQuote } from './csv-records.ts';
import { IngestError } from './errors.ts';
import { checkColumns } from './limits.ts';
import { discard } from './temp-file.ts';
import type { Progress } from '../progress.ts';

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

export function excelSerialToText(serial: number): string {
  return formatWallClock(new Date(EXCEL_EPOCH_MS + Math.round(serial * 86400) * 1000));
}

/** A Date whose UTC fields hold the wall-clock time (how exceljs returns cell dates). */
function formatWallClock(d: Date): string {
  const r = new Date(Math.round(d.getTime() / 1000) * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${r.getUTCFullYear()}-${p(r.getUTCMonth() + 1)}-${p(r.getUTCDate())} ${p(r.getUTCHours())}:${p(r.getUTCMinutes())}:${p(r.getUTCSeconds())}`;
}

function cellText(v: unknown, serialIsDate: boolean): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return formatWallClock(v);
  if (typeof v === 'number') return serialIsDate ? excelSerialToText(v) : String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if ('result' in o) return cellText(o.result, serialIsDate);
    if ('text' in o) return cellText(o.text, serialIsDate);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

/** Returns the header row; writes the data rows to `out`. */
export async function xlsxToNormalizedCsv(
  file: string,
  out: string,
  dateColumns: (header: string[]) => Set<number>,
  onProgress?: Progress,
  name = basename(file),
): Promise<string[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'emit',
  });
  const ws = createWriteStream(out);
  let header: string[] | undefined;
  let serialCols = new Set<number>();
  let buffer: string[] = [];
  let rows = 0;
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row.values as unknown[]) ?? [];
        if (!header) {
          header = values.slice(1).map((v) => cellText(v, false).trim());
          while (header.length && header[header.length - 1] === '') header.pop();
          checkColumns(name, header.length);
          serialCols = dateColumns(header);
          buffer.push([...header.map((_, i) => `c${i}`), '__line', '__shape'].join(',') + '\n');
          continue;
        }
        const width = header.length;
        const cells = values.slice(1).map((v, i) => cellText(v, serialCols.has(i)));
        while (cells.length > width && cells[cells.length - 1] === '') cells.pop();
        if (cells.every((c) => c.trim() === '')) continue; // an empty row
        const shape = cells.length > width ? `expected ${width} columns, found ${cells.length}; extra values: ${cells.slice(width).join(',')}` : '';
        const line = Array.from({ length: width }, (_, i) => csvQuote(cells[i] ?? ''));
        buffer.push(line.join(',') + `,${row.number},${csvQuote(shape)}\n`);
        if (buffer.length >= 5000) {
          if (!ws.write(buffer.join(''))) await once(ws, 'drain');
          buffer = [];
          rows += 5000;
          onProgress?.('xlsx', rows);
        }
      }
      break; // first worksheet only
    }
  } catch (err) {
    await discard(ws, out);
    if (err instanceof IngestError) throw err;
    console.error(`ingest: reading the XLSX workbook ${file} failed:`, err);
    throw new IngestError(`${name}: the XLSX workbook cannot be read (it may be damaged); open it in Excel and save it again, or save it as CSV`);
  }
  if (!header || header.length === 0) {
    await discard(ws, out);
    throw new IngestError(`${name}: line 1: the first worksheet has no header row`);
  }
  ws.end(buffer.join(''));
  await once(ws, 'finish');
  return header;
}
