/**
 * Writing an XLSX sheet with exceljs, byte-for-byte reproducibly: the workbook's created/modified
 * properties are fixed, and the zip entries' modification times (which JSZip takes from the
 * clock) are overwritten with a fixed DOS date/time.
 */
import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';

export type Cell = string | number | null;

export async function writeXlsx(
  path: string,
  sheetName: string,
  header: string[],
  rows: Cell[][],
  fixedDate: Date,
): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'aftersales-quality demo generator';
  wb.lastModifiedBy = wb.creator;
  wb.created = fixedDate;
  wb.modified = fixedDate;
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(header);
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (v === null ? undefined : v)));
  ws.columns.forEach((c, k) => {
    c.width = Math.max(10, ...[header[k] ?? '', ...rows.map((r) => String(r[k] ?? ''))].map((s) => s.length * 2 + 2));
  });
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  normalizeZipTimes(buf, fixedDate);
  writeFileSync(path, buf);
}

/** Sets every local and central-directory entry's DOS modification time to `date` (UTC). */
export function normalizeZipTimes(buf: Buffer, date: Date): void {
  const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const dosDate = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  let eocd = -1;
  for (let p = buf.length - 22; p >= Math.max(0, buf.length - 22 - 0xffff); p--) {
    if (buf.readUInt32LE(p) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw new Error('xlsx: end of central directory not found');
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let k = 0; k < entries; k++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('xlsx: bad central directory entry');
    buf.writeUInt16LE(dosTime, p + 12);
    buf.writeUInt16LE(dosDate, p + 14);
    const local = buf.readUInt32LE(p + 42);
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error('xlsx: bad local header');
    buf.writeUInt16LE(dosTime, local + 10);
    buf.writeUInt16LE(dosDate, local + 12);
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
}
