/**
 * ECharts options of the overview's charts, built from API data. Pure functions: the page passes
 * the data, the colours of the current theme and the words of the current language, so a change
 * of either rebuilds the option. Missing figures stay missing (gaps, empty cells), never 0.
 */
import type { ChartOption } from '$lib/charts/chart-action';
import { i18n, t, tk } from '$lib/i18n.svelte';
import { month as fmtMonth } from '$lib/format';
import type { Theme } from '$lib/theme.svelte';
import type { KpiBreakdownRow, KpiPoint, TeamTrend } from '$contract';
import type { RankKey, Rate } from './model';
import { meetsTarget } from '$lib/targets';
import { def } from './model';

export interface Palette {
  text: string;
  muted: string;
  border: string;
  good: string;
  bad: string;
  accent: string;
  timeliness: string;
  satisfaction: string;
  complaint: string;
  mean: string;
  /** Low → high mean score. */
  heat: string[];
  heatText: string;
}

/** Colours of the theme: the CSS variables of app.css plus series colours that read well on it. */
export function palette(theme: Theme): Palette {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const dark = theme === 'dark';
  return {
    text: v('--text', dark ? '#e3e8ee' : '#1d2733'),
    muted: v('--muted', '#56616d'),
    border: v('--border', dark ? '#2e3946' : '#dde3ea'),
    good: v('--good', '#146c2e'),
    bad: v('--bad', '#b91c26'),
    accent: v('--accent', '#1a5fcc'),
    timeliness: dark ? '#4c8dff' : '#1f6feb',
    satisfaction: dark ? '#b083f0' : '#8250df',
    complaint: dark ? '#ff8c42' : '#d9480f',
    mean: dark ? '#2ec4b6' : '#0b8a87',
    heat: dark ? ['#a83232', '#8c7a22', '#2a8048'] : ['#f1948a', '#fbe7a1', '#7fd19a'],
    heatText: dark ? '#e3e8ee' : '#1d2733',
  };
}

/**
 * format.ts's `num` and `pct` (same output, null → '—') with each Intl.NumberFormat built once per
 * language and precision: chart labels are formatted by the hundred (every heat-map cell, axis
 * labels measured twice), and building the formatter costs far more than formatting.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
function formatter(style: 'decimal' | 'percent', digits: number): Intl.NumberFormat {
  const locale = i18n.locale === 'en' ? 'en-US' : 'zh-CN';
  const key = `${locale} ${style} ${digits}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, { style, minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return f;
}
const missing = (x: number | null | undefined): x is null | undefined => x === null || x === undefined || !Number.isFinite(x);
const num = (x: number | null | undefined, digits = 0) => (missing(x) ? '—' : formatter('decimal', digits).format(x));
const pct = (x: number | null | undefined, digits = 1) => (missing(x) ? '—' : formatter('percent', digits).format(x));

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Figures as the tooltips show them: rates with 2 decimals (exact enough to compare), scores 2. */
function exact(key: RankKey | 'first_time_fix_rate', v: Rate): string {
  return key === 'mean_score' ? num(v, 2) : pct(v, 2);
}

let shortMonth: Intl.DateTimeFormat | undefined;

/**
 * A month axis: at most `maxLabels` labels, always including the last month (the one picked),
 * the year written on the first label and wherever it changes.
 */
function monthAxis(months: string[], p: Palette, maxLabels: number, boundaryGap: boolean) {
  const step = Math.max(1, Math.ceil(months.length / maxLabels));
  const shown = (i: number) => (months.length - 1 - i) % step === 0;
  const first = months.findIndex((_, i) => shown(i));
  const year = (i: number) => months[i]?.slice(0, 4);
  const label = (m: string, i: number) => {
    const mo = Number(m.slice(5, 7));
    if (i === first || year(i - step) !== year(i)) return fmtMonth(m);
    if (i18n.locale === 'en') return (shortMonth ??= new Intl.DateTimeFormat('en-US', { month: 'short', timeZone: 'UTC' })).format(Date.UTC(2000, mo - 1, 1));
    return `${mo}月`;
  };
  return {
    type: 'category',
    data: months,
    boundaryGap,
    axisLine: { lineStyle: { color: p.border } },
    axisTick: { alignWithLabel: true, interval: (i: number) => shown(i) },
    axisLabel: { color: p.muted, interval: (i: number) => shown(i), formatter: label, hideOverlap: false },
  };
}

