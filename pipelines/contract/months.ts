/**
 * Months as the API and the dashboard spell them: 'YYYY-MM' (a calendar month, 01–12). The
 * warehouse keys months by their first day, so a read passes monthDate(month) to SQL.
 */

/** 'YYYY-MM' with a real month number. */
/** Team, technician and region ids in query strings: letters (any script), digits, _ . - ; at most 64. */
export const ID_RE = /^[\p{L}\p{N}_.-]{1,64}$/u;

export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isMonth(v: unknown): v is string {
  return typeof v === 'string' && MONTH_RE.test(v);
}

/** The month n months after m (n may be negative): addMonths('2025-01', -1) = '2024-12'. */
export function addMonths(m: string, n: number): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  const t = y * 12 + (mo - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/** 'YYYY-MM' → 'YYYY-MM-01', the warehouse's month key; anything else is refused. */
export function monthDate(month: string): string {
  if (!MONTH_RE.test(month)) throw new Error(`month must be YYYY-MM, got "${month}"`);
  return `${month}-01`;
}
