/**
 * Pure helpers of the supervision page's two spot-check queues and its risk view (SPEC §4.7): which
 * queue a URL shows, the reasons of a targeted form in the user's language, where a piece of
 * evidence drills to (the 明细 lists, a record opened over them) and the points of a sparkline.
 * The answers' shapes are the contract's.
 */
import { addMonths, type FindingsList, type FormRisk, type RiskSignal, type TechnicianFindingsRow, type TechnicianRiskPoint } from '$contract';
import { url } from '$lib/api';

/** The two queues of the spot-check page, never mixed: the random sample and the targeted list. */
export const QUEUE_TABS = ['random', 'targeted'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

/** 'YYYY-MM' of a 'YYYY-MM-DD HH:MM:SS' time (null when absent). */
export function monthOf(ts: string | null | undefined): string | null {
  return ts && /^\d{4}-\d{2}/.test(ts) ? ts.slice(0, 7) : null;
}

/**
 * A record opened over the month's forms list (`?record=<kind>:<id>`): the form, its ticket. The
 * lists' own links live in $lib/drill.ts; a record of the forms list is not one of them yet.
 */
export function recordHref(month: string, kind: 'feedback' | 'tickets', id: string): string {
  return url('/lists/forms', { month, filter: 'all', record: `${kind}:${id}` });
}

/** Every form of a technician in a month (the forms list filtered to the technician). */
export function technicianFormsHref(month: string, technician: string): string {
  return url('/lists/forms', { month, filter: 'all', technician });
}

/** A targeted form's reasons, each with its signal, in the user's language (zh-CN unless English). */
export function reasonsOf(row: { signals: RiskSignal[]; reasons_zh: string[]; reasons_en: string[] }, locale: string): { signal: RiskSignal; text: string }[] {
  const texts = locale === 'en' ? row.reasons_en : row.reasons_zh;
  return row.signals.map((signal, i) => ({ signal, text: texts[i] ?? row.reasons_zh[i] ?? '' }));
}

/** Each technician's findings of the month (supervision's view of GET /api/fraud/findings). */
export function findingsByTechnician(list: FindingsList | null | undefined): Map<string, TechnicianFindingsRow> {
  return new Map((list?.rows ?? []).map((r) => [r.technician_id, r]));
}

/** The `n` months ending with `end`, oldest first. */
export function monthsEnding(end: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => addMonths(end, i - n + 1));
}

/**
 * A sparkline of score_sum over `months` in a `w` × `h` box (1 px inset): an SVG path with a gap
 * for each month without forms (no data is not 0), the scale from 0 to the largest sum (a flat line
 * at the bottom when every sum is 0). `last` is the final month's point when it has data; `isolated`
 * the points with no neighbour to draw a line to (drawn as dots).
 */
export function sparkline(
  history: Pick<TechnicianRiskPoint, 'month' | 'score_sum'>[], months: string[], w: number, h: number,
): { path: string; last: { x: number; y: number } | null; isolated: { x: number; y: number }[]; values: (number | null)[] } {
  const by = new Map(history.map((p) => [p.month, p.score_sum]));
  const values = months.map((m) => (by.has(m) ? by.get(m)! : null));
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  const step = months.length > 1 ? (w - 2) / (months.length - 1) : 0;
  const x = (i: number) => Math.round((1 + i * step) * 10) / 10;
  const y = (v: number) => Math.round((h - 1 - (max > 0 ? (v / max) * (h - 2) : 0)) * 10) / 10;
  let path = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${x(i)} ${y(v)}`;
    pen = true;
  });
  const isolated = values.flatMap((v, i) => (v !== null && (values[i - 1] ?? null) === null && (values[i + 1] ?? null) === null ? [{ x: x(i), y: y(v) }] : []));
  const lastValue = values[values.length - 1];
  return { path, last: lastValue === null || lastValue === undefined ? null : { x: x(values.length - 1), y: y(lastValue) }, isolated, values };
}

/** One form's evidence as the page holds it: asked for when a card opens it. */
export interface EvidenceState {
  risk: FormRisk | null;
  loading: boolean;
  error: unknown;
}
