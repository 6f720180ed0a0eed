/**
 * Accessibility (issue 13): axe-core (WCAG 2 A and AA rules) finds no serious or critical
 * violation on any page, for every role that may open it, in the light and the dark theme, at
 * desktop (1440×900) and phone (390×844) size — plus the record panel open, the phone menu open,
 * the refusal page and the sign-in page. One browser; one signed-in context per role and theme;
 * each page loaded once and checked at both sizes.
 *
 * Plus what axe does not check: the skip link is the first thing Tab reaches and moves to the main
 * content, focus is clearly visible, small print is at least 12 px, every page has its own title.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/roles.ts';
import { MONTH, startDashboard, unexpected, type Dashboard } from './browser.ts';
import { DESKTOP, PAGES, PHONE, settled, themedContext, withMonth, type Theme } from './pages.ts';

/**
 * Violations on the supervision page (web/src/routes/supervision/**, components/supervision/**),
 * which is being reworked elsewhere: `page@size rule` caused by its own components only. Remove an
 * entry once that page is fixed (the test logs the entries that pass already).
 */
const SUPERVISION_PENDING: string[] = [];

let d: Dashboard;
beforeAll(async () => {
  d = await startDashboard();
});
afterAll(async () => d?.close());

type Size = 'desktop' | 'phone';
const passedPending = new Set<string>();

