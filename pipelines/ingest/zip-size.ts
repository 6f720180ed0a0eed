/**
 * How many bytes an XLSX (a zip archive) unpacks to, read from the zip's central directory (the
 * table of contents at its end) without unpacking anything: the sum of the entries' uncompressed
 * sizes. ZIP64 archives (entries or directories past 4 GiB) are read through their ZIP64 records.
 * Returns undefined when the file has no readable central directory.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const MAX32 = 0xffffffff;

export function zipUnpackedSize(file: string): number | undefined {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (pos: number, len: number): Buffer => {
      const buf = Buffer.alloc(len);
      const n = readSync(fd, buf, 0, len, pos);
      return buf.subarray(0, n);
    };
    // The end-of-central-directory record: 22 bytes plus a comment of up to 64 KiB, at the end.
    const tailStart = Math.max(0, size - (22 + 0xffff));
    const tail = read(tailStart, size - tailStart);
    let e = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        e = i;
        break;
      }
    }
    if (e < 0) return undefined;
    let entries = tail.readUInt16LE(e + 10);
    let cdSize = tail.readUInt32LE(e + 12);
    let cdOffset = tail.readUInt32LE(e + 16);
    if (entries === 0xffff || cdSize === MAX32 || cdOffset === MAX32) {
      const loc = e - 20;
      if (loc < 0 || tail.readUInt32LE(loc) !== ZIP64_LOCATOR) return undefined;
      const z = read(Number(tail.readBigUInt64LE(loc + 8)), 56);
      if (z.length < 56 || z.readUInt32LE(0) !== ZIP64_EOCD) return undefined;
      entries = Number(z.readBigUInt64LE(32));
      cdSize = Number(z.readBigUInt64LE(40));
      cdOffset = Number(z.readBigUInt64LE(48));
    }
    if (cdOffset + cdSize > size) return undefined;
    const cd = read(cdOffset, cdSize);
    let total = 0;
    let p = 0;
    for (let n = 0; n < entries; n++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) return undefined;
      let unpacked = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      if (unpacked === MAX32) {
        // ZIP64 extra field (id 1): the uncompressed size comes first when it overflowed.
        const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
        let found = false;
        for (let x = 0; x + 4 <= extra.length; ) {
          const id = extra.readUInt16LE(x);
          const len = extra.readUInt16LE(x + 2);
          if (id === 1 && len >= 8) {
            unpacked = Number(extra.readBigUInt64LE(x + 4));
            found = true;
            break;
          }
          x += 4 + len;
        }
        if (!found) return undefined;
      }
      total += unpacked;
      p += 46 + nameLen + extraLen + commentLen;
    }
    return total;
  } finally {
    closeSync(fd);
  }
}
