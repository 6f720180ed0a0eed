/**
 * Money on the assessment page is added and edited in fen (integers), so that sums are exact and
 * an allocation adds up to the cent; the API's yuan are converted at the edges.
 */

/** Signed yuan text ('-184.50', '1000') → fen, exactly; '' is 0; anything else null. */
export function toFen(text: string): number | null {
  const s = text.trim().replace(/^¥/, '').replace(/^[−–]/, '-').replace(/,/g, '');
  if (s === '') return 0;
  const m = /^([+-]?)(\d{1,12})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -fen : fen;
}

/** Fen → yuan text for inputs and the API ('-184', '12.5' → '12.50'); amounts travel as text. */
export function fenText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  const yuan = Math.floor(a / 100);
  const rest = a % 100;
  return rest === 0 ? `${sign}${yuan}` : `${sign}${yuan}.${String(rest).padStart(2, '0')}`;
}

/** Yuan from the API (may carry float noise) → fen. */
export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}
