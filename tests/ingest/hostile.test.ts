/**
 * Hostile files (issue 11): shapes that would stall the reader are refused early, with an error
 * naming the file, the line and the limit.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { MAX_COLUMNS, MAX_LINE_BYTES, MAX_XLSX_UNPACKED_BYTES } from '../../pipelines/ingest/limits.ts';
import { zipUnpackedSize } from '../../pipelines/ingest/zip-size.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;
beforeEach(async () => {
  t = await tempWarehouse();
});
afterEach(() => t.cleanup());

const EN = ['ticket_id', 'reported_at', 'channel', 'customer_name', 'address', 'team_id', 'technician_id', 'result', 'needs_supplier', 'distance_km'];
const ROW = ['K1', '2025-05-03 14:20', '电话', '上海某物流公司', '上海市浦东新区张江路1号', 'T01', 'E0101', '已完成', '是', '12.5'];

async function refusal(file: string): Promise<{ message: string; seconds: number; rssGrowthMb: number }> {
  const started = Date.now();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const err = await ingestFile(t.wh, 'tickets', file).then(
    () => undefined,
    (e: Error) => e,
  );
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  expect(err).toBeInstanceOf(Error);
  return { message: err!.message, seconds: (Date.now() - started) / 1000, rssGrowthMb: (peak - rss0) / 2 ** 20 };
}

describe('wide files', () => {
  it('refuses a 1 M-column file within seconds, naming the file, the line and the limit', async () => {
    const file = join(t.dir, 'million.csv');
    const cols = Array.from({ length: 1_000_000 }, (_, i) => `c${i % 1000}`);
    writeFileSync(file, cols.join(',') + '\n' + cols.map(() => 'x').join(',') + '\n');
    const { message, seconds, rssGrowthMb } = await refusal(file);
    expect(seconds).toBeLessThan(5);
    // The reader stalled at 1.5 GB on this file before (issue 11); the refusal reads a bounded prefix.
    expect(rssGrowthMb).toBeLessThan(200);
    expect(message).toContain('million.csv: line 1:');
    expect(message).toContain(`${MAX_LINE_BYTES} bytes`);
  });

  it('refuses a 20 k-column file within seconds, naming the file, the line and the limit', async () => {
    const file = join(t.dir, 'wide.csv');
    const header = [...EN, ...Array.from({ length: 20_000 }, (_, i) => `x${i}`)];
    writeFileSync(file, header.join(',') + '\n' + header.map(() => '1').join(',') + '\n');
    const { message, seconds, rssGrowthMb } = await refusal(file);
    expect(seconds).toBeLessThan(5);
    expect(rssGrowthMb).toBeLessThan(200);
    expect(message).toContain('wide.csv: line 1:');
    expect(message).toContain(`at most ${MAX_COLUMNS} columns`);
  });

  it('refuses a data line longer than the limit, naming its line', async () => {
    const file = join(t.dir, 'longline.csv');
    writeFileSync(file, csv([EN, ROW]) + 'K2,' + 'y'.repeat(MAX_LINE_BYTES + 10) + '\n' + ROW.join(',') + '\n');
    const { message } = await refusal(file);
    expect(message).toContain('longline.csv: line 3:');
    expect(message).toContain(`${MAX_LINE_BYTES} bytes`);
  });

  it('refuses a header longer than 64 KiB', async () => {
    const file = join(t.dir, 'longheader.csv');
    writeFileSync(file, [...EN, 'z'.repeat(70_000)].join(',') + '\n' + ROW.join(',') + ',1\n');
    const { message } = await refusal(file);
    expect(message).toContain('longheader.csv: line 1: the header row is longer than 64 KiB');
  });

  it('still loads a file with the kind columns plus 30 extras', async () => {
    const extras = Array.from({ length: 30 }, (_, i) => `extra${i}`);
    const rows = [[...EN, ...extras], [...ROW, ...extras.map((_, i) => `v${i}`)]];
    const b = await ingestFile(t.wh, 'tickets', t.file('extras.csv', csv(rows)));
    expect(b).toMatchObject({ accepted: 1, rejected: 0 });
    const [row] = await t.wh.all<{ extra: string }>('SELECT CAST(extra AS VARCHAR) AS extra FROM tickets');
    expect(Object.keys(JSON.parse(row!.extra))).toHaveLength(30);
  });

  it('still loads a file whose lines are all just under the limit across read chunks', async () => {
    const long = 'a'.repeat(MAX_LINE_BYTES - 200);
    const lines = [EN.join(','), ...Array.from({ length: 6 }, (_, i) => [`K${i}`, ...ROW.slice(1, 3), long, ...ROW.slice(4)].join(','))];
    const b = await ingestFile(t.wh, 'tickets', t.file('nearly.csv', lines.join('\n') + '\n'));
    expect(b).toMatchObject({ accepted: 6, rejected: 0 });
  });
});

/** A zip archive built by hand (stored entries deflated), as an XLSX writer would lay it out. */
function zip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const packed = deflateRawSync(data, { level: 1 });
    const nameBuf = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, packed);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

