/**
 * The working calendar in the browser: the listed days grouped for reading (春节 28 Jan – 4 Feb),
 * and a chosen CSV read into the rows POST /api/calendar takes ({date, day_type, name}), with the
 * columns found by their English id or Chinese label (日期, 类型, 名称) like the upload contract.
 */
import Papa from 'papaparse';
import type { CalendarDay, CalendarRow } from '$contract';
import { i18n } from '$lib/i18n.svelte';

export const MAX_ROWS = 1000;

const DAY_MS = 86_400_000;
const ms = (d: string) => Date.parse(d + 'T00:00:00Z');

/** '2025-01-28' → 1月28日 / Jan 28. */
export function dayMonth(d: string): string {
  return new Intl.DateTimeFormat(i18n.locale === 'en' ? 'en-US' : 'zh-CN', { month: i18n.locale === 'en' ? 'short' : 'long', day: 'numeric', timeZone: 'UTC' }).format(ms(d));
}

export interface DayGroup {
  name: string;
  day_type: string;
  /** Runs of consecutive dates. */
  runs: { from: string; to: string; days: number }[];
  days: number;
}

/** Days with the same name and type, in order of their first date, as runs of consecutive dates. */
export function groupDays(days: CalendarDay[]): DayGroup[] {
  const groups = new Map<string, DayGroup>();
  for (const d of [...days].sort((a, b) => a.date.localeCompare(b.date))) {
    const key = `${d.day_type}\u0000${d.name ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { name: d.name ?? '', day_type: d.day_type, runs: [], days: 0 };
      groups.set(key, g);
    }
    const last = g.runs.at(-1);
    if (last && ms(d.date) - ms(last.to) === DAY_MS) {
      last.to = d.date;
      last.days++;
    } else {
      g.runs.push({ from: d.date, to: d.date, days: 1 });
    }
    g.days++;
  }
  return [...groups.values()];
}

export interface MonthGrid {
  month: number;
  /** Leading blanks (Monday first), then the dates of the month. */
  blanks: number;
  dates: string[];
}

export function yearGrid(year: number): MonthGrid[] {
  return Array.from({ length: 12 }, (_, m) => {
    const first = Date.UTC(year, m, 1);
    const n = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
    const blanks = (new Date(first).getUTCDay() + 6) % 7;
    const dates = Array.from({ length: n }, (_, i) => new Date(first + i * DAY_MS).toISOString().slice(0, 10));
    return { month: m + 1, blanks, dates };
  });
}

export const isWeekend = (d: string) => {
  const w = new Date(ms(d)).getUTCDay();
  return w === 0 || w === 6;
};

// ---------------------------------------------------------------------------------------------
// Import

const HEADERS: Record<keyof CalendarRow, string[]> = {
  date: ['date', '日期'],
  day_type: ['day_type', '类型', 'type'],
  name: ['name', '名称'],
};

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GB18030 (what Chinese Excel writes). */
export function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** 2025/1/1, 2025.1.1, 2025年1月1日 → 2025-01-01 (the route takes ISO dates only); anything else as typed. */
export function normalizeDate(s: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s.trim());
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : s.trim();
}

export const KNOWN_TYPES: Record<string, 'holiday' | 'workday'> = { holiday: 'holiday', workday: 'workday', 节假日: 'holiday', 调休上班: 'workday' };

export interface ParsedCalendar {
  rows: CalendarRow[];
  /** The header was not recognised; the first three columns were taken as date, type, name. */
  headerless: boolean;
  missing: string[];
}

export function parseCalendarCsv(text: string): ParsedCalendar {
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
  const delimiter = firstLine.includes('\t') ? '\t' : firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const data = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: 'greedy' }).data;
  if (data.length === 0) return { rows: [], headerless: false, missing: [] };
  const header = data[0]!.map((h) => h.trim().toLowerCase());
  const find = (k: keyof CalendarRow) => header.findIndex((h) => HEADERS[k].includes(h));
  let idx = { date: find('date'), day_type: find('day_type'), name: find('name') };
  let body = data.slice(1);
  let headerless = false;
  if (idx.date < 0 && idx.day_type < 0 && /^\d{4}/.test(data[0]![0]?.trim() ?? '')) {
    idx = { date: 0, day_type: 1, name: 2 };
    body = data;
    headerless = true;
  }
  const missing = (['date', 'day_type'] as const).filter((k) => idx[k] < 0);
  if (missing.length) return { rows: [], headerless, missing };
  const rows = body.map((r) => {
    const name = idx.name >= 0 ? (r[idx.name] ?? '').trim() : '';
    return { date: normalizeDate(r[idx.date] ?? ''), day_type: (r[idx.day_type] ?? '').trim(), name: name || null };
  });
  return { rows, headerless, missing };
}
