/**
 * The Hono app: the API under /api/ and the built dashboard (web/build) as static files, on one
 * port. `createApp({ wh })` is testable with `app.request(...)`; server/main.ts serves it.
 *
 * Request path for /api/*: secure headers → body size limit (413) → session from the cookie →
 * CSRF check on mutations (403) → the route's role check (401/403) → the handler under the
 * warehouse lock. Every error is JSON {error: {code, message}}.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import { serveStatic } from '@hono/node-server/serve-static';
import { getConnInfo } from '@hono/node-server/conninfo';
import { PROJECT_ROOT, type Warehouse } from '../pipelines/warehouse/warehouse.ts';
import { lookupSession, type Session, RATE_LIMIT_DEFAULTS, sameToken, SESSION_TTL_MS, SignInLimiter, type RateLimitOptions } from './auth.ts';
import { ApiError, errorBody, toResponse } from './errors.ts';
import { parsePathParams, parseQuery, type AppEnv, type RouteDef } from './http.ts';
import { RwLock } from './lock.ts';
import { AuthConnection } from './auth-connection.ts';
import { DEFAULT_READ_CONNECTIONS, ReadPool } from './read-pool.ts';
import { ResponseCache } from './response-cache.ts';
import { DEFAULT_LIMITS, type Limits } from './config.ts';
import { buildOpenApi } from './openapi.ts';
import { apiRoutes, SESSION_COOKIE } from './routes/index.ts';

export interface AppOptions {
  wh: Warehouse;
  /** Extra connections for GET requests (default 4). */
  readConnections?: number;
  /** Keep GET answers until the next write (server/response-cache.ts); off by default. */
  responseCache?: boolean;
  /** The clock (tests move it to expire sessions). */
  now?: () => Date;
  sessionTtlMs?: number;
  rateLimit?: Partial<RateLimitOptions>;
  /** Largest accepted request body (default 1 MiB). */
  maxBodyBytes?: number;
  /** Secure cookies: true, false, or 'auto' (when the request came over https, the default). */
  cookieSecure?: boolean | 'auto';
  /** Take the client address from X-Forwarded-For (only behind a trusted reverse proxy). Default false. */
  trustProxy?: boolean;
  /** Upload and export limits (default DEFAULT_LIMITS); the routes read this object at each request. */
  limits?: Limits;
  /** The built dashboard; default web/build. */
  webRoot?: string;
  /** The warehouse write lock (a test holds it to stand for a long refresh). */
  lock?: RwLock;
}

