/**
 * 监督 page in a real browser: the KPI table by team against the API (figures, target colours,
 * sorting, drill-down links, other breakdowns), the random spot-check queue and recording a
 * verification from it (queue random, shown at China's local time) that moves the month's figures on
 * the page, the discrepancy rate as the random sample's estimate with its basis, access for
 * supervisor and admin only. The targeted queue and the risk view: fraud.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { MONTH, PENDING_OF, startDashboard, unexpected, type Dashboard } from './browser.ts';

let d: Dashboard;
beforeAll(async () => {
  d = await startDashboard();
});
afterAll(async () => d?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function zhPct(x: number | null, digits = 1): string {
  if (x === null) return '—';
  return new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
}

/** The API as the signed-in browser sees it (same session cookie). */
async function api(page: Page, path: string): Promise<Json> {
  return page.evaluate(async (p) => (await fetch(p)).json(), path);
}

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

async function rowKeys(page: Page): Promise<string[]> {
  return page.locator('[data-testid=kpi-row]').evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset.key ?? ''));
}

const TARGETED = ['timeliness_rate', 'satisfaction_rate', 'complaint_rate', 'response_rate', 'resolution_rate', 'first_time_fix_rate', 'form_coverage', 'followup_rate'];

describe('supervision · KPI table', () => {
  it('shows a row per team with the API figures, target colours, sorting and drill-down links', async () => {
    const { page, context, errors } = await d.open('supervisor', `/supervision?month=${MONTH}`);
    await page.locator('[data-testid=kpi-row]').first().waitFor();
    const breakdown = await api(page, `/api/breakdown?month=${MONTH}&by=team`);
    const kpi = await api(page, `/api/kpi?month=${MONTH}`);
    const rows: Json[] = breakdown.rows;
    expect(rows.length).toBeGreaterThan(3);

    // One row per team, in the API's order, with timeliness as the API value in zh-CN percent.
    expect(await rowKeys(page)).toEqual(rows.map((r) => r.key));
    for (const r of rows) {
      const cell = `[data-testid=kpi-row][data-key="${r.key}"] td[data-col=timeliness_rate] [data-testid=figure]`;
      expect(await text(page, cell)).toBe(zhPct(r.timeliness_rate));
    }
    expect(await text(page, '[data-testid=kpi-company] td[data-col=timeliness_rate] [data-testid=figure]')).toBe(zhPct(kpi.timeliness_rate));
    expect(await text(page, '[data-testid=kpi-company] [data-testid=kpi-label]')).toBe('全公司');
    // The header carries the target.
    expect(await text(page, 'th[data-col=timeliness_rate]')).toContain(`目标 ≥ ${zhPct(kpi.targets.timeliness_rate, 0)}`);

    // Colours against the targets: a missed target is cell-bad, a met one cell-good (complaint rate: lower is better).
    let missed = 0;
    let met = 0;
    for (const r of rows) {
      for (const key of TARGETED) {
        const v = r[key];
        const target = kpi.targets[key];
        if (v === null || target === null || target === undefined) continue;
        const ok = key === 'complaint_rate' ? v < target : v >= target;
        const cls = await page.locator(`[data-testid=kpi-row][data-key="${r.key}"] td[data-col=${key}]`).getAttribute('class');
        expect(cls, `${r.key} ${key}`).toContain(ok ? 'cell-good' : 'cell-bad');
        expect(cls, `${r.key} ${key}`).not.toContain(ok ? 'cell-bad' : 'cell-good');
        if (ok) met++;
        else missed++;
      }
    }
    expect(missed).toBeGreaterThan(0);
    expect(met).toBeGreaterThan(0);

    // Sorting by a column reorders the rows (no-data rows last), and the order is in the URL.
    const byRate = (desc: boolean) =>
      [...rows]
        .sort((a, b) => {
          const x = a.timeliness_rate;
          const y = b.timeliness_rate;
          if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
          return desc ? y - x : x - y;
        })
        .map((r) => r.key);
    expect(byRate(false)).not.toEqual(rows.map((r) => r.key));
    await page.locator('[data-testid=sort-timeliness_rate]').click();
    await expect.poll(() => rowKeys(page)).toEqual(byRate(false));
    expect(new URL(page.url()).searchParams.get('sort')).toBe('timeliness_rate');
    await page.locator('[data-testid=sort-timeliness_rate]').click();
    await expect.poll(() => rowKeys(page)).toEqual(byRate(true));
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-timeliness_rate');
    // The sort survives a reload (shared links).
    await page.reload();
    await page.locator('[data-testid=kpi-row]').first().waitFor();
    expect(await rowKeys(page)).toEqual(byRate(true));

    // Counts open the drill-down lists of that team and month.
    const team = rows.find((r) => r.key !== '' && r.tickets_late > 0)!;
    const late = page.locator(`[data-testid=kpi-row][data-key="${team.key}"] [data-testid=drill-late]`);
    expect(await late.textContent()).toBe(new Intl.NumberFormat('zh-CN').format(team.tickets_late));
    expect(await late.getAttribute('href')).toBe(`/lists/late?month=${MONTH}&team=${team.key}`);
    expect(await page.locator(`[data-testid=kpi-row][data-key="${team.key}"] [data-testid=drill-complaints]`).getAttribute('href')).toBe(
      `/lists/complaints?month=${MONTH}&team=${team.key}`,
    );
    expect(await page.locator(`[data-testid=kpi-row][data-key="${team.key}"] [data-testid=drill-low_score]`).getAttribute('href')).toBe(
      `/lists/forms?month=${MONTH}&team=${team.key}&filter=low_score`,
    );

    // Another breakdown through the same endpoint.
    await page.locator('[data-testid=by-picker]').selectOption('region');
    const regions = await api(page, `/api/breakdown?month=${MONTH}&by=region`);
    await expect.poll(() => rowKeys(page)).toEqual(regions.rows.map((r: Json) => r.key));
    expect(await page.locator('[data-testid=kpi-row] [data-testid=drill-late]').count()).toBe(0);

    await page.locator('[data-testid=by-picker]').selectOption('team');
    await page.locator('[data-testid=kpi-row]').first().waitFor();
    // (errors of this page only: the list page that opens next is another page's test)
    expect(unexpected(errors)).toEqual([]);
    await late.click();
    await page.waitForURL((u) => u.pathname === '/lists/late');
    expect(new URL(page.url()).searchParams.get('team')).toBe(team.key);
    expect(new URL(page.url()).searchParams.get('month')).toBe(MONTH);
    await context.close();
  });
});

