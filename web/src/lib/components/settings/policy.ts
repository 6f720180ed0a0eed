/**
 * The policy fields as the settings page shows and edits them (SPEC §5; the server's rules are in
 * pipelines/policy/policy.ts). Each field has a group, a kind that decides how it is shown (rates
 * as %, money as ¥, counts with their unit) and how a refusal of it is explained in plain words.
 */
import { GRADES, type PolicyVersion, type SlaHoursUnit, type SlaRule } from '$contract';
import { t, tk, type MessageKey } from '$lib/i18n.svelte';
import { money, num, pct } from '$lib/format';

export type Unit = 'hours' | 'days' | 'workdays' | 'points' | 'jobs' | 'minutes' | 'months' | 'customers' | 'forms';

export type FieldDef =
  | { name: string; kind: 'rate'; nullable?: boolean; cmp?: 'min' | 'max' }
  | { name: string; kind: 'int'; unit: Unit; min: number; max: number }
  | { name: string; kind: 'money'; sign: 'nonneg' | 'nonpos' | 'pos'; nullable?: boolean; none?: MessageKey }
  | { name: string; kind: 'mode' }
  /** A time of day 'HH:MM'; a window's end may be 24:00. */
  | { name: string; kind: 'time'; end?: boolean };

export interface FieldGroup {
  id: 'targets' | 'scoring' | 'mom' | 'complaints' | 'clocks' | 'fraud';
  fields: FieldDef[];
}

export const GROUPS: FieldGroup[] = [
  {
    id: 'targets',
    fields: [
      { name: 'target_timeliness_rate', kind: 'rate', cmp: 'min' },
      { name: 'target_satisfaction_rate', kind: 'rate', cmp: 'min' },
      { name: 'target_complaint_rate', kind: 'rate', cmp: 'max' },
      { name: 'target_response_rate', kind: 'rate', cmp: 'min', nullable: true },
      { name: 'target_resolution_rate', kind: 'rate', cmp: 'min', nullable: true },
      { name: 'target_first_fix_rate', kind: 'rate', cmp: 'min', nullable: true },
      { name: 'target_form_coverage', kind: 'rate', cmp: 'min', nullable: true },
      { name: 'target_followup_rate', kind: 'rate', cmp: 'min', nullable: true },
      { name: 'cost_budget_per_job', kind: 'money', sign: 'pos', nullable: true, none: 'settings.policy.no_budget' },
    ],
  },
  {
    id: 'scoring',
    fields: [
      { name: 'satisfied_min_score', kind: 'int', unit: 'points', min: -1000, max: 1000 },
    ],
  },
  {
    id: 'mom',
    fields: [
      { name: 'mom_mode', kind: 'mode' },
      { name: 'mom_reward_amount', kind: 'money', sign: 'nonneg' },
      { name: 'mom_penalty_amount', kind: 'money', sign: 'nonpos' },
      { name: 'mom_amount_per_point', kind: 'money', sign: 'pos', nullable: true },
    ],
  },
  {
    id: 'complaints',
    fields: [
      { name: 'complaint_penalty_minor', kind: 'money', sign: 'nonpos' },
      { name: 'complaint_penalty_major', kind: 'money', sign: 'nonpos' },
      { name: 'complaint_penalty_severe', kind: 'money', sign: 'nonpos' },
      { name: 'forged_form_penalty', kind: 'money', sign: 'nonpos' },
      { name: 'quarterly_min_jobs', kind: 'int', unit: 'jobs', min: 0, max: 100_000 },
      { name: 'quarterly_reward_amount', kind: 'money', sign: 'nonneg' },
    ],
  },
  {
    id: 'clocks',
    fields: [
      { name: 'complaint_response_hours', kind: 'int', unit: 'hours', min: 1, max: 10_000 },
      { name: 'complaint_resolution_working_days', kind: 'int', unit: 'workdays', min: 1, max: 365 },
      { name: 'first_fix_window_days', kind: 'int', unit: 'days', min: 1, max: 3650 },
      { name: 'followup_window_days', kind: 'int', unit: 'days', min: 1, max: 3650 },
      { name: 'spot_check_rate', kind: 'rate' },
      { name: 'working_window_start', kind: 'time' },
      { name: 'working_window_end', kind: 'time', end: true },
    ],
  },
  {
    // Fraud-risk signals and the targeted spot-check queue (SPEC §4.7; pipelines/policy/policy.ts).
    id: 'fraud',
    fields: [
      { name: 'targeted_check_share', kind: 'rate' },
      { name: 'risk_phone_window_days', kind: 'int', unit: 'days', min: 1, max: 28 },
      { name: 'risk_phone_min_customers', kind: 'int', unit: 'customers', min: 1, max: 1000 },
      { name: 'risk_early_submit_minutes', kind: 'int', unit: 'minutes', min: -1440, max: 1440 },
      { name: 'risk_burst_minutes', kind: 'int', unit: 'minutes', min: 1, max: 240 },
      { name: 'risk_burst_min_customers', kind: 'int', unit: 'customers', min: 2, max: 100 },
      { name: 'risk_all_max_months', kind: 'int', unit: 'months', min: 1, max: 24 },
      { name: 'risk_all_max_min_forms', kind: 'int', unit: 'forms', min: 1, max: 100_000 },
      { name: 'risk_all_max_p_value', kind: 'rate' },
      { name: 'risk_replaced_drop_points', kind: 'int', unit: 'points', min: 1, max: 1000 },
      { name: 'risk_findings_months', kind: 'int', unit: 'months', min: 1, max: 120 },
      { name: 'risk_findings_min_corrected', kind: 'int', unit: 'forms', min: 1, max: 1000 },
      { name: 'risk_findings_corrected_share', kind: 'rate' },
      { name: 'risk_weight_shared_phone', kind: 'rate' },
      { name: 'risk_weight_technician_phone', kind: 'rate' },
      { name: 'risk_weight_early_submission', kind: 'rate' },
      { name: 'risk_weight_burst', kind: 'rate' },
      { name: 'risk_weight_all_max', kind: 'rate' },
      { name: 'risk_weight_replaced_drop', kind: 'rate' },
      { name: 'risk_weight_prior_findings', kind: 'rate' },
    ],
  },
];