/**
 * An axis range around the values (and the targets) so that a few points of difference show,
 * on round steps (80 %, 85 %, 90 % …) so that the labels do not crowd.
 */
function rateRange(values: Rate[]): { min: number; max: number; interval: number } {
  const xs = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (!xs.length) return { min: 0, max: 1, interval: 0.2 };
  const low = Math.min(...xs);
  const high = Math.max(...xs);
  const step = [0.01, 0.02, 0.05, 0.1, 0.2].find((s) => (high - low) / s <= 4) ?? 0.25;
  const lo = Math.max(0, Math.floor(low / step - 0.3) * step);
  const hi = Math.min(1, Math.ceil(high / step + 0.15) * step);
  return { min: +lo.toFixed(4), max: +Math.max(hi, lo + step).toFixed(4), interval: step };
}

/** From 0 up to a round step above the values: for small rates (complaints, a few %). */
function smallRateRange(values: Rate[]): { min: number; max: number; interval: number } {
  const high = Math.max(0, ...values.filter((x): x is number => x !== null && Number.isFinite(x)));
  const interval = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2].find((s) => (high * 1.1) / s <= 5) ?? 0.25;
  return { min: 0, max: +(Math.max(1, Math.ceil((high * 1.1) / interval)) * interval).toFixed(4), interval };
}

function targetLine(value: number | null | undefined, color: string, axis: 'xAxis' | 'yAxis', label: (v: number) => string, position = axis === 'yAxis' ? 'insideEndTop' : 'end') {
  if (value === null || value === undefined) return undefined;
  return {
    silent: true,
    symbol: 'none',
    lineStyle: { color, type: 'dashed', width: 1.5 },
    label: { formatter: t('common.target') + ' ' + label(value), color, position },
    data: [{ [axis]: value }],
  };
}

interface TooltipParam {
  seriesName: string;
  seriesIndex: number;
  marker: string;
  value: unknown;
  axisValue?: string;
  dataIndex: number;
  data: unknown;
}

function axisBase(p: Palette) {
  return {
    axisLine: { lineStyle: { color: p.border } },
    axisLabel: { color: p.muted },
    splitLine: { lineStyle: { color: p.border, type: 'dashed' as const } },
  };
}

/** Timeliness and satisfaction by month, with their targets. Series 0 = timeliness, 1 = satisfaction. */
export function ratesTrendOption(months: KpiPoint[], targets: Record<string, number | null | undefined>, p: Palette): ChartOption {
  const cats = months.map((m) => m.month);
  const tl = months.map((m) => m.timeliness_rate);
  const sat = months.map((m) => m.satisfaction_rate);
  const range = rateRange([...tl, ...sat, targets.timeliness_rate ?? null, targets.satisfaction_rate ?? null]);
  const line = (name: string, data: Rate[], color: string, target: number | null | undefined) => ({
    name,
    type: 'line',
    data,
    color,
    symbol: 'circle',
    symbolSize: 8,
    showAllSymbol: true,
    connectNulls: false,
    lineStyle: { width: 2 },
    emphasis: { focus: 'series', scale: 1.6 },
    markLine: targetLine(target, color, 'yAxis', (v) => pct(v), 'end'),
  });
  return {
    legend: { top: 0, textStyle: { color: p.text } },
    grid: { left: 16, right: 88, top: 40, bottom: 8 },
    tooltip: {
      trigger: 'axis',
      formatter: (ps: TooltipParam[]) =>
        `<b>${esc(fmtMonth(ps[0]?.axisValue))}</b><br>` +
        ps.map((x) => `${x.marker}${esc(x.seriesName)}: <b>${pct(x.value as Rate, 2)}</b>`).join('<br>'),
    },
    xAxis: monthAxis(cats, p, 7, false),
    yAxis: { type: 'value', ...range, ...axisBase(p), axisLabel: { color: p.muted, formatter: (v: number) => pct(v, 0) } },
    series: [
      line(t('kpi.timeliness_rate'), tl, p.timeliness, targets.timeliness_rate),
      line(t('kpi.satisfaction_rate'), sat, p.satisfaction, targets.satisfaction_rate),
    ],
  };
}

