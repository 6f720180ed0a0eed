/**
 * Fraud risk on the supervision page in a real browser (SPEC §4.7; issue 12 item 4), on a warehouse
 * generated with the fraud model (`fraud: true`) and the server's clock inside the data's last month
 * (2025-05-30 20:15 UTC = 2025-05-31 04:15 in China), so a recorded check lands in that month:
 * - the two queues are two tabs, never mixed: the random sample with its discrepancy rate labelled as
 *   the random sample's estimate and its basis; the targeted list ranked by risk with the reasons in
 *   words (zh-CN, English on the switch) and, on request, each reason's evidence linking to its records;
 * - a supervisor records `fraudulent` from the targeted list: the request says queue `targeted`, the
 *   technician's finding count and the queue counts move, the estimate does not, and the time shown is
 *   the local (China) time of the record — not UTC shown as local, 8 hours off;
 * - the risk view ranks the technicians as the API does, one sparkline each;
 * - at 390 px both queues are card lists with the record button in view, nothing scrolls sideways.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../pipelines/generate/generate.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { ensureWebBuild } from '../../scripts/build-web.ts';
import { createUser } from '../../server/auth.ts';
import { createApp } from '../../server/app.ts';
import type { Role } from '../../server/roles.ts';
import { tempWarehouse, type TempWarehouse } from '../helpers.ts';
import { CHROMIUM, CHROMIUM_ARGS, MANAGER_TEAM, MONTH, PASSWORD, signedInPage, unexpected, USERS } from './browser.ts';

/** The server's clock: a UTC evening that is already the next morning in China. */
const NOW = new Date('2025-05-30T20:15:00.000Z');

let t: TempWarehouse;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ensureWebBuild(() => undefined);
  t = await tempWarehouse();
  await ensureReferenceData(t.wh);
  for (const f of await generate({ out: join(t.dir, 'demo'), months: 13, tickets: 20_000, seed: 7, dirty: false, end: MONTH, fraud: true })) {
    await ingestFile(t.wh, f.kind, f.file, { uploadedBy: 'test' });
  }
  await refreshModels(t.wh);
  for (const [role, username] of Object.entries(USERS) as [Role, string][]) {
    await createUser(t.wh, { username, role, team_id: role === 'manager' ? MANAGER_TEAM : null, password: PASSWORD }, { N: 1024, r: 8, p: 1 });
  }
  const app = createApp({ wh: t.wh, now: () => NOW });
  server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  t?.cleanup();
});

// The browser's own time zone is the machine's (UTC here): what it shows must not depend on it.
const open = (role: Role, path: string, viewport?: { width: number; height: number }) => signedInPage(browser, baseUrl, role, path, { viewport });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function api(page: Page, path: string): Promise<Json> {
  return page.evaluate(async (p) => (await fetch(p)).json(), path);
}

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

const zhPct = (x: number | null, digits = 1) =>
  x === null ? '—' : new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
const zhNum = (x: number) => new Intl.NumberFormat('zh-CN').format(x);
/** An instant as the dashboard writes a time, in China's local time whatever the machine's zone. */
const chinaTime = (d: Date) =>
  new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' }).format(d);

