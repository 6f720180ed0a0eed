/**
 * Sign-in hardening (issue 11): the limiter holds against parallel guesses, usernames are
 * case-insensitive, and the password policy. A light warehouse: users only, no generated data.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../pipelines/assessment/index.ts';
import { createApp } from '../../server/app.ts';
import { createUser } from '../../server/auth.ts';
import { ConfigError } from '../../server/config.ts';
import { checkAdminPassword, ensureInitialUsers } from '../../server/users.ts';
import { MAX_PASSWORD, MIN_PASSWORD } from '../../pipelines/contract/users.ts';
import { tempWarehouse, type TempWarehouse } from '../helpers.ts';
import { call, FAST_SCRYPT, PASSWORD, signIn, type TestApp } from './fixture.ts';

let t: TempWarehouse;
let app: TestApp;

const appFor = (opts: Parameters<typeof createApp>[0] extends infer O ? Partial<O> : never = {}) =>
  createApp({ wh: t.wh, webRoot: join(t.dir, 'no-web-build'), ...opts }) as TestApp;

beforeAll(async () => {
  t = await tempWarehouse();
  await createUser(t.wh, { username: 'admin1', role: 'admin', password: PASSWORD }, FAST_SCRYPT);
  await createUser(t.wh, { username: 'vic4', role: 'hr', password: PASSWORD }, FAST_SCRYPT);
  app = appFor();
});
afterAll(() => t.cleanup());

describe('sign-in limit under parallel guesses', () => {
  it('a burst of 50 parallel wrong guesses against a limit of 5: at most 5 are verified, the rest 429; the right password is then refused', async () => {
    const limited = appFor({ rateLimit: { maxFailures: 5, windowMs: 15 * 60_000 }, trustProxy: true });
    const attempt = (password: string) =>
      call(limited, 'POST', '/api/session', { body: { username: 'vic4', password }, headers: { 'x-forwarded-for': '10.9.0.1' } });
    const burst = await Promise.all(Array.from({ length: 50 }, (_, i) => attempt(`wrong-guess-${i}`)));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    for (const r of burst.filter((x) => x.status === 429)) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    const right = await attempt(PASSWORD);
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toBeTruthy();
  });
});

describe('usernames ignore letter case', () => {
  it('creating a user whose name differs only in case from an existing one is refused with 409', async () => {
    const admin = await signIn(app, 'admin1');
    for (const username of ['ADMIN1', 'Admin1', 'Vic4']) {
      const res = await call(app, 'POST', '/api/users', { as: admin, body: { username, role: 'hr', password: 'a long enough password' } });
      expect(res.status).toBe(409);
      expect((await res.json()).error.code).toBe('user_exists');
    }
    await expect(createUser(t.wh, { username: 'VIC4', role: 'hr', password: PASSWORD }, FAST_SCRYPT)).rejects.toThrow(/already exists/);
    const list = await (await call(app, 'GET', '/api/users', { as: admin })).json();
    expect(list.users.map((u: { username: string }) => u.username).sort()).toEqual(['admin1', 'vic4']);
    // PATCH finds the user in any case and changes the stored one.
    const res = await call(app, 'PATCH', '/api/users/VIC4', { as: admin, body: { role: 'supervisor' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ username: 'vic4', role: 'supervisor' });
    await call(app, 'PATCH', '/api/users/vic4', { as: admin, body: { role: 'hr' } });
  });

  it('sign-in matches the name case-insensitively and answers with the stored name', async () => {
    const res = await call(app, 'POST', '/api/session', { body: { username: 'VIC4', password: PASSWORD } });
    expect(res.status).toBe(200);
    expect((await res.json()).username).toBe('vic4');
  });

  it('the limiter counts VIC4 and vic4 as one name: failures as vic4 hold back VIC4 with the right password', async () => {
    const limited = appFor({ rateLimit: { maxFailures: 3, windowMs: 15 * 60_000 }, trustProxy: true });
    const attempt = (username: string, password: string) =>
      call(limited, 'POST', '/api/session', { body: { username, password }, headers: { 'x-forwarded-for': '10.9.0.2' } });
    for (const name of ['vic4', 'Vic4', 'vIC4']) expect((await attempt(name, 'wrong-password-x')).status).toBe(401);
    expect((await attempt('VIC4', PASSWORD)).status).toBe(429);
  });
});

describe('password policy', () => {
  const WEAK = ['aaaaaaaaaa', 'password12', 'PASSWORD12', '1234567890', 'qwertyuiop', ' '.repeat(10), '\u0000'.repeat(10), 'ééééééééééé', 'pass\nword-long', 'short1'];

  it('refuses weak passwords on user creation, each with a plain reason', async () => {
    const admin = await signIn(app, 'admin1');
    for (const password of WEAK) {
      const res = await call(app, 'POST', '/api/users', { as: admin, body: { username: 'newhr', role: 'hr', password } });
      expect(res.status, JSON.stringify(password)).toBe(400);
      const body = await res.json();
      expect(body.error.problems).toEqual([{ field: 'password', message: expect.stringMatching(/^password (must|is)/) }]);
    }
    const same = await call(app, 'POST', '/api/users', { as: admin, body: { username: 'longname12', role: 'hr', password: 'LongName12' } });
    expect(same.status).toBe(400);
    expect((await same.json()).error.problems[0].message).toMatch(/username/);
    await expect(createUser(t.wh, { username: 'newhr', role: 'hr', password: 'password12' }, FAST_SCRYPT)).rejects.toThrow(/too easy to guess/);
    const ok = await call(app, 'POST', '/api/users', { as: admin, body: { username: 'newhr', role: 'hr', password: 'a long enough password' } });
    expect(ok.status).toBe(201);
  });

  it('refuses weak passwords on a password change', async () => {
    const admin = await signIn(app, 'admin1');
    for (const password of WEAK) {
      const res = await call(app, 'PATCH', '/api/users/newhr', { as: admin, body: { password } });
      expect(res.status, JSON.stringify(password)).toBe(400);
    }
    await call(app, 'POST', '/api/users', { as: admin, body: { username: 'samename10', role: 'hr', password: 'a long enough password' } });
    const same = await call(app, 'PATCH', '/api/users/SameName10', { as: admin, body: { password: 'samename10' } });
    expect(same.status).toBe(400);
    expect((await same.json()).error.problems[0].message).toMatch(/username/);
    expect((await call(app, 'PATCH', '/api/users/newhr', { as: admin, body: { password: 'another long password' } })).status).toBe(200);
  });

  it('a weak ADMIN_PASSWORD stops npm start with one plain line and exit code 2, no stack trace', async () => {
    const fresh = await tempWarehouse();
    try {
      await expect(ensureInitialUsers(fresh.wh, { adminPassword: 'abc' })).rejects.toBeInstanceOf(ConfigError);
      await expect(ensureInitialUsers(fresh.wh, { adminPassword: 'admin', demo: false })).rejects.toThrow(/ADMIN_PASSWORD/);
      expect(() => checkAdminPassword('supervisor')).toThrow(/username \(supervisor\)|must be/);
      expect(() => checkAdminPassword('a long enough password')).not.toThrow();
      const r = spawnSync(join('node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
        env: { ...process.env, ADMIN_PASSWORD: 'abc', SKIP_WEB_BUILD: '1', DB_PATH: join(fresh.dir, 'start.duckdb'), PORT: '18999' },
        encoding: 'utf8', timeout: 60_000,
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe(`configuration: ADMIN_PASSWORD must be ${MIN_PASSWORD} to ${MAX_PASSWORD} characters long`);
    } finally {
      fresh.cleanup();
    }
  });
});

describe('a sign-in flood by unknown names', () => {
  it('a failed sign-in does not drop the kept answers; a successful one does', async () => {
    const cached = appFor({ responseCache: true });
    const admin = await signIn(cached, 'admin1');
    const names = async () => ((await (await call(cached, 'GET', '/api/users', { as: admin })).json()).users as { username: string }[]).map((u) => u.username);
    const before = await names();
    // Written behind the app's back: only an invalidation makes the answer show it.
    await createUser(t.wh, { username: 'behind1', role: 'hr', password: PASSWORD }, FAST_SCRYPT);
    expect(await names()).toEqual(before);
    for (const username of ['ghost-a', 'ghost-b', 'admin1']) {
      expect((await call(cached, 'POST', '/api/session', { body: { username, password: 'wrong-password-x' } })).status).toBe(401);
    }
    expect(await names()).toEqual(before); // still the kept answer
    await signIn(cached, 'vic4');
    expect(await names()).toContain('behind1');
  });

  it('repeated failures of one unknown name from one address within a minute are one audit row; the next row counts the folded ones', async () => {
    let clock = new Date('2026-01-05T08:00:00Z').getTime();
    const flood = appFor({ now: () => new Date(clock), trustProxy: true, rateLimit: { maxFailures: 3, windowMs: 15 * 60_000 } });
    const attempt = (username: string) =>
      call(flood, 'POST', '/api/session', { body: { username, password: 'wrong-password-x' }, headers: { 'x-forwarded-for': '10.9.0.7' } });
    const rows = async (name: string) =>
      (await listAudit(t.wh, { action: 'login', limit: 10_000 })).filter((a) => a.actor === name).map((a) => a.detail as Record<string, unknown>);
    for (let i = 0; i < 3; i++) expect((await attempt(i === 1 ? 'Phantom' : 'phantom')).status).toBe(401);
    for (let i = 0; i < 10; i++) expect((await attempt('phantom')).status).toBe(429);
    const first = (await rows('phantom')).concat(await rows('Phantom'));
    expect(first).toEqual(expect.arrayContaining([{ result: 'unknown_user', ip: '10.9.0.7' }, { result: 'rate_limited', ip: '10.9.0.7' }]));
    expect(first).toHaveLength(2);
    clock += 15 * 60_000 + 1000;
    expect((await attempt('phantom')).status).toBe(401);
    expect((await rows('phantom'))[0]).toEqual({ result: 'unknown_user', ip: '10.9.0.7', folded: 2 });
    // A known name's wrong password is still one row per attempt.
    const known = (await rows('vic4')).length;
    await attempt('vic4');
    await attempt('vic4');
    expect((await rows('vic4')).length).toBe(known + 2);
  });
});