export const DEFAULT_WEB_ROOT = join(PROJECT_ROOT, 'web', 'build');
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A same-origin single-page app: everything from 'self', nothing framed, no plugins. */
export const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function createApp(opts: AppOptions) {
  const wh = opts.wh;
  const now = opts.now ?? (() => new Date());
  const lock = opts.lock ?? new RwLock();
  const auth = new AuthConnection(wh);
  const pool = new ReadPool(wh, opts.readConnections ?? DEFAULT_READ_CONNECTIONS);
  const cache = opts.responseCache ? new ResponseCache<Session>() : null;
  const limiter = new SignInLimiter({ ...RATE_LIMIT_DEFAULTS, ...opts.rateLimit });
  const trustProxy = opts.trustProxy ?? false;
  const secureSetting = opts.cookieSecure ?? 'auto';
  const webRoot = opts.webRoot ?? DEFAULT_WEB_ROOT;

  const clientIp = (c: Context): string => {
    if (trustProxy) {
      const fwd = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (fwd) return fwd;
    }
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      return 'unknown'; // app.request in tests: no socket
    }
  };
  const cookieSecure = (c: Context): boolean =>
    secureSetting === 'auto'
      ? new URL(c.req.url).protocol === 'https:' || (trustProxy && c.req.header('x-forwarded-proto') === 'https')
      : secureSetting;

  const app = new Hono<AppEnv>();
  let openapi: Record<string, unknown> | undefined;
  const routes = apiRoutes({
    wh, lock, auth, limiter, now, clientIp, cookieSecure,
    limits: opts.limits ?? { ...DEFAULT_LIMITS },
    sessionTtlMs: opts.sessionTtlMs ?? SESSION_TTL_MS,
    openapi: () => (openapi ??= buildOpenApi(routes)),
  });

  app.onError((err, c) => toResponse(err, c));
  // index.html carries SvelteKit's one inline bootstrap script: allowed by its hash, nothing else inline.
  // Read per request (cached by modification time): a rebuild while the server runs stays valid.
  const index = webIndex(join(webRoot, 'index.html'));
  const csp = { ...CSP, scriptSrc: [...CSP.scriptSrc, () => index()?.hashes.join(' ') ?? ''] };
  app.use('*', secureHeaders({ contentSecurityPolicy: csp, crossOriginResourcePolicy: 'same-origin', xFrameOptions: 'DENY' }));

  // Uploads have their own, larger limit (limits.uploadMaxBytes, default 200 MiB), enforced by their
  // route while it streams the file to disk (server/upload-receive.ts).
  const apiBodyLimit = bodyLimit({
    maxSize: opts.maxBodyBytes ?? 1024 * 1024,
    onError: (c) => c.json(errorBody('payload_too_large', `request body larger than ${opts.maxBodyBytes ?? 1024 * 1024} bytes`), 413),
  });
  app.use('/api/*', (c, next) => (c.req.path === '/api/uploads' ? next() : apiBodyLimit(c, next)));

  // The session of the cookie, if any and still valid.
  app.use('/api/*', async (c, next) => {
    c.set('user', undefined);
    c.set('session', undefined);
    const id = getCookie(c, SESSION_COOKIE);
    if (id) {
      const at = now();
      let s = cache?.getSession(id, at);
      if (!s) {
        const version = cache?.current() ?? 0;
        s = await pool.use((r) => lookupSession(r, id, at));
        if (s) cache?.setSession(id, version, s);
      }
      if (s) {
        c.set('session', { ...s, id });
        c.set('user', s.user);
      }
    }
    c.header('Cache-Control', 'no-store');
    await next();
  });

  // CSRF: every mutation but the sign-in itself carries the session's token in X-CSRF-Token.
  app.use('/api/*', async (c, next) => {
    if (MUTATING.has(c.req.method) && !(c.req.method === 'POST' && c.req.path === '/api/session')) {
      const s = c.get('session');
      if (!s) throw new ApiError(401, 'unauthenticated', 'sign in first');
      const token = c.req.header('x-csrf-token');
      if (!token || !sameToken(token, s.csrf)) throw new ApiError(403, 'csrf', 'missing or wrong X-CSRF-Token header');
    }
    await next();
  });

  for (const r of routes) register(app, r, lock, pool, wh, cache);

  app.notFound((c) =>
    c.req.path.startsWith('/api/') || c.req.path === '/api'
      ? c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404)
      : c.text('not found', 404),
  );

  // The dashboard: static files, and index.html for the app's own paths (client-side routing).
  // Hashed files under /_app/immutable/ never change: cached for a year; index.html is revalidated.
  const serveFile = serveStatic({
    root: webRoot,
    onFound: (path, c) => {
      c.header('Cache-Control', path.includes('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const page = (c: Context) => {
    const built = index();
    if (!built) return c.html(NOT_BUILT_PAGE);
    c.header('Cache-Control', 'no-cache');
    return c.html(built.html);
  };
  app.get('/', page);
  app.get('/index.html', page);
  app.use('*', async (c, next) => (c.req.path.startsWith('/api/') ? next() : serveFile(c, next)));
  app.get('*', async (c, next) => (c.req.path.startsWith('/api/') ? next() : page(c)));
  return app;
}

/** The built index.html and its inline-script hashes, re-read when the file changes; null when not built. */
function webIndex(file: string): () => { html: string; hashes: string[] } | null {
  let cached: { mtime: number; html: string; hashes: string[] } | null = null;
  return () => {
    if (!existsSync(file)) return null;
    const mtime = statSync(file).mtimeMs;
    if (!cached || cached.mtime !== mtime) {
      const html = readFileSync(file, 'utf8');
      cached = { mtime, html, hashes: inlineScriptHashes(html) };
    }
    return cached;
  };
}

/** 'sha256-…' sources for the inline <script> blocks of a page (CSP level 2 hashes). */
export function inlineScriptHashes(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    out.push(`'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
  }
  return out;
}

/** Registers a route: access check, parameter parsing, the warehouse lock, the handler. */
function register(app: Hono<AppEnv>, r: RouteDef, lock: RwLock, pool: ReadPool, main: Warehouse, cache: ResponseCache<Session> | null): void {
  const allow: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (r.access === 'public') return next();
    const user = c.get('user');
    if (!user) throw new ApiError(401, 'unauthenticated', 'sign in first');
    if (r.access !== 'signed_in' && !r.access.includes(user.role)) {
      throw new ApiError(403, 'forbidden', `the ${user.role} role may not ${r.method} ${r.path}`);
    }
    return next();
  };
  const mode = r.lock ?? (r.method === 'GET' ? 'read' : 'write');
  const cached = cache !== null && mode === 'read' && r.cache !== false;
  const keepOnFailure = r.keepsCacheOnFailure === true;
  const run = async (c: Context<AppEnv>) => {
    const q = parseQuery(c, r.query);
    const p = parsePathParams(c, r.params);
    const call = (wh: Warehouse) => r.handler(c, { q, p, user: c.get('user'), wh });
    if (mode === 'read') {
      if (!cached) return pool.use(call);
      const user = c.get('user');
      const key = `${c.req.url}|${user?.role ?? ''}|${user?.team_id ?? ''}`;
      const hit = cache.get(key);
      if (hit) return new Response(hit.body, { status: hit.status, headers: hit.headers });
      const version = cache.current();
      const res = await pool.use(call);
      if (res.status !== 200) return res;
      const body = await res.arrayBuffer();
      const headers = [...res.headers.entries()];
      cache.set(key, version, { status: res.status, body, headers });
      return new Response(body, { status: res.status, headers });
    }
    // A route may declare that its failures write nothing the kept answers show (sign-in: only an
    // audit row), so a flood of failed attempts cannot keep emptying the cache.
    let wrote = true;
    try {
      const res = mode === 'none' ? await call(main) : await lock.write(() => call(main));
      if (keepOnFailure && res.status >= 400) wrote = false;
      return res;
    } catch (err) {
      if (keepOnFailure) wrote = false;
      throw err;
    } finally {
      // Every route that is not a plain read may have written (uploads and exports included).
      if (wrote) cache?.invalidate();
    }
  };
  app.on(r.method, r.path, allow, run);
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>售后服务质量监督与考核</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>售后服务质量监督与考核</h1>
<p>The dashboard is not built yet (仪表盘尚未构建). The API is running under <code>/api/</code>;
its description is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>
</body></html>`;

export type App = ReturnType<typeof createApp>;
