/**
 * Receiving an upload: a multipart/form-data body with one `file` field, parsed as a stream
 * (busboy) and written to disk as it arrives — never held whole in memory. On the way the file's
 * size is counted (over the limit → 413, the partial file removed) and its type checked by
 * extension and by its first bytes (→ 415): .csv/.tsv/.txt must be text (no NUL byte, no known
 * binary signature), .xlsx must be a zip ('PK\x03\x04').
 */
import busboy from 'busboy';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { ApiError, badRequest } from './errors.ts';

export const UPLOAD_EXTENSIONS = ['.csv', '.tsv', '.txt', '.xlsx'] as const;
/** Room for the multipart framing around the file (boundaries, part headers). */
export const MULTIPART_OVERHEAD = 64 * 1024;
const HEAD_BYTES = 4096;

export const tooLarge = (max: number) => new ApiError(413, 'payload_too_large', `the file is larger than the upload limit of ${max} bytes`);
const wrongType = (message: string) => new ApiError(415, 'unsupported_media_type', message);

// Signatures of binary files that must not pass as text.
const BINARY_MAGIC: [string, number[]][] = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['zip archive (an XLSX workbook must be named .xlsx)', [0x50, 0x4b, 0x03, 0x04]],
  ['legacy Excel/OLE file (save it as .xlsx or .csv)', [0xd0, 0xcf, 0x11, 0xe0]],
  ['Windows executable', [0x4d, 0x5a]],
  ['ELF executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['gzip archive', [0x1f, 0x8b]],
];

/** Throws 415 when the first bytes do not fit the extension. */
export function checkMagic(fileName: string, ext: string, head: Buffer): void {
  const starts = (sig: number[]) => head.length >= sig.length && sig.every((b, i) => head[i] === b);
  if (ext === '.xlsx') {
    if (!starts([0x50, 0x4b, 0x03, 0x04])) throw wrongType(`${fileName}: named .xlsx but is not an XLSX workbook (no zip signature)`);
    return;
  }
  for (const [what, sig] of BINARY_MAGIC) if (starts(sig)) throw wrongType(`${fileName}: named ${ext} but is a ${what}`);
  if (head.includes(0)) throw wrongType(`${fileName}: named ${ext} but is not a text file (it holds NUL bytes)`);
}

/** Counts the bytes (over `max` → 413) and checks the first bytes against the extension. */
class Inspect extends Transform {
  bytes = 0;
  private head: Buffer[] = [];
  private headLen = 0;
  private checked = false;
  constructor(private readonly fileName: string, private readonly ext: string, private readonly max: number) {
    super();
  }
  private check(): void {
    if (this.checked) return;
    this.checked = true;
    checkMagic(this.fileName, this.ext, Buffer.concat(this.head));
    this.head = [];
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.bytes += chunk.length;
      if (this.bytes > this.max) throw tooLarge(this.max);
      if (!this.checked) {
        this.head.push(chunk);
        this.headLen += chunk.length;
        if (this.headLen >= HEAD_BYTES) this.check();
      }
      cb(null, chunk);
    } catch (err) {
      cb(err as Error);
    }
  }
  override _flush(cb: TransformCallback): void {
    try {
      this.check();
      if (this.bytes === 0) throw badRequest(`${this.fileName}: the file is empty`, 'empty_file');
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }
}

export interface ReceivedFile {
  /** The file on disk (delete it when done). */
  path: string;
  /** The name the client gave, without any directory part. */
  fileName: string;
  bytes: number;
}

/** How long a client may take to send its file: in all, and between two pieces of it. */
export interface UploadTimeLimits {
  totalMs: number;
  idleMs: number;
}

const tooSlow = (message: string) => new ApiError(408, 'upload_too_slow', message);