describe('supervision · pending clocks, as-of time, satisfaction detail', () => {
  it('shows "N 待定" under each rate with pending clocks (none where 0), the as-of time, and the item means with the reasons', async () => {
    const { page, context, errors } = await d.open('supervisor', `/supervision?month=${MONTH}`);
    await page.locator('[data-testid=kpi-row]').first().waitFor();
    const breakdown = await api(page, `/api/breakdown?month=${MONTH}&by=team`);
    const kpi = await api(page, `/api/kpi?month=${MONTH}`);
    const meta = await api(page, '/api/meta');
    expect(kpi.as_of).toBeTypeOf('string');
    expect(meta.as_of).toBe(kpi.as_of);
    expect(await page.locator('[data-testid=as-of]').getAttribute('data-time')).toBe(kpi.as_of);
    expect(await text(page, '[data-testid=as-of]')).toMatch(/^数据截至 \d{4}\/\d{1,2}\/\d{1,2} \d{2}:\d{2}$/);

    let shown = 0;
    for (const [rate, count] of Object.entries(PENDING_OF)) {
      for (const [sel, row] of [['[data-testid=kpi-company]', kpi], ...breakdown.rows.map((r: Json) => [`[data-testid=kpi-row][data-key="${r.key}"]`, r])] as [string, Json][]) {
        const n = row[count];
        expect(n, `${sel} ${count}`).toBeTypeOf('number');
        const p = page.locator(`${sel} td[data-col=${rate}] [data-testid=pending]`);
        if (n === 0) {
          expect(await p.count(), `${sel} ${rate}`).toBe(0);
          continue;
        }
        expect(await p.getAttribute('data-n'), `${sel} ${rate}`).toBe(String(n));
        expect(await p.textContent()).toBe(`${new Intl.NumberFormat('zh-CN').format(n)} 待定`);
        expect(await p.getAttribute('title')).toContain('尚不能判定');
        shown++;
      }
    }
    // The month is the newest with data: some clocks are still running at its end.
    expect(shown).toBeGreaterThan(0);

    // The header says how the figure is computed.
    expect(await page.locator('[data-testid=sort-timeliness_rate]').getAttribute('title')).toContain('按时工单 ÷ 已到期工单');

    // Item means beside the dissatisfaction reasons, the company's, from the KPI point.
    const detail = page.locator('[data-testid=satisfaction-detail]');
    for (const [item, reason] of [['mean_timeliness_points', 'speed'], ['mean_quality_points', 'skill'], ['mean_attitude_points', 'attitude']] as const) {
      const row = detail.locator(`[data-testid=satisfaction-row][data-item=${item}]`);
      expect(await row.getAttribute('data-reason')).toBe(reason);
      expect(await row.locator('[data-testid=item-mean]').textContent()).toBe(new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(kpi[item]));
      expect(await row.locator('[data-testid=reason-count]').getAttribute('data-value')).toBe(String(kpi[`forms_reason_${reason}`]));
      expect(await row.locator('[data-testid=reason-share]').textContent()).toBe(zhPct(kpi[`reason_${reason}_share`]));
    }
    expect(await detail.locator('[data-testid=satisfaction-row] th').allTextContents()).toEqual(['及时性', '维修质量', '服务态度']);
    expect(await detail.locator('[data-testid=satisfaction-row] td:nth-child(3)').allTextContents()).toEqual(['速度', '技术水平', '服务态度']);
    expect(await detail.locator('[data-testid=satisfaction-forms]').getAttribute('href')).toBe(`/lists/forms?month=${MONTH}&filter=all`);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});

describe('supervision · fees and conduct', () => {
  it('the money table by service type equals GET /api/money; by team its counts open the fee-anomaly list of the team', async () => {
    const { page, context, errors } = await d.open('supervisor', `/supervision?month=${MONTH}`);
    await page.locator('[data-testid=kpi-row]').first().waitFor();
    await page.locator('[data-testid=tab-money]').click();
    await page.waitForURL((u) => u.pathname === '/supervision/money' && u.searchParams.get('month') === MONTH);
    await page.locator('[data-testid=money-table]').waitFor();
    const m = await api(page, `/api/money?month=${MONTH}&by=service_type`);
    const keys = await page.locator('[data-testid=money-row]').evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset.key));
    expect(keys).toEqual(m.rows.map((r: Json) => r.key));
    expect(keys.slice(0, 3)).toEqual(['paid', 'contract', 'free']);
    expect(await page.locator('[data-testid=money-row] th').evaluateAll((xs) => xs.slice(0, 3).map((x) => x.textContent))).toEqual(['有费服务', '合同服务', '免费服务']);
    const yuan0 = (x: number) => new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 0, maximumFractionDigits: 0 }).format(x);
    for (const r of m.rows as Json[]) {
      const row = page.locator(`[data-testid=money-row][data-key="${r.key}"]`);
      for (const k of ['jobs', 'parts_cost', 'labor_cost', 'travel_cost', 'cost_total', 'fee_charged', 'fee_minus_cost', 'fee_anomalies']) {
        expect(await row.locator(`td[data-col=${k}]`).getAttribute('data-value'), `${r.key} ${k}`).toBe(String(r[k]));
      }
      expect((await row.locator('td[data-col=fee_minus_cost]').textContent())!.trim()).toBe(yuan0(r.fee_minus_cost));
    }
    // The total row is the company's, and the parts add up to it.
    const total = page.locator('[data-testid=money-total]');
    expect(await total.locator('td[data-col=jobs]').getAttribute('data-value')).toBe(String(m.total.jobs));
    expect(m.rows.reduce((s: number, r: Json) => s + r.jobs, 0)).toBe(m.total.jobs);
    // Free service's anomalies are exactly the list's "fee on free service".
    const free = m.rows.find((r: Json) => r.key === 'free');
    if (free.fee_anomalies > 0) {
      expect(await page.locator('[data-testid=money-row][data-key=free] [data-testid=money-fees]').getAttribute('href')).toBe(`/lists/fees?month=${MONTH}&reason=free_service`);
    }
    expect(await page.locator('[data-testid=money-row][data-key=contract] [data-testid=money-fees]').count()).toBe(0);
    expect(await page.locator('th[data-col=fee_minus_cost]').getAttribute('title')).toBe('收费金额 − 成本合计');

    await page.locator('[data-testid=money-by]').selectOption('team');
    await page.waitForURL((u) => u.searchParams.get('by') === 'team');
    const teams = await api(page, `/api/money?month=${MONTH}&by=team`);
    await expect.poll(() => page.locator('[data-testid=money-row]').evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset.key))).toEqual(teams.rows.map((r: Json) => r.key));
    const team = teams.rows.find((r: Json) => r.key !== '' && r.fee_anomalies > 0);
    expect(team).toBeDefined();
    const link = page.locator(`[data-testid=money-row][data-key="${team.key}"] [data-testid=money-fees]`);
    expect((await link.textContent())!.trim()).toBe(String(team.fee_anomalies));
    await link.click();
    await page.waitForURL((u) => u.pathname === '/lists/fees' && u.searchParams.get('team') === team.key && u.searchParams.get('month') === MONTH);
    await expect.poll(async () => Number(await page.locator('[data-testid=list-total]').getAttribute('data-total'))).toBe(team.fee_anomalies);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});

