/**
 * Tables written to files people open in Excel (issue 4, exports): one small shape (`Table`) and
 * two writers, XLSX (exceljs, streamed writer, so 200,000 rows do not build a cell-object model in
 * memory) and CSV (UTF-8 with BOM, CRLF).
 *
 * - Every text cell goes through neutralizeCell: a text starting with =, +, -, @, tab or CR that is
 *   not a plain number gets an apostrophe prefix, so neither Excel nor a later edit runs it.
 * - Numbers stay numbers (a JavaScript number becomes a numeric cell, with the column's number
 *   format: money `#,##0.00`, rates `0.0%`); NaN and ±Infinity become empty cells.
 * - Column widths follow the content, counting a CJK (full-width) character as two, so Chinese
 *   headers and names are not cut off.
 * - An optional caption is the first row (bold, merged across the table), the header the next
 *   one (bold, frozen), then the rows, then an optional totals row (bold).
 */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { csvLine, neutralizeCell, UTF8_BOM } from './safe-cell.ts';

export type Cell = string | number | null | undefined;

export type CellFormat = 'text' | 'int' | 'money' | 'percent' | 'decimal';

export interface Column {
  header: string;
  /** How a number of this column is shown in XLSX (CSV always writes the plain number). */
  format?: CellFormat;
  /** A fixed width in Excel units; default: from the content. */
  width?: number;
}

export interface Table {
  /** Worksheet name (at most 31 characters, none of : \ / ? * [ ]). */
  sheet: string;
  /** A first line above the header (what the file is, e.g. whether the month is closed). */
  caption?: string;
  columns: Column[];
  rows: Cell[][];
  /** A last row of totals, in bold. */
  totals?: Cell[];
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const NUM_FMT: Record<CellFormat, string | undefined> = {
  text: undefined,
  int: '#,##0',
  money: '#,##0.00',
  percent: '0.0%',
  decimal: '0.00',
};

/** A cell as written: text neutralized, numbers kept (non-finite → empty). */
export function safeValue(v: Cell): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return neutralizeCell(v);
}

/** Display width in Excel units: East Asian wide and full-width characters count two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || // Hangul Jamo
    (cp >= 0x2e80 && cp <= 0x303e) || // CJK radicals, punctuation
    (cp >= 0x3041 && cp <= 0x33ff) || // kana, CJK symbols
    (cp >= 0x3400 && cp <= 0x4dbf) || // CJK extension A
    (cp >= 0x4e00 && cp <= 0x9fff) || // CJK unified ideographs
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || // Hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) || // CJK compatibility
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) || // full-width forms
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** How wide a value looks in its column's format (roughly; widths only need to be close). */
function shownWidth(v: string | number | null, format: CellFormat | undefined): number {
  if (v === null) return 0;
  if (typeof v === 'string') return displayWidth(v);
  switch (format) {
    case 'percent':
      return (v * 100).toFixed(1).length + 1;
    case 'money':
    case 'int': {
      const fixed = format === 'money' ? Math.abs(v).toFixed(2) : String(Math.round(Math.abs(v)));
      const int = fixed.split('.')[0]!.length;
      return fixed.length + Math.floor((int - 1) / 3) + (v < 0 ? 1 : 0);
    }
    case 'decimal':
      return v.toFixed(2).length;
    default:
      return String(v).length;
  }
}

const MIN_WIDTH = 8;
const MAX_WIDTH = 60;
/** Widths are measured over the header, the totals and at most this many rows. */
const WIDTH_SAMPLE = 2000;

export function columnWidths(t: Table): number[] {
  return t.columns.map((col, k) => {
    if (col.width !== undefined) return col.width;
    let w = displayWidth(col.header);
    const sample = t.rows.length > WIDTH_SAMPLE ? t.rows.slice(0, WIDTH_SAMPLE) : t.rows;
    for (const r of [...sample, ...(t.totals ? [t.totals] : [])]) w = Math.max(w, shownWidth(safeValue(r[k]), col.format));
    return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 2));
  });
}

/** Excel's rules for sheet names. */
export function sheetName(name: string): string {
  const s = name.replace(/[:\\/?*[\]]/g, '_').trim();
  return ([...s].slice(0, 31).join('') || 'Sheet1');
}

/** The workbook of one or more tables, one worksheet each, as the bytes of an .xlsx file. */
export async function writeXlsx(tables: Table[], opts: { creator?: string; created?: Date } = {}): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  wb.creator = opts.creator ?? 'aftersales-quality';
  wb.created = opts.created ?? new Date();
  const used = new Set<string>();
  for (const t of tables) {
    let name = sheetName(t.sheet);
    for (let k = 2; used.has(name); k++) name = sheetName(`${[...t.sheet].slice(0, 27).join('')} (${k})`);
    used.add(name);
    const headerRow = t.caption !== undefined ? 2 : 1;
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: headerRow }] });
    const widths = columnWidths(t);
    ws.columns = t.columns.map((_, k) => ({ width: widths[k] }));
    const fmts = t.columns.map((c) => NUM_FMT[c.format ?? 'text']);
    const bold = { bold: true };

    if (t.caption !== undefined) {
      const row = ws.addRow([safeValue(t.caption)]);
      row.font = { bold: true, size: 12 };
      if (t.columns.length > 1) ws.mergeCells(1, 1, 1, t.columns.length);
      row.commit();
    }
    const header = ws.addRow(t.columns.map((c) => safeValue(c.header)));
    header.font = bold;
    header.commit();

    const addRow = (cells: Cell[], isTotals: boolean) => {
      const row = ws.addRow(t.columns.map((_, k) => safeValue(cells[k])));
      for (let k = 0; k < t.columns.length; k++) {
        const fmt = fmts[k];
        const cell = row.getCell(k + 1);
        if (fmt && typeof cell.value === 'number') cell.numFmt = fmt;
        if (isTotals) cell.font = bold;
      }
      row.commit();
    };
    for (const r of t.rows) addRow(r, false);
    if (t.totals) addRow(t.totals, true);
    ws.commit();
  }
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

/** The table as CSV: BOM, the caption line (if any), the header, the rows, the totals; CRLF. */
export function writeCsv(t: Table): string {
  const safe = (cells: Cell[]) => t.columns.map((_, k) => safeValue(cells[k]));
  let s = UTF8_BOM;
  if (t.caption !== undefined) s += csvLine([t.caption]);
  s += csvLine(t.columns.map((c) => c.header));
  for (const r of t.rows) s += csvLine(safe(r));
  if (t.totals) s += csvLine(safe(t.totals));
  return s;
}
