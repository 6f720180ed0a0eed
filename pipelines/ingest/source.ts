/**
 * Turns an uploaded file into a UTF-8 CSV that DuckDB's reader can load, and learns what it needs
 * on the way: sha256 of the original bytes, format (csv/tsv/xlsx), encoding (UTF-8 with or
 * without BOM, else GB18030, a superset of GBK), delimiter and header. It refuses early what would
 * stall the reader or be stored garbled: lines and headers over the limits of limits.ts, an XLSX
 * unpacking past its limit, and text not confidently UTF-8 or GBK (Big5, Shift-JIS, UTF-16, GBK
 * behind a UTF-8 BOM); see docs/ingestion.md, "Limits" and "Encodings".
 *
 * Two shapes come out:
 * - `direct`: a regular UTF-8 file (one record per line: no line break inside quotes, no blank
 *   line) is read by DuckDB as it is; a record's line is its ordinal + 2, corrected in SQL for
 *   lines DuckDB's reader rejects.
 * - `normalized`: anything else (GB18030, XLSX, quoted fields, blank lines) is rewritten once into
 *   a CSV with every field quoted plus two trailing columns, `__line` (the record's source line, or
 *   the Excel row) and `__shape` (a column-count error, if any). This costs a pass in JavaScript,
 *   which is why regular files skip it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { discard } from './temp-file.ts';
import { isUtf8 } from 'node:buffer';
import { extname, basename, join } from 'node:path';
import { once } from 'node:events';
import iconv from 'iconv-lite';
import { CsvRecordParser, csvQuote, detectDelimiter, parseFirstRecord } from './csv-records.ts';
import { xlsxToNormalizedCsv } from './xlsx-to-csv.ts';
import { IngestError } from './errors.ts';
import { checkColumns, MAX_HEADER_BYTES, MAX_LINE_BYTES, MAX_XLSX_UNPACKED_BYTES } from './limits.ts';
import { zipUnpackedSize } from './zip-size.ts';
import type { Progress } from '../progress.ts';

export type Format = 'csv' | 'tsv' | 'xlsx';
export type Encoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'xlsx';

export interface PreparedSource {
  file: string;
  fileName: string;
  sha256: string;
  bytes: number;
  format: Format;
  encoding: Encoding;
  /** The file's own header, in its order. */
  header: string[];
  /** UTF-8 CSV for DuckDB. */
  csvPath: string;
  delimiter: string;
  mode: 'direct' | 'normalized';
  /** Files created here, to delete when the batch ends. */
  temp: string[];
}

export interface ScanResult {
  sha256: string;
  bytes: number;
  isXlsx: boolean;
  hasBom: boolean;
  validUtf8: boolean;
  regular: boolean; // one record per line: DuckDB's row order gives line numbers
  /** Byte offset where the first line longer than MAX_LINE_BYTES starts, if any. */
  longLineAt?: number;
}

const CHUNK = 4 << 20;

const HEAD_BYTES = MAX_HEADER_BYTES;

/** One pass over the original bytes: hash, UTF-8 validity, and whether the file is "regular". */
export async function scanFile(file: string, onProgress?: Progress): Promise<ScanResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  let head: Buffer | undefined;
  let carry: Buffer = Buffer.alloc(0);
  let validUtf8 = true;
  const shape = new LineShape();
  const lengths = new LineLength();
  const total = statSync(file).size;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (!head) {
      head = chunk.subarray(0, 4);
      if (head[0] === 0x50 && head[1] === 0x4b) validUtf8 = false; // zip: an XLSX, skip text checks
    }
    bytes += chunk.length;
    onProgress?.('scan', bytes, total);
    if (head[0] === 0x50 && head[1] === 0x4b) continue;
    shape.push(chunk);
    lengths.push(chunk);
    if (validUtf8) {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const cut = incompleteTail(buf);
      if (!isUtf8(buf.subarray(0, buf.length - cut))) validUtf8 = false;
      carry = Buffer.from(buf.subarray(buf.length - cut));
    }
  }
  if (carry.length) validUtf8 = false;
  const isXlsx = !!head && head[0] === 0x50 && head[1] === 0x4b;
  const hasBom = !!head && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  return { sha256: hash.digest('hex'), bytes, isXlsx, hasBom, validUtf8, regular: shape.regular, longLineAt: lengths.tooLongAt };
}

