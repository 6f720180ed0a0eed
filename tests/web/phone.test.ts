/**
 * The phone layout (issue 13) at 390×844: no page scrolls sideways (wide tables scroll inside
 * their own box, which says so), the navigation folds into a menu opened by one button
 * (aria-expanded) from which every entry is reachable, sign-out and the language switch are
 * visible and work — for every role and every page it may open.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/roles.ts';
import { MONTH, startDashboard, unexpected, type Dashboard } from './browser.ts';
import { PAGES, PHONE, settled, themedContext, withMonth } from './pages.ts';

/**
 * Pages wider than the phone because of the supervision page's own components
 * (web/src/routes/supervision/**, components/supervision/**, being reworked elsewhere). Remove an
 * entry once that page fits (the test logs the entries that fit already).
 */
const SUPERVISION_PENDING: string[] = [];

let d: Dashboard;
beforeAll(async () => {
  d = await startDashboard();
});
afterAll(async () => d?.close());

const NAV: Record<Role, string[]> = {
  executive: ['overview', 'lists', 'assessment'],
  supervisor: ['overview', 'supervision', 'lists', 'data'],
  hr: ['overview', 'lists', 'assessment', 'data'],
  manager: ['overview', 'lists', 'assessment'],
  admin: ['overview', 'supervision', 'lists', 'assessment', 'data', 'settings'],
};

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** The element is on screen, not covered, at least 24 px tall: a finger can use it. */
async function usable(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.left < 0 || r.right > innerWidth || r.top < 0 || r.bottom > innerHeight || r.height < 24) return false;
    return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
  });
}