/** Streams the request's `file` field to `dir`. Errors are ApiErrors (400, 408, 413, 415). */
export async function receiveUpload(req: Request, dir: string, max: number, time: UploadTimeLimits): Promise<ReceivedFile> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) throw wrongType('send the file as multipart/form-data with one field named "file"');
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max + MULTIPART_OVERHEAD) throw tooLarge(max);
  if (!req.body) throw badRequest('the request has no body; send one field named "file"', 'no_file');
  mkdirSync(dir, { recursive: true, mode: 0o700 });

  const source = Readable.fromWeb(req.body as unknown as NodeReadableStream<Uint8Array>);
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: { 'content-type': type }, defParamCharset: 'utf8', limits: { files: 1, fileSize: max + 1, fields: 20, parts: 21, fieldSize: 1024 } });
  } catch {
    throw wrongType('send the file as multipart/form-data with one field named "file"');
  }

  return new Promise<ReceivedFile>((resolve, reject) => {
    let settled = false;
    let written: string | undefined;
    let out: ReturnType<typeof createWriteStream> | undefined;
    let stored: Promise<ReceivedFile> | undefined;
    // A client that trickles its file would hold a receiving slot and disk space for as long as it
    // likes: it gets a deadline for the whole file and one for each pause.
    const total = setTimeout(() => fail(tooSlow(`the file did not arrive within ${time.totalMs / 1000} s; send it over a faster connection or split it`)), time.totalMs);
    let idle = setTimeout(() => fail(tooSlow(`nothing arrived for ${time.idleMs / 1000} s; the upload was stopped`)), time.idleMs);
    const stopTimers = () => {
      clearTimeout(total);
      clearTimeout(idle);
    };
    source.on('data', () => {
      clearTimeout(idle);
      if (!settled) idle = setTimeout(() => fail(tooSlow(`nothing arrived for ${time.idleMs / 1000} s; the upload was stopped`)), time.idleMs);
    });
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      stopTimers();
      source.unpipe(bb);
      source.destroy();
      bb.removeAllListeners('file');
      if (written) rmSync(written, { force: true });
      // The write stream opens its file asynchronously: a refusal can come before the file exists.
      // Answer only once the stream has closed and its file is gone, so nothing stays behind.
      if (written && out && !out.closed) {
        const path = written;
        out.once('close', () => {
          rmSync(path, { force: true });
          reject(err);
        });
        out.destroy();
      } else reject(err);
    };
    bb.on('file', (field, stream, info) => {
      if (field !== 'file' || stored) {
        stream.resume();
        return;
      }
      const fileName = (info.filename ?? '').split(/[\\/]/).pop()!.trim();
      const ext = extname(fileName).toLowerCase();
      if (!fileName) return fail(badRequest('the file field carries no file name', 'no_file_name'));
      if (!(UPLOAD_EXTENSIONS as readonly string[]).includes(ext)) {
        return fail(wrongType(`${fileName}: only ${UPLOAD_EXTENSIONS.join(', ')} files are accepted`));
      }
      written = join(dir, `${Date.now()}-${randomBytes(6).toString('hex')}${ext}`);
      const inspect = new Inspect(fileName, ext, max);
      out = createWriteStream(written, { mode: 0o600 }); // raw customer data: the server's user only
      stored = pipeline(stream, inspect, out).then(() => ({ path: written!, fileName, bytes: inspect.bytes }));
      stored.catch(fail);
    });
    bb.on('filesLimit', () => fail(badRequest('send exactly one file, in the field "file"', 'too_many_files')));
    bb.on('error', (err: Error) => fail(badRequest(`malformed multipart body: ${err.message}`, 'malformed_multipart')));
    bb.on('close', () => {
      if (!stored) return fail(badRequest('no file: send one field named "file"', 'no_file'));
      stored.then((f) => {
        if (settled) return;
        settled = true;
        stopTimers();
        resolve(f);
      }, fail);
    });
    source.on('error', (err) => fail(err instanceof ApiError ? err : badRequest(`the upload was interrupted: ${err.message}`, 'upload_interrupted')));
    source.pipe(bb);
  });
}