/**
 * Finds the first line longer than MAX_LINE_BYTES. Rather than visiting every line break, it looks
 * for the last line break within MAX_LINE_BYTES of the current line's start (Buffer.lastIndexOf,
 * native): none there means the line is too long; otherwise every line up to it is short enough.
 * So a chunk costs a few native calls however many lines it holds.
 */
class LineLength {
  tooLongAt: number | undefined;
  private cur = 0; // bytes of the current (unfinished) line before this chunk
  private offset = 0; // file offset of this chunk

  push(chunk: Buffer): void {
    if (this.tooLongAt !== undefined) return;
    let p = 0; // start of the current line in this chunk (it began `cur` bytes earlier)
    let budget = MAX_LINE_BYTES - this.cur;
    for (;;) {
      const end = p + budget; // the current line must end at or before this index
      if (end >= chunk.length) {
        const last = chunk.lastIndexOf(0x0a);
        this.cur = last >= p ? chunk.length - last - 1 : this.cur + chunk.length - p;
        break;
      }
      const nl = chunk.lastIndexOf(0x0a, end);
      if (nl < p) {
        this.tooLongAt = this.offset + p - this.cur;
        return;
      }
      p = nl + 1;
      this.cur = 0;
      budget = MAX_LINE_BYTES;
    }
    this.offset += chunk.length;
  }
}

/** The 1-based line number of the line starting at byte `offset` (counts line breaks before it). */
async function lineAt(file: string, offset: number): Promise<number> {
  let line = 1;
  let seen = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    const part = seen + chunk.length > offset ? chunk.subarray(0, offset - seen) : chunk;
    for (let i = part.indexOf(0x0a); i !== -1; i = part.indexOf(0x0a, i + 1)) line++;
    seen += chunk.length;
    if (seen >= offset) break;
  }
  return line;
}

/**
 * Tracks whether every record sits on one line: no line break inside a quoted field and no blank
 * line. Quote state flips on each `"` (`""` escapes flip twice). It hops from quote to quote and
 * newline to newline with Buffer.indexOf (native, allocation-free), so a large file costs little
 * more than reading it.
 */
class LineShape {
  regular = true;
  private inQuotes = false;
  private last = 0x0a; // the byte before this chunk; a virtual LF before the file start
  private beforeLast = 0x0a;

  push(chunk: Buffer): void {
    if (!this.regular || chunk.length === 0) return;
    // Blank lines: inside the chunk, or straddling the previous chunk's end.
    if (chunk.includes('\n\n') || chunk.includes('\n\r\n')) return this.irregular();
    if (this.last === 0x0a && (chunk[0] === 0x0a || (chunk[0] === 0x0d && chunk[1] === 0x0a))) return this.irregular();
    if (this.beforeLast === 0x0a && this.last === 0x0d && chunk[0] === 0x0a) return this.irregular();

    let inQuotes = this.inQuotes;
    let pos = 0;
    let nl = chunk.indexOf(0x0a);
    for (;;) {
      const q = chunk.indexOf(0x22, pos);
      if (inQuotes && nl !== -1 && (q === -1 || nl < q)) return this.irregular();
      if (q === -1) break;
      inQuotes = !inQuotes;
      pos = q + 1;
      if (nl !== -1 && nl < pos) nl = chunk.indexOf(0x0a, pos);
    }
    this.inQuotes = inQuotes;
    this.beforeLast = chunk.length > 1 ? chunk[chunk.length - 2]! : this.last;
    this.last = chunk[chunk.length - 1]!;
  }

  private irregular(): void {
    this.regular = false;
  }
}

/** Bytes at the end of `buf` that start a UTF-8 sequence not yet complete. */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * @param dateColumns given the header, the positions of timestamp/date columns, where an XLSX
 *   number is an Excel serial date.
 * @param displayName the file's name in messages (an upload's original name); default its own.
 */