/** Serious and critical violations of the page as it is now, as `where rule (n): targets`. */
async function check(page: Page, where: string): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const found: string[] = [];
  for (const v of r.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    const key = `${where.split(' ')[0]} ${v.id}`;
    if (SUPERVISION_PENDING.includes(key)) {
      passedPending.delete(key);
      continue;
    }
    found.push(`${where} ${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
  }
  return found;
}

/** The page at both sizes: desktop first, then the same page narrowed to a phone's width. */
async function bothSizes(page: Page, label: string, theme: Theme): Promise<string[]> {
  const found: string[] = [];
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as [Size, typeof DESKTOP][]) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(200);
    found.push(...(await check(page, `${label}@${size} ${theme}`)));
  }
  await page.setViewportSize(DESKTOP);
  return found;
}

afterAll(() => {
  for (const key of SUPERVISION_PENDING) if (passedPending.has(key)) console.info(`SUPERVISION_PENDING: "${key}" passes now; remove it`);
});

describe('axe: no serious or critical WCAG 2 A/AA violation', () => {
  for (const theme of ['light', 'dark'] as Theme[]) {
    for (const role of Object.keys(PAGES) as Role[]) {
      it(`${role}, ${theme} theme: every page at desktop and phone size`, async () => {
        for (const key of SUPERVISION_PENDING) passedPending.add(key);
        const context = await themedContext(d.browser, d.baseUrl, role, theme);
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const found: string[] = [];
        for (const path of PAGES[role]) {
          await page.goto(d.baseUrl + withMonth(path));
          await settled(page);
          expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
          found.push(...(await bothSizes(page, path, theme)));
        }

        if (role === 'admin') {
          // A record open over a list: the panel is a dialog.
          await page.goto(d.baseUrl + `/lists/late?month=${MONTH}`);
          await settled(page);
          await page.locator('[data-testid=list-row] button.open').first().click();
          await page.locator('[data-testid=record-panel] [data-testid=record-history]').waitFor();
          found.push(...(await bothSizes(page, '/lists/late+record', theme)));
          // The policy form open: every input of the SLA rule editor is named (axe 'label').
          await page.goto(d.baseUrl + '/settings?tab=policy');
          await settled(page);
          await page.locator('[data-testid=policy-new]').click();
          await page.locator('[data-testid=sla-editor]').waitFor();
          expect(await page.locator('[data-testid=sla-editor] :is(input, select):not([aria-label])').count()).toBe(0);
          found.push(...(await bothSizes(page, '/settings?tab=policy+form', theme)));
          // The phone menu open.
          await page.setViewportSize(PHONE);
          await page.goto(d.baseUrl + `/overview?month=${MONTH}`);
          await settled(page);
          await page.locator('[data-testid=menu-button]').click();
          await page.locator('[data-testid=nav-settings]').waitFor();
          found.push(...(await check(page, `/overview+menu@phone ${theme}`)));
          await page.setViewportSize(DESKTOP);
        }
        if (role === 'hr') {
          // A page the role may not see says why.
          await page.goto(d.baseUrl + '/settings');
          await page.locator('[data-testid=refused]').waitFor();
          found.push(...(await bothSizes(page, '/settings(refused)', theme)));
        }
        expect(found).toEqual([]);
        expect(unexpected(errors)).toEqual([]);
        await context.close();
      }, 300_000);
    }

    it(`the sign-in page, ${theme} theme`, async () => {
      const context = await themedContext(d.browser, d.baseUrl, null, theme);
      const page = await context.newPage();
      await page.goto(d.baseUrl + '/login');
      await page.locator('input[name=username]').waitFor();
      const found = await bothSizes(page, '/login', theme);
      // A refusal shown: the error note in the form.
      await page.locator('input[name=username]').fill('nobody');
      await page.locator('input[name=password]').fill('wrong password');
      await page.locator('button[type=submit]').click();
      await page.locator('[data-testid=error]').waitFor();
      found.push(...(await bothSizes(page, '/login(refused)', theme)));
      expect(found).toEqual([]);
      await context.close();
    });
  }
});

describe('what axe does not check', () => {
  it('the skip link is the first stop of Tab on every page and moves to the main content; focus is clearly visible', async () => {
    const context = await themedContext(d.browser, d.baseUrl, 'admin', 'light');
    const page = await context.newPage();
    for (const path of ['/overview', '/lists/late', '/assessment', '/data', '/settings', '/supervision', '/login']) {
      if (path === '/login') {
        await context.clearCookies();
        await page.goto(d.baseUrl + path);
        await page.locator('input[name=username]').waitFor();
      } else {
        await page.goto(d.baseUrl + withMonth(path));
        await settled(page);
      }
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return { testid: el.dataset.testid, href: el.getAttribute('href'), visible: r.top >= 0 && r.height > 0, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      expect(first, path).toMatchObject({ testid: 'skip-link', href: '#main', visible: true });
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id), path).toBe('main');
      // The next Tab lands inside the main content, past the header.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('main')), path).toBe(true);
      // Keyboard focus draws the app's outline (3 px), not just the browser's default ring.
      const ring = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement!);
        return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      expect(ring.style, path).toBe('solid');
      expect(ring.width, path).toBeGreaterThanOrEqual(2);
    }
    await context.close();
  });

  it('text is at least 12 px and each page has one title naming it', async () => {
    const titles: Record<string, string> = {
      '/overview': '总览 · 售后服务质量监督与考核',
      '/lists/late': '超时工单 · 明细 · 售后服务质量监督与考核',
      '/assessment': '考核 · 售后服务质量监督与考核',
      '/data': '数据 · 售后服务质量监督与考核',
      '/settings?tab=users': '用户与角色 · 设置 · 售后服务质量监督与考核',
      '/supervision': 'KPI 考核表 · 监督 · 售后服务质量监督与考核',
    };
    const context = await themedContext(d.browser, d.baseUrl, 'admin', 'light');
    const page = await context.newPage();
    const small: string[] = [];
    for (const path of PAGES.admin) {
      await page.goto(d.baseUrl + withMonth(path));
      await settled(page);
      if (titles[path]) expect(await page.title(), path).toBe(titles[path]);
      expect(await page.evaluate(() => document.querySelectorAll('title').length), path).toBe(1);
      // Outside the supervision page's own components (being reworked elsewhere).
      if (path.startsWith('/supervision')) continue;
      small.push(...(await tooSmall(page)).map((s) => `${path}: ${s}`));
    }
    expect(small).toEqual([]);
    await context.clearCookies();
    await page.goto(d.baseUrl + '/login');
    await page.locator('input[name=username]').waitFor();
    expect(await page.title()).toBe('登录 · 售后服务质量监督与考核');
    await context.close();
  });
});

/** Visible elements with text of their own set below 12 px. */
function tooSmall(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out = new Set<string>();
    for (const el of document.querySelectorAll('body *')) {
      if (!el.getClientRects().length) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (own && size < 12) out.add(`${el.tagName.toLowerCase()}.${[...el.classList].filter((c) => !c.startsWith('svelte-')).join('.')} ${size.toFixed(1)}px "${el.textContent!.trim().slice(0, 24)}"`);
    }
    return [...out];
  });
}
