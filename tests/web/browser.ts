/**
 * Browser tests' fixture: the built dashboard (built here when stale) served with the real API on
 * a random loopback port, on a generated warehouse (tests/server/fixture.ts: 13 months, every
 * role), and Debian's Chromium driven by playwright-core. Every page opened through `open()`
 * records console errors and uncaught exceptions so a test can assert there were none.
 */
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/build-web.ts';
import { CHROMIUM_PATH, INSTALL_HINT } from '../../scripts/test-prerequisites.ts';
import { createApp } from '../../server/app.ts';
import { DEFAULT_LIMITS, type Limits } from '../../server/config.ts';
import type { Role } from '../../server/roles.ts';
import type { TempWarehouse } from '../helpers.ts';
import { buildWarehouse, PASSWORD, USERS } from '../server/fixture.ts';

export { MONTH, MANAGER_TEAM, PASSWORD, USERS } from '../server/fixture.ts';

export const CHROMIUM = CHROMIUM_PATH;
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export interface Dashboard {
  t: TempWarehouse;
  baseUrl: string;
  browser: Browser;
  /** The app's upload and export limits, read at each request: a test lowers one for a moment. */
  limits: Limits;
  /** A new browser context (1440×900, zh-CN) signed in through the login page as `role`. */
  open(role: Role, path?: string, opts?: { locale?: string }): Promise<Session>;
  close(): Promise<void>;
}

export interface Session {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far on this page. */
  errors: string[];
}

/**
 * A new browser context signed in through the login page as `role`, then on `path` (1440×900 and
 * zh-CN unless told), collecting console errors and uncaught exceptions.
 */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  role: Role,
  path = '/',
  opts: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<Session> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 }, locale: opts.locale ?? 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(baseUrl + '/login');
  await page.locator('input[name=username]').fill(USERS[role]);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  if (path !== '/') await page.goto(baseUrl + path);
  return { page, context, errors };
}

export async function startDashboard(): Promise<Dashboard> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: ${INSTALL_HINT}`);
  ensureWebBuild(() => undefined);
  const t = await buildWarehouse();
  const limits = { ...DEFAULT_LIMITS };
  const app = createApp({ wh: t.wh, limits });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

  const open = (role: Role, path = '/', opts: { locale?: string } = {}) => signedInPage(browser, baseUrl, role, path, opts);

  return {
    t,
    baseUrl,
    browser,
    limits,
    open,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.cleanup();
    },
  };
}

/**
 * Each rate with a running clock and the count of its clocks still pending at the data's as-of time
 * (SPEC §4 "As-of time"), as the KPI point and the breakdown rows name them.
 */
export const PENDING_OF: Record<string, string> = {
  timeliness_rate: 'tickets_pending',
  response_rate: 'complaints_response_pending',
  resolution_rate: 'complaints_resolution_pending',
  first_time_fix_rate: 'jobs_first_fix_pending',
  followup_rate: 'jobs_followup_pending',
};

/** Console errors that are expected (none so far); anything else fails the page's test. */
export function unexpected(errors: string[]): string[] {
  return errors.filter((e) => !/favicon/.test(e));
}
