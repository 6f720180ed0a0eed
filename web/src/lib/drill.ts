/**
 * Where a figure drills to: the drill-down list behind it (明细), for a month and a team (none: every
 * team). The lists' URLs live here only, so the overview's charts and the supervision table's
 * counts open the same filtered list for the same figure.
 */
import type { FeeAnomalyReason } from '$contract';
import { url } from './api';

/** late: 超时工单; low_score: low-score forms; forms: every form; complaints: every complaint; attributable: 责任投诉 only. */
export type ListOf = 'late' | 'low_score' | 'forms' | 'complaints' | 'attributable';

export function listHref(list: ListOf, month: string, team?: string | null): string {
  const q = { month, team };
  switch (list) {
    case 'late':
      return url('/lists/late', q);
    case 'low_score':
      return url('/lists/forms', { ...q, filter: 'low_score' });
    case 'forms':
      return url('/lists/forms', { ...q, filter: 'all' });
    case 'complaints':
      return url('/lists/complaints', q);
    case 'attributable':
      return url('/lists/complaints', { ...q, attributable: 'yes' });
  }
}

/** 违规收费疑点 of a month, filtered by team, technician or reason. */
export function feesHref(month: string, f: { team?: string | null; technician?: string | null; reason?: FeeAnomalyReason | null } = {}): string {
  return url('/lists/fees', { month, team: f.team, technician: f.technician, reason: f.reason });
}

/** 伪造反馈表 found in a month (the verification month), filtered by team or technician; `record` (a form id) opens that form. */
export function forgedHref(month: string, f: { team?: string | null; technician?: string | null; record?: string | null } = {}): string {
  return url('/lists/forged', { month, team: f.team, technician: f.technician, record: f.record ? `feedback:${f.record}` : null });
}
