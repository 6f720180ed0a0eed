/**
 * The pages of the dashboard each role may open (SPEC §1, web/src/lib/nav.ts), for the tests that
 * go through every page: accessibility (a11y.test.ts) and the phone layout (phone.test.ts). Tabs
 * that are pages of their own (明细, 监督, 设置) are visited by one role that may open them all.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { Role } from '../../server/roles.ts';
import { MONTH, PASSWORD, USERS } from './browser.ts';

export const PAGES: Record<Role, string[]> = {
  admin: [
    '/overview',
    '/lists/late',
    '/lists/forms',
    '/lists/complaints',
    '/lists/fees',
    '/lists/forged',
    '/assessment',
    '/data',
    '/settings?tab=policy',
    '/settings?tab=calendar',
    '/settings?tab=users',
    '/settings?tab=audit',
    '/supervision',
  ],
  supervisor: ['/supervision', '/supervision/spotcheck', '/supervision/risk', '/supervision/money', '/overview', '/lists/late', '/data'],
  hr: ['/assessment', '/overview', '/lists/late', '/data'],
  manager: ['/assessment', '/overview', '/lists/late'],
  executive: ['/overview', '/lists/late', '/assessment'],
};

/** Every page on the fixture's month, so the figures are the same on each run. */
export function withMonth(path: string): string {
  if (path.startsWith('/settings')) return path;
  return path + (path.includes('?') ? '&' : '?') + 'month=' + MONTH;
}

export type Theme = 'light' | 'dark';
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A context in a theme (as the app keeps it, in localStorage), signed in through the login page unless role is null. */
export async function themedContext(
  browser: import('playwright-core').Browser,
  baseUrl: string,
  role: Role | null,
  theme: Theme,
  viewport = DESKTOP,
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  await context.addInitScript((th) => localStorage.setItem('aftersales.theme', th), theme);
  if (role) {
    const page = await context.newPage();
    await page.goto(baseUrl + '/login');
    await page.locator('input[name=username]').fill(USERS[role]);
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.close();
  }
  return context;
}

/** The page has drawn what it asked for: its heading is there and nothing says "loading" any more. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const main = document.querySelector('main');
      if (!main?.querySelector('h1')) return false;
      return !/加载中…|Loading…/.test(main.textContent ?? '') && !main.querySelector('[aria-busy=true]');
    },
    undefined,
    { timeout: 30_000, polling: 100 },
  );
  // Charts and scroll boxes react to the last layout.
  await page.waitForTimeout(150);
}