describe('supervision · spot checks', () => {
  it('records a verification and shows the month’s spot-check figures move to the new API values', async () => {
    const { page, context, errors } = await d.open('supervisor', `/supervision/spotcheck?month=${MONTH}`);
    await page.locator('[data-testid=sc-group]').first().waitFor();
    const queue = await api(page, `/api/spotchecks?month=${MONTH}`);
    expect(await page.locator('[data-testid=sc-group]').count()).toBe(queue.groups.length);

    // A sampled, not yet verified form whose job is in this month, so this month's KPIs move.
    const row = queue.rows.find((r: Json) => r.verification_outcome === null && r.job_month === MONTH && r.counted && r.score > -6);
    expect(row).toBeDefined();
    const group = `${row.week}:${row.team_id ?? ''}`;
    const groupBefore = queue.groups.find((g: Json) => g.week === row.week && g.team_id === row.team_id);
    await page.locator(`[data-testid=sc-group][data-group="${group}"] button`).click();
    expect(new URL(page.url()).searchParams.get('group')).toBe(group);
    const tr = page.locator(`[data-testid=sc-row][data-form="${row.form_id}"]`);
    await tr.waitFor();
    // What the supervisor needs for the call: the phone in full, the ticket, the grades.
    expect(await tr.locator('[data-testid=sc-phone]').textContent()).toBe(row.contact_phone);
    expect(await tr.textContent()).toContain(row.ticket_id);
    expect(await tr.getAttribute('data-verified')).toBe('false');

    const before = await api(page, `/api/kpi?month=${MONTH}`);
    const shown = (id: string) => text(page, `[data-testid=sc-fig-${id}] [data-testid=value]`);
    expect(await shown('spot_check_rate')).toBe(zhPct(before.spot_check_rate, 2));
    expect(await shown('discrepancy_rate')).toBe(zhPct(before.discrepancy_rate));
    expect(await shown('satisfaction_rate')).toBe(zhPct(before.satisfaction_rate, 2));
    // The discrepancy rate is the random sample's estimate, with its basis (kpi-basis.ts: forms_sample_*).
    expect(await text(page, '[data-testid=sc-fig-discrepancy_rate] .label')).toBe('不符率（随机抽样估计）');
    expect(before.discrepancy_rate).toBe(before.forms_sample_verified ? before.forms_sample_discrepant / before.forms_sample_verified : null);
    expect(await text(page, '[data-testid=sc-fig-discrepancy_rate] .sub')).toBe(
      `随机抽样核实 ${new Intl.NumberFormat('zh-CN').format(before.forms_sample_verified)} 份，不符 ${new Intl.NumberFormat('zh-CN').format(before.forms_sample_discrepant)} 份`,
    );

    // A correction without its grades is refused next to the form, in plain words; nothing is sent.
    await tr.locator('[data-testid=sc-record]').click();
    const form = page.locator('[data-testid=verify-form]');
    await form.locator('[data-testid=outcome-corrected]').check();
    await form.locator('[data-testid=verify-submit]').click();
    expect(await text(page, '[data-testid=verify-problem]')).toBe('选择“更正”时，三项更正后的评分都必须填写。');
    expect((await api(page, `/api/kpi?month=${MONTH}`)).forms_verified).toBe(before.forms_verified);

    // A refusal from the server (here a stand-in answer) is said next to the form, and the form stays open.
    for (const k of ['timeliness', 'quality', 'attitude']) await form.locator(`[data-testid=grade-${k}]`).selectOption('E');
    await page.route(
      '**/api/verifications',
      (route) => route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { code: 'not_found', message: 'no feedback form' } }) }),
      { times: 1 },
    );
    await form.locator('[data-testid=verify-submit]').click();
    await expect.poll(() => text(page, '[data-testid=verify-problem]')).toBe('找不到这份反馈表（可能已被重新导入），请刷新后重试。');
    expect(await tr.getAttribute('data-verified')).toBe('false');

    // Corrected to the worst grades: the form is verified and discrepant, its score drops. The
    // request names the queue it came from: the random sample.
    await form.locator('[data-testid=verify-note]').fill('电话回访:顾客表示不满意');
    const recordedFrom = Date.now();
    const [request] = await Promise.all([page.waitForRequest((r) => r.url().endsWith('/api/verifications') && r.method() === 'POST'), form.locator('[data-testid=verify-submit]').click()]);
    expect(JSON.parse(request.postData() ?? '{}')).toMatchObject({ form_id: row.form_id, outcome: 'corrected', queue: 'random' });
    await page.locator('[data-testid=sc-saved]').waitFor();
    const recordedTo = Date.now();
    await expect.poll(() => tr.getAttribute('data-verified')).toBe('true');
    expect(await tr.locator('[data-testid=sc-status] [data-outcome]').getAttribute('data-outcome')).toBe('corrected');
    expect(await tr.textContent()).toContain('E / E / E');
    // When it was checked, in China's local time (the browser runs in the machine's zone, UTC here):
    // the time of the record, not UTC shown as local (8 hours off).
    const china = (ms: number) =>
      new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' }).format(ms);
    const at = (await tr.locator('[data-testid=sc-status] .muted').first().textContent())!.replace(/^.* · /, '').trim();
    expect([china(recordedFrom), china(recordedTo)]).toContain(at);

    const after = await api(page, `/api/kpi?month=${MONTH}`);
    expect(after.forms_verified).toBe(before.forms_verified + 1);
    expect(after.forms_discrepant).toBe(before.forms_discrepant + 1);
    expect(after.forms_sample_verified).toBe(before.forms_sample_verified + 1);
    expect(after.forms_sample_discrepant).toBe(before.forms_sample_discrepant + 1);
    expect(after.mean_score).toBeLessThan(before.mean_score);
    await expect.poll(() => shown('spot_check_rate')).toBe(zhPct(after.spot_check_rate, 2));
    expect(await shown('spot_check_rate')).not.toBe(zhPct(before.spot_check_rate, 2));
    expect(await shown('discrepancy_rate')).toBe(zhPct(after.discrepancy_rate));
    expect(await shown('discrepancy_rate')).not.toBe(zhPct(before.discrepancy_rate));
    expect(await shown('satisfaction_rate')).toBe(zhPct(after.satisfaction_rate, 2));
    expect(await shown('verified')).toBe(new Intl.NumberFormat('zh-CN').format(after.forms_verified));
    expect(await text(page, '[data-testid=sc-fig-verified] [data-testid=delta]')).toContain('+1');
    expect(await text(page, `[data-testid=sc-group][data-group="${group}"] [data-testid=verified]`)).toBe(String(groupBefore.verified + 1));

    // Fraudulent takes the form out of the counted forms: satisfaction's denominator changes.
    const second = queue.rows.find((r: Json) => r.verification_outcome === null && r.job_month === MONTH && r.counted && r.form_id !== row.form_id);
    const group2 = `${second.week}:${second.team_id ?? ''}`;
    await page.locator(`[data-testid=sc-group][data-group="${group2}"] button`).click();
    const tr2 = page.locator(`[data-testid=sc-row][data-form="${second.form_id}"]`);
    await tr2.locator('[data-testid=sc-record]').click();
    await page.locator('[data-testid=verify-form] [data-testid=outcome-fraudulent]').check();
    await page.locator('[data-testid=verify-form] [data-testid=verify-submit]').click();
    // Recording refreshes the models; wait for this form's confirmation, not the previous one.
    await page.locator('[data-testid=sc-saved]', { hasText: second.form_id }).waitFor();
    expect(await tr2.getAttribute('data-verified')).toBe('true');
    const third = await api(page, `/api/kpi?month=${MONTH}`);
    expect(third.forms).toBe(after.forms - 1);
    expect(third.satisfaction_rate).not.toBe(after.satisfaction_rate);
    await expect.poll(() => shown('satisfaction_rate')).toBe(zhPct(third.satisfaction_rate, 2));
    expect(await shown('discrepancy_rate')).toBe(zhPct(third.discrepancy_rate));

    // The browser logs the stand-in 404 above as a failed resource; that one is expected, nothing else.
    const logged = unexpected(errors);
    const refusal = logged.findIndex((e) => /Failed to load resource: .* 404/.test(e));
    expect(refusal).toBeGreaterThanOrEqual(0);
    logged.splice(refusal, 1);
    expect(logged).toEqual([]);
    await context.close();
  });
});

