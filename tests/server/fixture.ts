/**
 * A real warehouse from generated data for the API tests (13 months so year-over-year has a
 * basis), users for every role, and small request helpers around Hono's `app.request`.
 */
import { join } from 'node:path';
import { generate } from '../../pipelines/generate/generate.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { createUser } from '../../server/auth.ts';
import { createApp, type AppOptions } from '../../server/app.ts';
import { ROLES, type Role } from '../../server/roles.ts';
import { tempWarehouse, type TempWarehouse } from '../helpers.ts';

export const PASSWORD = 'correct horse battery';
/** Cheap scrypt parameters for test users (the hash format carries them). */
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };
export const MONTH = '2025-05';
export const MANAGER_TEAM = 'T01';

/** One user per role; `manager` manages T01. */
export const USERS: Record<Role, string> = { supervisor: 'sup1', hr: 'hr1', executive: 'exec1', manager: 'mgr1', admin: 'admin1' };

export async function buildWarehouse(): Promise<TempWarehouse> {
  const t = await tempWarehouse();
  await ensureReferenceData(t.wh);
  for (const f of await generate({ out: join(t.dir, 'demo'), months: 13, tickets: 4000, seed: 7, dirty: false, end: MONTH })) {
    await ingestFile(t.wh, f.kind, f.file, { uploadedBy: 'test' });
  }
  await refreshModels(t.wh);
  for (const [role, username] of Object.entries(USERS) as [Role, string][]) {
    await createUser(t.wh, { username, role, team_id: role === 'manager' ? MANAGER_TEAM : null, password: PASSWORD }, FAST_SCRYPT);
  }
  return t;
}

/** A Response whose JSON the tests read without declaring every shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiResponse = Omit<Response, 'json'> & { json(): Promise<any> };
type HonoApp = ReturnType<typeof createApp>;
export type TestApp = Omit<HonoApp, 'request'> & { request(...args: Parameters<HonoApp['request']>): Promise<ApiResponse> };

export function makeApp(t: TempWarehouse, opts: Partial<AppOptions> = {}): TestApp {
  return createApp({ wh: t.wh, webRoot: join(t.dir, 'no-web-build'), ...opts }) as TestApp;
}

export interface Signed {
  cookie: string;
  csrf: string;
}

export async function signIn(app: TestApp, username: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<Signed> {
  const res = await app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  const { csrf } = (await res.json()) as { csrf: string };
  return { cookie, csrf };
}

export async function call(
  app: TestApp,
  method: string,
  path: string,
  opts: { as?: Signed; body?: unknown; csrf?: string | null; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.as) headers.cookie = opts.as.cookie;
  if (method !== 'GET' && opts.as && opts.csrf !== null) headers['x-csrf-token'] = opts.csrf ?? opts.as.csrf;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  return app.request(path, { method, headers, body });
}

/** One signed-in session per role, for the role matrices. */
export async function signInAll(app: TestApp): Promise<Record<Role, Signed>> {
  const as = {} as Record<Role, Signed>;
  for (const role of ROLES) as[role] = await signIn(app, USERS[role]);
  return as;
}
