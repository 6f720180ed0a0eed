/**
 * Sign-in, sessions and the request guards: cookie flags, expiry, sign-out, CSRF, rate limiting,
 * malformed JSON, oversized bodies, hostile filter values, secure headers, error shape.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../pipelines/assessment/index.ts';
import { ensureInitialUsers } from '../../server/users.ts';
import { hashPassword, verifyPassword } from '../../server/auth.ts';
import type { TempWarehouse } from '../helpers.ts';
import { tempWarehouse } from '../helpers.ts';
import { buildWarehouse, call, makeApp, MONTH, PASSWORD, signIn, USERS, type TestApp } from './fixture.ts';

let t: TempWarehouse;
let app: TestApp;

beforeAll(async () => {
  t = await buildWarehouse();
  app = makeApp(t);
});
afterAll(() => t.cleanup());

describe('sign-in and sessions', () => {
  it('sets an HTTP-only SameSite=Strict cookie and returns the user and a CSRF token', async () => {
    const res = await call(app, 'POST', '/api/session', { body: { username: USERS.manager, password: PASSWORD } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ username: USERS.manager, role: 'manager', team_id: 'T01' });
    expect(body.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^aftersales_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure'); // plain http, COOKIE_SECURE unset
    const session = await (await app.request('/api/session', { headers: { cookie: cookie.split(';')[0]! } })).json();
    expect(session).toMatchObject({ username: USERS.manager, role: 'manager', team_id: 'T01', csrf: body.csrf });
    // Only the hash of the session id is stored.
    const id = cookie.split(';')[0]!.split('=')[1]!;
    expect((await t.wh.one<{ n: number }>('SELECT count(*) AS n FROM sessions WHERE session_hash = $1', [id]))!.n).toBe(0);
  });

  it('marks the cookie Secure behind https or with cookieSecure', async () => {
    const viaHttps = await app.request('https://example.test/api/session', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USERS.hr, password: PASSWORD }),
    });
    expect(viaHttps.headers.get('set-cookie')).toContain('Secure');
    const forced = makeApp(t, { cookieSecure: true });
    const res = await call(forced, 'POST', '/api/session', { body: { username: USERS.hr, password: PASSWORD } });
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });

  it('wrong password and unknown user get the same 401; the password is never logged', async () => {
    const wrong = await call(app, 'POST', '/api/session', { body: { username: USERS.hr, password: 'not-the-password-123' } });
    const unknown = await call(app, 'POST', '/api/session', { body: { username: 'nobody', password: 'not-the-password-123' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    const audit = await listAudit(t.wh, { action: 'login', limit: 1000 });
    expect(audit.some((a) => a.actor === USERS.hr && (a.detail as { result: string }).result === 'bad_password')).toBe(true);
    expect(audit.some((a) => a.actor === 'nobody' && (a.detail as { result: string }).result === 'unknown_user')).toBe(true);
    expect(audit.some((a) => (a.detail as { result: string }).result === 'ok')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain('not-the-password-123');
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
  });

  it('a disabled user cannot sign in, and their open sessions stop working', async () => {
    const s = await signIn(app, USERS.executive);
    await t.wh.run('UPDATE users SET disabled = true WHERE username = $1', [USERS.executive]);
    try {
      expect((await call(app, 'GET', '/api/session', { as: s })).status).toBe(401);
      expect((await call(app, 'POST', '/api/session', { body: { username: USERS.executive, password: PASSWORD } })).status).toBe(401);
    } finally {
      await t.wh.run('UPDATE users SET disabled = false WHERE username = $1', [USERS.executive]);
    }
  });

  it('a session expires after 8 hours → 401', async () => {
    let clock = new Date('2025-06-01T08:00:00Z').getTime();
    const timed = makeApp(t, { now: () => new Date(clock) });
    const s = await signIn(timed, USERS.supervisor);
    clock += 8 * 3600_000 - 1000;
    expect((await call(timed, 'GET', `/api/kpi?month=${MONTH}`, { as: s })).status).toBe(200);
    clock += 2000;
    const res = await call(timed, 'GET', `/api/kpi?month=${MONTH}`, { as: s });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: 'sign in first' } });
  });

  it('sign-out ends the session (with the CSRF token)', async () => {
    const s = await signIn(app, USERS.hr);
    expect((await call(app, 'DELETE', '/api/session', { as: s, csrf: null })).status).toBe(403);
    const out = await call(app, 'DELETE', '/api/session', { as: s });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/aftersales_session=;.*Max-Age=0/);
    expect((await call(app, 'GET', '/api/session', { as: s })).status).toBe(401);
    expect((await listAudit(t.wh, { action: 'logout' }))[0]!.actor).toBe(USERS.hr);
  });

  it('a forged or malformed cookie is just not signed in', async () => {
    for (const cookie of ['aftersales_session=abc', `aftersales_session=${'A'.repeat(43)}`, "aftersales_session=' OR 1=1 --"]) {
      expect((await app.request('/api/session', { headers: { cookie } })).status).toBe(401);
    }
  });
});

describe('CSRF', () => {
  it('refuses mutations without the session token, with a wrong one, or with another session\'s', async () => {
    const hr = await signIn(app, USERS.hr);
    const other = await signIn(app, USERS.admin);
    for (const csrf of [null, 'wrong', other.csrf]) {
      const res = await call(app, 'POST', `/api/months/${MONTH}/close`, { as: hr, csrf });
      expect(res.status, String(csrf)).toBe(403);
      expect((await res.json()).error.code).toBe('csrf');
    }
    const put = await call(app, 'PUT', '/api/allocation', { as: hr, csrf: null, body: { month: MONTH, team_id: 'T01', parts: [], reason: 'x' } });
    expect(put.status).toBe(403);
    // Nothing was closed.
    expect((await t.wh.one<{ n: number }>('SELECT count(*) AS n FROM month_close'))!.n).toBe(0);
    // With the token the request goes through to the action.
    const ok = await call(app, 'POST', `/api/months/${MONTH}/close`, { as: hr });
    expect(ok.status).toBe(200);
    await call(app, 'POST', `/api/months/${MONTH}/reopen`, { as: other, body: { reason: 'test' } });
  });
});

describe('sign-in rate limiting', () => {
  it('5 failures per username and address in 15 minutes → 429 with Retry-After, even with the right password', async () => {
    let clock = new Date('2025-06-01T08:00:00Z').getTime();
    const limited = makeApp(t, { now: () => new Date(clock), trustProxy: true });
    const attempt = (password: string, ip: string, username = USERS.supervisor) =>
      call(limited, 'POST', '/api/session', { body: { username, password }, headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 5; i++) {
      expect((await attempt('wrong-password-x', '10.0.0.1')).status).toBe(401);
      clock += 1000;
    }
    const refused = await attempt(PASSWORD, '10.0.0.1');
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe('too_many_attempts');
    const retry = Number(refused.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(14 * 60);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    // Another address, or another user from the same address, is not held back.
    expect((await attempt(PASSWORD, '10.0.0.2')).status).toBe(200);
    expect((await attempt(PASSWORD, '10.0.0.1', USERS.hr)).status).toBe(200);
    // Once the window has passed the right password works again.
    clock += 15 * 60_000;
    expect((await attempt(PASSWORD, '10.0.0.1')).status).toBe(200);
    const audit = await listAudit(t.wh, { action: 'login', limit: 1000 });
    expect(audit.some((a) => (a.detail as { result: string; ip: string }).result === 'rate_limited' && (a.detail as { ip: string }).ip === '10.0.0.1')).toBe(true);
  });
});

describe('request bodies', () => {
  it('malformed JSON → 400 with a plain message; a non-JSON type → 415', async () => {
    const admin = await signIn(app, USERS.admin);
    for (const [path, method] of [['/api/session', 'POST'], ['/api/allocation', 'PUT'], [`/api/months/${MONTH}/reopen`, 'POST']] as const) {
      const res = await call(app, method, path, { as: admin, body: '{"username": "admin1", ' });
      expect(res.status, path).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'malformed_json', message: 'the request body is not valid JSON' } });
    }
    const notObject = await call(app, 'POST', '/api/session', { body: '[1,2]' });
    expect(notObject.status).toBe(400);
    const form = await call(app, 'POST', '/api/session', { body: 'username=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect((await form.json()).error.code).toBe('unsupported_media_type');
  });

  it('an oversized body → 413, with or without Content-Length', async () => {
    const small = makeApp(t, { maxBodyBytes: 1024 });
    const big = JSON.stringify({ username: 'x', password: 'y'.repeat(5000) });
    const withLength = await small.request('/api/session', {
      method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(big.length) }, body: big,
    });
    expect(withLength.status).toBe(413);
    expect((await withLength.json()).error.code).toBe('payload_too_large');
    const stream = new ReadableStream({
      start(ctrl) {
        for (let i = 0; i < 10; i++) ctrl.enqueue(new TextEncoder().encode('y'.repeat(500)));
        ctrl.close();
      },
    });
    const chunked = await small.request('/api/session', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    // The default limit is 1 MiB.
    const huge = await call(app, 'POST', '/api/session', { body: JSON.stringify({ username: 'x', password: 'y'.repeat(1_100_000) }) });
    expect(huge.status).toBe(413);
  });
});

describe('hostile filter values', () => {
  const HOSTILE = "' OR 1=1 --<script>alert(1)</script>";

  it('SQL and HTML in ids are refused with 400, never echoed, never a 500', async () => {
    const sup = await signIn(app, USERS.supervisor);
    for (const path of [
      `/api/tickets/late?month=${MONTH}&team=${encodeURIComponent(HOSTILE)}`,
      `/api/tickets/late?month=${MONTH}&technician=${encodeURIComponent(HOSTILE)}`,
      `/api/tickets/late?month=${MONTH}&sort=${encodeURIComponent('minutes_late; DROP TABLE tickets')}`,
      `/api/tickets/late?month=${encodeURIComponent(`${MONTH}' OR 1=1 --`)}`,
      `/api/kpi?month=${MONTH}&team=${encodeURIComponent(HOSTILE)}`,
      `/api/trend?team=${encodeURIComponent(HOSTILE)}`,
      `/api/tickets/late?month=${MONTH}&page=${encodeURIComponent('1 OR 1=1')}`,
    ]) {
      const res = await call(app, 'GET', path, { as: sup });
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/json');
      const text = await res.text();
      expect(text).not.toContain('<script>');
      expect(JSON.parse(text).error.code).toBe('bad_parameter');
    }
    expect((await t.wh.one<{ n: number }>('SELECT count(*) AS n FROM tickets'))!.n).toBeGreaterThan(0);
  });

  it('free-text filters go to SQL as parameters: no match, not an injected result', async () => {
    const admin = await signIn(app, USERS.admin);
    const res = await call(app, 'GET', `/api/audit?action=${encodeURIComponent(HOSTILE)}&target=${encodeURIComponent(HOSTILE)}`, { as: admin });
    expect(res.status).toBe(200);
    expect((await res.json()).entries).toEqual([]);
    const none = await call(app, 'GET', `/api/tickets/late?month=${MONTH}&team=NO_SUCH_TEAM`, { as: admin });
    expect(await none.json()).toMatchObject({ total: 0, rows: [] });
  });
});

describe('headers and errors', () => {
  it('sends secure headers with a same-origin CSP; API answers are not cached', async () => {
    const res = await app.request('/api/openapi.json');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('unknown API routes are JSON 404s; the dashboard placeholder is served while web/build is missing', async () => {
    const res = await app.request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
    const page = await app.request('/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('not built yet');
  });
});

describe('the dashboard build', () => {
  it('serves web/build files, index.html for client-side routes, never for /api/', async () => {
    const root = join(t.dir, 'web-build');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>dashboard</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    const web = makeApp(t, { webRoot: root });
    expect(await (await web.request('/')).text()).toContain('dashboard');
    const js = await web.request('/assets/app.js');
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await (await web.request('/kpi/2025-05')).text()).toContain('dashboard');
    expect((await web.request('/../../etc/passwd')).status).not.toBe(500);
    const api = await web.request('/api/nothing-here');
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('not_found');
  });
});

describe('passwords and first users', () => {
  it('scrypt hashes carry salt and parameters and verify', async () => {
    const h = await hashPassword('秘密 password', { N: 1024, r: 8, p: 1 });
    expect(h).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('秘密 password', h)).toBe(true);
    expect(await verifyPassword('秘密 passwore', h)).toBe(false);
    expect(h).not.toBe(await hashPassword('秘密 password', { N: 1024, r: 8, p: 1 }));
  });

  it('first start: admin (+ one demo user per role with demo data), once', async () => {
    const fresh = await tempWarehouse();
    try {
      const r = await ensureInitialUsers(fresh.wh, { demo: true });
      expect(r.created.map((u) => u.username)).toEqual(['admin', 'supervisor', 'hr', 'executive']); // no teams: no manager
      expect(r.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect((await ensureInitialUsers(fresh.wh, { demo: true })).created).toEqual([]);
      const a = makeApp(fresh);
      expect((await signIn(a, 'admin', r.generatedPassword)).csrf).toBeTruthy();
    } finally {
      fresh.cleanup();
    }
    const again = await ensureInitialUsers(t.wh, { adminPassword: 'whatever-123' });
    expect(again.created).toEqual([]);
  });
});