export async function prepareSource(
  file: string,
  tmpDir: string,
  dateColumns: (header: string[]) => Set<number>,
  onProgress?: Progress,
  displayName?: string,
): Promise<PreparedSource> {
  const fileName = basename(file);
  const name = displayName ?? fileName; // for messages: an upload's original name
  const scan = await scanFile(file, onProgress);
  if (scan.bytes === 0) throw new IngestError(`${name}: the file is empty`);
  if (!scan.isXlsx && scan.longLineAt !== undefined) {
    const line = await lineAt(file, scan.longLineAt);
    throw new IngestError(`${name}: line ${line}: the line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB (${MAX_LINE_BYTES} bytes), the most a line may hold; is this a CSV/TSV file?`);
  }
  const base = { file, fileName, sha256: scan.sha256, bytes: scan.bytes };
  const tmp = join(tmpDir, `${scan.sha256.slice(0, 16)}-${process.pid}.csv`);

  if (scan.isXlsx || extname(fileName).toLowerCase() === '.xlsx') {
    if (!scan.isXlsx) throw new IngestError(`${name}: named .xlsx but is not an XLSX workbook`);
    const unpacked = zipUnpackedSize(file);
    if (unpacked === undefined) throw new IngestError(`${name}: not a readable XLSX workbook (its zip directory is damaged)`);
    if (unpacked > MAX_XLSX_UNPACKED_BYTES) {
      throw new IngestError(
        `${name}: the workbook unpacks to ${Math.ceil(unpacked / 2 ** 20)} MiB, more than the ${MAX_XLSX_UNPACKED_BYTES / 2 ** 20} MiB allowed; split it into smaller files or save it as CSV`,
      );
    }
    const header = await removingOnFailure(tmp, () => xlsxToNormalizedCsv(file, tmp, dateColumns, onProgress, name));
    return { ...base, format: 'xlsx', encoding: 'xlsx', header, csvPath: tmp, delimiter: ',', mode: 'normalized', temp: [tmp] };
  }

  if (scan.hasBom && !scan.validUtf8) {
    const line = await firstUndecodableLine(file, 'utf-8');
    throw new IngestError(`${name}: line ${line}: the file says UTF-8 (it starts with a UTF-8 byte-order mark) but is not valid UTF-8; ${ACCEPTED_ENCODINGS}`);
  }
  const encoding: Encoding = scan.hasBom ? 'utf-8-bom' : scan.validUtf8 ? 'utf-8' : 'gb18030';
  if (encoding === 'gb18030') checkLooksLikeGbk(file, name);
  const headText = readHeadText(file, encoding);
  const firstLine = headText.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = extname(fileName).toLowerCase() === '.tsv' ? '\t' : detectDelimiter(firstLine);
  const format: Format = delimiter === '\t' ? 'tsv' : 'csv';
  const header = (parseFirstRecord(headText.slice(0, headText.indexOf('\n') + 1 || undefined), delimiter)?.fields ?? []).map(
    (h) => h.trim(),
  );
  if (header.length === 0 || header.every((h) => h === '')) throw new IngestError(`${name}: line 1: no header row`);
  const wholeLine = headText.includes('\n') || scan.bytes <= HEAD_BYTES;
  checkColumns(name, header.length, !wholeLine);
  if (!wholeLine) {
    throw new IngestError(`${name}: line 1: the header row is longer than ${HEAD_BYTES / 1024} KiB; a header this long is not a header of this product's files`);
  }

  if (encoding !== 'gb18030' && scan.regular) {
    return { ...base, format, encoding, header, csvPath: file, delimiter, mode: 'direct', temp: [] };
  }
  await removingOnFailure(tmp, () => normalizeDelimited(file, name, encoding, delimiter, header.length, tmp, scan.bytes, onProgress));
  return { ...base, format, encoding, header, csvPath: tmp, delimiter: ',', mode: 'normalized', temp: [tmp] };
}

