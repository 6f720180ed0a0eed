/**
 * bench:web — the dashboard as a user meets it, on the demo data of `npm start`:
 *  - the JavaScript each page loads (gzipped, incl. lazy chunks such as ECharts) against the
 *    350 KB budget (the build fails above it: web/scripts/build.ts);
 *  - the overview's time to interactive on localhost: from navigation start until every chart is
 *    drawn and the KPI cards show figures, cold (new browser context, empty cache) and warm
 *    (reload), median of BENCH_RUNS (default 5); target < 1 s. Reference measured in the same run:
 *    the sign-in page (no data, no charts) loaded the same way.
 */
import { CHROMIUM_PATH } from '../../scripts/test-prerequisites.ts';
import { chromium, type Browser } from 'playwright-core';
import { measureBudget, printBudget } from '../../scripts/build-web.ts';
import { DEMO_PASSWORD, startDemoServer } from '../../scripts/demo-server.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
// Predicates run in the page; written as functions (a string would need eval, which the CSP forbids).
// (Serialized into the page: no closures.)
const READY = () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const d = (globalThis as any).document;
  const charts = [...d.querySelectorAll('[data-chart-ready]')] as { getAttribute(n: string): string | null }[];
  const loading = String(d.body.innerText).includes('加载中');
  return !loading && charts.length >= 4 && charts.every((e) => e.getAttribute('data-chart-ready') === 'true');
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const LOGIN_READY = () => !!(globalThis as any).document.querySelector('input[name=username]');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeTo(browser: Browser, base: string, path: string, ready: () => boolean, signIn: boolean): Promise<{ cold: number[]; warm: number[] }> {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    if (signIn) {
      // Sign in through the API so the page load below is the overview's own.
      const res = await page.request.post(base + '/api/session', { data: { username: 'executive', password: DEMO_PASSWORD } });
      if (res.status() !== 200) throw new Error(`sign-in: ${res.status()}`);
    }
    for (const into of [cold, warm]) {
      await page.goto(base + path, { waitUntil: 'commit' });
      await page.waitForFunction(ready, undefined, { polling: 'raf', timeout: 30_000 });
      into.push(await page.evaluate(() => performance.now()));
    }
    await context.close();
  }
  return { cold, warm };
}

const demo = await startDemoServer(() => undefined);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
try {
  printBudget(measureBudget());
  const login = await timeTo(browser, demo.baseUrl, '/login', LOGIN_READY, false);
  const overview = await timeTo(browser, demo.baseUrl, '/overview', READY, true);
  const f = (xs: number[]) => `${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
  console.log(`\ntime to interactive on localhost, demo data, median of ${RUNS}:`);
  console.log(`  sign-in page (reference)  cold ${f(login.cold)}  warm ${f(login.warm)}`);
  console.log(`  overview                  cold ${f(overview.cold)}  warm ${f(overview.warm)}`);
  console.log(`  ratio overview / sign-in  cold ${(median(overview.cold) / median(login.cold)).toFixed(1)}×  warm ${(median(overview.warm) / median(login.warm)).toFixed(1)}×`);
  console.log(`  target < 1000 ms: ${median(overview.cold) < 1000 ? 'met' : 'NOT met'} (cold)`);
} finally {
  await browser.close();
  await demo.close();
}
