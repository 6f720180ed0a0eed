/**
 * Cells written to files people open in Excel: a text starting with =, +, -, @, tab or CR is
 * prefixed with an apostrophe so Excel never runs it as a formula (CSV/formula injection). Plain
 * numbers such as -5 or +1.5 are left alone: Excel reads them as numbers, not formulas, and a
 * rejects file must keep them as the user wrote them.
 */
const RISKY_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function neutralizeCell(v: string): string {
  return RISKY_START.test(v) && !PLAIN_NUMBER.test(v) ? `'${v}` : v;
}

/** One CSV field: neutralized, then quoted when it holds a delimiter, quote or line break. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = neutralizeCell(String(v));
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

/** UTF-8 byte order mark: without it Excel opens a UTF-8 CSV as GBK and garbles Chinese. */
export const UTF8_BOM = '\uFEFF';