/** Complaint rate (left axis, with its target) and mean score (right axis). Series 0 = complaint, 1 = mean score. */
export function complaintsTrendOption(months: KpiPoint[], targets: Record<string, number | null | undefined>, p: Palette): ChartOption {
  const cats = months.map((m) => m.month);
  const cr = months.map((m) => m.complaint_rate);
  const ms = months.map((m) => m.mean_score);
  const left = smallRateRange([...cr, targets.complaint_rate ?? null]);
  const ticks = Math.round(left.max / left.interval);
  // The score axis gets as many steps as the rate axis, so both share the grid lines.
  const scores = ms.filter((x): x is number => x !== null);
  const right = { min: 0, max: 6, interval: 6 / ticks };
  if (scores.length) {
    const lowS = Math.min(...scores);
    const highS = Math.max(...scores);
    for (const step of [0.5, 1, 2]) {
      const lo = Math.max(0, Math.floor((lowS - step * 0.3) / step) * step);
      if (lo + ticks * step >= highS + step * 0.1) {
        Object.assign(right, { min: lo, max: lo + ticks * step, interval: step });
        break;
      }
    }
  }
  const base = { type: 'line', symbol: 'circle', symbolSize: 8, showAllSymbol: true, connectNulls: false, lineStyle: { width: 2 }, emphasis: { focus: 'series', scale: 1.6 } };
  return {
    legend: { top: 0, textStyle: { color: p.text } },
    grid: { left: 16, right: 16, top: 40, bottom: 8 },
    tooltip: {
      trigger: 'axis',
      formatter: (ps: TooltipParam[]) =>
        `<b>${esc(fmtMonth(ps[0]?.axisValue))}</b><br>` +
        ps
          .map((x) => `${x.marker}${esc(x.seriesName)}: <b>${x.seriesIndex === 0 ? pct(x.value as Rate, 2) : num(x.value as Rate, 2)}</b>`)
          .join('<br>'),
    },
    xAxis: monthAxis(cats, p, 7, false),
    yAxis: [
      { type: 'value', ...left, ...axisBase(p), axisLabel: { color: p.muted, formatter: (v: number) => pct(v, 1) } },
      {
        type: 'value',
        ...right,
        ...axisBase(p),
        splitLine: { show: false },
        axisLabel: { color: p.muted, formatter: (v: number) => num(v, 1) },
      },
    ],
    series: [
      { ...base, name: t('kpi.complaint_rate'), data: cr, color: p.complaint, yAxisIndex: 0, markLine: targetLine(targets.complaint_rate, p.complaint, 'yAxis', (v) => pct(v)) },
      { ...base, name: t('kpi.mean_score'), data: ms, color: p.mean, yAxisIndex: 1 },
    ],
  };
}

export interface RankedTeam {
  id: string;
  label: string;
  value: number;
}

/** Teams with a figure, best first; the ones without are named apart (no data is not a rank). */
export function rankTeams(rows: KpiBreakdownRow[], key: RankKey, name: (id: string, label: string | null) => string): { ranked: RankedTeam[]; missing: string[] } {
  const lowerBetter = def(key).lowerBetter;
  const ranked: RankedTeam[] = [];
  const missing: string[] = [];
  for (const r of rows) {
    const v = r[key];
    if (v === null || v === undefined) missing.push(name(r.key, r.label));
    else ranked.push({ id: r.key, label: name(r.key, r.label), value: v });
  }
  ranked.sort((a, b) => (lowerBetter ? a.value - b.value : b.value - a.value) || a.id.localeCompare(b.id));
  return { ranked, missing };
}

