/**
 * The targeted spot-check queue (SPEC §4.7; issue 12 item 3): per ISO week, the forms most at risk
 * of being forged, ranked by their risk score with its reasons, sized by the policy's share of the
 * week's calls — beside the random sample (queue.ts), never mixed with it. The business logic is in
 * sql/spotcheck/targeted_queue.sql; this file checks the request and shapes the answer. An outcome
 * is recorded as for the random queue (verify.ts), with queue `targeted`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMonth } from '../contract/months.ts';
import type { TargetedQueue, TargetedRow, TargetedWeek } from '../contract/fraud.ts';
import { PROJECT_ROOT, type Warehouse } from '../warehouse/warehouse.ts';
import { SpotcheckError } from './errors.ts';
import { isoWeekMonday, type QueueRequest } from './queue.ts';

const TARGETED_SQL = readFileSync(join(PROJECT_ROOT, 'sql', 'spotcheck', 'targeted_queue.sql'), 'utf8');

type RawRow = Omit<TargetedRow, 'form_id'> & {
  form_id: string | null;
  week_start: string;
  week_month: string;
  random_calls: number;
  targeted_check_share: number;
  size: number;
  candidates: number;
};

export async function getTargetedQueue(wh: Warehouse, req: QueueRequest): Promise<TargetedQueue> {
  if ((req.week === undefined) === (req.month === undefined)) throw new SpotcheckError('bad_parameter', 'give exactly one of week (YYYY-Www) or month (YYYY-MM)');
  if (req.month !== undefined && !isMonth(req.month)) throw new SpotcheckError('bad_parameter', 'month must be YYYY-MM');
  const monday = req.week !== undefined ? isoWeekMonday(req.week) : null;
  const raw = await wh.all<RawRow>(TARGETED_SQL, {
    week: monday,
    month: req.month !== undefined ? `${req.month}-01` : null,
    team: req.team ?? null,
  });
  const groups = new Map<string, TargetedWeek>();
  const rows: TargetedRow[] = [];
  for (const r of raw) {
    const { week_start, week_month, random_calls, targeted_check_share, size, candidates, ...row } = r;
    let g = groups.get(r.week);
    if (!g) {
      g = { week: r.week, week_start, week_month, random_calls, targeted_check_share, size, candidates, verified: 0 };
      groups.set(r.week, g);
    }
    // A week without a listed form (of the team asked) comes as one row without a form.
    if (row.form_id === null) continue;
    if (row.verification_outcome !== null) g.verified++;
    rows.push(row as TargetedRow);
  }
  return { week: req.week ?? null, month: req.month ?? null, team: req.team ?? null, groups: [...groups.values()], rows };
}
