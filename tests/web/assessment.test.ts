/**
 * The 考核 page in a real browser (SPEC §4.3–4.6): the units table shows the API's figures, a
 * manager's split must add up before it can be saved and then is what the API pays, a refusal is
 * shown in plain words, HR closes a month and exports the bonus sheet, what changed since the
 * close is listed, an admin reopens with a reason, the executive sees units only.
 * Mutations use months other than MONTH (2025-01, 2025-03, 2025-04) so the read-only checks stay
 * valid whatever order the tests run in.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMonth } from '../../pipelines/assessment/index.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { MANAGER_TEAM, MONTH, startDashboard, unexpected, USERS, type Dashboard } from './browser.ts';

let d: Dashboard;
beforeAll(async () => {
  d = await startDashboard();
});
afterAll(async () => d?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** GET an API path with the page's session (what the page itself would see). */
function api(page: Page, path: string): Promise<Json> {
  return page.evaluate(async (p) => (await fetch(p)).json(), path);
}

const zhMoney = (x: number) =>
  new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
const zhNum2 = (x: number | null) => (x === null ? '—' : new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x));
const zhSigned2 = (x: number | null) =>
  x === null ? '—' : new Intl.NumberFormat('zh-CN', { signDisplay: 'exceptZero', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
const OUTCOME_ZH: Record<string, string> = { reward: '奖励', penalty: '处罚', none: '持平', no_basis: '无比较基础' };

/** The machine is shared: give the page time to answer (expect.poll's default is 1 s). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000 });

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

/** Console errors of a refused request (the browser logs every 4xx resource load) are expected there. */
const refusedLoad = (status: number) => (e: string) => !e.includes(`status of ${status}`);

describe('assessment page', () => {
  it('hr: the units table shows GET /api/assessment figures; the sheet totals add up', async () => {
    const { page, context, errors } = await d.open('hr', `/assessment?month=${MONTH}`);
    await page.locator('[data-testid=units-table]').waitFor();
    const a = await api(page, `/api/assessment?month=${MONTH}`);
    expect(a.units.length).toBeGreaterThan(3);
    const rows = page.locator('[data-testid=unit-row]');
    await poll(() => rows.count()).toBe(a.units.length);
    for (let i = 0; i < a.units.length; i++) {
      const u = a.units[i];
      const row = rows.nth(i);
      expect(await row.getAttribute('data-unit')).toBe(u.team_id ?? 'company');
      expect((await row.locator('[data-col=mean]').textContent())!.trim()).toBe(zhNum2(u.mean_score));
      expect((await row.locator('[data-col=prev_mean]').textContent())!.trim()).toBe(zhNum2(u.prev_mean_score));
      const delta = u.mean_score === null || u.prev_mean_score === null ? null : u.mean_score - u.prev_mean_score;
      expect((await row.locator('[data-col=delta]').textContent())!.trim()).toBe(zhSigned2(delta));
      expect((await row.locator('[data-col=outcome]').textContent())!.trim()).toBe(OUTCOME_ZH[u.outcome]);
      const amount = (await row.locator('[data-col=amount]').textContent())!.trim();
      expect(amount).toBe(zhMoney(u.amount));
      expect(amount).toMatch(/^-?¥[\d,]+\.\d{2}$/);
    }
    expect(await text(page, '[data-testid=unit-row][data-unit=company] [data-col=unit]')).toBe('全公司');
    expect(await page.locator('[data-testid=month-status]').getAttribute('data-closed')).toBe('false');

    // The bonus sheet: every person, and a grand total equal to the sum of the API's totals.
    await poll(() => page.locator('[data-testid=sheet-row]').count()).toBe(a.people.length);
    const sum = a.people.reduce((s: number, p: Json) => s + Math.round(p.total * 100), 0) / 100;
    expect(await text(page, '[data-testid=sheet-total] [data-col=total]')).toBe(zhMoney(sum));
    // Filtered to one team, only its people.
    await page.locator('[data-testid=sheet-team]').selectOption(MANAGER_TEAM);
    await page.waitForURL((u) => u.searchParams.get('team') === MANAGER_TEAM);
    const own = a.people.filter((p: Json) => p.team_id === MANAGER_TEAM);
    await poll(() => page.locator('[data-testid=sheet-row]').count()).toBe(own.length);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('manager: a split that does not add up cannot be saved; moving 1 yuan between two members saves', async () => {
    const m = '2025-04';
    const { page, context, errors } = await d.open('manager', `/assessment?month=${m}`);
    await page.locator('[data-testid=allocation]').waitFor();
    const before = await api(page, `/api/allocation?month=${m}`);
    expect(before.team_id).toBe(MANAGER_TEAM);
    expect(before.amount).not.toBe(0);
    expect(before.closed).toBe(false);
    // Two members whose part can move by one yuan without changing sign.
    const movable = before.members.filter((x: Json) => Math.abs(x.paid) >= 2);
    expect(movable.length).toBeGreaterThanOrEqual(2);
    const [a, b] = movable as Json[];
    const input = (id: string) => page.locator(`[data-testid=alloc-row][data-technician="${id}"] [data-testid=alloc-input]`);
    const save = page.locator('[data-testid=alloc-save]');
    const remaining = page.locator('[data-testid=alloc-remaining]');

    await poll(() => input(a.technician_id).inputValue()).toBe(String(a.paid));
    expect((await remaining.textContent())!).toContain(zhMoney(0));

    await page.locator('[data-testid=alloc-reason]').fill('E 承担了更多返修');
    await input(a.technician_id).fill(String(a.paid + 1));
    await poll(async () => (await remaining.textContent())!.trim()).toBe(zhMoney(-1));
    expect(await save.isDisabled()).toBe(true);
    expect(await text(page, '[data-testid=alloc-messages]')).toContain(`还差 ${zhMoney(-1)}`);

    // The opposite sign of the team amount is named too.
    await input(b.technician_id).fill(String(-b.paid));
    await poll(() => text(page, '[data-testid=alloc-messages]')).toContain('正负须与班组金额一致');
    expect(await save.isDisabled()).toBe(true);

    await input(b.technician_id).fill(String(b.paid - 1));
    await poll(async () => (await remaining.textContent())!.trim()).toContain(zhMoney(0));
    await poll(() => save.isEnabled()).toBe(true);
    await save.click();
    await page.locator('[data-testid=alloc-saved]').waitFor();

    const after = await api(page, `/api/allocation?month=${m}`);
    expect(after.override?.applied).toBe(true);
    const paid = new Map(after.members.map((x: Json) => [x.technician_id, x.paid]));
    expect(paid.get(a.technician_id)).toBe(a.paid + 1);
    expect(paid.get(b.technician_id)).toBe(b.paid - 1);
    for (const x of after.members as Json[]) {
      expect((await page.locator(`[data-testid=alloc-row][data-technician="${x.technician_id}"] [data-col=paid]`).textContent())!.trim()).toBe(zhMoney(x.paid));
      expect(await input(x.technician_id).inputValue()).toBe(String(x.paid));
    }
    // The bonus sheet on the page follows: a's satisfaction share is the new part.
    const sheet = await api(page, `/api/assessment?month=${m}`);
    const share = sheet.people.find((p: Json) => p.technician_id === a.technician_id).satisfaction_share;
    expect(share).toBe(a.paid + 1);
    await poll(() => text(page, `[data-testid=sheet-row][data-technician="${a.technician_id}"] [data-col=satisfaction_share]`))
      .toBe(zhMoney(share));
    expect(await text(page, '[data-testid=alloc-override]')).toContain(USERS.manager);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('a refusal by the server is shown in plain words (the month was closed meanwhile)', async () => {
    const m = '2025-01';
    const { page, context, errors } = await d.open('hr', `/assessment?month=${m}&alloc=${MANAGER_TEAM}`);
    await page.locator(`[data-testid=allocation][data-team=${MANAGER_TEAM}]`).waitFor();
    const al = await api(page, `/api/allocation?month=${m}&team=${MANAGER_TEAM}`);
    const [a, b] = al.members.filter((x: Json) => Math.abs(x.paid) >= 2) as Json[];
    const input = (id: string) => page.locator(`[data-testid=alloc-row][data-technician="${id}"] [data-testid=alloc-input]`);
    await input(a.technician_id).fill(String(a.paid + 1));
    await input(b.technician_id).fill(String(b.paid - 1));
    await page.locator('[data-testid=alloc-reason]').fill('调整');
    await poll(() => page.locator('[data-testid=alloc-save]').isEnabled()).toBe(true);

    await closeMonth(d.t.wh, { month: m, by: USERS.admin });
    await page.locator('[data-testid=alloc-save]').click();
    await poll(() => text(page, '[data-testid=refusal]')).toContain('本月已结账');
    // The page then shows the month as it is: closed, the split read-only.
    await poll(() => page.locator('[data-testid=month-status]').getAttribute('data-closed')).toBe('true');
    await page.locator('[data-testid=alloc-closed]').waitFor();
    expect(await input(a.technician_id).isDisabled()).toBe(true);
    expect(unexpected(errors).filter(refusedLoad(409))).toEqual([]);
    await context.close();
  });

  describe('close, export, changes since close, reopen (2025-03)', () => {
    const m = '2025-03';
    let tech = '';

    it('hr closes the month after confirming; the status says closed by whom', async () => {
      const { page, context, errors } = await d.open('hr', `/assessment?month=${m}`);
      await page.locator('[data-testid=units-table]').waitFor();
      await page.locator('[data-testid=close-month]').click();
      await poll(() => text(page, '[data-testid=close-confirm]')).toContain('冻结');
      // Nothing is closed before the confirmation.
      expect((await api(page, `/api/assessment?month=${m}`)).closed).toBeNull();
      await page.locator('[data-testid=close-confirm-do]').click();
      await poll(() => page.locator('[data-testid=month-status]').getAttribute('data-closed')).toBe('true');
      const a = await api(page, `/api/assessment?month=${m}`);
      expect(a.closed.by).toBe(USERS.hr);
      expect(await text(page, '[data-testid=month-status]')).toContain(`已结账 · ${USERS.hr}`);
      // A closed month's split is read-only.
      await page.locator('[data-testid=alloc-closed]').waitFor();
      expect(await page.locator('[data-testid=close-month]').count()).toBe(0);
      expect(unexpected(errors)).toEqual([]);
      await context.close();
    });

    it('hr exports the bonus sheet as XLSX; a person\'s total is the API\'s', async () => {
      const { page, context, errors } = await d.open('hr', `/assessment?month=${m}`);
      await page.locator('[data-testid=bonus-sheet]').waitFor();
      const a = await api(page, `/api/assessment?month=${m}`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-xlsx]').click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`${m}\\.xlsx$`));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile((await download.path())!);
      const ws = wb.worksheets[0]!;
      const rows: unknown[][] = [];
      ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      expect(String(rows[0]![0])).toContain('已结账');
      // Columns by their header (the sheet gains columns over time: 伪造反馈表扣款, the HR flag).
      const header = rows.find((r) => r[0] === '工号')!;
      expect(header).toBeDefined();
      const col = (name: string) => {
        const i = header.indexOf(name);
        expect(i, name).toBeGreaterThanOrEqual(0);
        return i;
      };
      expect(header).toEqual(expect.arrayContaining(['满意度分摊', '投诉扣款', '伪造反馈表扣款', '季度奖励', '其他奖惩', '合计', '伪造反馈表']));
      const person = a.people.find((p: Json) => p.total !== 0) ?? a.people[0];
      const row = rows.find((r) => r[0] === person.technician_id)!;
      expect(row).toBeDefined();
      expect(row[col('合计')]).toBe(person.total);
      expect(row[col('满意度分摊')]).toBe(person.satisfaction_share);
      expect(row[col('伪造反馈表扣款')]).toBe(person.forged_form_penalty);
      expect(rows.filter((r) => typeof r[0] === 'string' && a.people.some((p: Json) => p.technician_id === r[0])).length).toBe(a.people.length);
      tech = a.people.find((p: Json) => p.team_id === 'T01')?.technician_id ?? person.technician_id;
      expect(unexpected(errors)).toEqual([]);
      await context.close();
    });

    it('a late adjustment for the closed month shows in the changes banner, frozen → live', async () => {
      expect(tech).not.toBe('');
      const file = join(d.t.dir, 'late-adjustment-assessment.csv');
      writeFileSync(file, `工号,月份,金额,事由,批准人\n${tech},${m},250.00,补发安全奖,张经理\n`);
      await ingestFile(d.t.wh, 'adjustments', file, { uploadedBy: 'test' });
      await refreshModels(d.t.wh);

      const { page, context, errors } = await d.open('hr', `/assessment?month=${m}`);
      const banner = page.locator('[data-testid=changes-banner]');
      await banner.waitFor();
      expect(await banner.textContent()).toContain('结账后数据有变化');
      const ch = await api(page, `/api/months/${m}/changes`);
      expect(ch.differs).toBe(true);
      const p = ch.people.find((x: Json) => x.key === tech);
      expect(p.live.adjustments - p.frozen.adjustments).toBe(250);
      const item = banner.locator(`[data-testid=change][data-key="${tech}"]`);
      const adj = (await item.locator('[data-field=adjustments]').textContent())!;
      expect(adj).toContain('其他奖惩');
      expect(adj).toContain(`${zhMoney(p.frozen.adjustments)} → ${zhMoney(p.live.adjustments)}`);
      expect(await item.locator('[data-field=total]').textContent()).toContain(`${zhMoney(p.frozen.total)} → ${zhMoney(p.live.total)}`);
      // The sheet itself still shows the frozen figures.
      expect(await text(page, `[data-testid=sheet-row][data-technician="${tech}"] [data-col=adjustments]`)).toBe(zhMoney(p.frozen.adjustments));
      expect(unexpected(errors)).toEqual([]);
      await context.close();
    });

    it('admin reopens with a required reason; the live figures return and the banner goes', async () => {
      const { page, context, errors } = await d.open('admin', `/assessment?month=${m}`);
      await page.locator('[data-testid=changes-banner]').waitFor();
      await page.locator('[data-testid=reopen-month]').click();
      const doIt = page.locator('[data-testid=reopen-do]');
      expect(await doIt.isDisabled()).toBe(true);
      await page.locator('[data-testid=reopen-reason]').fill('补录安全奖后重新核算');
      await poll(() => doIt.isEnabled()).toBe(true);
      await doIt.click();
      await poll(() => page.locator('[data-testid=month-status]').getAttribute('data-closed')).toBe('false');
      expect(await page.locator('[data-testid=changes-banner]').count()).toBe(0);
      const a = await api(page, `/api/assessment?month=${m}`);
      expect(a.closed).toBeNull();
      const live = a.people.find((p: Json) => p.technician_id === tech);
      expect(await text(page, `[data-testid=sheet-row][data-technician="${tech}"] [data-col=adjustments]`)).toBe(zhMoney(live.adjustments));
      const audit = await api(page, `/api/audit?action=month.reopen`);
      expect(JSON.stringify(audit)).toContain('补录安全奖后重新核算');
      expect(unexpected(errors)).toEqual([]);
      await context.close();
    });
  });

  it('hr: a person with a forged form carries the flag with its penalty; the flag and the form link land on the forged-form list', async () => {
    // The generated data has forms found fraudulent in 2025-02 (the month of the verification).
    const m = '2025-02';
    const { page, context, errors } = await d.open('hr', `/assessment?month=${m}`);
    await page.locator('[data-testid=bonus-sheet]').waitFor();
    const a = await api(page, `/api/assessment?month=${m}`);
    const flagged = a.people.filter((p: Json) => p.forged_forms > 0);
    expect(flagged.length).toBeGreaterThan(0);
    const p = flagged[0];
    expect(p.forged_form_ids.length).toBe(p.forged_forms);
    expect(p.forged_form_penalty).toBeLessThan(0);
    const row = page.locator(`[data-testid=sheet-row][data-technician="${p.technician_id}"]`);
    expect(await text(page, `[data-testid=sheet-row][data-technician="${p.technician_id}"] [data-col=forged_form_penalty]`)).toBe(zhMoney(p.forged_form_penalty));
    const flag = row.locator('[data-testid=forged-flag]');
    expect(await flag.getAttribute('data-n')).toBe(String(p.forged_forms));
    expect(await flag.locator('[data-testid=forged-flag-link]').textContent()).toBe(`伪造反馈表 ${p.forged_forms}`);
    expect(await flag.locator('[data-testid=forged-flag-link]').getAttribute('title')).toContain('人力资源部决定');
    expect(await flag.locator('[data-testid=forged-form-link]').evaluateAll((xs) => xs.map((x) => (x as HTMLElement).dataset.form))).toEqual(p.forged_form_ids);
    // People without a forged form carry no flag.
    expect(await page.locator('[data-testid=forged-flag]').count()).toBe(flagged.length);
    // The header says how the total is made.
    expect(await page.locator('[data-testid=bonus-sheet] th[data-col=total]').getAttribute('title')).toContain('伪造反馈表扣款');

    // The flag opens the forged-form list of that person and month.
    await flag.locator('[data-testid=forged-flag-link]').click();
    await page.waitForURL((u) => u.pathname === '/lists/forged' && u.searchParams.get('technician') === p.technician_id && u.searchParams.get('month') === m);
    const list = await api(page, `/api/forged-forms?month=${m}&technician=${p.technician_id}`);
    expect(list.total).toBe(p.forged_forms);
    await poll(() => page.locator('[data-testid=list-row]').evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset.id).sort())).toEqual([...p.forged_form_ids].sort());
    expect(await page.locator('[data-testid=tab-forged]').getAttribute('aria-current')).toBe('page');
    // hr: the customer's phone masked.
    expect(list.pii_masked).toBe(true);

    // A form's own link opens that form in the record panel over the same list.
    await page.goBack();
    await page.locator('[data-testid=bonus-sheet]').waitFor();
    const id = p.forged_form_ids[0];
    await page.locator(`[data-testid=sheet-row][data-technician="${p.technician_id}"] [data-testid=forged-form-link][data-form="${id}"]`).click();
    await page.waitForURL((u) => u.pathname === '/lists/forged' && u.searchParams.get('record') === `feedback:${id}`);
    const panel = page.locator('[data-testid=record-panel]');
    await poll(() => panel.getAttribute('data-id')).toBe(id);
    expect(await panel.getAttribute('data-kind')).toBe('feedback');
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('executive: the units, no bonus sheet, no split, no close', async () => {
    const { page, context, errors } = await d.open('executive', `/assessment?month=${MONTH}`);
    await page.locator('[data-testid=units-table]').waitFor();
    const a = await api(page, `/api/assessment?month=${MONTH}`);
    expect(a.people_visible).toBe(false);
    await poll(() => page.locator('[data-testid=unit-row]').count()).toBe(a.units.length);
    await page.locator('[data-testid=sheet-hidden]').waitFor();
    expect(await page.locator('[data-testid=bonus-sheet]').count()).toBe(0);
    expect(await page.locator('[data-testid=allocation-card]').count()).toBe(0);
    expect(await page.locator('[data-testid=export-xlsx]').count()).toBe(0);
    expect(await page.locator('[data-testid=close-month]').count()).toBe(0);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('English: labels, outcomes and the month picker follow the language', async () => {
    const { page, context, errors } = await d.open('hr', `/assessment?month=${MONTH}`);
    await page.locator('[data-testid=units-table]').waitFor();
    await page.locator('[data-testid=lang-switch]').click();
    await poll(() => text(page, 'h1')).toBe('Assessment and bonus');
    const a = await api(page, `/api/assessment?month=${MONTH}`);
    const en: Record<string, string> = { reward: 'Reward', penalty: 'Penalty', none: 'Unchanged', no_basis: 'No basis' };
    expect(await text(page, '[data-testid=unit-row][data-unit=company] [data-col=outcome]')).toBe(en[a.units[0].outcome]);
    expect(await text(page, '[data-testid=month-status]')).toContain('Open');
    expect(await page.locator('[data-testid=export-xlsx]').textContent()).toBe('Export Excel');
    // Another month from the picker goes into the URL.
    await page.locator('[data-testid=month-picker]').selectOption('2025-02');
    await page.waitForURL((u) => u.searchParams.get('month') === '2025-02');
    const feb = await api(page, '/api/assessment?month=2025-02');
    await poll(() => text(page, '[data-testid=unit-row][data-unit=company] [data-col=forms]')).toBe(feb.units[0].forms.toLocaleString('en-US'));
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});
