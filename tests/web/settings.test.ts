/**
 * The settings page (issue 5 §6; SPEC §5) in a real browser, as admin: policy versions (listed as
 * GET /api/policy has them, a new version saved, refusals in plain words), the working calendar
 * (2025's 春节, a CSV import), users (created, signs in, disabled, can no longer sign in; the admin
 * cannot disable itself) and the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { MANAGER_TEAM, MONTH, startDashboard, unexpected, type Dashboard } from './browser.ts';

let d: Dashboard;
beforeAll(async () => {
  d = await startDashboard();
});
afterAll(async () => d?.close());

/** GET from inside the signed-in page (its session cookie). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(page: Page, path: string): Promise<any> {
  return page.evaluate(async (p) => {
    const r = await fetch(p);
    return r.json();
  }, path);
}

/** POST with the page's session and CSRF token. */
async function post(page: Page, path: string, body?: unknown): Promise<number> {
  return page.evaluate(
    async ([p, b]) => {
      const s = await (await fetch('/api/session')).json();
      const r = await fetch(p as string, {
        method: 'POST',
        headers: { 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return r.status;
    },
    [path, body] as const,
  );
}

/** The console line Chromium writes for an answer the test provokes on purpose. */
const refused = (status: number) => (e: string) => !e.includes(`status of ${status}`);

const pct = (x: number) => new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);
const yuan = (x: number) => new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 0, maximumFractionDigits: 0 }).format(x);
const cell = (page: Page, field: string, month: string) => page.locator(`[data-testid=policy-table] td[data-field=${field}][data-month="${month}"]`);
const NEXT = '2025-06';