describe('every page fits a phone (390 px): no sideways scrolling', () => {
  for (const role of Object.keys(PAGES) as Role[]) {
    it(`${role}: ${PAGES[role].join(', ')}`, async () => {
      const context = await themedContext(d.browser, d.baseUrl, role, 'light', PHONE);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const wide: string[] = [];
      for (const path of PAGES[role]) {
        await page.goto(d.baseUrl + withMonth(path));
        await settled(page);
        const w = await scrollWidth(page);
        if (w > PHONE.width) {
          if (SUPERVISION_PENDING.includes(path)) continue;
          wide.push(`${path}: ${w} px`);
        } else if (SUPERVISION_PENDING.includes(path)) console.info(`SUPERVISION_PENDING: "${path}" fits now; remove it`);
      }
      expect(wide).toEqual([]);
      expect(unexpected(errors)).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it('in English too (longer words), and the sign-in page and the refusal page', async () => {
    const context = await themedContext(d.browser, d.baseUrl, 'admin', 'light', PHONE);
    await context.addInitScript(() => localStorage.setItem('aftersales.locale', 'en'));
    const page = await context.newPage();
    const wide: string[] = [];
    for (const path of PAGES.admin) {
      await page.goto(d.baseUrl + withMonth(path));
      await settled(page);
      const w = await scrollWidth(page);
      if (w > PHONE.width && !SUPERVISION_PENDING.includes(path)) wide.push(`${path}: ${w} px`);
    }
    expect(wide).toEqual([]);
    await context.close();

    const hr = await themedContext(d.browser, d.baseUrl, 'hr', 'light', PHONE);
    const hp = await hr.newPage();
    await hp.goto(d.baseUrl + '/settings');
    await hp.locator('[data-testid=refused]').waitFor();
    expect(await scrollWidth(hp)).toBeLessThanOrEqual(PHONE.width);
    await hr.close();

    const out = await themedContext(d.browser, d.baseUrl, null, 'light', PHONE);
    const op = await out.newPage();
    await op.goto(d.baseUrl + '/login');
    await op.locator('input[name=username]').waitFor();
    expect(await scrollWidth(op)).toBeLessThanOrEqual(PHONE.width);
    expect(await usable(op, 'button[type=submit]')).toBe(true);
    await out.close();
  });

  it('a wide table scrolls inside its own box, which keyboard users can scroll too and which names itself', async () => {
    const context = await themedContext(d.browser, d.baseUrl, 'supervisor', 'light', PHONE);
    const page = await context.newPage();
    await page.goto(d.baseUrl + `/lists/late?month=${MONTH}`);
    await settled(page);
    const box = page.locator('.table-wrap:has([data-testid=list-table])');
    const facts = await box.evaluate((el) => ({
      overflows: el.scrollWidth > el.clientWidth,
      right: el.getBoundingClientRect().right,
      tabindex: el.getAttribute('tabindex'),
      role: el.getAttribute('role'),
      label: el.getAttribute('aria-label'),
      // The cue: shadows painted by the box's background at the edges with more content.
      cue: getComputedStyle(el).backgroundImage.includes('radial-gradient'),
    }));
    expect(facts).toEqual({ overflows: true, right: expect.any(Number), tabindex: '0', role: 'region', label: '超时工单（可左右滚动）', cue: true });
    expect(facts.right).toBeLessThanOrEqual(PHONE.width);
    // Arrow keys scroll it once it has the focus.
    await box.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => box.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    // A table that fits is a plain box, not a tab stop (the satisfaction detail at desktop width).
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(d.baseUrl + `/overview?month=${MONTH}`);
    await settled(page);
    const detail = page.locator('[data-testid=satisfaction-detail] .table-wrap');
    await expect.poll(() => detail.evaluate((el) => [el.scrollWidth <= el.clientWidth, el.getAttribute('tabindex')])).toEqual([true, null]);
    await context.close();
  });
});

describe('the phone menu', () => {
  for (const role of Object.keys(NAV) as Role[]) {
    it(`${role}: the menu button opens the navigation; every entry is reachable; language switch and sign-out work`, async () => {
      const context = await themedContext(d.browser, d.baseUrl, role, 'light', PHONE);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(d.baseUrl + '/');
      await settled(page);
      const button = page.locator('[data-testid=menu-button]');
      // Closed: only the product and the menu button; the entries are hidden.
      expect(await usable(page, '[data-testid=menu-button]')).toBe(true);
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await page.locator(`[data-testid=nav-${NAV[role][0]}]`).isVisible()).toBe(false);

      for (const entry of NAV[role]) {
        await button.click();
        expect(await button.getAttribute('aria-expanded')).toBe('true');
        const items = await page.locator('header.top nav a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).dataset.testid!.replace('nav-', '')));
        expect(items).toEqual(NAV[role]);
        expect(await usable(page, `[data-testid=nav-${entry}]`), entry).toBe(true);
        await page.locator(`[data-testid=nav-${entry}]`).click();
        await page.waitForURL((u) => u.pathname.startsWith('/' + entry));
        // A navigation closes the menu.
        await expect.poll(() => button.getAttribute('aria-expanded')).toBe('false');
        expect(await page.locator(`[data-testid=nav-${entry}]`).getAttribute('aria-current')).toBe('page');
      }

      // Escape closes the menu and gives the focus back to its button.
      await button.click();
      await page.keyboard.press('Escape');
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('menu-button');

      // The language switch, from the menu.
      await button.click();
      expect(await usable(page, '[data-testid=lang-switch]')).toBe(true);
      expect(await usable(page, '[data-testid=sign-out]')).toBe(true);
      await page.locator('[data-testid=lang-switch]').click();
      await expect.poll(() => page.locator('[data-testid=menu-button]').textContent()).toContain('Menu');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
      await page.locator('[data-testid=lang-switch]').click();
      await expect.poll(() => page.locator('[data-testid=menu-button]').textContent()).toContain('菜单');

      // Sign-out, from the menu.
      if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
      await page.locator('[data-testid=sign-out]').click();
      await page.waitForURL((u) => u.pathname === '/login');
      expect(unexpected(errors)).toEqual([]);
      await context.close();
    });
  }
});