export const FIELDS: FieldDef[] = GROUPS.flatMap((g) => g.fields);

export const fieldLabel = (name: string): string => tk('settings.field.' + name);

/** Whole yuan without decimals, otherwise to the fen. */
export function yuan(x: number | null | undefined): string {
  return money(x, x !== null && x !== undefined && Number.isInteger(x) ? 0 : 2);
}

/** A value as a reader of the policy would say it: "≥ 90.0 %", "¥1,000", "24 小时". */
export function formatValue(def: FieldDef, v: unknown): string {
  if (v === null || v === undefined) return def.kind === 'rate' ? t('settings.policy.no_target') : def.kind === 'money' && def.none ? t(def.none) : '—';
  switch (def.kind) {
    case 'rate': {
      const p = pct(v as number, 1);
      if (def.cmp === 'min') return `≥ ${p}`;
      if (def.cmp === 'max') return `< ${p}`;
      return p;
    }
    case 'money':
      return yuan(v as number);
    case 'mode':
      return tk('settings.mom_mode.' + String(v));
    case 'time':
      return String(v);
    case 'int':
      return tk('settings.unit.' + def.unit, { n: num(v as number) });
  }
}

/**
 * The maximum form score: 3 items × the points of the best grade (SPEC §4.3: one source, not a
 * setting of its own); null while A's points are not a number.
 */
export function maxFormScore(gp: Record<string, unknown>): number | null {
  const best = gp[GRADES[0]!];
  return typeof best === 'number' && Number.isFinite(best) ? 3 * best : null;
}

export function formatGradePoints(gp: Record<string, number>): string {
  return GRADES.map((g) => `${g} ${gp[g] === undefined ? '—' : num(gp[g]!)}`).join(' · ');
}

