/**
 * npm run screenshots — a picture of each page (zh-CN, 1440×900) from the demo data, into
 * docs/screenshots/, each taken as the role that uses the page. Chromium from Debian.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH } from './test-prerequisites.ts';
import { chromium } from 'playwright-core';
import { DEMO_PASSWORD, startDemoServer } from './demo-server.ts';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/** file name, role, path; the page is shot once its charts are drawn and nothing is loading. */
const SHOTS: [string, string, string][] = [
  ['01-login', '', '/login'],
  ['02-overview', 'executive', '/overview'],
  ['03-supervision', 'supervisor', '/supervision'],
  ['04-spot-check', 'supervisor', '/supervision/spotcheck'],
  ['05-late-tickets', 'supervisor', '/lists/late'],
  ['06-low-score-forms', 'supervisor', '/lists/forms?filter=low_score'],
  ['07-complaints', 'supervisor', '/lists/complaints'],
  ['08-assessment', 'hr', '/assessment'],
  ['09-allocation-manager', 'manager', '/assessment'],
  ['10-data', 'supervisor', '/data'],
  ['11-settings-policy', 'admin', '/settings?tab=policy'],
  ['12-settings-users', 'admin', '/settings?tab=users'],
  ['13-overview-dark-en', 'executive', '/overview'],
];

mkdirSync(OUT, { recursive: true });
const demo = await startDemoServer();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
try {
  for (const [name, role, path] of SHOTS) {
    const dark = name.includes('dark');
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', colorScheme: dark ? 'dark' : 'light' });
    const page = await context.newPage();
    if (dark) await page.addInitScript("localStorage.setItem('aftersales.locale', 'en'); localStorage.setItem('aftersales.theme', 'dark')");
    if (role) {
      await page.goto(demo.baseUrl + '/login');
      await page.locator('input[name=username]').fill(role);
      await page.locator('input[name=password]').fill(DEMO_PASSWORD);
      await page.locator('button[type=submit]').click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    }
    await page.goto(demo.baseUrl + path);
    await page.waitForLoadState('networkidle');
    // Charts animate for 300 ms after they are drawn.
    // A function, not a string: a string predicate needs eval, which the page's CSP forbids.
    await page.waitForFunction(() =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      [...(globalThis as any).document.querySelectorAll('[data-chart-ready]')].every((e: { getAttribute(n: string): string | null }) => e.getAttribute('data-chart-ready') === 'true'),
    );
    await page.waitForTimeout(600);
    await page.screenshot({ path: join(OUT, `${name}.png`) });
    console.log(`docs/screenshots/${name}.png`);
    await context.close();
  }
} finally {
  await browser.close();
  await demo.close();
}