/** Horizontal bars, best at the top; category values are team ids (labels show names). */
export function rankingOption(ranked: RankedTeam[], key: RankKey, target: number | null | undefined, selected: string | null, p: Palette): ChartOption {
  const { lowerBetter, score } = def(key);
  const fmt = (v: number) => (score ? num(v, 2) : pct(v, 1));
  const labels = new Map(ranked.map((r) => [r.id, r.label]));
  const values = ranked.map((r) => r.value);
  let range: { min: number; max: number };
  if (score) range = { min: Math.max(0, Math.floor(Math.min(...values) - 0.5)), max: Math.ceil(Math.max(...values) + 0.2) };
  else if (lowerBetter) range = smallRateRange([...values, target ?? null]);
  else range = rateRange([...values, target ?? null]);
  return {
    grid: { left: 8, right: 56, top: 28, bottom: 8 },
    tooltip: {
      trigger: 'item',
      formatter: (x: TooltipParam) => `<b>${esc(labels.get(ranked[x.dataIndex]!.id) ?? '')}</b><br>${esc(tk('kpi.' + key))}: <b>${exact(key, x.value as number)}</b>`,
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: ranked.map((r) => r.id),
      // A click on a team's name drills like a click on its bar.
      triggerEvent: true,
      ...axisBase(p),
      axisLabel: {
        color: p.text,
        formatter: (id: string) => (id === selected ? '▶ ' : '') + (labels.get(id) ?? id),
      },
    },
    xAxis: { type: 'value', ...range, ...axisBase(p), axisLabel: { color: p.muted, formatter: (v: number) => (score ? num(v, 1) : pct(v, lowerBetter ? 1 : 0)) } },
    series: [
      {
        type: 'bar',
        name: tk('kpi.' + key),
        barMaxWidth: 22,
        data: ranked.map((r) => {
          const ok = meetsTarget(key, r.value, target);
          const color = ok === null ? p.accent : ok ? p.good : p.bad;
          return {
            value: r.value,
            itemStyle: { color, opacity: selected && r.id !== selected ? 0.55 : 1, borderRadius: [0, 3, 3, 0] },
          };
        }),
        label: { show: true, position: 'right', color: p.text, formatter: (x: { value: number }) => fmt(x.value) },
        markLine: targetLine(target, p.muted, 'xAxis', (v) => fmt(v), 'start'),
      },
    ],
  };
}

/** Timeliness and satisfaction per region (grouped bars, targets as lines). Categories are region names. */
export function regionsOption(rows: KpiBreakdownRow[], targets: Record<string, number | null | undefined>, selected: string | null, p: Palette): ChartOption {
  const cats = rows.map((r) => r.key);
  const range = rateRange([...rows.map((r) => r.timeliness_rate), ...rows.map((r) => r.satisfaction_rate), targets.timeliness_rate ?? null, targets.satisfaction_rate ?? null]);
  const bars = (key: 'timeliness_rate' | 'satisfaction_rate', color: string) => ({
    type: 'bar',
    name: tk('kpi.' + key),
    color,
    barMaxWidth: 28,
    data: rows.map((r) => ({ value: r[key], itemStyle: { opacity: selected && r.key !== selected ? 0.45 : 1, borderRadius: [3, 3, 0, 0] } })),
    label: { show: true, position: 'top', color: p.text, fontSize: 11, formatter: (x: { value: Rate }) => pct(x.value) },
    markLine: targetLine(targets[key], color, 'yAxis', (v) => pct(v), 'end'),
  });
  return {
    legend: { top: 0, textStyle: { color: p.text } },
    grid: { left: 16, right: 88, top: 40, bottom: 8 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: TooltipParam[]) =>
        `<b>${esc(ps[0]?.axisValue ?? '')}</b><br>` + ps.map((x) => `${x.marker}${esc(x.seriesName)}: <b>${pct((x.value as Rate) ?? null, 2)}</b>`).join('<br>'),
    },
    xAxis: { type: 'category', data: cats, triggerEvent: true, ...axisBase(p), axisLabel: { color: p.text, formatter: (r: string) => (r === selected ? '▶ ' : '') + r } },
    yAxis: { type: 'value', ...range, ...axisBase(p), axisLabel: { color: p.muted, formatter: (v: number) => pct(v, 0) } },
    series: [bars('timeliness_rate', p.timeliness), bars('satisfaction_rate', p.satisfaction)],
  };
}