describe('policy versions', () => {
  it('lists the versions of GET /api/policy, the one in force marked, its targets formatted', async () => {
    const { page, context, errors } = await d.open('admin', '/settings');
    await page.locator('[data-testid=policy-table]').waitFor();
    const { versions } = await api(page, '/api/policy');
    expect(versions.length).toBeGreaterThan(0);
    const months = await page.locator('[data-testid=policy-version]').evaluateAll((ths) => ths.map((th) => (th as HTMLElement).dataset.month));
    expect(months).toEqual(versions.map((v: { effective_from: string }) => v.effective_from).reverse());

    const inForce = versions.filter((v: { effective_from: string }) => v.effective_from <= MONTH).at(-1);
    const m = inForce.effective_from;
    expect(await page.locator(`[data-testid=policy-version][data-month="${m}"]`).getAttribute('data-status')).toBe('current');
    expect((await cell(page, 'target_timeliness_rate', m).textContent())!.trim()).toBe(`≥ ${pct(inForce.target_timeliness_rate)}`);
    expect((await cell(page, 'target_satisfaction_rate', m).textContent())!.trim()).toBe(`≥ ${pct(inForce.target_satisfaction_rate)}`);
    expect((await cell(page, 'target_complaint_rate', m).textContent())!.trim()).toBe(`< ${pct(inForce.target_complaint_rate)}`);
    expect((await cell(page, 'mom_reward_amount', m).textContent())!.trim()).toBe(yuan(inForce.mom_reward_amount));
    expect((await cell(page, 'complaint_penalty_severe', m).textContent())!.trim()).toBe(yuan(inForce.complaint_penalty_severe));
    expect((await cell(page, 'complaint_response_hours', m).textContent())!.trim()).toBe(`${inForce.complaint_response_hours} 小时`);
    // Its SLA rules, one line each, in priority order.
    const priorities = await page.locator('[data-testid=sla-rules] tbody tr td:first-child').allTextContents();
    expect(priorities.map(Number)).toEqual(inForce.sla_rules.map((r: { priority: number }) => r.priority));
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('a new version with another satisfaction target is saved from its month, listed, and in GET /api/policy', async () => {
    const { page, context, errors } = await d.open('admin', '/settings?tab=policy');
    await page.locator('[data-testid=policy-table]').waitFor();
    const before = (await api(page, '/api/policy')).versions;
    const base = before.filter((v: { effective_from: string }) => v.effective_from <= NEXT).at(-1);
    await page.locator('[data-testid=policy-new]').click();
    const form = page.locator('[data-testid=policy-form]');
    await form.locator('[data-testid=policy-month]').fill(NEXT);
    // Prefilled from the version in force, rates in %.
    expect(await form.locator('input[name=target_satisfaction_rate]').inputValue()).toBe(String(Number((base.target_satisfaction_rate * 100).toFixed(6))));
    await form.locator('input[name=target_satisfaction_rate]').fill('88');
    await form.locator('input[name=note]').fill('browser test: satisfaction target 88 %');
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/policy') && r.request().method() === 'POST');
    await form.locator('[data-testid=policy-save]').click();
    expect((await answer).status()).toBe(200);
    await expect.poll(() => page.locator('[data-testid=policy-created]').textContent()).toContain('2025年6月');

    const after = (await api(page, '/api/policy')).versions;
    const created = after.find((v: { effective_from: string }) => v.effective_from === NEXT);
    expect(created).toBeDefined();
    expect(created.target_satisfaction_rate).toBeCloseTo(0.88, 12);
    expect(created.note).toBe('browser test: satisfaction target 88 %');
    // Everything not touched is the base version's.
    expect(created.target_timeliness_rate).toBe(base.target_timeliness_rate);
    expect(created.grade_points).toEqual(base.grade_points);
    expect(created.sla_rules).toEqual(base.sla_rules);

    // Listed first (newest), scheduled (after the data's latest month), the changed target marked.
    await expect.poll(() => page.locator('[data-testid=policy-version]').first().getAttribute('data-month')).toBe(NEXT);
    expect(await page.locator(`[data-testid=policy-version][data-month="${NEXT}"]`).getAttribute('data-status')).toBe('scheduled');
    expect((await cell(page, 'target_satisfaction_rate', NEXT).textContent())!.trim()).toBe(`≥ ${pct(0.88)}`);
    expect(await cell(page, 'target_satisfaction_rate', NEXT).getAttribute('class')).toContain('changed');
    expect(await cell(page, 'target_timeliness_rate', NEXT).getAttribute('class')).not.toContain('changed');
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('invalid values are refused with the server\'s reasons in plain words; nothing is stored', async () => {
    const { page, context, errors } = await d.open('admin', '/settings?tab=policy');
    await page.locator('[data-testid=policy-new]').click();
    const form = page.locator('[data-testid=policy-form]');
    await form.locator('[data-testid=policy-month]').fill('2025-08');
    await form.locator('input[name=target_timeliness_rate]').fill('120');
    await form.locator('input[name=complaint_penalty_minor]').fill('100');
    // The maximum form score is no setting: 3 × A's points, shown read-only and following A as typed.
    expect(await form.locator('input[name=max_form_score]').count()).toBe(0);
    const { versions: vs } = await api(page, '/api/policy');
    const gpA = vs.filter((v: { effective_from: string }) => v.effective_from <= '2025-08').at(-1).grade_points.A;
    expect(await form.locator('[data-testid=max-form-score]').textContent()).toBe(`满分 = 3 × A 档分值（${3 * gpA}）`);
    await form.locator('input[name=satisfied_min_score]').fill(String(3 * gpA + 1));
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/policy') && r.request().method() === 'POST');
    await form.locator('[data-testid=policy-save]').click();
    const res = await answer;
    expect(res.status()).toBe(400);
    const fields = ((await res.json()).error.problems as { field: string }[]).map((p) => p.field).sort();
    expect(fields).toEqual(['complaint_penalty_minor', 'satisfied_min_score', 'target_timeliness_rate']);
    const refusal = form.locator('[data-testid=refusal][data-code=invalid_policy]');
    await refusal.waitFor();
    expect(await refusal.locator('li[data-field=target_timeliness_rate]').textContent()).toBe('服务及时率：必须是 0% 到 100% 之间的百分比');
    expect(await refusal.locator('li[data-field=complaint_penalty_minor]').textContent()).toBe('轻微投诉处罚（每件）：是处罚，必须为 0 或负数');
    expect(await refusal.locator('li[data-field=satisfied_min_score]').textContent()).toBe(`未填总体评价时算“满意”的最低分：不能高于反馈表满分 ${3 * gpA}（3 × A 档分值）`);
    expect(await form.locator('input[name=target_timeliness_rate]').getAttribute('class')).toContain('invalid');
    expect(await form.locator('input[name=target_satisfaction_rate]').getAttribute('class')).not.toContain('invalid');
    // The form keeps what was typed, so it can be corrected.
    expect(await form.locator('input[name=target_timeliness_rate]').inputValue()).toBe('120');
    const { versions } = await api(page, '/api/policy');
    expect(versions.some((v: { effective_from: string }) => v.effective_from === '2025-08')).toBe(false);
    expect(unexpected(errors).filter(refused(400))).toEqual([]);
    await context.close();
  });

  it('a version with a working-hours SLA rule and another working window is saved and listed; a bad window is refused in plain words', async () => {
    const WH = '2025-09';
    const { page, context, errors } = await d.open('admin', '/settings?tab=policy');
    await page.locator('[data-testid=policy-table]').waitFor();
    await page.locator('[data-testid=policy-new]').click();
    const form = page.locator('[data-testid=policy-form]');
    await form.locator('[data-testid=policy-month]').fill(WH);
    // Every input and select of the form has an accessible name.
    const unnamed = await form.locator('input, select').evaluateAll((els) =>
      els.filter((e) => !((e as HTMLInputElement).labels?.length || e.getAttribute('aria-label'))).map((e) => (e as HTMLInputElement).name || e.outerHTML),
    );
    expect(unnamed).toEqual([]);
    expect(await form.getByLabel('第 1 条规则 · 时限计算方式').count()).toBe(1);
    // The window as the version in force has it (default 08:30–17:30).
    const base = (await api(page, '/api/policy')).versions.filter((v: { effective_from: string }) => v.effective_from <= WH).at(-1);
    expect(await form.locator('input[name=working_window_start]').inputValue()).toBe(base.working_window_start);
    expect(await form.locator('input[name=working_window_end]').inputValue()).toBe(base.working_window_end);

    // A window that ends before it starts: refused, said in plain words, nothing stored.
    await form.locator('input[name=working_window_start]').fill('09:00');
    await form.locator('input[name=working_window_end]').fill('08:00');
    await form.locator('select[name=sla_0_unit]').selectOption('working');
    await form.locator('input[name=sla_0_arrival]').fill('3000');
    let answer = page.waitForResponse((r) => r.url().endsWith('/api/policy') && r.request().method() === 'POST');
    await form.locator('[data-testid=policy-save]').click();
    expect((await answer).status()).toBe(400);
    const refusal = form.locator('[data-testid=refusal][data-code=invalid_policy]');
    await refusal.waitFor();
    expect(await refusal.locator('li[data-field=working_window_end]').textContent()).toBe('工作时间结束：必须比开始时刻至少晚 1 小时（时间窗在同一天之内）');
    expect(await refusal.locator('li[data-field="sla_rules[0].arrival_hours"]').textContent()).toBe('第 1 条规则 · 到场时限：按工作小时计算时最多 2,000 小时');
    expect(await form.locator('input[name=working_window_end]').getAttribute('class')).toContain('invalid');

    // Corrected: 09:00–17:00, the first rule's on-site limit 8 working hours.
    await form.locator('input[name=working_window_end]').fill('17:00');
    await form.locator('input[name=sla_0_arrival]').fill('8');
    await form.locator('input[name=note]').fill('browser test: working hours');
    answer = page.waitForResponse((r) => r.url().endsWith('/api/policy') && r.request().method() === 'POST');
    await form.locator('[data-testid=policy-save]').click();
    expect((await answer).status()).toBe(200);
    await expect.poll(() => page.locator('[data-testid=policy-created]').textContent()).toContain('2025年9月');

    const created = (await api(page, '/api/policy')).versions.find((v: { effective_from: string }) => v.effective_from === WH);
    expect(created).toMatchObject({ working_window_start: '09:00', working_window_end: '17:00' });
    expect(created.sla_rules[0]).toMatchObject({ hours_unit: 'working', arrival_hours: 8 });
    expect(created.sla_rules.slice(1).every((r: { hours_unit: string }) => r.hours_unit === base.sla_rules[1]?.hours_unit || r.hours_unit === 'calendar')).toBe(true);

    // Listed: the window in the table (changed), the rule in working hours beside it.
    await expect.poll(() => page.locator('[data-testid=policy-version]').first().getAttribute('data-month')).toBe(WH);
    expect((await cell(page, 'working_window_start', WH).textContent())!.trim()).toBe('09:00');
    expect(await cell(page, 'working_window_end', WH).getAttribute('class')).toContain('changed');
    await page.locator(`[data-testid=policy-version][data-month="${WH}"] button`).click();
    const rule = page.locator(`[data-testid=sla-rules] tbody tr[data-priority="${created.sla_rules[0].priority}"]`);
    await expect.poll(() => rule.getAttribute('data-unit')).toBe('working');
    expect(await rule.locator('[data-testid=sla-unit]').textContent()).toContain('工作小时');
    expect(await rule.textContent()).toContain('8 工作小时');
    expect(await rule.locator('[data-testid=sla-unit]').textContent()).toContain('09:00–17:00');
    expect(unexpected(errors).filter(refused(400))).toEqual([]);
    await context.close();
  });

  it('a version in or before a closed month is refused (409) naming the closed month', async () => {
    const { page, context, errors } = await d.open('admin', '/settings?tab=policy');
    expect(await post(page, `/api/months/${MONTH}/close`)).toBe(200);
    await page.locator('[data-testid=policy-new]').click();
    const form = page.locator('[data-testid=policy-form]');
    await form.locator('[data-testid=policy-month]').fill('2025-03');
    await form.locator('input[name=target_followup_rate]').fill('92');
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/policy') && r.request().method() === 'POST');
    await form.locator('[data-testid=policy-save]').click();
    expect((await answer).status()).toBe(409);
    const refusal = form.locator('[data-testid=refusal][data-code=month_closed]');
    await refusal.waitFor();
    const text = (await refusal.textContent())!;
    expect(text).toContain('不能从2025年3月起生效');
    expect(text).toContain('2025年5月已结账');
    expect(unexpected(errors).filter(refused(409))).toEqual([]);
    await context.close();
  });
});

describe('working calendar', () => {
  it('2025 shows the 春节 holidays and 调休 days of GET /api/calendar in the grid and the list', async () => {
    const { page, context, errors } = await d.open('admin', '/settings?tab=calendar&year=2025');
    await page.locator('[data-testid=holiday-list]').waitFor();
    const cal = await api(page, '/api/calendar?year=2025');
    const spring = cal.days.filter((x: { name: string; day_type: string }) => x.name === '春节' && x.day_type === 'holiday');
    expect(spring.length).toBeGreaterThan(0);
    const row = page.locator('[data-testid=holiday-list] tr[data-name="春节"][data-type=holiday]');
    expect(Number(await row.getAttribute('data-days'))).toBe(spring.length);
    expect(await row.locator('td.dates').textContent()).toContain('1月28日 – 2月4日');
    for (const x of spring) {
      const dayCell = page.locator(`[data-testid=calendar-grid] [data-date="${x.date}"]`);
      expect(await dayCell.getAttribute('data-kind')).toBe('holiday');
      expect(await dayCell.getAttribute('title')).toContain('春节');
    }
    for (const x of cal.days.filter((y: { day_type: string }) => y.day_type === 'workday')) {
      expect(await page.locator(`[data-testid=calendar-grid] [data-date="${x.date}"]`).getAttribute('data-kind')).toBe('workday');
    }
    // Working days per month as the server counts them.
    const workingDays = await page.locator('[data-testid=working-days] tbody tr:not(.total) td:nth-child(2)').allTextContents();
    expect(workingDays.map(Number)).toEqual(cal.months.map((m: { working_days: number }) => m.working_days));
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('imports a CSV after a preview: accepted days appear, a refused row is named by its date', async () => {
    const { page, context, errors } = await d.open('admin', '/settings?tab=calendar&year=2027');
    await page.locator('[data-testid=calendar-empty]').waitFor();
    await page.locator('[data-testid=calendar-import-open]').click();
    const csv = '日期,类型,名称\n2027/1/1,节假日,元旦\n2027-02-06,节假日,春节\n2027-02-07,调休上班,春节调休\n2027-02-08,放假,春节\n';
    await page.locator('[data-testid=calendar-file]').setInputFiles({ name: 'holidays-2027.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await expect.poll(() => page.locator('[data-testid=calendar-preview] tbody tr').count()).toBe(4);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/calendar') && r.request().method() === 'POST');
    await page.locator('[data-testid=calendar-send]').click();
    const res = await answer;
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body.batch.accepted).toBe(3);
    expect(body.rejects.map((r: { line_no: number }) => r.line_no)).toEqual([5]);
    await page.locator('[data-testid=calendar-result]').waitFor();
    expect(await page.locator('[data-testid=calendar-result]').textContent()).toContain('已导入 3 天');
    expect(await page.locator('[data-testid=calendar-rejects] li').textContent()).toBe('第 4 行（2027-02-08）：类型只能是“节假日”或“调休上班”');
    // The year reloads with the new days.
    await expect.poll(() => page.locator('[data-testid=calendar-grid] [data-date="2027-01-01"]').getAttribute('data-kind')).toBe('holiday');
    expect(await page.locator('[data-testid=calendar-grid] [data-date="2027-02-07"]').getAttribute('data-kind')).toBe('workday');
    const cal = await api(page, '/api/calendar?year=2027');
    expect(cal.days.map((x: { date: string }) => x.date)).toEqual(['2027-01-01', '2027-02-06', '2027-02-07']);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});

describe('users and the audit log', () => {
  const NAME = 'hr_browser_test';
  const PW = 'a long enough password';

  async function signIn(username: string, password: string) {
    const context = await d.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(d.baseUrl + '/login');
    await page.locator('input[name=username]').fill(username);
    await page.locator('input[name=password]').fill(password);
    await page.locator('button[type=submit]').click();
    return { context, page };
  }

  it('a created user (hr) signs in; disabled, they are signed out and can no longer sign in', async () => {
    const { page, context, errors } = await d.open('admin', '/settings?tab=users');
    await page.locator('[data-testid=users-table]').waitFor();
    await page.locator('[data-testid=new-username]').fill(NAME);
    await page.locator('[data-testid=new-role]').selectOption('hr');
    await page.locator('[data-testid=new-password]').fill(PW);
    await page.locator('[data-testid=create-user]').click();
    const row = page.locator(`[data-testid=users-table] tr[data-user="${NAME}"]`);
    await row.waitFor();
    expect(await row.locator('[data-testid=user-role]').textContent()).toBe('人力资源部');
    expect(await row.locator('[data-testid=user-state]').textContent()).toContain('正常');
    const { users } = await api(page, '/api/users');
    expect(users.find((u: { username: string }) => u.username === NAME)).toMatchObject({ role: 'hr', team_id: null, disabled: false });

    // They sign in in their own browser and land on HR's home.
    const them = await signIn(NAME, PW);
    await them.page.waitForURL((u) => u.pathname === '/assessment');

    await row.locator('[data-testid=user-toggle]').click();
    await expect.poll(() => row.locator('[data-testid=user-state]').textContent()).toContain('已停用');
    expect((await api(page, '/api/users')).users.find((u: { username: string }) => u.username === NAME).disabled).toBe(true);
    // Their open session has ended…
    expect(await them.page.evaluate(async () => (await fetch('/api/session')).status)).toBe(401);
    await them.context.close();
    // …and signing in again is refused.
    const again = await signIn(NAME, PW);
    await expect.poll(() => again.page.locator('[data-testid=error]').textContent()).toContain('用户名或密码不正确');
    expect(new URL(again.page.url()).pathname).toBe('/login');
    await again.context.close();
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('the admin cannot disable itself: the server\'s refusal is shown in plain words', async () => {
    const { page, context, errors } = await d.open('admin', '/settings?tab=users');
    const me = page.locator('[data-testid=users-table] tr[data-user=admin1]');
    await me.locator('[data-testid=user-toggle]').click();
    const refusal = page.locator('[data-testid=refusal][data-code=self_protection]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('不能停用自己的账号');
    expect(await me.locator('[data-testid=user-state]').textContent()).toContain('正常');
    expect(unexpected(errors).filter(refused(409))).toEqual([]);
    await context.close();
  });

  it('a role change to team manager needs a team; saved, the table and GET /api/users show it', async () => {
    const { page, context, errors } = await d.open('admin', '/settings?tab=users');
    const row = page.locator(`[data-testid=users-table] tr[data-user="${NAME}"]`);
    await row.locator('[data-testid=user-edit]').click();
    await row.locator('[data-testid=edit-role]').selectOption('manager');
    // No team chosen yet: saving is not offered.
    expect(await row.locator('[data-testid=edit-save]').isDisabled()).toBe(true);
    await row.locator('[data-testid=edit-team]').selectOption(MANAGER_TEAM);
    await row.locator('[data-testid=edit-save]').click();
    await expect.poll(() => row.locator('[data-testid=user-role]').textContent()).toBe('班组负责人');
    expect(await row.locator('td').nth(2).textContent()).toContain(MANAGER_TEAM);
    const u = (await api(page, '/api/users')).users.find((x: { username: string }) => x.username === NAME);
    expect(u).toMatchObject({ role: 'manager', team_id: MANAGER_TEAM, disabled: true });
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('the audit tab lists the entries newest first and filters by action: the user creation is there', async () => {
    const { page, context, errors } = await d.open('admin', '/settings?tab=audit');
    await page.locator('[data-testid=audit-table]').waitFor();
    const { entries } = await api(page, '/api/audit?limit=100');
    const ids = await page.locator('[data-testid=audit-table] tbody tr').count();
    expect(ids).toBe(entries.length);
    expect(await page.locator('[data-testid=audit-table] tbody tr').first().getAttribute('data-action')).toBe(entries[0].action);

    await page.locator('[data-testid=audit-action]').selectOption('user.create');
    await page.waitForURL((u) => u.searchParams.get('action') === 'user.create');
    // The unfiltered list has the entry too: wait for the filtered answer to replace it.
    await expect.poll(() => page.locator('[data-testid=audit-table] tbody tr:not([data-action="user.create"])').count()).toBe(0);
    const row = page.locator(`[data-testid=audit-table] tr[data-action="user.create"][data-target="${NAME}"]`);
    expect(await row.count()).toBe(1);
    expect(await row.locator('td.detail summary').textContent()).toBe('role: hr · team_id: null');
    expect(await row.locator('td').nth(1).textContent()).toBe('admin1');

    // Target prefix filter: the disabling of the user, as user.update.
    await page.locator('[data-testid=audit-action]').selectOption('user.update');
    await page.locator('[data-testid=audit-target]').fill(NAME);
    await page.locator('[data-testid=audit-target]').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('target') === NAME);
    await expect.poll(() => page.locator('[data-testid=audit-table] tbody tr:not([data-action="user.update"])').count()).toBe(0);
    const updates = (await api(page, `/api/audit?action=user.update&target=${NAME}`)).entries;
    const upd = page.locator(`[data-testid=audit-table] tr[data-action="user.update"][data-target="${NAME}"]`);
    expect(await upd.count()).toBe(updates.length);
    // Newest first: the role change, then the disabling.
    expect(await upd.locator('td.detail summary').allTextContents()).toEqual([
      `role: {"from":"hr","to":"manager"} · team_id: {"from":null,"to":"${MANAGER_TEAM}"}`,
      'disabled: {"from":false,"to":true}',
    ]);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('reads in English', async () => {
    const { page, context, errors } = await d.open('admin', '/settings?tab=users');
    await page.locator('[data-testid=users-table]').waitFor();
    await page.locator('[data-testid=lang-switch]').click();
    await expect.poll(() => page.locator('[data-testid=tab-policy]').textContent()).toContain('Policy');
    expect(await page.locator(`[data-testid=users-table] tr[data-user="${NAME}"] [data-testid=user-state]`).textContent()).toContain('Disabled');
    await page.locator('[data-testid=tab-policy]').click();
    await page.locator('[data-testid=policy-table]').waitFor();
    expect((await cell(page, 'target_satisfaction_rate', NEXT).textContent())!.trim()).toBe('≥ 88.0%');
    expect(await page.locator(`[data-testid=policy-version][data-month="${NEXT}"] .from`).textContent()).toBe('From Jun 2025');
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});