export function sameRules(a: SlaRule[], b: SlaRule[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** When a rule applies, in words: "故障类别为底盘发动机 且 距离超过 100 km". */
export function ruleCondition(r: SlaRule): string {
  const parts: string[] = [];
  if (r.when_fault_category !== null) parts.push(t('settings.sla.when_category', { cat: tk('settings.fault.' + r.when_fault_category) }));
  if (r.when_distance_over !== null) parts.push(t('settings.sla.when_over', { km: num(r.when_distance_over, Number.isInteger(r.when_distance_over) ? 0 : 1) }));
  if (r.when_distance_at_most !== null) parts.push(t('settings.sla.when_at_most', { km: num(r.when_distance_at_most, Number.isInteger(r.when_distance_at_most) ? 0 : 1) }));
  if (r.when_needs_supplier !== null) parts.push(t(r.when_needs_supplier ? 'settings.sla.when_supplier' : 'settings.sla.when_no_supplier'));
  if (r.when_distance_unknown !== null) parts.push(t(r.when_distance_unknown ? 'settings.sla.when_unknown' : 'settings.sla.when_known'));
  return parts.length ? parts.join(t('settings.sla.and')) : t('settings.sla.when_any');
}

/** A rule's limit in its unit: "12 小时" (calendar hours) or "12 工作小时" (hours inside the working window on working days). */
export function hours(h: number | null, unit: SlaHoursUnit = 'calendar'): string {
  if (h === null) return t('settings.sla.not_required');
  return t(unit === 'working' ? 'settings.unit.working_hours' : 'settings.unit.hours', { n: num(h, Number.isInteger(h) ? 0 : 1) });
}

/** A version's working window, "08:30–17:30", or '—' when it has none. */
export function workingWindow(v: PolicyVersion | undefined): string {
  const [a, b] = [v?.working_window_start, v?.working_window_end];
  return typeof a === 'string' && typeof b === 'string' ? `${a}–${b}` : '—';
}

/** The version in force for a month: the latest one that starts on or before it. */
export function versionFor(versions: PolicyVersion[], month: string): PolicyVersion | undefined {
  return versions.filter((v) => v.effective_from <= month).at(-1);
}

// ---------------------------------------------------------------------------------------------
// Refusals in plain words

export interface Explained {
  label: string;
  text: string;
}

const SLA_FIELD = /^sla_rules\[(\d+)\](?:\.(\w+))?$/;

/**
 * One problem of a 400 invalid_policy answer ({field, message}) as "what" and "why" in the user's
 * language. The field name says which rule was broken; where one field has several rules the
 * server's message tells them apart. Unknown fields fall back to the server's message.
 */
export function explainPolicyProblem(p: { field?: string; message: string }): Explained {
  const field = p.field ?? '';
  const m = p.message;
  const def = FIELDS.find((f) => f.name === field);
  if (def) {
    const label = fieldLabel(field);
    if (/is required when mom_mode/.test(m)) return { label, text: t('settings.rule.per_point_needs_amount') };
    if (/must not be above the maximum form score/.test(m)) return { label, text: t('settings.rule.min_score_above_max', { max: /= (-?\d+)\)/.exec(m)?.[1] ?? '—' }) };
    if (/is required/.test(m)) return { label, text: t('settings.rule.required') };
    if (/is not a policy field/.test(m)) return { label: field, text: t('settings.rule.unknown_field') };
    if (/must be above 0 and at most 0\.5/.test(m)) return { label, text: t('settings.rule.p_value') };
    if (/random sample keeps at least a tenth/.test(m)) return { label, text: t('settings.rule.targeted_share') };
    switch (def.kind) {
      case 'rate':
        return { label, text: t('settings.rule.rate') };
      case 'int':
        return { label, text: t('settings.rule.int', { min: num(def.min), max: num(def.max) }) };
      case 'money':
        if (/with at most 2 decimals/.test(m)) return { label, text: t('settings.rule.money') };
        return { label, text: t(def.sign === 'nonneg' ? 'settings.rule.money_nonneg' : def.sign === 'nonpos' ? 'settings.rule.money_nonpos' : 'settings.rule.money_pos') };
      case 'mode':
        return { label, text: t('settings.rule.mode') };
      case 'time':
        if (/at least one hour after/.test(m)) return { label, text: t('settings.rule.window_order') };
        return { label, text: t(def.end ? 'settings.rule.time_end' : 'settings.rule.time') };
    }
  }
  if (field === 'effective_from') return { label: t('settings.policy.effective_from'), text: t('settings.rule.month') };
  if (field === 'note') return { label: t('settings.policy.note'), text: t('settings.rule.note') };
  const grade = /^grade_points(?:\.(\w+))?$/.exec(field);
  if (grade) {
    const label = grade[1] ? `${t('settings.field.grade_points')} ${grade[1]}` : t('settings.field.grade_points');
    if (/must not be above/.test(m)) return { label, text: t('settings.rule.grade_order') };
    return { label, text: t('settings.rule.grade_int') };
  }
  const sla = SLA_FIELD.exec(field);
  if (field === 'sla_rules') return { label: t('settings.sla.title'), text: t('settings.rule.sla_count') };
  if (sla) {
    const n = Number(sla[1]) + 1;
    const col = sla[2];
    const label = col ? `${t('settings.sla.rule_n', { n })} · ${tk('settings.sla.col.' + col)}` : t('settings.sla.rule_n', { n });
    const texts: Record<string, MessageKey> = {
      name: 'settings.rule.sla_name',
      when_fault_category: 'settings.rule.sla_category',
      when_distance_over: 'settings.rule.sla_distance',
      when_distance_at_most: 'settings.rule.sla_distance',
      when_needs_supplier: 'settings.rule.sla_bool',
      when_distance_unknown: 'settings.rule.sla_bool',
      arrival_hours: 'settings.rule.sla_hours',
    };
    if (col === 'priority') return { label, text: t(/used by another rule/.test(m) ? 'settings.rule.sla_priority_unique' : 'settings.rule.sla_priority') };
    const workingMax = /must be at most (\d+) working hours/.exec(m);
    if ((col === 'first_response_hours' || col === 'arrival_hours') && workingMax) return { label, text: t('settings.rule.sla_working_max', { max: num(Number(workingMax[1])) }) };
    if (col === 'first_response_hours') return { label, text: t(/at least one event/.test(m) ? 'settings.rule.sla_one_event' : 'settings.rule.sla_hours') };
    if (col === 'hours_unit') return { label, text: t('settings.rule.sla_unit') };
    if (col && texts[col]) return { label, text: t(texts[col]!) };
  }
  return { label: field, text: m };
}

/** A 400 invalid_user problem in plain words. */
export function explainUserProblem(p: { field?: string; message: string }): Explained {
  const field = p.field ?? '';
  switch (field) {
    case 'username':
      return { label: t('settings.users.username'), text: t('settings.rule.username') };
    case 'role':
      return { label: t('settings.users.role'), text: t('settings.rule.role') };
    case 'team_id':
      return { label: t('settings.users.team'), text: t(/only for a manager/.test(p.message) ? 'settings.rule.team_only_manager' : 'settings.rule.team_needed') };
    case 'password':
      return { label: t('settings.users.password'), text: t('settings.rule.password') };
    case 'body':
      return { label: '', text: t('settings.rule.nothing_to_change') };
    default:
      return { label: field, text: p.message };
  }
}

/** A 400 invalid_calendar problem ("rows[3].date …") in plain words. */
export function explainCalendarProblem(p: { field?: string; message: string }): Explained {
  const m = /^rows\[(\d+)\](?:\.(\w+))?$/.exec(p.field ?? '');
  if (!m) return { label: '', text: t('settings.rule.calendar_rows') };
  const label = t('settings.calendar.row_n', { n: Number(m[1]) + 1 });
  if (m[2] === 'date') return { label, text: t('settings.rule.calendar_date') };
  if (m[2] === 'day_type') return { label, text: t('settings.rule.calendar_type') };
  if (m[2] === 'name') return { label, text: t('settings.rule.calendar_name') };
  return { label, text: p.message };
}
