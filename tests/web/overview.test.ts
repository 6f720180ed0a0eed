/**
 * 总览 Overview in a real browser (issue 5 §2): the KPI cards show the API's figures formatted
 * for the locale, every chart draws without console errors, clicks drill into the right list
 * (or region), a manager sees only their own team, and the English switch translates the cards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { MANAGER_TEAM, MONTH, PENDING_OF, startDashboard, unexpected, type Dashboard } from './browser.ts';

let d: Dashboard;
beforeAll(async () => {
  d = await startDashboard();
});
afterAll(async () => d?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const pctZh = (x: number) => new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);
/** A change in percentage points as the cards show it (one that rounds to nothing is +0.0). */
const ppZh = (x: number) =>
  new Intl.NumberFormat('zh-CN', { signDisplay: 'always', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(x) < 0.0005 ? 0 : x * 100) + '个百分点';

/** The API as the signed-in page sees it (same cookies). */
async function api(page: Page, path: string): Promise<Json> {
  const res = await page.request.get(d.baseUrl + path);
  expect(res.status(), path).toBe(200);
  return res.json();
}

const CHART_IDS = ['chart-trend-rates', 'chart-trend-complaints', 'chart-ranking', 'chart-regions', 'chart-heatmap'];

async function chartReady(page: Page, testid: string) {
  const el = page.locator(`[data-testid=${testid}] [data-chart-ready=true]`);
  await el.waitFor();
  // Let the entry animation end so that symbols are where convertToPixel says.
  await page.waitForTimeout(400);
  return el;
}

/** Click a chart's element at (x, y) pixels from its corner, first bringing that spot to the viewport's middle. */
async function clickIn(page: Page, el: Locator, x: number, y: number) {
  await el.evaluate((n: HTMLElement, py: number) => window.scrollBy(0, n.getBoundingClientRect().top + py - window.innerHeight / 2), y);
  await page.waitForTimeout(100);
  const box = (await el.boundingBox())!;
  await page.mouse.click(box.x + x, box.y + y);
}

/** Click a chart at a data point, nudged by (dx, dy) pixels. */
async function clickPoint(page: Page, testid: string, seriesIndex: number, point: unknown[], dx = 0, dy = 0) {
  const el = await chartReady(page, testid);
  const [x, y] = await el.evaluate((n: Json, a: Json) => n.__chart.convertToPixel({ seriesIndex: a.seriesIndex }, a.point), { seriesIndex, point });
  await clickIn(page, el, x + dx, y + dy);
}

/**
 * Click a vertical bar just below its top (grouped bars sit beside their category's centre; the
 * value axis may not start at 0, so the bar's base can lie outside the drawing).
 */
async function clickBar(page: Page, testid: string, seriesIndex: number, dataIndex: number) {
  const el = await chartReady(page, testid);
  const r = await el.evaluate(
    (n: Json, a: Json) => n.__chart.getModel().getSeriesByIndex(a.seriesIndex).getData().getItemLayout(a.dataIndex),
    { seriesIndex, dataIndex },
  );
  await clickIn(page, el, r.x + r.width / 2, Math.min(r.y, r.y + r.height) + 8);
}

async function chartOption(page: Page, testid: string): Promise<Json> {
  const el = await chartReady(page, testid);
  return el.evaluate((n: Json) => {
    const o = n.__chart.getOption();
    return { xAxis: o.xAxis.map((a: Json) => a.data ?? null), yAxis: o.yAxis.map((a: Json) => a.data ?? null), series: o.series.map((s: Json) => s.data) };
  });
}

const cardValue = (page: Page, key: string) => page.locator(`[data-testid=kpi-${key}] [data-testid=kpi-value]`).textContent();

describe('overview as executive', () => {
  it('cards show the KPIs of the month from /api/kpi, formatted, with target verdict and changes; every chart draws', async () => {
    const { page, context, errors } = await d.open('executive', `/overview?month=${MONTH}`);
    const kpi = await api(page, `/api/kpi?month=${MONTH}`);
    const trend = await api(page, `/api/trend?months=12&end=${MONTH}`);
    await page.locator('[data-testid=kpi-cards]').waitFor();

    const expected: Record<string, number> = {
      timeliness_rate: kpi.timeliness_rate,
      satisfaction_rate: kpi.satisfaction_rate,
      complaint_rate: kpi.complaint_rate,
      first_time_fix_rate: kpi.first_time_fix_rate,
      response_rate: kpi.response_rate,
    };
    for (const [key, v] of Object.entries(expected)) {
      expect(v, key).toBeTypeOf('number');
      await expect.poll(() => cardValue(page, key), { message: key }).toBe(pctZh(v));
    }
    expect(await cardValue(page, 'mean_score')).toBe(new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(kpi.mean_score));

    // Target verdicts: ≥ target, except the complaint rate (< target).
    const verdict = async (key: string) => (await page.locator(`[data-testid=kpi-${key}] [data-testid=kpi-target]`).textContent())!;
    expect(await verdict('timeliness_rate')).toContain(kpi.timeliness_rate >= kpi.targets.timeliness_rate ? '达标' : '未达标');
    expect(await verdict('timeliness_rate')).toContain('≥ ' + pctZh(kpi.targets.timeliness_rate));
    const complaintVerdict = await verdict('complaint_rate');
    expect(complaintVerdict).toContain('< ' + pctZh(kpi.targets.complaint_rate));
    expect(complaintVerdict.includes('未达标')).toBe(!(kpi.complaint_rate < kpi.targets.complaint_rate));

    // Month-over-month / year-over-year in percentage points, from /api/trend: its last month is
    // the month's KPI point, the very answer of /api/kpi, with the changes of every KPI.
    const last = trend.months.at(-1);
    expect(last.month).toBe(MONTH);
    expect(last).toEqual(kpi);
    for (const key of ['first_time_fix_rate', 'response_rate']) {
      const shown = await page.locator(`[data-testid=kpi-${key}] [data-testid=kpi-mom]`).textContent();
      expect(shown, key).toBe(last.mom[key] === null ? '—' : ppZh(last.mom[key]));
    }
    const mom = page.locator('[data-testid=kpi-timeliness_rate] [data-testid=kpi-mom]');
    expect(await mom.textContent()).toBe(ppZh(last.mom.timeliness_rate));
    if (Math.abs(last.mom.timeliness_rate) >= 0.0005) expect(await mom.getAttribute('class')).toContain(last.mom.timeliness_rate > 0 ? 'good' : 'bad');
    const yoy = page.locator('[data-testid=kpi-complaint_rate] [data-testid=kpi-yoy]');
    expect(await yoy.textContent()).toBe(last.yoy.complaint_rate === null ? '—' : ppZh(last.yoy.complaint_rate));
    // A lower complaint rate is good news.
    if (last.yoy.complaint_rate !== null && Math.abs(last.yoy.complaint_rate) >= 0.0005) {
      expect(await yoy.getAttribute('class')).toContain(last.yoy.complaint_rate < 0 ? 'good' : 'bad');
    }

    for (const id of CHART_IDS) await chartReady(page, id);
    // The trend holds the API's figures month by month (missing months are gaps, not 0).
    const rates = await chartOption(page, 'chart-trend-rates');
    expect(rates.xAxis[0]).toEqual(trend.months.map((m: Json) => m.month));
    expect(rates.series[0]).toEqual(trend.months.map((m: Json) => m.timeliness_rate));

    // Cards and trends are one request: a reload asks /api/trend once and /api/kpi never.
    const asked: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/')) asked.push(path);
    });
    await page.reload();
    for (const id of CHART_IDS) await chartReady(page, id);
    expect(asked.filter((p) => p === '/api/trend')).toEqual(['/api/trend']);
    expect(asked.filter((p) => p === '/api/kpi')).toEqual([]);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('each card says what it is computed from, the clocks still pending at the as-of time, and opens its records; the satisfaction detail', async () => {
    const { page, context, errors } = await d.open('executive', `/overview?month=${MONTH}`);
    const kpi = await api(page, `/api/kpi?month=${MONTH}`);
    await page.locator('[data-testid=kpi-cards]').waitFor();
    const n = (x: number) => new Intl.NumberFormat('zh-CN').format(x);
    expect(await page.locator('[data-testid=as-of]').getAttribute('data-time')).toBe(kpi.as_of);
    expect(await page.locator('[data-testid=as-of]').textContent()).toMatch(/^数据截至 /);

    // Numerator / denominator under the figure.
    const basis = (key: string) => page.locator(`[data-testid=kpi-${key}] [data-testid=kpi-basis]`).textContent();
    expect(await basis('timeliness_rate')).toBe(`${n(kpi.tickets_on_time)} / ${n(kpi.tickets_due)}`);
    expect(await basis('first_time_fix_rate')).toBe(`${n(kpi.jobs_first_time_fix)} / ${n(kpi.jobs_first_fix_decided)}`);
    expect(await basis('followup_rate')).toBe(`${n(kpi.jobs_followed_up)} / ${n(kpi.jobs_followup_due)}`);
    expect(await page.locator('[data-testid=kpi-timeliness_rate] [data-testid=kpi-label]').getAttribute('title')).toContain('按时工单 ÷ 已到期工单');

    // "N 待定" beside each rate with a running clock, the reason as tooltip; none beside the others.
    for (const [key, count] of Object.entries(PENDING_OF)) {
      const p = page.locator(`[data-testid=kpi-${key}] [data-testid=kpi-pending]`);
      expect(await p.textContent(), key).toBe(`${n(kpi[count])} 待定`);
      expect(await p.getAttribute('title')).toContain('尚不能判定：期限在数据截至时间');
    }
    expect(Object.values(PENDING_OF).some((c) => kpi[c] > 0)).toBe(true);
    for (const key of ['satisfaction_rate', 'complaint_rate', 'mean_score']) {
      expect(await page.locator(`[data-testid=kpi-${key}] [data-testid=kpi-pending]`).count(), key).toBe(0);
    }

    // The records behind a card; first-time fix and follow-up have no list.
    const records = (key: string) => page.locator(`[data-testid=kpi-${key}] [data-testid=kpi-records]`);
    expect(await records('timeliness_rate').getAttribute('href')).toBe(`/lists/late?month=${MONTH}`);
    expect(await records('complaint_rate').getAttribute('href')).toBe(`/lists/complaints?month=${MONTH}&attributable=yes`);
    expect(await records('resolution_rate').getAttribute('href')).toBe(`/lists/complaints?month=${MONTH}`);
    expect(await records('first_time_fix_rate').count()).toBe(0);

    // Item means beside the dissatisfaction reasons.
    const detail = page.locator('[data-testid=satisfaction-detail]');
    const means = await detail.locator('[data-testid=item-mean]').allTextContents();
    const f2 = (x: number) => new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
    expect(means).toEqual([f2(kpi.mean_timeliness_points), f2(kpi.mean_quality_points), f2(kpi.mean_attitude_points)]);
    const counts = await detail.locator('[data-testid=reason-count]').allTextContents();
    expect(counts).toEqual([n(kpi.forms_reason_speed), n(kpi.forms_reason_skill), n(kpi.forms_reason_attitude)]);
    const shares = await detail.locator('[data-testid=reason-share]').allTextContents();
    expect(shares).toEqual([pctZh(kpi.reason_speed_share), pctZh(kpi.reason_skill_share), pctZh(kpi.reason_attitude_share)]);
    expect(kpi.reason_speed_share).toBeCloseTo(kpi.forms_reason_speed / kpi.forms, 12);

    await records('timeliness_rate').click();
    await page.waitForURL((u) => u.pathname === '/lists/late' && u.searchParams.get('month') === MONTH);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('the ranking is sorted best first; clicking a team bar opens its late tickets of the month', async () => {
    const { page, context, errors } = await d.open('executive', `/overview?month=${MONTH}`);
    const rows = (await api(page, `/api/breakdown?month=${MONTH}&by=team`)).rows.filter((r: Json) => r.key && r.timeliness_rate !== null);
    rows.sort((a: Json, b: Json) => b.timeliness_rate - a.timeliness_rate || a.key.localeCompare(b.key));
    const ranking = await chartOption(page, 'chart-ranking');
    expect(ranking.yAxis[0]).toEqual(rows.map((r: Json) => r.key));
    expect(ranking.series[0].map((x: Json) => x.value)).toEqual(rows.map((r: Json) => r.timeliness_rate));

    const team = rows[1].key;
    await clickPoint(page, 'chart-ranking', 0, [rows[1].timeliness_rate, team], -6, 0);
    await page.waitForURL((u) => u.pathname === '/lists/late');
    const u = new URL(page.url());
    expect(u.searchParams.get('month')).toBe(MONTH);
    expect(u.searchParams.get('team')).toBe(team);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('the ranking by complaint rate is sorted lowest first and drills into attributable complaints', async () => {
    const { page, context } = await d.open('executive', `/overview?month=${MONTH}&rank=complaint_rate`);
    const rows = (await api(page, `/api/breakdown?month=${MONTH}&by=team`)).rows.filter((r: Json) => r.key && r.complaint_rate !== null);
    rows.sort((a: Json, b: Json) => a.complaint_rate - b.complaint_rate || a.key.localeCompare(b.key));
    const ranking = await chartOption(page, 'chart-ranking');
    expect(ranking.yAxis[0]).toEqual(rows.map((r: Json) => r.key));
    const top = rows.at(-1); // the longest bar
    await clickPoint(page, 'chart-ranking', 0, [top.complaint_rate, top.key], -4, 0);
    await page.waitForURL((u) => u.pathname === '/lists/complaints');
    const u = new URL(page.url());
    expect([u.searchParams.get('month'), u.searchParams.get('team'), u.searchParams.get('attributable')]).toEqual([MONTH, top.key, 'yes']);
    await context.close();
  });

  it('clicking a trend point opens the list of that month', async () => {
    const { page, context, errors } = await d.open('executive', `/overview?month=${MONTH}`);
    const trend = await api(page, `/api/trend?months=12&end=${MONTH}`);
    // A month whose two points are apart, so the click cannot land on the other series.
    const m = trend.months.find(
      (x: Json) => x.month !== MONTH && x.timeliness_rate !== null && x.satisfaction_rate !== null && Math.abs(x.timeliness_rate - x.satisfaction_rate) > 0.02,
    );
    expect(m, 'a month with both rates').toBeTruthy();
    await clickPoint(page, 'chart-trend-rates', 0, [m.month, m.timeliness_rate]);
    await page.waitForURL((u) => u.pathname === '/lists/late');
    expect(new URL(page.url()).searchParams.get('month')).toBe(m.month);
    expect(new URL(page.url()).searchParams.get('team')).toBeNull();

    await page.goto(d.baseUrl + `/overview?month=${MONTH}`);
    await clickPoint(page, 'chart-trend-rates', 1, [m.month, m.satisfaction_rate]);
    await page.waitForURL((u) => u.pathname === '/lists/forms');
    let u = new URL(page.url());
    expect([u.searchParams.get('month'), u.searchParams.get('filter')]).toEqual([m.month, 'low_score']);

    const c = trend.months.find((x: Json) => x.complaint_rate !== null && x.month !== MONTH);
    await page.goto(d.baseUrl + `/overview?month=${MONTH}`);
    await clickPoint(page, 'chart-trend-complaints', 0, [c.month, c.complaint_rate]);
    await page.waitForURL((x) => x.pathname === '/lists/complaints');
    u = new URL(page.url());
    expect([u.searchParams.get('month'), u.searchParams.get('attributable')]).toEqual([c.month, 'yes']);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('a heat-map cell opens the low-score forms of that team and month; a region bar scopes the overview to the region', async () => {
    const { page, context, errors } = await d.open('executive', `/overview?month=${MONTH}`);
    const tt = await api(page, `/api/trend/teams?months=12&end=${MONTH}`);
    const heat = await chartOption(page, 'chart-heatmap');
    expect(heat.xAxis[0]).toEqual(tt.months);
    const team = heat.yAxis[0][0];
    const cell = tt.rows.find((r: Json) => r.team_id === team && r.month === MONTH);
    // The cell holds the API's mean score; team-months without data have no cell at all.
    expect(heat.series[0].find((c: Json) => c[0] === tt.months.indexOf(MONTH) && c[1] === 0)[2]).toBe(cell.mean_score);
    expect(heat.series[0].length).toBe(tt.rows.filter((r: Json) => r.mean_score !== null && heat.yAxis[0].includes(r.team_id)).length);
    await clickPoint(page, 'chart-heatmap', 0, [tt.months.indexOf(MONTH), 0]);
    await page.waitForURL((u) => u.pathname === '/lists/forms');
    const u = new URL(page.url());
    expect([u.searchParams.get('month'), u.searchParams.get('team'), u.searchParams.get('filter')]).toEqual([MONTH, team, 'low_score']);

    await page.goto(d.baseUrl + `/overview?month=${MONTH}`);
    const regions = (await api(page, `/api/breakdown?month=${MONTH}&by=region`)).rows.filter((r: Json) => r.key && r.timeliness_rate !== null);
    const region = regions[0];
    const bars = await chartOption(page, 'chart-regions');
    expect(bars.xAxis[0]).toEqual(regions.map((r: Json) => r.key));
    await clickBar(page, 'chart-regions', 1, 0);
    // A client-side navigation within the page (no load event to wait for).
    await expect.poll(() => new URL(page.url()).searchParams.get('region')).toBe(region.key);
    expect(new URL(page.url()).pathname).toBe('/overview');
    const kpi = await api(page, `/api/kpi?month=${MONTH}&region=${encodeURIComponent(region.key)}`);
    await expect.poll(() => cardValue(page, 'timeliness_rate')).toBe(pctZh(kpi.timeliness_rate));
    expect(await page.locator('[data-testid=overview-caption]').textContent()).toContain(region.key);
    expect(await page.locator('[data-testid=scope-select]').inputValue()).toBe('region:' + region.key);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('the English switch turns the cards and the month into English', async () => {
    const { page, context, errors } = await d.open('executive', `/overview?month=${MONTH}`);
    await expect.poll(() => page.locator('[data-testid=kpi-timeliness_rate] [data-testid=kpi-label]').textContent()).toBe('服务及时率');
    await page.locator('[data-testid=lang-switch]').click();
    const labels = await page.locator('[data-testid=kpi-cards] [data-testid=kpi-label]').allTextContents();
    expect(labels.slice(0, 4)).toEqual(['Timeliness', 'Satisfaction', 'Complaint rate', 'Mean satisfaction score']);
    expect(await page.locator('[data-testid=kpi-timeliness_rate] [data-testid=kpi-mom]').textContent()).toMatch(/^([+-]\d+\.\d pp|—)$/);
    expect(await page.locator('[data-testid=overview-caption]').textContent()).toContain('Company · May 2025');
    expect(await page.locator('h1').textContent()).toBe('Overview');
    for (const id of CHART_IDS) await chartReady(page, id);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});

describe('overview of a month without data', () => {
  it("shows '—' and no data, never 0 %", async () => {
    const { page, context, errors } = await d.open('executive', '/overview?month=2023-01');
    const kpi = await api(page, '/api/kpi?month=2023-01');
    expect(kpi.timeliness_rate).toBeNull();
    await page.locator('[data-testid=kpi-cards]').waitFor();
    for (const key of ['timeliness_rate', 'satisfaction_rate', 'complaint_rate', 'mean_score', 'first_time_fix_rate', 'response_rate']) {
      expect(await cardValue(page, key), key).toBe('—');
      expect(await page.locator(`[data-testid=kpi-${key}] [data-testid=kpi-mom]`).textContent()).toBe('—');
    }
    expect(await page.locator('[data-testid=kpi-cards]').textContent()).not.toContain('0.0%');
    for (const id of ['chart-trend-rates', 'chart-trend-complaints', 'chart-heatmap']) {
      await expect.poll(() => page.locator(`[data-testid=${id}] [data-testid=empty]`).count(), { message: id }).toBe(1);
    }
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});

describe('overview as manager', () => {
  it('shows only their own team: fixed scope, their figures, no region chart', async () => {
    const { page, context, errors } = await d.open('manager', `/overview?month=${MONTH}&region=anything`);
    await expect.poll(() => page.locator('[data-testid=scope-fixed]').textContent()).toContain(MANAGER_TEAM);
    expect(await page.locator('[data-testid=scope-select]').count()).toBe(0);
    const kpi = await api(page, `/api/kpi?month=${MONTH}&team=${MANAGER_TEAM}`);
    await expect.poll(() => cardValue(page, 'timeliness_rate')).toBe(pctZh(kpi.timeliness_rate));
    expect(await cardValue(page, 'satisfaction_rate')).toBe(pctZh(kpi.satisfaction_rate));
    // Their team's pending clocks and records.
    expect(await page.locator('[data-testid=kpi-timeliness_rate] [data-testid=kpi-pending]').getAttribute('data-n')).toBe(String(kpi.tickets_pending));
    expect(await page.locator('[data-testid=kpi-timeliness_rate] [data-testid=kpi-records]').getAttribute('href')).toBe(`/lists/late?month=${MONTH}&team=${MANAGER_TEAM}`);
    expect(await page.locator('[data-testid=satisfaction-forms]').getAttribute('href')).toBe(`/lists/forms?month=${MONTH}&team=${MANAGER_TEAM}&filter=all`);

    for (const id of ['chart-trend-rates', 'chart-trend-complaints', 'chart-heatmap']) await chartReady(page, id);
    // One team: no region comparison, no ranking against teams they may not see.
    expect(await page.locator('[data-testid=chart-regions]').count()).toBe(0);
    expect(await page.locator('[data-testid=chart-ranking]').count()).toBe(0);
    expect(await page.locator('[data-testid=rank-select]').count()).toBe(0);
    const heat = await chartOption(page, 'chart-heatmap');
    expect(heat.yAxis[0]).toEqual([MANAGER_TEAM]);

    // A trend point drills into the manager's own team.
    const trend = await api(page, `/api/trend?months=12&end=${MONTH}&team=${MANAGER_TEAM}`);
    const m = trend.months.find((x: Json) => x.timeliness_rate !== null && x.satisfaction_rate !== null && Math.abs(x.timeliness_rate - x.satisfaction_rate) > 0.02);
    await clickPoint(page, 'chart-trend-rates', 0, [m.month, m.timeliness_rate]);
    await page.waitForURL((u) => u.pathname === '/lists/late');
    const u = new URL(page.url());
    expect([u.searchParams.get('month'), u.searchParams.get('team')]).toEqual([m.month, MANAGER_TEAM]);
    // No request was refused (a region or another team would be a 403 in the console).
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});
