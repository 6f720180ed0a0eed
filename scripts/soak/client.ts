/**
 * The soak's HTTP client over loopback (Node's fetch, FormData, fs.openAsBlob): sign-in, reads,
 * uploads (whole, or trickled with a pause), every answer counted by kind and status. A request
 * that overlaps the kill window (from kill -9 until the restarted server serves) may fail to
 * connect; anywhere else that is a failure.
 */
import { openAsBlob, readFileSync } from 'node:fs';
import type { SoakFile } from './files.ts';

export type Status = number | 'conn_error' | 'timeout';

/** From kill -9 until the restarted server serves. */
export class KillWindow {
  killAt?: number;
  upAt?: number;
  /** Did a request from t0 to t1 overlap the window? */
  overlaps(t0: number, t1: number): boolean {
    return this.killAt !== undefined && t1 >= this.killAt && (this.upAt === undefined || t0 <= this.upAt);
  }
}

export interface ServerError {
  kind: string;
  what: string;
  status: Status;
  code?: string;
  at: number;
  inKillWindow: boolean;
}

export class Stats {
  /** kind → status → count */
  readonly counts = new Map<string, Map<string, number>>();
  readonly readMs: number[] = [];
  readonly serverErrors: ServerError[] = [];
  /** Answers nothing explains: each one fails the soak. */
  readonly unexpected: string[] = [];
  constructor(readonly t0: number) {}

  count(kind: string, status: Status): void {
    const m = this.counts.get(kind) ?? new Map<string, number>();
    m.set(String(status), (m.get(String(status)) ?? 0) + 1);
    this.counts.set(kind, m);
  }

  get total(): number {
    let n = 0;
    for (const m of this.counts.values()) for (const v of m.values()) n += v;
    return n;
  }

  since(ms: number): string {
    return `${((ms - this.t0) / 1000).toFixed(1)} s`;
  }
}

export interface Session {
  username: string;
  role: string;
  cookie: string;
  csrf: string;
}

export interface UploadRecord {
  file: SoakFile;
  by: string;
  started: number;
  ended: number;
  status: Status;
  code?: string;
  message?: string;
  batch_id?: number;
  accepted?: number;
  rejected?: number;
  duplicate?: boolean;
  inKillWindow: boolean;
  /**
   * as expected | busy (409 upload_in_progress) | cut (the connection dropped: the server was
   * killed) | server down (connection refused before the restart) | unexpected
   */
  outcome: 'as expected' | 'busy' | 'cut' | 'server down' | 'unexpected';
}

interface Answer {
  status: Status;
  ms: number;
  body?: Record<string, unknown>;
  res?: Response;
  error?: string;
}

export class Api {
  base: string;
  constructor(port: number, readonly stats: Stats, readonly window: KillWindow) {
    this.base = `http://127.0.0.1:${port}`;
  }

  setPort(port: number): void {
    this.base = `http://127.0.0.1:${port}`;
  }

  private async request(kind: string, path: string, init: RequestInit & { duplex?: 'half' }, timeoutMs: number): Promise<Answer> {
    const t0 = Date.now();
    let a: Answer;
    try {
      const res = await fetch(this.base + path, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      let body: Record<string, unknown> | undefined;
      try {
        body = text && (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      } catch {
        body = undefined;
      }
      a = { status: res.status, ms: Date.now() - t0, body, res };
    } catch (err) {
      const e = err as Error & { cause?: Error };
      a = { status: e.name === 'TimeoutError' ? 'timeout' : 'conn_error', ms: Date.now() - t0, error: `${e.message}${e.cause ? ` (${e.cause.message})` : ''}` };
    }
    this.stats.count(kind, a.status);
    const inWindow = this.window.overlaps(t0, Date.now());
    if (typeof a.status === 'number' && a.status >= 500) {
      const code = errorCode(a.body);
      this.stats.serverErrors.push({ kind, what: `${init.method ?? 'GET'} ${path}`, status: a.status, code, at: t0, inKillWindow: inWindow });
      if (!(a.status === 503 && code === 'shutting_down' && inWindow)) this.stats.unexpected.push(`${kind}: ${init.method ?? 'GET'} ${path} → ${a.status} ${code ?? ''} at ${this.stats.since(t0)}`);
    } else if (typeof a.status !== 'number' && !inWindow) {
      this.stats.unexpected.push(`${kind}: ${init.method ?? 'GET'} ${path} → ${a.status} (${a.error}) at ${this.stats.since(t0)}, outside the kill window`);
    }
    return a;
  }

  async signIn(username: string, password: string, kind = 'sign-in'): Promise<{ status: Status; session?: Session }> {
    const a = await this.request(kind, '/api/session', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
    }, 30_000);
    if (a.status !== 200 || !a.res || !a.body) return { status: a.status };
    const cookie = a.res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('aftersales_session='));
    if (!cookie) throw new Error('sign-in answered 200 without a session cookie');
    return { status: 200, session: { username: String(a.body.username), role: String(a.body.role), cookie, csrf: String(a.body.csrf) } };
  }

