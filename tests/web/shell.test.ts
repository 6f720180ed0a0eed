/**
 * The dashboard's frame in a real browser: sign-in, each role's navigation (SPEC §1), a page a
 * role may not use says so (issue 13: no silent redirect), the English switch, sign-out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/roles.ts';
import { startDashboard, unexpected, type Dashboard } from './browser.ts';

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
const HOME: Record<Role, string> = { executive: '/overview', supervisor: '/supervision', hr: '/assessment', manager: '/assessment', admin: '/overview' };

describe('sign-in and navigation per role', () => {
  for (const role of Object.keys(NAV) as Role[]) {
    it(`${role} lands on ${HOME[role]} and sees only its pages`, async () => {
      const { page, context, errors } = await d.open(role);
      expect(new URL(page.url()).pathname).toBe(HOME[role]);
      const items = await page.locator('header.top nav a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).dataset.testid!.replace('nav-', '')));
      expect(items).toEqual(NAV[role]);
      if (!NAV[role].includes('settings')) {
        // Issue 13: the page stays, with a sentence saying why and a link to the role's home.
        await page.goto(d.baseUrl + '/settings');
        await page.locator('[data-testid=refused]').waitFor();
        expect(new URL(page.url()).pathname).toBe('/settings');
        expect(await page.locator('[data-testid=refused-why]').textContent()).toContain('“设置”页面只对系统管理员开放');
        expect(await page.locator('[data-testid=refused-home]').getAttribute('href')).toBe(HOME[role]);
      }
      expect(unexpected(errors)).toEqual([]);
      await context.close();
    });
  }

  it('a wrong password is refused in plain words; signed-out pages go to /login (and come back after sign-in)', async () => {
    const context = await d.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(d.baseUrl + '/overview');
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/overview');
    await page.locator('input[name=username]').fill('hr1');
    await page.locator('input[name=password]').fill('wrong password');
    await page.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('[data-testid=error]').textContent()).toContain('用户名或密码不正确');
    await context.close();
  });

  it('the English switch changes the labels; sign-out ends the session', async () => {
    const { page, context, errors } = await d.open('admin');
    await expect.poll(() => page.locator('[data-testid=nav-overview]').textContent()).toBe('总览');
    await page.locator('[data-testid=lang-switch]').click();
    await expect.poll(() => page.locator('[data-testid=nav-overview]').textContent()).toBe('Overview');
    expect(await page.locator('[data-testid=nav-settings]').textContent()).toBe('Settings');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.locator('[data-testid=lang-switch]').click();
    await expect.poll(() => page.locator('[data-testid=nav-overview]').textContent()).toBe('总览');
    await page.locator('[data-testid=theme-switch]').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.locator('[data-testid=sign-out]').click();
    await page.waitForURL((u) => u.pathname === '/login');
    expect(unexpected(errors)).toEqual([]);
    const res = await page.evaluate(async () => (await fetch('/api/session')).status);
    expect(res).toBe(401);
    await context.close();
  });
});
