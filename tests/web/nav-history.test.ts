/**
 * Navigation (issue 13): filter, sort and page changes are history entries (Back steps back through
 * them and the page follows); a signed-out visit to a deep link lands there after sign-in (same
 * origin only); a page the role may not use says why; the open record is in the URL
 * (`?record=<kind>:<id>`: a shared link opens it, Back closes it); the record panel holds the
 * keyboard focus, Escape closes it and focus returns to what opened it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONTH, PASSWORD, USERS, startDashboard, unexpected, type Dashboard } from './browser.ts';

let d: Dashboard;
/** The team with the most late tickets in MONTH, and the month before. */
let busyTeam: string;
const PREV = '2025-04';

beforeAll(async () => {
  d = await startDashboard();
  const top = await d.t.wh.one<{ team_id: string }>(
    `SELECT team_id FROM fct_ticket_sla WHERE month = CAST($m AS DATE) AND status = 'late' AND team_id IS NOT NULL
     GROUP BY 1 ORDER BY count(*) DESC, team_id LIMIT 1`,
    { m: `${MONTH}-01` },
  );
  busyTeam = top!.team_id;
});
afterAll(async () => d?.close());

const query = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);
const total = async (page: Page) => {
  const el = page.locator('[data-testid=list-total]');
  await el.waitFor();
  return el.getAttribute('data-total');
};
const focused = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? document.activeElement?.tagName);

async function signIn(page: Page, role: keyof typeof USERS): Promise<void> {
  await page.locator('input[name=username]').fill(USERS[role]);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
}

describe('Back steps through filter, sort and page changes', () => {
  it('a list: month, page, team and sort are each a step back', async () => {
    const { page, context, errors } = await d.open('supervisor', `/lists/forms?month=${MONTH}&filter=all`);
    await total(page);
    const count = (q: string) => page.evaluate(async (x) => String((await (await fetch('/api/forms?' + x)).json()).total), q + '&page_size=1');
    await page.locator('[data-testid=month-picker]').selectOption(PREV);
    await page.waitForURL((u) => u.searchParams.get('month') === PREV);
    const monthTotal = await count(`month=${PREV}&filter=all`);
    await expect.poll(() => total(page)).toBe(monthTotal);
    expect(Number(monthTotal)).toBeGreaterThan(50);
    await page.locator('nav.pager button').last().click();
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    await page.locator('[data-testid=team-select]').selectOption(busyTeam);
    await page.waitForURL((u) => u.searchParams.get('team') === busyTeam);
    const teamTotal = await count(`month=${PREV}&filter=all&team=${busyTeam}`);
    await expect.poll(() => total(page)).toBe(teamTotal);
    await page.locator('[data-testid=sort-submitted_at]').click();
    await page.waitForURL((u) => u.searchParams.has('sort'));
    expect(query(page)).toEqual({ month: PREV, filter: 'all', team: busyTeam, sort: '-submitted_at' });

    // Back: each step in turn, and the page shows that state again (the pickers, the list, the pager).
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('sort'));
    expect(query(page)).toEqual({ month: PREV, filter: 'all', team: busyTeam });
    expect(await page.locator('[data-testid=sort-submitted_at]').getAttribute('class')).not.toContain('active');
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('team'));
    expect(query(page)).toEqual({ month: PREV, filter: 'all', page: '2' });
    expect(await page.locator('[data-testid=team-select]').inputValue()).toBe('');
    await expect.poll(() => total(page)).toBe(monthTotal);
    await expect.poll(() => page.locator('[data-testid=pager-text]').textContent()).toContain('第 2 /');
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('page'));
    expect(await page.locator('[data-testid=month-picker]').inputValue()).toBe(PREV);
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('month') === MONTH);
    await expect.poll(() => page.locator('[data-testid=month-picker]').inputValue()).toBe(MONTH);
    expect(new URL(page.url()).pathname).toBe('/lists/forms');
    // Forward again.
    await page.goForward();
    await page.waitForURL((u) => u.searchParams.get('month') === PREV);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('the overview: a month and a scope are steps back too', async () => {
    const { page, context, errors } = await d.open('executive', `/overview?month=${MONTH}`);
    await page.locator('[data-testid=kpi-cards]').waitFor();
    await page.locator('[data-testid=month-picker]').selectOption(PREV);
    await page.waitForURL((u) => u.searchParams.get('month') === PREV);
    await page.locator('[data-testid=scope-select]').selectOption(`team:${busyTeam}`);
    await page.waitForURL((u) => u.searchParams.get('team') === busyTeam);
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('team') && u.searchParams.get('month') === PREV);
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('month') === MONTH);
    await expect.poll(() => page.locator('[data-testid=month-picker]').inputValue()).toBe(MONTH);
    expect(new URL(page.url()).pathname).toBe('/overview');
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});