  /** Sign-out (204 expected). */
  async signOut(s: Session): Promise<Status> {
    return (await this.request('sign-out', '/api/session', { method: 'DELETE', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } }, 30_000)).status;
  }

  /** A read: its latency is kept when it answers 200. */
  async get(s: Session, path: string, kind = 'read'): Promise<{ status: Status; body?: Record<string, unknown> }> {
    const a = await this.request(kind, path, { headers: { cookie: s.cookie } }, 60_000);
    if (a.status === 200) this.stats.readMs.push(a.ms);
    return { status: a.status, body: a.body };
  }

  async postJson(s: Session, path: string, body: unknown, kind: string): Promise<{ status: Status; body?: Record<string, unknown> }> {
    const a = await this.request(kind, path, {
      method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' }, body: JSON.stringify(body),
    }, 30_000);
    return { status: a.status, body: a.body };
  }

  /** Uploads a file whole (multipart, field "file"). */
  async upload(s: Session, file: SoakFile, timeoutMs = 180_000): Promise<UploadRecord> {
    const fd = new FormData();
    fd.append('file', await openAsBlob(file.path), file.name);
    const t0 = Date.now();
    const a = await this.request('upload', `/api/uploads?kind=${file.kind}`, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, body: fd }, timeoutMs);
    return this.record(s, file, t0, a);
  }

  /**
   * Sends the multipart body in two halves with a pause between them longer than the server's
   * UPLOAD_IDLE_SECONDS: the server must answer 408 upload_too_slow and keep nothing.
   */
  async slowUpload(s: Session, file: SoakFile, pauseMs: number): Promise<UploadRecord> {
    const boundary = `----soak${Date.now()}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`);
    const content = readFileSync(file.path);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const half = Math.floor(content.length / 2);
    let step = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (step === 0) controller.enqueue(Buffer.concat([head, content.subarray(0, half)]));
        else if (step === 1) {
          await new Promise((r) => setTimeout(r, pauseMs));
          controller.enqueue(Buffer.concat([content.subarray(half), tail]));
        } else controller.close();
        step++;
      },
    });
    const t0 = Date.now();
    const a = await this.request('upload', `/api/uploads?kind=${file.kind}`, {
      method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': `multipart/form-data; boundary=${boundary}` }, body, duplex: 'half',
    }, pauseMs + 60_000);
    return this.record(s, file, t0, a);
  }

  private record(s: Session, file: SoakFile, t0: number, a: Answer): UploadRecord {
    const ended = Date.now();
    const b = a.body ?? {};
    const r: UploadRecord = {
      file, by: s.username, started: t0, ended, status: a.status, inKillWindow: this.window.overlaps(t0, ended), outcome: 'unexpected',
      code: errorCode(a.body), message: typeof (b.error as { message?: unknown } | undefined)?.message === 'string' ? (b.error as { message: string }).message : a.error,
    };
    if (a.status === 200) {
      Object.assign(r, { batch_id: Number(b.batch_id), accepted: Number(b.accepted), rejected: Number(b.rejected), duplicate: b.duplicate === true });
    }
    const e = file.expect;
    if (typeof a.status !== 'number') r.outcome = !r.inKillWindow ? 'unexpected' : /ECONNREFUSED/.test(a.error ?? '') ? 'server down' : 'cut';
    else if (a.status === 409 && r.code === 'upload_in_progress') r.outcome = 'busy';
    else if (a.status === e.status && (e.status !== 200 ? !e.code || e.code === r.code : !r.duplicate && r.accepted === e.accepted && r.rejected === e.rejected)) r.outcome = 'as expected';
    if (r.outcome === 'unexpected') {
      this.stats.unexpected.push(
        `upload ${file.name} (${file.label}) by ${s.username}: expected ${e.status}${e.code ? ` ${e.code}` : ''}${e.status === 200 ? ` accepted ${e.accepted} rejected ${e.rejected}` : ''}, ` +
          `got ${a.status}${r.code ? ` ${r.code}` : ''}${a.status === 200 ? ` accepted ${r.accepted} rejected ${r.rejected}${r.duplicate ? ' duplicate' : ''}` : ''}${r.message ? ` (${r.message})` : ''} at ${this.stats.since(t0)}`,
      );
    }
    return r;
  }
}

function errorCode(body: Record<string, unknown> | undefined): string | undefined {
  const e = body?.error as { code?: unknown } | undefined;
  return typeof e?.code === 'string' ? e.code : undefined;
}
