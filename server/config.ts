/**
 * The one place the environment is read. `npm start` (scripts/start.ts) calls loadConfig() once
 * and hands the result down: the server process (server/main.ts) and, through createApp's options,
 * the routes. A value that is set but malformed stops the start with a ConfigError naming the
 * variable, instead of being ignored for a default.
 */
import { DEFAULT_DB_PATH } from '../pipelines/warehouse/warehouse.ts';

/** Limits the routes read at each request (createApp option `limits`). */
export interface Limits {
  /** Largest accepted upload file in bytes (over it → 413). */
  uploadMaxBytes: number;
  /** Most rows an export may hold (over it → 422 export_too_large). */
  exportMaxRows: number;
  /** Longest time a client may take to send an upload's file, in seconds (over it → 408). */
  uploadMaxSeconds: number;
  /** Longest pause while an upload's file arrives, in seconds (over it → 408). */
  uploadIdleSeconds: number;
  /** Uploads in progress at once, arriving or waiting for their turn to be ingested; more → 409. */
  uploadsAtOnce: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  uploadMaxBytes: 200 * 1024 * 1024,
  exportMaxRows: 200_000,
  // 200 MiB in 10 minutes is 350 KB/s, a slow office line.
  uploadMaxSeconds: 600,
  uploadIdleSeconds: 30,
  uploadsAtOnce: 4,
};

export interface Config {
  /** PORT: the TCP port to serve on. */
  port: number;
  /** DB_PATH: the warehouse file. */
  dbPath: string;
  /** ADMIN_PASSWORD: the first users' password; without it one is generated and shown once. */
  adminPassword: string | undefined;
  /** RESPONSE_CACHE: keep GET answers until the next write (0 turns it off). */
  responseCache: boolean;
  limits: Limits;
  /** TRUST_PROXY: take the client address from X-Forwarded-For (only behind a trusted reverse proxy). */
  trustProxy: boolean;
  /** COOKIE_SECURE: 1 → always Secure cookies; otherwise when the request came over https. */
  cookieSecure: true | 'auto';
  /** SKIP_WEB_BUILD: `npm start` does not rebuild the dashboard. */
  skipWebBuild: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const read = reader(env);
  return {
    port: read.int('PORT', 8080, { min: 1, max: 65535, what: 'a TCP port' }),
    dbPath: read.text('DB_PATH') ?? DEFAULT_DB_PATH,
    adminPassword: read.text('ADMIN_PASSWORD'),
    responseCache: read.flag('RESPONSE_CACHE', true),
    limits: {
      uploadMaxBytes: read.int('UPLOAD_MAX_BYTES', DEFAULT_LIMITS.uploadMaxBytes, { min: 1, what: 'a number of bytes' }),
      exportMaxRows: read.int('EXPORT_MAX_ROWS', DEFAULT_LIMITS.exportMaxRows, { min: 1, what: 'a number of rows' }),
      uploadMaxSeconds: read.int('UPLOAD_MAX_SECONDS', DEFAULT_LIMITS.uploadMaxSeconds, { min: 1, what: 'a number of seconds' }),
      uploadIdleSeconds: read.int('UPLOAD_IDLE_SECONDS', DEFAULT_LIMITS.uploadIdleSeconds, { min: 1, what: 'a number of seconds' }),
      uploadsAtOnce: read.int('UPLOADS_AT_ONCE', DEFAULT_LIMITS.uploadsAtOnce, { min: 1, max: 64, what: 'a number of uploads' }),
    },
    trustProxy: read.flag('TRUST_PROXY', false),
    cookieSecure: read.flag('COOKIE_SECURE', false) ? true : 'auto',
    skipWebBuild: read.flag('SKIP_WEB_BUILD', false),
  };
}

/** The Chromium the screenshots, browser tests and bench:web drive: CHROMIUM_PATH, else Debian's. */
export function chromiumPath(env: Env = process.env): string {
  return reader(env).text('CHROMIUM_PATH') ?? '/usr/bin/chromium';
}

/** Typed reads of variables; an empty value counts as unset. */
function reader(env: Env) {
  // Text as given (a password may start with a space); numbers and flags without surrounding blanks.
  const raw = (name: string) => (env[name] === '' ? undefined : env[name]);
  const trimmed = (name: string) => raw(name)?.trim() || undefined;
  return {
    text: raw,
    int(name: string, dflt: number, o: { min: number; max?: number; what: string }): number {
      const v = trimmed(name);
      if (v === undefined) return dflt;
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < o.min || (o.max !== undefined && n > o.max)) {
        throw new ConfigError(`${name} must be ${o.what}, a whole number from ${o.min}${o.max !== undefined ? ` to ${o.max}` : ''}; got "${v}"`);
      }
      return n;
    },
    /** 1 (on) or 0 (off). */
    flag(name: string, dflt: boolean): boolean {
      const v = trimmed(name);
      if (v === undefined) return dflt;
      if (v !== '0' && v !== '1') throw new ConfigError(`${name} must be 1 (on) or 0 (off); got "${v}"`);
      return v === '1';
    },
  };
}