describe('sign-in returns to the deep link', () => {
  it('a signed-out visit to a filtered list lands on that list after sign-in', async () => {
    const context = await d.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const target = `/lists/complaints?month=${PREV}&attributable=yes`;
    await page.goto(d.baseUrl + target);
    await page.waitForURL((u) => u.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(target);
    await signIn(page, 'hr');
    await page.waitForURL((u) => u.pathname === '/lists/complaints');
    expect(new URL(page.url()).search).toBe(`?month=${PREV}&attributable=yes`);
    await total(page);
    // The sign-in page is not a step back to.
    await page.goBack();
    expect(new URL(page.url()).pathname).not.toBe('/login');
    await context.close();
  });

  it('only a path on this site is followed; anything else lands on the role’s home page', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const context = await d.browser.newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(d.baseUrl + '/login?next=' + encodeURIComponent(next));
      await signIn(page, 'supervisor');
      await page.waitForURL((u) => u.pathname === '/supervision', { timeout: 10_000 });
      expect(new URL(page.url()).origin, next).toBe(d.baseUrl);
      await context.close();
    }
  });
});

describe('a page the role may not use', () => {
  it('hr opening the supervision page (and settings) is told why, not sent away', async () => {
    const { page, context, errors } = await d.open('hr');
    await page.locator('[data-testid=bonus-sheet]').waitFor();
    await page.waitForLoadState('networkidle');
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await page.goto(d.baseUrl + `/supervision?month=${MONTH}`);
    const refused = page.locator('[data-testid=refused]');
    await refused.waitFor();
    expect(new URL(page.url()).pathname).toBe('/supervision');
    expect(await page.locator('[data-testid=refused-why]').textContent()).toBe('“监督”页面只对监督部、系统管理员开放；您的角色是人力资源部，所以不能查看。');
    expect(await page.locator('[data-testid=refused-home]').getAttribute('href')).toBe('/assessment');
    // The page's own data is not asked for (the server would refuse it anyway).
    expect(asked.filter((p) => p.startsWith('/api/') && !['/api/session', '/api/meta'].includes(p))).toEqual([]);
    await page.goto(d.baseUrl + '/settings');
    await expect.poll(() => page.locator('[data-testid=refused-why]').textContent()).toContain('“设置”页面只对系统管理员开放');
    await page.locator('[data-testid=refused-home]').click();
    await page.waitForURL((u) => u.pathname === '/assessment');
    // In English too.
    await page.evaluate(() => localStorage.setItem('aftersales.locale', 'en'));
    await page.goto(d.baseUrl + '/supervision');
    await expect.poll(() => page.locator('[data-testid=refused-why]').textContent()).toBe('The Supervision page is open to Supervision, Administrator only; your role is HR, so it is not shown to you.');
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});

describe('the record panel', () => {
  it('is in the URL: a row adds ?record=kind:id, a shared link opens it, Back closes it and Forward opens it again', async () => {
    const { page, context, errors } = await d.open('supervisor', `/lists/late?month=${MONTH}&team=${busyTeam}`);
    const row = page.locator('[data-testid=list-row]').nth(1);
    await row.waitFor();
    const id = (await row.getAttribute('data-id'))!;
    await row.locator('td[data-col=customer]').click();
    await page.waitForURL((u) => u.searchParams.get('record') === `tickets:${id}`);
    const panel = page.locator('[data-testid=record-panel]');
    await expect.poll(() => panel.getAttribute('data-id')).toBe(id);
    // Back closes it (the list stays as it was), Forward opens it again.
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('record'));
    await expect.poll(() => panel.count()).toBe(0);
    expect(query(page)).toEqual({ month: MONTH, team: busyTeam });
    await page.goForward();
    await expect.poll(() => panel.getAttribute('data-id')).toBe(id);

    // The link shared: a new visit opens the same record over the same list.
    const shared = page.url();
    const other = await context.newPage();
    await other.goto(shared);
    await expect.poll(() => other.locator('[data-testid=record-panel]').getAttribute('data-id')).toBe(id);
    await other.locator(`[data-testid=list-row][data-id="${id}"].selected`).waitFor();
    // Closing a panel the page was opened with leaves the list (no step to go back to).
    await other.locator('[data-testid=record-close]').click();
    await other.waitForURL((u) => !u.searchParams.has('record'));
    await expect.poll(() => other.locator('[data-testid=record-panel]').count()).toBe(0);
    // Another row opened over it, then closed: the list, without either record.
    await other.goto(shared);
    await other.locator(`[data-testid=list-row][data-id="${id}"].selected`).waitFor();
    const first = (await other.locator('[data-testid=list-row]').first().getAttribute('data-id'))!;
    await other.locator('[data-testid=list-row]').first().locator('button.open').click();
    await other.waitForURL((u) => u.searchParams.get('record') === `tickets:${first}`);
    await other.locator('[data-testid=record-close]').click();
    await other.waitForURL((u) => !u.searchParams.has('record'));
    await expect.poll(() => other.locator('[data-testid=record-panel]').count()).toBe(0);
    expect(Object.fromEntries(new URL(other.url()).searchParams)).toEqual({ month: MONTH, team: busyTeam });
    await other.close();

    // The close button goes back to the list as it was before the panel.
    await page.locator('[data-testid=record-close]').click();
    await page.waitForURL((u) => !u.searchParams.has('record'));
    await expect.poll(() => panel.count()).toBe(0);
    // A link inside the panel (a form's ticket) is a step too; closing goes back past both.
    await page.goto(d.baseUrl + `/lists/forms?month=${MONTH}&filter=all`);
    const form = page.locator('[data-testid=list-row]').first();
    await form.waitFor();
    const formId = (await form.getAttribute('data-id'))!;
    await form.locator('button.open').click();
    await page.waitForURL((u) => u.searchParams.get('record') === `feedback:${formId}`);
    await panel.locator('dd[data-field=ticket_id] button').click();
    await page.waitForURL((u) => (u.searchParams.get('record') ?? '').startsWith('tickets:'));
    await expect.poll(() => panel.getAttribute('data-kind')).toBe('tickets');
    await page.goBack();
    await expect.poll(() => panel.getAttribute('data-id')).toBe(formId);
    await page.goForward();
    await expect.poll(() => panel.getAttribute('data-kind')).toBe('tickets');
    await page.locator('[data-testid=record-close]').click();
    await page.waitForURL((u) => !u.searchParams.has('record'));
    expect(query(page)).toEqual({ month: MONTH, filter: 'all' });
    // A bare id (older links) opens a record of the list's own kind; a malformed one opens nothing.
    await page.goto(d.baseUrl + `/lists/forms?month=${MONTH}&filter=all&record=${formId}`);
    await expect.poll(() => panel.getAttribute('data-id')).toBe(formId);
    await page.goto(d.baseUrl + `/lists/forms?month=${MONTH}&filter=all&record=nokind:${formId}`);
    await page.locator('[data-testid=list-row]').first().waitFor();
    expect(await panel.count()).toBe(0);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('holds the keyboard focus while open; Escape closes it and focus returns to the row that opened it', async () => {
    const { page, context, errors } = await d.open('supervisor', `/lists/complaints?month=${MONTH}`);
    const opener = page.locator('[data-testid=list-row]').nth(2).locator('button.open');
    await opener.waitFor();
    const id = (await page.locator('[data-testid=list-row]').nth(2).getAttribute('data-id'))!;
    await opener.focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('[data-testid=record-panel]');
    await expect.poll(() => panel.getAttribute('data-id')).toBe(id);
    await panel.locator('[data-testid=record-history]').waitFor();
    expect(await panel.getAttribute('aria-modal')).toBe('true');
    // Focus starts in the panel (its close button) and never leaves it, forwards or backwards.
    expect(await focused(page)).toBe('record-close');
    const inside = () => page.evaluate(() => !!document.activeElement?.closest('[data-testid=record-panel]'));
    const stops = await panel.locator('a[href], button:not([disabled])').count();
    for (let i = 0; i < stops + 2; i++) {
      await page.keyboard.press('Tab');
      expect(await inside(), `Tab ${i + 1}`).toBe(true);
    }
    await panel.locator('[data-testid=record-close]').focus();
    await page.keyboard.press('Shift+Tab');
    expect(await inside()).toBe(true);
    // Escape: closed, out of the URL, focus back on the row's button.
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    await page.waitForURL((u) => !u.searchParams.has('record'));
    await expect.poll(() => page.evaluate(() => (document.activeElement?.closest('[data-testid=list-row]') as HTMLElement | null)?.dataset.id)).toBe(id);
    // The same with a click on a cell (no button had the focus): the row's button gets it.
    await page.locator('[data-testid=list-row]').nth(3).locator('td').nth(2).click();
    const id3 = (await page.locator('[data-testid=list-row]').nth(3).getAttribute('data-id'))!;
    await expect.poll(() => panel.getAttribute('data-id')).toBe(id3);
    await page.locator('[data-testid=record-close]').click();
    await expect.poll(() => panel.count()).toBe(0);
    await expect.poll(() => page.evaluate(() => (document.activeElement?.closest('[data-testid=list-row]') as HTMLElement | null)?.dataset.id)).toBe(id3);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});
