/**
 * Users, passwords and sessions (issue 4 §2). Passwords are hashed with scrypt (memory-hard, Node's
 * own crypto), sessions live in the warehouse (`sessions`, migration 007) and only the SHA-256 of a
 * session id is stored. Sign-in failures are rate limited per username + client address in memory.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Warehouse } from '../pipelines/warehouse/warehouse.ts';
import { isRole, type Role, type User } from './roles.ts';
import { passwordProblem, USERNAME_RE as USERNAME } from '../pipelines/contract/users.ts';
export { USERNAME_RE as USERNAME } from '../pipelines/contract/users.ts';

// ---------------------------------------------------------------------------------------------
// Passwords

/** N = 2^15, r = 8, p = 1: 32 MiB and ~60–100 ms per hash on this 2-core machine. */
export const SCRYPT_PARAMS = { N: 32768, r: 8, p: 1 } as const;
const KEY_LEN = 64;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, keylen, { ...opts, maxmem: 256 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$<salt b64>$<key b64>` */
export async function hashPassword(password: string, params: { N: number; r: number; p: number } = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LEN, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (!expected.length) return false;
  const key = await scrypt(password, salt, expected.length, { N, r, p });
  return timingSafeEqual(key, expected);
}

// A hash to check against when the user does not exist, so an unknown name costs the same time.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64'));
  return dummyHash;
}

/** A readable random password (24 characters of base64url, ~144 bits). */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}

// ---------------------------------------------------------------------------------------------
// Users

export interface UserRecord extends User {
  password_hash: string;
  disabled: boolean;
  created_at: string;
}


export async function createUser(
  wh: Warehouse,
  u: { username: string; role: Role; team_id?: string | null; password: string },
  params: { N: number; r: number; p: number } = SCRYPT_PARAMS,
): Promise<void> {
  if (!USERNAME.test(u.username)) throw new Error(`username must be 1–64 of A–Z a–z 0–9 _ . @ -, got "${u.username}"`);
  if (!isRole(u.role)) throw new Error(`unknown role "${String(u.role)}"`);
  if (u.role === 'manager' && !u.team_id) throw new Error('a manager needs a team_id');
  const weak = passwordProblem(u.password, u.username);
  if (weak) throw new Error(`the password ${weak}`);
  if (await findUser(wh, u.username)) throw new Error(`user ${u.username} already exists (usernames ignore letter case)`);
  await wh.run(
    `INSERT INTO users (username, role, team_id, password_hash, created_at, disabled) VALUES ($1, $2, $3, $4, now()::TIMESTAMP, false)`,
    [u.username, u.role, u.role === 'manager' ? u.team_id! : null, await hashPassword(u.password, params)],
  );
}

/**
 * The user of a name, compared without letter case (names are stored as given). Should two names
 * differing only in case predate this rule, the exact spelling wins.
 */
export async function findUser(wh: Warehouse, username: string): Promise<UserRecord | undefined> {
  return wh.one<UserRecord>(
    `SELECT username, role, team_id, password_hash, disabled, strftime(created_at, '%Y-%m-%d %H:%M:%S') AS created_at
     FROM users WHERE lower(username) = $1 ORDER BY username = $2 DESC, username LIMIT 1`,
    [foldUsername(username), username],
  );
}

export async function countUsers(wh: Warehouse): Promise<number> {
  return (await wh.one<{ n: number }>('SELECT count(*) AS n FROM users'))!.n;
}

// ---------------------------------------------------------------------------------------------
// Sessions

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** A UTC time as DuckDB TIMESTAMP text. */
function ts(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

export interface Session {
  user: User;
  csrf: string;
  expires_at: Date;
}

/** Creates a session; returns the id for the cookie (never stored as is) and the CSRF token. */
export async function createSession(wh: Warehouse, username: string, now: Date, ttlMs = SESSION_TTL_MS): Promise<{ id: string; csrf: string; expires_at: Date }> {
  const id = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + ttlMs);
  // Expired sessions are swept on every sign-in.
  await wh.run('DELETE FROM sessions WHERE expires_at <= CAST($1 AS TIMESTAMP)', [ts(now)]);
  await wh.run(
    `INSERT INTO sessions (session_hash, username, created_at, expires_at, csrf_token) VALUES ($1, $2, CAST($3 AS TIMESTAMP), CAST($4 AS TIMESTAMP), $5)`,
    [hashSessionId(id), username, ts(now), ts(expires), csrf],
  );
  return { id, csrf, expires_at: expires };
}

/** The live session of a cookie id: unknown, expired, or of a disabled user → undefined. */
export async function lookupSession(wh: Warehouse, id: string, now: Date): Promise<Session | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  const row = await wh.one<{ username: string; role: string; team_id: string | null; csrf_token: string; expires_ms: number }>(
    `SELECT u.username, u.role, u.team_id, s.csrf_token, epoch_ms(s.expires_at) AS expires_ms
     FROM sessions s JOIN users u USING (username)
     WHERE s.session_hash = $1 AND NOT u.disabled`,
    [hashSessionId(id)],
  );
  if (!row || !isRole(row.role) || row.expires_ms <= now.getTime()) return undefined;
  return {
    user: { username: row.username, role: row.role, team_id: row.role === 'manager' ? row.team_id : null },
    csrf: row.csrf_token,
    expires_at: new Date(row.expires_ms),
  };
}

export async function deleteSession(wh: Warehouse, id: string): Promise<void> {
  await wh.run('DELETE FROM sessions WHERE session_hash = $1', [hashSessionId(id)]);
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// ---------------------------------------------------------------------------------------------
// Sign-in rate limiting

export interface RateLimitOptions {
  /** Failures allowed within the window before sign-in is refused (default 5). */
  maxFailures: number;
  /** The window, in milliseconds (default 15 minutes). */
  windowMs: number;
}

export const RATE_LIMIT_DEFAULTS: RateLimitOptions = { maxFailures: 5, windowMs: 15 * 60 * 1000 };

/**
 * Sign-in attempts per (case-folded username, client address). An attempt is counted — reserved —
 * synchronously *before* the slow password check (`reserve`), so parallel guesses cannot all pass
 * the check while the first hashes are still running: at most `maxFailures` attempts of one name
 * from one address are ever verified within the window. A success clears that name's count from that
 * address (`succeed`); a failure leaves its reservation in place. While `maxFailures` attempts lie
 * within the window, every attempt — even with the right password — is refused until the oldest one
 * ages out. In memory: a restart forgets it, which only gives an attacker one more window.
 */
export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly opts: RateLimitOptions = RATE_LIMIT_DEFAULTS) {}

  private key(username: string, ip: string): string {
    return `${foldUsername(username)}\u0000${ip}`;
  }

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => t > now - this.opts.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds to wait, or 0 when an attempt is allowed now (does not count one). */
  retryAfter(username: string, ip: string, now: number): number {
    return this.wait(this.recent(this.key(username, ip), now), now);
  }

  private wait(list: number[], now: number): number {
    if (list.length < this.opts.maxFailures) return 0;
    const oldest = list[list.length - this.opts.maxFailures]!;
    return Math.max(1, Math.ceil((oldest + this.opts.windowMs - now) / 1000));
  }

  /**
   * Counts an attempt before its password is checked: seconds to wait (nothing counted) when the
   * limit is reached, else 0 and the attempt now counts as a failure until `succeed` clears it.
   * Synchronous, so concurrent attempts see each other's reservations.
   */
  reserve(username: string, ip: string, now: number): number {
    const key = this.key(username, ip);
    const list = this.recent(key, now);
    const wait = this.wait(list, now);
    if (wait > 0) return wait;
    this.failures.set(key, [...list, now]);
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value!);
    return 0;
  }

  succeed(username: string, ip: string): void {
    this.failures.delete(this.key(username, ip));
  }
}

/** Usernames are case-insensitive: compared, limited and looked up in this form. */
export function foldUsername(username: string): string {
  return username.toLowerCase();
}
