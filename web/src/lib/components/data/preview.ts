/**
 * Reading the start of a chosen file in the browser for the preview: its encoding (UTF-8 with or
 * without BOM when the bytes are valid UTF-8, else GB18030 — what Chinese Excel writes as GBK),
 * its delimiter (the server's rule: .tsv is tab, otherwise the commonest of tab, comma, semicolon
 * in the header line) and the first rows, parsed with papaparse. Only the first PREVIEW_BYTES are
 * read, so a 200 MB export previews as fast as a small one. XLSX is not parsed here (that would
 * need a large library); the server reads it.
 */
import Papa from 'papaparse';
import { detectDelimiter } from '$contract';

export { detectDelimiter };

export type Encoding = 'utf-8' | 'utf-8-bom' | 'gb18030';
export type FileFormat = 'csv' | 'tsv' | 'xlsx';

export const PREVIEW_BYTES = 256 * 1024;
export const PREVIEW_ROWS = 20;
/** What the server accepts (server/upload-receive.ts); .txt is Excel's "Text (Tab delimited)". */
export const ACCEPTED_EXTENSIONS = ['.csv', '.tsv', '.txt', '.xlsx'] as const;

export function extension(name: string): string {
  const i = name.lastIndexOf('.');
  return i > 0 ? name.slice(i).toLowerCase() : '';
}

export function isAccepted(name: string): boolean {
  return (ACCEPTED_EXTENSIONS as readonly string[]).includes(extension(name));
}

export function decode(bytes: Uint8Array): { text: string; encoding: Encoding } {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    // The decoder drops a leading BOM by itself.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: bom ? 'utf-8-bom' : 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}


export interface TextPreview {
  format: 'csv' | 'tsv';
  encoding: Encoding;
  delimiter: string;
  header: string[];
  rows: string[][];
  /** True when the whole file was read (then dataRows is exact). */
  complete: boolean;
  /** Data rows in the file: exact when complete, else estimated from the bytes per row read. */
  dataRows: number;
}

export interface XlsxPreview {
  format: 'xlsx';
}

export type Preview = TextPreview | XlsxPreview;

/** Parses decoded text; `fileBytes`/`readBytes` give the row estimate for a partly read file. */
export function parseText(text: string, fileName: string, encoding: Encoding, readBytes: number, fileBytes: number): TextPreview {
  const firstLine = text.slice(0, (text.indexOf('\n') + 1 || text.length + 1) - 1);
  const delimiter = extension(fileName) === '.tsv' ? '\t' : detectDelimiter(firstLine);
  const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: true });
  const [header = [], ...data] = parsed.data;
  const complete = readBytes >= fileBytes;
  const dataRows = complete || data.length === 0 ? data.length : Math.round((data.length * fileBytes) / readBytes);
  return {
    format: delimiter === '\t' ? 'tsv' : 'csv',
    encoding,
    delimiter,
    header: header.map((h) => h.trim()),
    rows: data.slice(0, PREVIEW_ROWS),
    complete,
    dataRows,
  };
}

export async function readPreview(file: File): Promise<Preview> {
  if (extension(file.name) === '.xlsx') return { format: 'xlsx' };
  let bytes = new Uint8Array(await file.slice(0, PREVIEW_BYTES).arrayBuffer());
  if (file.size > PREVIEW_BYTES) {
    // Cut at the last line end so no character is split (0x0A is never inside a GB18030 or UTF-8 sequence).
    const nl = bytes.lastIndexOf(0x0a);
    if (nl > 0) bytes = bytes.subarray(0, nl + 1);
  }
  const { text, encoding } = decode(bytes);
  return parseText(text, file.name, encoding, bytes.length, file.size);
}