/**
 * Team × month of mean score. Cells are [monthIndex, teamIndex, score, forms, satisfaction]; a
 * team-month without data has no cell at all (blank), not a 0.
 */
/** Pixel height of the heat map for n teams (rows of ~32 px). */
export function heatmapHeight(n: number): number {
  return Math.max(140, n * 32 + 50);
}

export function heatmapOption(trend: TeamTrend, teams: { id: string; label: string }[], selected: string | null, p: Palette): ChartOption {
  const mIndex = new Map(trend.months.map((m, i) => [m, i]));
  const tIndex = new Map(teams.map((x, i) => [x.id, i]));
  const cells: [number, number, number, number, Rate][] = [];
  for (const r of trend.rows) {
    const x = mIndex.get(r.month);
    const y = tIndex.get(r.team_id);
    if (x === undefined || y === undefined || r.mean_score === null) continue;
    cells.push([x, y, r.mean_score, r.forms, r.satisfaction_rate]);
  }
  const scores = cells.map((c) => c[2]);
  const lo = scores.length ? Math.floor(Math.min(...scores) * 10) / 10 : 0;
  const hi = scores.length ? Math.ceil(Math.max(...scores) * 10) / 10 : 6;
  return {
    grid: { left: 8, right: 72, top: 8, bottom: 8 },
    tooltip: {
      trigger: 'item',
      formatter: (x: { data: [number, number, number, number, Rate] }) => {
        const [mi, ti, score, forms, sat] = x.data;
        return (
          `<b>${esc(teams[ti]!.label)}</b> · ${esc(fmtMonth(trend.months[mi]))}<br>` +
          `${esc(t('kpi.mean_score'))}${esc(t('common.colon'))}<b>${num(score, 2)}</b><br>` +
          `${esc(t('kpi.satisfaction_rate'))}${esc(t('common.colon'))}${pct(sat, 2)}<br>` +
          esc(t('overview.forms', { n: num(forms) }))
        );
      },
    },
    xAxis: { ...monthAxis(trend.months, p, 12, true), splitArea: { show: false } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: teams.map((x) => x.id),
      ...axisBase(p),
      axisLabel: { color: p.text, formatter: (id: string) => (id === selected ? '▶ ' : '') + (teams[tIndex.get(id) ?? -1]?.label ?? id) },
    },
    visualMap: {
      min: lo,
      max: Math.max(hi, lo + 0.1),
      calculable: false,
      orient: 'vertical',
      right: 0,
      top: 'center',
      itemHeight: Math.min(160, heatmapHeight(teams.length) - 70),
      precision: 1,
      text: [num(Math.max(hi, lo + 0.1), 1), num(lo, 1)],
      textStyle: { color: p.muted },
      inRange: { color: p.heat },
      dimension: 2,
    },
    series: [
      {
        type: 'heatmap',
        name: t('kpi.mean_score'),
        data: cells,
        label: { show: true, color: p.heatText, fontSize: 11, formatter: (x: { data: [number, number, number] }) => num(x.data[2], 1) },
        itemStyle: { borderColor: p.border, borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: p.text, borderWidth: 2 } },
      },
    ],
  };
}