describe('supervision · two queues and fraud risk', () => {
  it('a supervisor opens the targeted queue, reads a form’s reasons and evidence, records fraudulent and sees the finding count move', async () => {
    const { page, context, errors } = await open('supervisor', `/supervision/spotcheck?month=${MONTH}`);
    await page.locator('[data-testid=queue-panel-random]').waitFor();
    // The random sample first: its discrepancy rate is the KPI, said to be the random sample's estimate, with its basis.
    const k0 = await api(page, `/api/kpi?month=${MONTH}`);
    expect(k0.forms_sample_verified).toBeGreaterThan(0);
    const disc = '[data-testid=sc-fig-discrepancy_rate]';
    expect(await text(page, `${disc} .label`)).toBe('不符率（随机抽样估计）');
    expect(await text(page, `${disc} [data-testid=value]`)).toBe(zhPct(k0.discrepancy_rate));
    expect(await text(page, `${disc} .sub`)).toBe(`随机抽样核实 ${zhNum(k0.forms_sample_verified)} 份，不符 ${zhNum(k0.forms_sample_discrepant)} 份`);
    expect(await page.locator('[data-testid=tq-row]').count()).toBe(0); // never mixed

    // The targeted queue: its own tab, ranked by risk.
    const targeted = await api(page, `/api/fraud/targeted?month=${MONTH}`);
    const tq = page.locator('[data-testid=queue-targeted]');
    expect(await tq.getAttribute('data-total')).toBe(String(targeted.rows.length));
    await tq.click();
    await page.waitForURL((u) => u.searchParams.get('queue') === 'targeted');
    await page.locator('[data-testid=tq-row]').first().waitFor();
    expect(await page.locator('[data-testid=sc-row]').count()).toBe(0);
    expect(await page.locator('[data-testid=sc-figures]').count()).toBe(0);

    // A form of the month with the most reasons, not yet checked; its week selected.
    const row = targeted.rows
      .filter((r: Json) => r.job_month === MONTH && r.verification_outcome === null && r.technician_id)
      .sort((a: Json, b: Json) => b.signals.length - a.signals.length)[0];
    expect(row).toBeDefined();
    await page.locator(`[data-testid=tq-week][data-week="${row.week}"]`).click();
    await page.waitForURL((u) => u.searchParams.get('week') === row.week);
    const weekRows = targeted.rows.filter((r: Json) => r.week === row.week);
    await expect.poll(() => page.locator('[data-testid=tq-row]').evaluateAll((xs) => xs.map((x) => (x as HTMLElement).dataset.form))).toEqual(weekRows.map((r: Json) => r.form_id));
    const card = page.locator(`[data-testid=tq-row][data-form="${row.form_id}"]`);

    // The reasons in plain words, in the order of the signals, with the phone to call.
    const reasons = card.locator('[data-testid=tq-reason]');
    expect(await reasons.evaluateAll((xs) => xs.map((x) => (x as HTMLElement).dataset.signal))).toEqual(row.signals);
    for (let i = 0; i < row.signals.length; i++) expect(await reasons.nth(i).textContent()).toContain(row.reasons_zh[i]);
    expect(await card.locator('[data-testid=tq-phone]').textContent()).toBe(row.contact_phone);
    expect(Number(await card.locator('[data-testid=tq-score]').getAttribute('data-score'))).toBe(row.score);

    // The evidence of each reason, linking to the records behind it.
    const risk = await api(page, `/api/fraud/forms/${row.form_id}`);
    await card.locator('[data-testid=tq-evidence]').click();
    await card.locator('[data-testid=tq-evidence-of]').first().waitFor();
    expect(await card.locator('[data-testid=tq-evidence-of]').evaluateAll((xs) => xs.map((x) => (x as HTMLElement).dataset.signal))).toEqual(row.signals);
    const prior = risk.signals.find((s: Json) => s.signal === 'prior_findings');
    if (row.signals.includes('prior_findings')) {
      expect(prior.evidence.forms.length).toBeGreaterThan(0);
      const links = card.locator('[data-testid=tq-evidence-of][data-signal=prior_findings] [data-testid=ev-link]');
      expect(await links.evaluateAll((xs) => xs.map((x) => x.textContent))).toEqual(prior.evidence.forms);
      expect(await links.first().getAttribute('href')).toBe(`/lists/forms?month=${MONTH}&filter=all&record=feedback%3A${prior.evidence.forms[0]}`);
    }
    for (const s of risk.signals.filter((x: Json) => x.fired && x.signal === 'early_submission')) {
      expect(await card.locator('[data-testid=tq-evidence-of][data-signal=early_submission] [data-testid=ev-link]').getAttribute('href')).toBe(
        `/lists/forms?month=${MONTH}&filter=all&record=tickets%3A${row.ticket_id}`,
      );
      expect(s.evidence.minutes_after_completion).not.toBeNull();
    }

    // English on the switch: the same reasons in English.
    await page.locator('[data-testid=lang-switch]').click();
    await expect.poll(() => reasons.first().textContent()).toContain(row.reasons_en[0]);
    expect(await text(page, '[data-testid=queue-targeted] .name')).toBe('Targeted checks');
    await page.locator('[data-testid=lang-switch]').click();
    await expect.poll(() => reasons.first().textContent()).toContain(row.reasons_zh[0]);

    // Before: the technician's findings of the month on the card equal the API's.
    const f0 = (await api(page, `/api/fraud/findings?month=${MONTH}`)).rows.find((r: Json) => r.technician_id === row.technician_id);
    const found0 = f0?.month.fraudulent ?? 0;
    expect(await card.locator('[data-testid=tech-findings]').getAttribute('data-fraudulent')).toBe(String(found0));
    const counted0 = Number(await tq.getAttribute('data-verified'));

    // Record fraudulent through the same form as the random sample's; the request names the queue.
    await card.locator('[data-testid=tq-record]').click();
    const form = card.locator('[data-testid=verify-form]');
    await form.locator('[data-testid=outcome-fraudulent]').check();
    await form.locator('[data-testid=verify-note]').fill('电话核实:客户称未填写反馈表');
    const [request] = await Promise.all([page.waitForRequest((r) => r.url().endsWith('/api/verifications') && r.method() === 'POST'), form.locator('[data-testid=verify-submit]').click()]);
    expect(JSON.parse(request.postData() ?? '{}')).toMatchObject({ form_id: row.form_id, outcome: 'fraudulent', queue: 'targeted' });
    await page.locator('[data-testid=sc-saved]', { hasText: row.form_id }).waitFor();
    expect(await text(page, '[data-testid=sc-saved]')).toContain('定向抽查不计入不符率估计');

    // After: no stale count — the technician's findings, the queue's and the week's counts moved.
    await expect.poll(() => card.getAttribute('data-verified')).toBe('true');
    expect(await card.locator('[data-testid=tech-findings]').getAttribute('data-fraudulent')).toBe(String(found0 + 1));
    for (const other of await page.locator(`[data-testid=tq-row][data-technician="${row.technician_id}"] [data-testid=tech-findings]`).all()) {
      expect(await other.getAttribute('data-fraudulent')).toBe(String(found0 + 1));
    }
    expect(await tq.getAttribute('data-verified')).toBe(String(counted0 + 1));
    expect(await text(page, '[data-testid=queue-targeted] [data-testid=queue-count]')).toBe(`已核实 ${zhNum(counted0 + 1)} / ${zhNum(targeted.rows.length)}`);
    const wk = page.locator(`[data-testid=tq-week][data-week="${row.week}"] [data-testid=tq-week-verified]`);
    expect(await wk.getAttribute('data-verified')).toBe(String(weekRows.filter((r: Json) => r.verification_outcome).length + 1));
    const f1 = (await api(page, `/api/fraud/findings?month=${MONTH}`)).rows.find((r: Json) => r.technician_id === row.technician_id);
    expect(f1.month.fraudulent).toBe(found0 + 1);
    expect(f1.by_queue.targeted.fraudulent).toBe((f0?.by_queue.targeted.fraudulent ?? 0) + 1);
    expect(await card.locator('[data-testid=tq-outcome]').getAttribute('data-outcome')).toBe('fraudulent');

    // The time of the check is the record's local time in China: 2025/5/31 04:15, not UTC's 2025/5/30 20:15.
    const status = card.locator('[data-testid=tq-status]');
    expect(await status.getAttribute('data-verified-at')).toBe('2025-05-31 04:15:00');
    expect(chinaTime(NOW)).toBe('2025/5/31 04:15');
    expect(await text(page, `[data-testid=tq-row][data-form="${row.form_id}"] [data-testid=tq-status]`)).toBe(`虚假 · 定向抽查 · ${USERS.supervisor} · ${chinaTime(NOW)}`);

    // The estimate did not move: the random tab shows the same discrepancy rate and basis.
    const k1 = await api(page, `/api/kpi?month=${MONTH}`);
    expect([k1.discrepancy_rate, k1.forms_sample_verified, k1.forms_sample_discrepant]).toEqual([k0.discrepancy_rate, k0.forms_sample_verified, k0.forms_sample_discrepant]);
    expect(k1.forms_verified).toBe(k0.forms_verified + 1);
    await page.locator('[data-testid=queue-random]').click();
    await page.locator('[data-testid=sc-figures]').waitFor();
    expect(await text(page, `${disc} [data-testid=value]`)).toBe(zhPct(k0.discrepancy_rate));
    expect(await page.locator(`${disc} [data-testid=delta]`).count()).toBe(0);
    expect(await text(page, '[data-testid=sc-fig-verified] [data-testid=value]')).toBe(zhNum(k1.forms_verified));

    // The risk view: technicians ranked as the API ranks them, a sparkline each, the finding count moved.
    await page.locator('[data-testid=tab-risk]').click();
    await page.waitForURL((u) => u.pathname === '/supervision/risk' && u.searchParams.get('month') === MONTH);
    await page.locator('[data-testid=risk-row]').first().waitFor();
    const ranked = await api(page, `/api/fraud/technicians?month=${MONTH}`);
    expect(await page.locator('[data-testid=risk-row]').evaluateAll((xs) => xs.map((x) => (x as HTMLElement).dataset.technician))).toEqual(ranked.rows.map((r: Json) => r.technician_id));
    expect(await page.locator('[data-testid=risk-row] [data-testid=sparkline]').count()).toBe(ranked.rows.length);
    const top = ranked.rows[0];
    const spark = await page.locator(`[data-testid=risk-row][data-technician="${top.technician_id}"] [data-testid=sparkline]`).getAttribute('data-values');
    const byMonth = new Map(top.history.map((p: Json) => [p.month, p.score_sum]));
    expect(spark!.split(',').at(-1)).toBe((byMonth.get(MONTH) as number).toFixed(2));
    expect(spark!.split(',').filter((v) => v !== '').length).toBe(top.history.length);
    const mine = page.locator(`[data-testid=risk-row][data-technician="${row.technician_id}"] [data-testid=risk-findings]`);
    if (await mine.count()) expect(await mine.getAttribute('data-fraudulent')).toBe(String(found0 + 1));

    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('at 390 px both queues are card lists with the record button in view; nothing scrolls sideways', async () => {
    const { page, context, errors } = await open('supervisor', `/supervision/spotcheck?month=${MONTH}`, { width: 390, height: 844 });
    const fits = () =>
      page.evaluate(() => {
        const box = document.querySelector('main') ?? document.body;
        const out: string[] = [];
        for (const el of box.querySelectorAll<HTMLElement>('[data-testid=queue-panel-random] *, [data-testid=queue-panel-targeted] *')) {
          const r = el.getBoundingClientRect();
          if (r.width > 0 && (r.right > innerWidth + 0.5 || r.left < -0.5)) out.push(`${el.tagName}.${el.className} ${Math.round(r.left)}–${Math.round(r.right)}`);
          if (el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(el).overflowX)) out.push(`${el.tagName}.${el.className} scrolls sideways`);
        }
        return out.slice(0, 5);
      });
    /** The button is on screen once scrolled to, not covered, and at least 24 px tall. */
    const usable = (sel: string) =>
      page.locator(sel).first().evaluate((el) => {
        el.scrollIntoView({ block: 'center' });
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.left < 0 || r.right > innerWidth || r.height < 24) return false;
        return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
      });

    // Random sample: each sampled form a card (its cells stacked), the record button in full view.
    await page.locator('[data-testid=sc-row]').first().waitFor();
    expect(await page.locator('[data-testid=sc-row]').first().evaluate((el) => getComputedStyle(el).display)).toBe('grid');
    expect(await fits()).toEqual([]);
    expect(await usable('[data-testid=sc-row] [data-testid=sc-record]')).toBe(true);
    await page.locator('[data-testid=sc-row] [data-testid=sc-record]').first().click();
    await page.locator('[data-testid=verify-form]').waitFor();
    expect(await fits()).toEqual([]);
    expect(await usable('[data-testid=verify-submit]')).toBe(true);

    // Targeted list: cards too.
    await page.locator('[data-testid=queue-targeted]').click();
    await page.locator('[data-testid=tq-row]').first().waitFor();
    await page.locator('[data-testid=tq-row] [data-testid=tq-evidence]').first().click();
    await page.locator('[data-testid=tq-evidence-of]').first().waitFor();
    expect(await fits()).toEqual([]);
    expect(await usable('[data-testid=tq-row] [data-testid=tq-record]')).toBe(true);

    // The risk view fits as well (the columns a ranking can do without leave).
    await page.locator('[data-testid=tab-risk]').click();
    await page.locator('[data-testid=risk-row]').first().waitFor();
    expect(await page.evaluate(() => document.querySelector('[data-testid=risk-table]')!.getBoundingClientRect().right <= innerWidth)).toBe(true);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});