describe('XLSX unpacked size', () => {
  it('refuses a small XLSX that unpacks past the limit, before unpacking it', async () => {
    const row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>';
    const sheet = Buffer.from('<worksheet><sheetData>' + row.repeat(Math.ceil((MAX_XLSX_UNPACKED_BYTES + (8 << 20)) / row.length)) + '</sheetData></worksheet>');
    const file = join(t.dir, 'bomb.xlsx');
    writeFileSync(file, zip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'xl/worksheets/sheet1.xml', data: sheet }]));
    expect(zipUnpackedSize(file)).toBe(sheet.length + 8);
    const { message, seconds } = await refusal(file);
    expect(seconds).toBeLessThan(5);
    expect(message).toMatch(/^bomb\.xlsx: the workbook unpacks to \d+ MiB, more than the 100 MiB allowed/);
  });

  it('reads the unpacked size of a workbook exceljs wrote, and still loads it', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(EN);
    ws.addRow(ROW);
    const file = join(t.dir, 'ok.xlsx');
    await wb.xlsx.writeFile(file);
    const size = zipUnpackedSize(file);
    expect(size).toBeGreaterThan(1000);
    expect(size).toBeLessThan(1 << 20);
    const b = await ingestFile(t.wh, 'tickets', file);
    expect(b).toMatchObject({ format: 'xlsx', accepted: 1, rejected: 0 });
  });

  it(`refuses an XLSX whose header has more than ${MAX_COLUMNS} columns`, async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow([...EN, ...Array.from({ length: MAX_COLUMNS }, (_, i) => `x${i}`)]);
    ws.addRow(ROW);
    const file = join(t.dir, 'wide.xlsx');
    await wb.xlsx.writeFile(file);
    const { message } = await refusal(file);
    expect(message).toBe(`wide.xlsx: line 1: the header has ${EN.length + MAX_COLUMNS} columns; at most ${MAX_COLUMNS} columns are allowed`);
  });

  it('a workbook that fails while being read, or has no header, leaves no temp file (item 11)', async () => {
    const tmp = join(t.wh.filesDir, 'tmp');
    // Wide: refused while reading its first row, after the temp file was opened.
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('s').addRow(Array.from({ length: MAX_COLUMNS + 1 }, (_, i) => `x${i}`));
    const wide = join(t.dir, 'wide2.xlsx');
    await wb.xlsx.writeFile(wide);
    await refusal(wide);
    // Empty first worksheet: refused after reading it whole.
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('s');
    const none = join(t.dir, 'empty.xlsx');
    await empty.xlsx.writeFile(none);
    expect((await refusal(none)).message).toBe('empty.xlsx: line 1: the first worksheet has no header row');
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
  });

  it('refuses a zip whose directory is damaged', async () => {
    const file = join(t.dir, 'broken.xlsx');
    writeFileSync(file, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]));
    const { message } = await refusal(file);
    expect(message).toBe('broken.xlsx: not a readable XLSX workbook (its zip directory is damaged)');
  });
});