/** The caller removes a prepared source's temp files; a failure before there is one removes its own. */
async function removingOnFailure<T>(tmp: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

const ACCEPTED_ENCODINGS = 'accepted encodings are UTF-8 (with or without BOM) and GBK/GB18030; save the file as UTF-8 and send it again';

/**
 * GB18030 gives a character to almost any byte sequence, so a Big5 or Shift-JIS file would be read
 * without complaint and stored garbled. Simplified-Chinese text in GBK is nearly all GB2312
 * characters (both bytes 0xA1–0xFE, lead at most 0xF7); Big5 text has about half its characters
 * outside that range, Shift-JIS nearly all. So a file whose first MiB has more than a fifth of its
 * multi-byte characters outside GB2312 (and at least 5 of them) is refused as not read confidently.
 * UTF-16 (its byte-order mark) is refused by name.
 */
function checkLooksLikeGbk(file: string, fileName: string): void {
  const fd = openSync(file, 'r');
  let buf: Buffer;
  try {
    buf = Buffer.alloc(1 << 20);
    buf = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    throw new IngestError(`${fileName}: the file is in UTF-16, which is not accepted; ${ACCEPTED_ENCODINGS}`);
  }
  let multi = 0;
  let outside = 0;
  for (let i = 0; i < buf.length - 1; i++) {
    const a = buf[i]!;
    if (a < 0x80) continue;
    const b = buf[i + 1]!;
    multi++;
    if (b >= 0x30 && b <= 0x39) {
      outside++; // a GB18030 four-byte character
      i += 3;
      continue;
    }
    if (!(a >= 0xa1 && a <= 0xf7 && b >= 0xa1 && b <= 0xfe)) outside++;
    i++;
  }
  if (outside >= 5 && outside > multi / 5) {
    throw new IngestError(
      `${fileName}: the file's encoding cannot be read confidently: it is not UTF-8 and does not look like GBK/GB18030 Chinese (it may be Big5 or Shift-JIS); ${ACCEPTED_ENCODINGS}`,
    );
  }
}

/** The first line holding bytes that do not decode in `encoding` (1 if none is found). */
async function firstUndecodableLine(file: string, encoding: 'utf-8' | 'gb18030'): Promise<number> {
  const decoder = encoding === 'gb18030' ? iconv.getDecoder('gb18030') : new TextDecoder('utf-8');
  let line = 1;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    const text = decoder instanceof TextDecoder ? decoder.decode(chunk, { stream: true }) : decoder.write(chunk);
    const bad = text.indexOf('\uFFFD');
    const upTo = bad === -1 ? text.length : bad;
    for (let i = text.indexOf('\n'); i !== -1 && i < upTo; i = text.indexOf('\n', i + 1)) line++;
    if (bad !== -1) return line;
  }
  return 1;
}

function readHeadText(file: string, encoding: Encoding): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, buf.length, 0);
    let text = encoding === 'gb18030' ? iconv.decode(buf.subarray(0, n), 'gb18030') : buf.subarray(0, n).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text;
  } finally {
    closeSync(fd);
  }
}

/**
 * Rewrite a delimited text file as the normalized CSV (see the file comment). Records whose column
 * count differs from the header keep their values (padded, or the overflow kept in `__shape`) and
 * are rejected later with that reason, so nothing the user sent is dropped.
 */
async function normalizeDelimited(
  file: string,
  fileName: string,
  encoding: Encoding,
  delimiter: string,
  width: number,
  out: string,
  total: number,
  onProgress?: Progress,
): Promise<void> {
  const ws = createWriteStream(out);
  let buffer: string[] = [];
  let first = true;
  const parser = new CsvRecordParser(delimiter, ({ line, fields }) => {
    if (first) {
      first = false; // the header row
      buffer.push([...Array.from({ length: width }, (_, i) => `c${i}`), '__line', '__shape'].join(',') + '\n');
      return;
    }
    let shape = '';
    if (fields.length !== width) {
      shape = `expected ${width} columns, found ${fields.length}`;
      if (fields.length > width) shape += `; extra values: ${fields.slice(width).join(delimiter)}`;
    }
    const cells = Array.from({ length: width }, (_, i) => csvQuote(fields[i] ?? ''));
    buffer.push(cells.join(',') + `,${line},${csvQuote(shape)}\n`);
  });
  const decoder = encoding === 'gb18030' ? iconv.getDecoder('gb18030') : new TextDecoder('utf-8');
  let done = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    let text = decoder instanceof TextDecoder ? decoder.decode(chunk, { stream: true }) : decoder.write(chunk);
    if (done === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    done += chunk.length;
    const bad = text.indexOf('\uFFFD');
    if (bad !== -1 && encoding === 'gb18030') {
      // Bytes GB18030 cannot decode: the file is in another encoding (see checkLooksLikeGbk).
      parser.push(text.slice(0, bad));
      await discard(ws, out);
      throw new IngestError(`${fileName}: line ${parser.currentLine}: bytes that are not GBK/GB18030 text; ${ACCEPTED_ENCODINGS}`);
    }
    parser.push(text);
    if (buffer.length) {
      if (!ws.write(buffer.join(''))) await once(ws, 'drain');
      buffer = [];
    }
    onProgress?.('normalize', done, total);
  }
  const rest = decoder instanceof TextDecoder ? decoder.decode() : decoder.end();
  if (rest && encoding === 'gb18030' && rest.includes('\uFFFD')) {
    await discard(ws, out);
    throw new IngestError(`${fileName}: line ${parser.currentLine}: the file ends inside a character, which is not GBK/GB18030 text; ${ACCEPTED_ENCODINGS}`);
  }
  if (rest) parser.push(rest);
  parser.end();
  if (buffer.length) ws.write(buffer.join(''));
  ws.end();
  await once(ws, 'finish');
}
