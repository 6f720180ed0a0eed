/**
 * The drill-down lists (明细) in a real browser: late tickets, feedback forms and complaints of a
 * month with filters, sorting and paging done by the server (figures checked against the
 * warehouse and the API), the record panel, exports with the list's filters, PII masking for hr,
 * and a manager kept to their own team.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { MANAGER_TEAM, MONTH, startDashboard, unexpected, type Dashboard } from './browser.ts';

let d: Dashboard;
/** The team with the most late tickets in MONTH. */
let busyTeam: string;
let busyTeamLate: number;
/** A team that is not the manager's. */
let otherTeam: string;

beforeAll(async () => {
  d = await startDashboard();
  const top = await d.t.wh.all<{ team_id: string; n: number }>(
    `SELECT team_id, count(*) AS n FROM fct_ticket_sla
     WHERE month = CAST($m AS DATE) AND status = 'late' AND team_id IS NOT NULL
     GROUP BY 1 ORDER BY n DESC, team_id LIMIT 2`,
    { m: `${MONTH}-01` },
  );
  busyTeam = top[0]!.team_id;
  busyTeamLate = Number(top[0]!.n);
  otherTeam = top.find((r) => r.team_id !== MANAGER_TEAM)!.team_id;
});
afterAll(async () => d?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(page: Page, path: string): Promise<any> {
  return page.evaluate(async (p) => {
    const res = await fetch(p);
    return res.json();
  }, path);
}

async function total(page: Page): Promise<number> {
  const el = page.locator('[data-testid=list-total]');
  await el.waitFor();
  return Number(await el.getAttribute('data-total'));
}

async function rowIds(page: Page): Promise<string[]> {
  return page.locator('[data-testid=list-row]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id!));
}

/** Waits until the table shows exactly these row ids (a new page or order has arrived). */
async function expectRows(page: Page, ids: string[]): Promise<void> {
  await expect.poll(() => rowIds(page), { timeout: 15_000 }).toEqual(ids);
}

async function lateCount(team: string | null): Promise<number> {
  const r = await d.t.wh.one<{ n: number }>(
    `SELECT count(*) AS n FROM fct_ticket_sla WHERE month = CAST($m AS DATE) AND status = 'late' AND ($team::VARCHAR IS NULL OR team_id = $team)`,
    { m: `${MONTH}-01`, team },
  );
  return Number(r!.n);
}

describe('late tickets (超时工单)', () => {
  it('supervisor: a team\'s late tickets match the warehouse and the API; the how-late header flips the order', async () => {
    const { page, context, errors } = await d.open('supervisor', `/lists/late?month=${MONTH}&team=${busyTeam}`);

    expect(await total(page)).toBe(busyTeamLate);
    expect(busyTeamLate).toBe(await lateCount(busyTeam));
    expect(busyTeamLate).toBeGreaterThan(1);
    const byDefault = await api(page, `/api/tickets/late?month=${MONTH}&team=${busyTeam}&page_size=50`);
    expect(byDefault.total).toBe(busyTeamLate);
    expect(byDefault.sort).toBe('-minutes_late');
    await expectRows(page, byDefault.rows.map((r: { ticket_id: string }) => r.ticket_id));
    expect(await page.locator('[data-testid=list-row]').first().getAttribute('data-id')).toBe(byDefault.rows[0].ticket_id);
    expect(await page.locator('th[data-col=minutes_late]').getAttribute('aria-sort')).toBe('descending');
    // A supervisor phones customers: nothing masked, no note.
    expect(await page.locator('[data-testid=pii-note]').count()).toBe(0);
    const phone = await page.locator('[data-testid=list-row]').first().locator('td[data-col=phone]').textContent();
    expect(phone?.trim()).toBe(byDefault.rows[0].contact_phone ?? '—');

    // Shortest late first after one click on "how late"; a second click goes back.
    await page.locator('[data-testid=sort-minutes_late]').click();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'minutes_late');
    const ascending = await api(page, `/api/tickets/late?month=${MONTH}&team=${busyTeam}&sort=minutes_late&page_size=50`);
    expect(ascending.rows[0].ticket_id).not.toBe(byDefault.rows[0].ticket_id);
    await expectRows(page, ascending.rows.map((r: { ticket_id: string }) => r.ticket_id));
    expect(await page.locator('th[data-col=minutes_late]').getAttribute('aria-sort')).toBe('ascending');
    expect(await page.locator('[data-testid=sort-minutes_late]').textContent()).toContain('▲');
    await page.locator('[data-testid=sort-minutes_late]').click();
    await page.waitForURL((u) => !u.searchParams.has('sort'));
    await expectRows(page, byDefault.rows.map((r: { ticket_id: string }) => r.ticket_id));

    // Another column sorts by its own key.
    await page.locator('[data-testid=sort-ticket_id]').click();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'ticket_id');
    await expectRows(page, byDefault.rows.map((r: { ticket_id: string }) => r.ticket_id).sort());

    // All teams: the company's late tickets.
    await page.locator('[data-testid=team-select]').selectOption('');
    await page.waitForURL((u) => !u.searchParams.has('team'));
    await expect.poll(() => total(page)).toBe(await lateCount(null));

    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('paging is done by the server: the next page is rows 51–100 of the same order', async () => {
    // The fixture month has fewer late tickets than a page (see lateCount), so paging is checked on
    // the longest list it has: all feedback forms of the month.
    const { page, context, errors } = await d.open('supervisor', `/lists/forms?month=${MONTH}&filter=all&sort=-submitted_at`);
    const first100 = await api(page, `/api/forms?month=${MONTH}&filter=all&sort=-submitted_at&page_size=100`);
    expect(first100.total).toBeGreaterThan(100);
    expect(await total(page)).toBe(first100.total);
    await expectRows(page, first100.rows.slice(0, 50).map((r: { form_id: string }) => r.form_id));
    await page.locator('nav.pager button').last().click();
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    await expectRows(page, first100.rows.slice(50, 100).map((r: { form_id: string }) => r.form_id));
    expect(await page.locator('[data-testid=pager-text]').textContent()).toContain(`第 2 / ${Math.ceil(first100.total / 50)} 页`);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-submitted_at');
    // Sorting again starts from page 1.
    await page.locator('[data-testid=sort-submitted_at]').click();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'submitted_at' && !u.searchParams.has('page'));
    const oldest = await api(page, `/api/forms?month=${MONTH}&filter=all&sort=submitted_at&page_size=50`);
    await expectRows(page, oldest.rows.map((r: { form_id: string }) => r.form_id));
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('/lists goes to the late tickets keeping the query; the tabs keep month and team', async () => {
    const { page, context, errors } = await d.open('supervisor', `/lists?month=${MONTH}&team=${busyTeam}`);
    await page.waitForURL((u) => u.pathname === '/lists/late');
    const u = new URL(page.url());
    expect([u.searchParams.get('month'), u.searchParams.get('team')]).toEqual([MONTH, busyTeam]);
    expect(await total(page)).toBe(busyTeamLate);
    await page.locator('[data-testid=tab-complaints]').click();
    await page.waitForURL((x) => x.pathname === '/lists/complaints' && x.searchParams.get('month') === MONTH && x.searchParams.get('team') === busyTeam);
    const n = await d.t.wh.one<{ n: number }>(`SELECT count(*) AS n FROM fct_complaints WHERE month = CAST($m AS DATE) AND team_id = $team`, { m: `${MONTH}-01`, team: busyTeam });
    await expect.poll(() => total(page)).toBe(Number(n!.n));
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('a row opens the record panel with the ticket (current version, history section); Escape and the close button close it', async () => {
    const { page, context, errors } = await d.open('supervisor', `/lists/late?month=${MONTH}&team=${busyTeam}`);
    const row = page.locator('[data-testid=list-row]').nth(1);
    await row.waitFor();
    const id = (await row.getAttribute('data-id'))!;
    await row.locator('td[data-col=customer]').click();
    const panel = page.locator('[data-testid=record-panel]');
    await expect.poll(() => panel.getAttribute('data-id')).toBe(id);
    await expect.poll(() => panel.locator('dd[data-field=ticket_id]').first().textContent()).toBe(id);
    expect(await panel.locator('h2').textContent()).toContain(id);
    const rec = await api(page, `/api/records/tickets/${id}`);
    expect(await panel.locator('dd[data-field=technician_id]').first().textContent()).toBe(rec.current.technician_id);
    expect(await panel.locator('[data-testid=record-history]').count()).toBe(1);
    expect(await row.evaluate((r) => r.classList.contains('selected'))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    // The close button does the same.
    await page.locator('[data-testid=list-row]').first().click();
    await panel.waitFor();
    await page.locator('[data-testid=record-close]').click();
    await expect.poll(() => panel.count()).toBe(0);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('exports carry the list\'s filters', async () => {
    const { page, context, errors } = await d.open('supervisor', `/lists/late?month=${MONTH}&team=${busyTeam}`);
    await total(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-csv]').click()]);
    const u = new URL(download.url());
    expect(u.pathname).toBe('/api/exports/late-tickets');
    expect(Object.fromEntries(u.searchParams)).toEqual({ month: MONTH, team: busyTeam, format: 'csv' });
    const text = (await download.createReadStream().then(async (s) => {
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }));
    const firstId = await page.locator('[data-testid=list-row]').first().getAttribute('data-id');
    expect(text).toContain(firstId!);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});

describe('feedback forms (反馈表)', () => {
  it('the low-score list total equals the API; "all" and a highest score change it', async () => {
    const { page, context, errors } = await d.open('supervisor', `/lists/forms?month=${MONTH}`);
    const low = await api(page, `/api/forms?month=${MONTH}&filter=low_score&page_size=50`);
    expect(low.total).toBeGreaterThan(0);
    expect(await total(page)).toBe(low.total);
    await expectRows(page, low.rows.map((r: { form_id: string }) => r.form_id));
    // Every listed low-score form is below the satisfied line the server applied.
    const scores = await page.locator('td[data-col=score]').allTextContents();
    for (const s of scores) expect(Number.parseInt(s, 10)).toBeLessThanOrEqual(2);

    await page.locator('[data-testid=filter-select]').selectOption('all');
    await page.waitForURL((u) => u.searchParams.get('filter') === 'all');
    const all = await api(page, `/api/forms?month=${MONTH}&filter=all&page_size=1`);
    const n = await d.t.wh.one<{ n: number }>(`SELECT count(*) AS n FROM fct_forms WHERE month = CAST($m AS DATE)`, { m: `${MONTH}-01` });
    expect(all.total).toBe(Number(n!.n));
    await expect.poll(() => total(page)).toBe(all.total);
    expect(await page.locator('[data-testid=max-score-select]').count()).toBe(0);

    await page.locator('[data-testid=filter-select]').selectOption('low_score');
    await page.locator('[data-testid=max-score-select]').selectOption('0');
    await page.waitForURL((u) => u.searchParams.get('max_score') === '0');
    const zero = await api(page, `/api/forms?month=${MONTH}&filter=low_score&max_score=0&page_size=1`);
    await expect.poll(() => total(page)).toBe(zero.total);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-xlsx]').click()]);
    const u = new URL(download.url());
    expect(u.pathname).toBe('/api/exports/forms');
    expect(Object.fromEntries(u.searchParams)).toEqual({ month: MONTH, filter: 'low_score', max_score: '0', format: 'xlsx' });
    expect(await download.failure()).toBeNull();
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});

describe('fee anomalies (违规收费疑点)', () => {
  it('lists the API\'s rows largest fee first with the reasons; the reason filter and the export carry over; a row opens its ticket', async () => {
    const { page, context, errors } = await d.open('supervisor', `/supervision?month=${MONTH}`);
    // Reached from the supervision page.
    await page.locator('[data-testid=fee-list-link]').click();
    await page.waitForURL((u) => u.pathname === '/lists/fees' && u.searchParams.get('month') === MONTH);
    const first = await api(page, `/api/fee-anomalies?month=${MONTH}&page_size=50`);
    const n = await d.t.wh.one<{ n: number }>(`SELECT count(*) AS n FROM fct_fee_anomaly WHERE month = CAST($m AS DATE)`, { m: `${MONTH}-01` });
    expect(first.total).toBe(Number(n!.n));
    expect(first.total).toBeGreaterThan(0);
    expect(await total(page)).toBe(first.total);
    await expectRows(page, first.rows.map((r: { ticket_id: string }) => r.ticket_id));
    expect(await page.locator('[data-testid=tab-fees]').getAttribute('aria-current')).toBe('page');
    expect(await page.locator('[data-testid=list-hint]').textContent()).toContain('免费服务或客户为保内');
    const top = first.rows[0];
    const row = page.locator(`[data-testid=list-row][data-id="${top.ticket_id}"]`);
    expect((await row.locator('td[data-col=fee_charged]').textContent())!.trim()).toBe(
      new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(top.fee_charged),
    );
    const words: Record<string, string> = { free_service: '免费服务收费', in_warranty: '保内收费' };
    expect((await row.locator('td[data-col=reasons]').textContent())!.trim()).toBe(top.reasons.map((x: string) => words[x]).join('、'));
    // Supervisors see the customer to call back.
    expect((await row.locator('td[data-col=phone]').textContent())!.trim()).toBe(top.contact_phone ?? '—');

    await page.locator('[data-testid=reason-select]').selectOption('free_service');
    await page.waitForURL((u) => u.searchParams.get('reason') === 'free_service');
    const free = await api(page, `/api/fee-anomalies?month=${MONTH}&reason=free_service&page_size=50`);
    expect(free.total).toBeLessThanOrEqual(first.total);
    await expect.poll(() => total(page)).toBe(free.total);
    await expectRows(page, free.rows.map((r: { ticket_id: string }) => r.ticket_id));

    // The export: the same filters, every row, read back.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-csv]').click()]);
    const u = new URL(download.url());
    expect(u.pathname).toBe('/api/exports/fee-anomalies');
    expect(Object.fromEntries(u.searchParams)).toEqual({ month: MONTH, reason: 'free_service', format: 'csv' });
    expect(await download.failure()).toBeNull();
    const text = await download.createReadStream().then(async (st) => {
      const chunks: Buffer[] = [];
      for await (const c of st) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    });
    for (const r of free.rows) expect(text).toContain(r.ticket_id);
    expect(text).toContain('免费服务收费');

    // A row opens its ticket, whose fee is the one listed.
    await page.locator(`[data-testid=list-row][data-id="${free.rows[0].ticket_id}"]`).click();
    const panel = page.locator('[data-testid=record-panel]');
    await expect.poll(() => panel.getAttribute('data-kind')).toBe('tickets');
    await expect.poll(() => panel.locator('dd[data-field=ticket_id]').first().textContent()).toBe(free.rows[0].ticket_id);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('hr sees the list masked; the forged-form tab is not offered to executives', async () => {
    const hr = await d.open('hr', `/lists/fees?month=${MONTH}`);
    await total(hr.page);
    const masked = await api(hr.page, `/api/fee-anomalies?month=${MONTH}&page_size=1`);
    expect(masked.pii_masked).toBe(true);
    const phone = (await hr.page.locator('[data-testid=list-row]').first().locator('td[data-col=phone]').textContent())!.trim();
    expect(phone === '—' || phone.includes('****')).toBe(true);
    expect(await hr.page.locator('[data-testid=tab-forged]').count()).toBe(1);
    expect(unexpected(hr.errors)).toEqual([]);
    await hr.context.close();

    const ex = await d.open('executive', `/lists/fees?month=${MONTH}`);
    await total(ex.page);
    expect(await ex.page.locator('[data-testid=tab-fees]').count()).toBe(1);
    expect(await ex.page.locator('[data-testid=tab-forged]').count()).toBe(0);
    expect(unexpected(ex.errors)).toEqual([]);
    await ex.context.close();
  });
});

describe('complaints (投诉)', () => {
  it('attributable = yes lists exactly the attributable complaints; a complaint leads to its ticket', async () => {
    const { page, context, errors } = await d.open('supervisor', `/lists/complaints?month=${MONTH}`);
    const all = await d.t.wh.one<{ n: number }>(`SELECT count(*) AS n FROM fct_complaints WHERE month = CAST($m AS DATE)`, { m: `${MONTH}-01` });
    expect(await total(page)).toBe(Number(all!.n));

    await page.locator('[data-testid=attributable-select]').selectOption('yes');
    await page.waitForURL((u) => u.searchParams.get('attributable') === 'yes');
    const yes = await d.t.wh.one<{ n: number }>(
      `SELECT count(*) AS n FROM fct_complaints WHERE month = CAST($m AS DATE) AND attributable = 'yes'`,
      { m: `${MONTH}-01` },
    );
    expect(Number(yes!.n)).toBeGreaterThan(0);
    expect(Number(yes!.n)).toBeLessThan(Number(all!.n));
    await expect.poll(() => total(page)).toBe(Number(yes!.n));
    const api1 = await api(page, `/api/complaints?month=${MONTH}&attributable=yes&page_size=50`);
    await expectRows(page, api1.rows.map((r: { complaint_id: string }) => r.complaint_id));
    const cells = await page.locator('td[data-col=attributable]').allTextContents();
    expect(new Set(cells.map((c) => c.trim()))).toEqual(new Set(['是']));

    // The export has the same filters.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-xlsx]').click()]);
    const du = new URL(download.url());
    expect(du.pathname).toBe('/api/exports/complaints');
    expect(Object.fromEntries(du.searchParams)).toEqual({ month: MONTH, attributable: 'yes', format: 'xlsx' });

    // Complaint → its ticket → back.
    const withTicket = api1.rows.find((r: { ticket_id: string | null }) => r.ticket_id)!;
    await page.locator(`[data-testid=list-row][data-id="${withTicket.complaint_id}"]`).click();
    const panel = page.locator('[data-testid=record-panel]');
    await expect.poll(() => panel.locator('dd[data-field=complaint_id]').textContent()).toBe(withTicket.complaint_id);
    await panel.locator('dd[data-field=ticket_id] button').click();
    await expect.poll(() => panel.getAttribute('data-kind')).toBe('tickets');
    await expect.poll(() => panel.locator('dd[data-field=ticket_id]').textContent()).toBe(withTicket.ticket_id);
    await panel.locator('[data-testid=record-back]').click();
    await expect.poll(() => panel.getAttribute('data-id')).toBe(withTicket.complaint_id);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});

describe('roles', () => {
  it('hr: phone numbers and addresses are masked and the page says so', async () => {
    const { page, context, errors } = await d.open('hr', `/lists/late?month=${MONTH}&team=${busyTeam}`);
    await total(page);
    await page.locator('[data-testid=pii-note]').waitFor();
    expect(await page.locator('[data-testid=pii-note]').textContent()).toContain('脱敏');
    const first = page.locator('[data-testid=list-row]').first();
    const id = (await first.getAttribute('data-id'))!;
    const raw = await d.t.wh.one<{ contact_phone: string; address: string }>(`SELECT contact_phone, address FROM tickets WHERE ticket_id = $id`, { id });
    expect(raw!.contact_phone).toMatch(/^1\d{10}$/);
    const phone = (await first.locator('td[data-col=phone]').textContent())!.trim();
    expect(phone).toBe(`${raw!.contact_phone.slice(0, 3)}****${raw!.contact_phone.slice(-4)}`);
    const phones = await page.locator('td[data-col=phone]').allTextContents();
    for (const p of phones) expect(p.trim() === '—' || p.includes('****'), p).toBe(true);
    const address = (await first.locator('td[data-col=address]').textContent())!.trim();
    expect(address).not.toBe(raw!.address);
    expect(address.endsWith('***')).toBe(true);
    // The record panel is masked as well.
    await first.click();
    await expect.poll(() => page.locator('[data-testid=record-panel] dd[data-field=contact_phone]').textContent()).toBe(phone);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('manager: another team in the URL is refused in plain words; "show my team" lists their own', async () => {
    expect(otherTeam).not.toBe(MANAGER_TEAM);
    const { page, context, errors } = await d.open('manager', `/lists/late?month=${MONTH}&team=${otherTeam}`);
    const error = page.locator('[data-testid=error]');
    await error.waitFor();
    expect(await error.textContent()).toContain('只能查看本班组的数据。');
    expect(await page.locator('[data-testid=list-row]').count()).toBe(0);
    // The team picker offers only the manager's team.
    const options = await page.locator('[data-testid=team-select] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toContain(MANAGER_TEAM);
    expect(options).not.toContain('');
    await page.locator('[data-testid=own-team]').click();
    await page.waitForURL((u) => !u.searchParams.has('team'));
    expect(await total(page)).toBe(await lateCount(MANAGER_TEAM));
    const teams = await page.locator('td[data-col=team]').allTextContents();
    expect(teams.length).toBeGreaterThan(0);
    for (const t of teams) expect(t).toContain(MANAGER_TEAM);
    expect(await page.locator('[data-testid=pii-note]').count()).toBe(1);
    // The refused request is the one console error this test provokes on purpose.
    const rest = unexpected(errors).filter((e) => !/status of 403/.test(e));
    expect(rest).toEqual([]);
    expect(errors.some((e) => /status of 403/.test(e))).toBe(true);
    await context.close();
  });

  it('English: labels, a malformed technician id explained instead of sent, a technician without late tickets shows no data', async () => {
    const { page, context, errors } = await d.open('executive', `/lists/complaints?month=${MONTH}&severity=severe&attributable=no&category=fee`);
    await page.locator('[data-testid=lang-switch]').click();
    await expect.poll(() => page.locator('[data-testid=tab-late]').textContent()).toBe('Late tickets');
    const n = await d.t.wh.one<{ n: number }>(
      `SELECT count(*) AS n FROM fct_complaints WHERE month = CAST($m AS DATE) AND severity = 'severe' AND attributable = 'no' AND category = 'fee'`,
      { m: `${MONTH}-01` },
    );
    expect(await total(page)).toBe(Number(n!.n));
    if (Number(n!.n) === 0) expect(await page.locator('[data-testid=empty]').textContent()).toBe('No data');
    await page.locator('[data-testid=tab-late]').click();
    await page.waitForURL((u) => u.pathname === '/lists/late' && u.searchParams.get('month') === MONTH && !u.searchParams.has('severity'));
    await total(page);
    expect(await page.locator('[data-testid=sort-minutes_late]').textContent()).toContain('How late');
    await page.locator('[data-testid=technician-input]').fill('no such person');
    await page.locator('[data-testid=technician-input]').press('Enter');
    await expect.poll(() => page.getByText('An ID may contain only letters').count()).toBe(1);
    expect(new URL(page.url()).searchParams.has('technician')).toBe(false);
    await page.locator('[data-testid=technician-input]').fill('E9999');
    await page.locator('[data-testid=technician-input]').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('technician') === 'E9999');
    await expect.poll(() => total(page)).toBe(0);
    expect(await page.locator('[data-testid=empty]').textContent()).toBe('No data');
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});