describe('encodings', () => {
  const refusedEncoding = /accepted encodings are UTF-8 \(with or without BOM\) and GBK\/GB18030/;

  it('refuses a Big5 file instead of storing it garbled', async () => {
    const rows = [EN, ['K1', '2025-05-03 14:20', '電話', '台北某物流公司', '台北市信義區忠孝東路1號', 'T01', 'E0101', '已完成', '是', '12.5']];
    const file = join(t.dir, 'big5.csv');
    writeFileSync(file, iconv.encode(csv(rows), 'big5'));
    const { message } = await refusal(file);
    expect(message).toMatch(/^big5\.csv: the file's encoding cannot be read confidently/);
    expect(message).toMatch(refusedEncoding);
    expect(await t.wh.all('SELECT * FROM tickets')).toEqual([]);
  });

  it('refuses a Shift-JIS file instead of storing it garbled', async () => {
    const rows = [EN, ['K1', '2025-05-03 14:20', '電話', '株式会社サンプル物流', '東京都千代田区丸の内1丁目', 'T01', 'E0101', '対応完了', '是', '12.5']];
    const file = join(t.dir, 'sjis.csv');
    writeFileSync(file, iconv.encode(csv(rows), 'shift_jis'));
    const { message } = await refusal(file);
    expect(message).toMatch(/^sjis\.csv: /);
    expect(message).toMatch(refusedEncoding);
    expect(await t.wh.all('SELECT * FROM tickets')).toEqual([]);
  });

  it('refuses a GBK file that starts with a UTF-8 BOM, saying so', async () => {
    const file = join(t.dir, 'bom-gbk.csv');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode(csv([EN, ROW]), 'gbk')]));
    const { message } = await refusal(file);
    expect(message).toMatch(/^bom-gbk\.csv: line 2: the file says UTF-8 \(it starts with a UTF-8 byte-order mark\) but is not valid UTF-8/);
    expect(message).toMatch(refusedEncoding);
  });

  it('refuses bytes GB18030 cannot decode, naming the line', async () => {
    const file = join(t.dir, 'bad-bytes.csv');
    const good = iconv.encode(csv([EN, ROW, ROW.map((v, i) => (i === 0 ? 'K2' : v))]), 'gbk');
    writeFileSync(file, Buffer.concat([good, Buffer.from('K3,'), Buffer.from([0x81, 0x0a])]));
    const { message } = await refusal(file);
    expect(message).toMatch(/^bad-bytes\.csv: line 4: /);
    expect(message).toMatch(refusedEncoding);
  });

  it('refuses UTF-16 by name', async () => {
    const file = join(t.dir, 'utf16.csv');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv([EN, ROW]), 'utf16le')]));
    const { message } = await refusal(file);
    expect(message).toMatch(/^utf16\.csv: the file is in UTF-16, which is not accepted/);
  });

  it('still reads GBK text with a few characters outside GB2312 (rare names)', async () => {
    const rows = [EN, ['K1', '2025-05-03 14:20', '电话', '王喆', '上海市浦东新区张江路1号堃', 'T01', 'E0101', '已完成', '是', '12.5']];
    const b = await ingestFile(t.wh, 'tickets', t.file('rare.csv', csv(rows), 'gbk'));
    expect(b).toMatchObject({ encoding: 'gb18030', accepted: 1 });
    expect(await t.wh.all('SELECT customer_name FROM tickets')).toEqual([{ customer_name: '王喆' }]);
  });
});

describe('internal details stay in the server log', () => {
  it("a batch that fails on an internal error stores plain words: no path, no 'TypeError', no 'read_csv'", async () => {
    const logged: unknown[][] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args));
    try {
      const file = t.file('tickets.csv', csv([EN, ROW]));
      const internal = new TypeError(`Cannot read properties of undefined (reading 'x') in read_csv('${join(t.dir, 'tmp', 'abc.csv')}', delim = ',', strict_mode = true)`);
      const err = await ingestFile(t.wh, 'tickets', file, {
        fileName: '工单.csv',
        hooks: {
          beforeCommit: async () => {
            throw internal;
          },
        },
      }).then(
        () => undefined,
        (e: Error) => e,
      );
      const [batch] = await t.wh.all<{ status: string; error: string }>('SELECT status, error FROM batches');
      expect(batch!.status).toBe('failed');
      for (const text of [batch!.error, err!.message]) {
        expect(text).toMatch(/^工单\.csv: /);
        expect(text).toContain('internal error');
        expect(text).not.toContain('/');
        expect(text).not.toContain('TypeError');
        expect(text).not.toContain('read_csv');
        expect(text).not.toContain('Cannot read properties');
      }
      expect(logged.some((args) => args.includes(internal))).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('refusals name the upload by its original name, not the stored temp file', async () => {
    const file = join(t.dir, '1700000000000-abcdef.csv');
    writeFileSync(file, '');
    const err = await ingestFile(t.wh, 'tickets', file, { fileName: '工单.csv' }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err!.message).toBe('工单.csv: the file is empty');
  });
});

describe('archived originals (issue 11 item 16)', () => {
  it('are readable by the server\'s user only (files 0600, folders 0700)', async () => {
    const t = await tempWarehouse();
    try {
      const b = await ingestFile(t.wh, 'teams', t.file('teams.csv', csv([['team_id', 'team_name'], ['T9', '九站']])));
      const row = await t.wh.one<{ archive_path: string }>('SELECT archive_path FROM batches WHERE batch_id = $1', [b.batch_id]);
      expect(statSync(row!.archive_path).mode & 0o777).toBe(0o600);
      expect(statSync(join(row!.archive_path, '..')).mode & 0o777).toBe(0o700);
    } finally {
      t.cleanup();
    }
  });
});
