/**
 * The generated period and its seasonality: which days exist, how busy each is (summer peak,
 * the weeks before Spring Festival busy, Spring Festival itself quiet, National Day quiet,
 * weekends quieter, slow growth), and how busy each hour of the day is.
 */
import type { Rng } from './random.ts';

/** 春节 (Chinese New Year's Day) by year. */
const SPRING_FESTIVAL: Record<number, string> = {
  2015: '2015-02-19', 2016: '2016-02-08', 2017: '2017-01-28', 2018: '2018-02-16', 2019: '2019-02-05',
  2020: '2020-01-25', 2021: '2021-02-12', 2022: '2022-02-01', 2023: '2023-01-22', 2024: '2024-02-10',
  2025: '2025-01-29', 2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26', 2029: '2029-02-13',
  2030: '2030-02-03', 2031: '2031-01-23', 2032: '2032-02-11', 2033: '2033-01-31', 2034: '2034-02-19',
  2035: '2035-02-08',
};

const DAY_MS = 86_400_000;

export function springFestival(year: number): number {
  const s = SPRING_FESTIVAL[year] ?? `${year}-02-05`;
  return Date.parse(`${s}T00:00:00Z`);
}

/** Relative ticket volume by month (Jan..Dec): summer peak from air-conditioning and heavy use. */
const MONTH_FACTOR = [1.0, 0.95, 0.95, 1.0, 1.05, 1.2, 1.35, 1.3, 1.1, 0.95, 1.0, 1.05];

/** Relative ticket volume by hour of day (local time). */
export const HOUR_WEIGHTS = [
  0.25, 0.15, 0.1, 0.1, 0.1, 0.2, 0.6, 1.6, 4.0, 6.0, 6.5, 6.0, 4.0, 4.5, 6.0, 6.0, 5.5, 5.0, 3.5, 2.6, 2.0, 1.5,
  1.0, 0.5,
];

export interface Period {
  /** First month, 'YYYY-MM'. */
  start: string;
  /** Last month, 'YYYY-MM' (inclusive). */
  end: string;
  months: number;
  /** First day, 'YYYY-MM-DD'. */
  startDate: string;
  /** The data's as-of time: midnight after the last day, 'YYYY-MM-DD 00:00:00'. */
  asOf: string;
  /** Year and month of the first month. */
  y0: number;
  m0: number;
}

export function period(end: string, months: number): Period {
  const m = /^(\d{4})-(\d{2})$/.exec(end);
  if (!m) throw new Error(`end must be YYYY-MM, got ${JSON.stringify(end)}`);
  const ye = Number(m[1]);
  const me = Number(m[2]);
  if (me < 1 || me > 12) throw new Error(`end month out of range: ${end}`);
  if (!Number.isInteger(months) || months < 1) throw new Error(`months must be a positive integer, got ${months}`);
  const endIdx = ye * 12 + (me - 1);
  const startIdx = endIdx - (months - 1);
  const y0 = Math.floor(startIdx / 12);
  const m0 = (startIdx % 12) + 1;
  const ya = Math.floor((endIdx + 1) / 12);
  const ma = ((endIdx + 1) % 12) + 1;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return {
    start: `${y0}-${p2(m0)}`,
    end,
    months,
    startDate: `${y0}-${p2(m0)}-01`,
    asOf: `${ya}-${p2(ma)}-01 00:00:00`,
    y0,
    m0,
  };
}

export interface Day {
  date: string;
  /** Integer weight (relative ticket volume). */
  weight: number;
  /** Inside the Spring Festival holiday (lateness goes up). */
  festival: boolean;
  /** Index of the month inside the period, 0-based. */
  monthIndex: number;
}

export function days(p: Period, rng: Rng): Day[] {
  const out: Day[] = [];
  const t0 = Date.parse(`${p.startDate}T00:00:00Z`);
  const tEnd = Date.parse(`${p.asOf.slice(0, 10)}T00:00:00Z`);
  for (let t = t0, k = 0; t < tEnd; t += DAY_MS, k++) {
    const d = new Date(t);
    const y = d.getUTCFullYear();
    const mo = d.getUTCMonth();
    const dom = d.getUTCDate();
    const dow = d.getUTCDay();
    let w = MONTH_FACTOR[mo] ?? 1;
    if (dow === 0 || dow === 6) w *= 0.75;
    // Spring Festival: the nearest one (this year's or next year's, for late December).
    let festival = false;
    for (const yy of [y, y + 1]) {
      const off = Math.round((t - springFestival(yy)) / DAY_MS);
      if (off >= -21 && off <= -2) w *= 1.3; // 年前: vehicles are prepared for the holiday rush
      else if (off >= -1 && off <= 6) {
        w *= 0.3; // 春节假期
        festival = true;
      } else if (off >= 7 && off <= 14) w *= 0.8;
    }
    if (mo === 9 && dom <= 7) w *= 0.6; // 国庆
    w *= 1 + 0.12 * ((t - t0) / (365 * DAY_MS)); // slow growth
    w *= 0.85 + 0.3 * rng.js(k, 'day.noise');
    const monthIndex = (y - p.y0) * 12 + mo - (p.m0 - 1);
    out.push({ date: d.toISOString().slice(0, 10), weight: Math.max(1, Math.round(w * 1000)), festival, monthIndex });
  }
  return out;
}
