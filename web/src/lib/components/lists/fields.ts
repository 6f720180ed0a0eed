/** How the lists and the record panel show field names and values (enum ids → words, times, money). */
import { i18n, t, tk } from '$lib/i18n.svelte';
import { dateTime, money, num } from '$lib/format';
import { teamName } from '$lib/meta.svelte';

const NONE = '—';

/** `lists.enum.<domain>.<id>`; an id without a word (a policy-defined category) is shown as is. */
export function enumLabel(domain: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return NONE;
  const key = `lists.enum.${domain}.${String(v)}`;
  const s = tk(key);
  return s === key ? String(v) : s;
}

export function fieldLabel(field: string): string {
  const key = `lists.field.${field}`;
  const s = tk(key);
  return s === key ? field : s;
}

const ENUM_DOMAIN: Record<string, string> = {
  customer_type: 'customer_type',
  service_type: 'service_type',
  fault_category: 'fault_category',
  result: 'result',
  overall: 'overall',
  reasons: 'reasons',
  source: 'source',
  category: 'category',
  attributable: 'attributable',
  severity: 'severity',
};
const MONEY = new Set(['parts_cost', 'labor_cost', 'travel_cost', 'fee_charged']);
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/;

/** Team name with its id ('沈阳服务站（T09）', 'Shenyang (T09)'); the bare id when the team is unknown. */
export function teamLabel(id: unknown, name?: string | null): string {
  if (id === null || id === undefined || id === '') return NONE;
  const n = name ?? teamName(String(id));
  return n && n !== id ? t('common.team_label', { name: n, id: String(id) }) : String(id);
}

export function fieldText(kind: string, field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return NONE;
  if (typeof v === 'boolean') return v ? t('lists.yes') : t('lists.no');
  if (field === 'channel') return enumLabel(kind === 'complaints' ? 'complaint_channel' : 'ticket_channel', v);
  const domain = ENUM_DOMAIN[field];
  if (Array.isArray(v)) return v.map((x) => (domain ? enumLabel(domain, x) : String(x))).join(i18n.locale === 'en' ? ', ' : '、');
  if (domain) return enumLabel(domain, v);
  if (MONEY.has(field)) return money(Number(v));
  if (field === 'distance_km') return `${num(Number(v), 1)} km`;
  if (field === 'team_id') return teamLabel(v);
  if (typeof v === 'string' && TIMESTAMP.test(v)) return dateTime(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Bookkeeping columns of a stored row, shown apart from the record's own fields. */
export const META_FIELDS = new Set(['batch_id', 'line_no', 'superseded_by', 'change', 'extra']);

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
