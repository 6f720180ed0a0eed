/**
 * Locale formatting of figures. A missing figure (null: no denominator, no data) is shown as
 * '—', never as 0 %. Rates from the API are fractions (0.9 = 90 %); money is signed yuan.
 */
import { i18n } from './i18n.svelte';

const NONE = '—';

function loc(): string {
  return i18n.locale === 'en' ? 'en-US' : 'zh-CN';
}

export function pct(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NONE;
  return new Intl.NumberFormat(loc(), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
}

/** A change of a rate in percentage points, signed: +1.2 pp / +1.2个百分点. */
export function pp(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NONE;
  const v = new Intl.NumberFormat(loc(), { signDisplay: 'always', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x * 100);
  return i18n.locale === 'en' ? `${v} pp` : `${v}个百分点`;
}

export function num(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NONE;
  return new Intl.NumberFormat(loc(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
}

export function signed(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NONE;
  return new Intl.NumberFormat(loc(), { signDisplay: 'exceptZero', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
}

/** ¥1,000.00 in both languages (the currency is always yuan). */
export function money(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NONE;
  return new Intl.NumberFormat(loc(), { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
}

/** '2025-05' → 2025年5月 / May 2025. */
export function month(m: string | null | undefined): string {
  if (!m) return NONE;
  const [y, mo] = m.split('-').map(Number);
  if (!y || !mo) return m;
  return new Intl.DateTimeFormat(loc(), { year: 'numeric', month: i18n.locale === 'en' ? 'short' : 'long', timeZone: 'UTC' }).format(Date.UTC(y, mo - 1, 1));
}

/** '2025-05-03 14:20:00' (China local time from the API) → 2025/5/3 14:20 / 5/3/2025, 14:20. */
export function dateTime(s: string | null | undefined): string {
  if (!s) return NONE;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(s);
  if (!m) return s;
  const d = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  return new Intl.DateTimeFormat(loc(), { year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' }).format(d);
}

export function date(s: string | null | undefined): string {
  if (!s) return NONE;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) return s;
  return new Intl.DateTimeFormat(loc(), { year: 'numeric', month: 'numeric', day: 'numeric', timeZone: 'UTC' }).format(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
}

/** Minutes as '2天3小时' / '2 d 3 h'. */
export function duration(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return NONE;
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const mi = Math.round(minutes % 60);
  if (i18n.locale === 'en') return [d ? `${d} d` : '', h ? `${h} h` : '', !d && mi ? `${mi} min` : ''].filter(Boolean).join(' ') || '0 min';
  return [d ? `${d}天` : '', h ? `${h}小时` : '', !d && mi ? `${mi}分钟` : ''].join('') || '0分钟';
}
