/**
 * Where a figure drills to: the drill-down list behind it (明细), for a month and a team (none: every
 * team). The lists' URLs live here only, so the overview's charts and the supervision table's
 * counts open the same filtered list for the same figure.
 */
import { url } from './api';

/** late: 超时工单; low_score: low-score forms; complaints: every complaint; attributable: 责任投诉 only. */
export type ListOf = 'late' | 'low_score' | 'complaints' | 'attributable';

export function listHref(list: ListOf, month: string, team?: string | null): string {
  const q = { month, team };
  switch (list) {
    case 'late':
      return url('/lists/late', q);
    case 'low_score':
      return url('/lists/forms', { ...q, filter: 'low_score' });
    case 'complaints':
      return url('/lists/complaints', q);
    case 'attributable':
      return url('/lists/complaints', { ...q, attributable: 'yes' });
  }
}