describe('supervision · access', () => {
  it('admin has both tabs; English labels; hr is told the page is not for its role', async () => {
    const { page, context, errors } = await d.open('admin', `/supervision?month=${MONTH}`);
    await page.locator('[data-testid=kpi-row]').first().waitFor();
    const breakdown = await api(page, `/api/breakdown?month=${MONTH}&by=team`);
    expect(await page.locator('[data-testid=kpi-row]').count()).toBe(breakdown.rows.length);
    await page.locator('[data-testid=tab-spotcheck]').click();
    await page.waitForURL((u) => u.pathname === '/supervision/spotcheck' && u.searchParams.get('month') === MONTH);
    await page.locator('[data-testid=sc-group]').first().waitFor();
    await page.locator('[data-testid=lang-switch]').click();
    await expect.poll(() => text(page, '[data-testid=tab-spotcheck]')).toBe('Spot checks');
    expect(await text(page, '[data-testid=sc-fig-spot_check_rate] .label')).toBe('Spot-check rate');
    await page.locator('[data-testid=tab-kpi]').click();
    await expect.poll(() => text(page, 'th[data-col=timeliness_rate]')).toContain('Timeliness');
    expect(unexpected(errors)).toEqual([]);
    await context.close();

    // Issue 13: no silent redirect — the page says why, with a link to hr's home.
    const hr = await d.open('hr', '/supervision');
    await hr.page.locator('[data-testid=refused]').waitFor();
    expect(await hr.page.locator('[data-testid=refused-home]').getAttribute('href')).toBe('/assessment');
    expect(unexpected(hr.errors)).toEqual([]);
    await hr.context.close();
  });
});
