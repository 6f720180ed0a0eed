/**
 * Answers of GET routes kept in memory until the warehouse changes. Every figure the dashboard
 * reads comes from marts that change only when something is written (an upload, a refresh, an
 * allocation, a close, a spot check, a policy…), and in this process every write goes through a
 * non-GET route or an export/upload route: after each of those the version moves on and every
 * kept answer is dropped. An answer is kept per URL and per role and team (masking and manager
 * scoping depend on them, nothing else does); routes whose answer is the user's own (the session)
 * opt out. A read that began before a write finished is never kept (its version is old).
 *
 * Off unless asked for (AppOptions.responseCache): code that writes to the warehouse behind the
 * app's back — tests that ingest directly — would read stale answers.
 */
export interface CachedAnswer {
  status: number;
  body: ArrayBuffer;
  headers: [string, string][];
}

/** A looked-up session (server/auth.ts Session), kept generic so this file needs no import. */
type S = { expires_at: Date };

/** Memory an entry holds: its body, its key and headers (UTF-16), and a little for the bookkeeping. */
function sizeOf(key: string, answer: CachedAnswer): number {
  let n = answer.body.byteLength + 2 * key.length + 64;
  for (const [k, v] of answer.headers) n += 2 * (k.length + v.length) + 16;
  return n;
}

/** The default bound on the memory held by kept answers: 64 MiB. */
export const CACHE_MAX_TOTAL_BYTES = 64 * 1024 * 1024;

/**
 * An LRU cache bounded both by the number of answers (maxEntries) and by the memory they hold
 * (maxTotalBytes, bodies plus keys and headers): when either is exceeded, the least recently used
 * answers are evicted until it is not.
 */
export class ResponseCache<Sess extends S = S> {
  private version = 0;
  private entries = new Map<string, { version: number; answer: CachedAnswer; size: number }>();
  private totalBytes = 0;

  constructor(
    private readonly maxEntries = 2000,
    /** Answers above this size are not kept (large drill-down pages and files). */
    readonly maxBytes = 512 * 1024,
    /** The bound on the memory all kept answers hold together. */
    readonly maxTotalBytes = CACHE_MAX_TOTAL_BYTES,
  ) {}

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.totalBytes -= e.size;
  }

  /** The version a read starts under; pass it back to set(). */
  current(): number {
    return this.version;
  }

  get(key: string): CachedAnswer | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.version !== this.version) {
      this.drop(key);
      return undefined;
    }
    // Most recently used last: Map keeps insertion order, the oldest is evicted first.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.answer;
  }

  set(key: string, version: number, answer: CachedAnswer): void {
    if (version !== this.version || answer.body.byteLength > this.maxBytes) return;
    const size = sizeOf(key, answer);
    if (size > this.maxTotalBytes) return;
    this.drop(key);
    this.entries.set(key, { version, answer, size });
    this.totalBytes += size;
    while (this.entries.size > this.maxEntries || this.totalBytes > this.maxTotalBytes) this.drop(this.entries.keys().next().value!);
  }

  /** Something was written: nothing kept so far may be served again. */
  invalidate(): void {
    this.version++;
    this.entries.clear();
    this.totalBytes = 0;
    this.sessions.clear();
  }

  private sessions = new Map<string, { version: number; session: Sess }>();

  /**
   * The session behind a cookie, kept like the answers (sign-in, sign-out and disabling a user are
   * writes, so they drop it); an expired one is never returned.
   */
  getSession(id: string, now: Date): Sess | undefined {
    const e = this.sessions.get(id);
    if (!e || e.version !== this.version || e.session.expires_at.getTime() <= now.getTime()) return undefined;
    return e.session;
  }

  setSession(id: string, version: number, session: Sess): void {
    if (version !== this.version) return;
    if (this.sessions.size >= this.maxEntries) this.sessions.clear();
    this.sessions.set(id, { version, session });
  }

  get size(): number {
    return this.entries.size;
  }

  /** The memory the kept answers hold (as counted against maxTotalBytes). */
  get bytes(): number {
    return this.totalBytes;
  }
}
