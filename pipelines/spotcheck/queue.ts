/**
 * The spot-check queue (SPEC §2.6; issue 4): a reproducible random sample of the feedback forms
 * per team and ISO week, sized by the policy's spot_check_rate. The business logic — population,
 * week's month and policy, sample size, deterministic order — is in sql/spotcheck/queue.sql; this
 * file parses the week and shapes the answer. See docs/server.md, "Spot checks".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, type Warehouse } from '../warehouse/warehouse.ts';
import { SpotcheckError } from './errors.ts';
import { isMonth } from '../contract/months.ts';
import type { Queue, QueueGroup, QueueRow } from '../contract/spotcheck.ts';

const QUEUE_SQL = readFileSync(join(PROJECT_ROOT, 'sql', 'spotcheck', 'queue.sql'), 'utf8');

export const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** `2025-W19` → the Monday of that ISO week, `2025-05-05`; a week the year does not have → error. */
export function isoWeekMonday(week: string): string {
  const m = ISO_WEEK.exec(week);
  if (!m) throw new SpotcheckError('bad_week', `week must be an ISO week YYYY-Www, e.g. 2025-W19; got "${week}"`);
  const year = Number(m[1]);
  const w = Number(m[2]);
  // 4 January is always in week 1; its Monday starts week 1.
  const jan4 = Date.UTC(year, 0, 4);
  const dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  const monday = new Date(jan4 - dow * 86_400_000 + (w - 1) * 7 * 86_400_000);
  if (w < 1 || isoWeekLabel(monday) !== week) throw new SpotcheckError('bad_week', `${year} has no ISO week ${m[2]}`);
  return monday.toISOString().slice(0, 10);
}

/** The ISO week label of a UTC date. */
export function isoWeekLabel(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const dow = (t.getUTCDay() + 6) % 7;
  t.setUTCDate(t.getUTCDate() - dow + 3); // the week's Thursday decides the year
  const year = t.getUTCFullYear();
  const week = 1 + Math.floor((t.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export interface QueueRequest {
  /** One ISO week `YYYY-Www`, or … */
  week?: string;
  /** … the weeks whose Thursday lies in this month `YYYY-MM`. */
  month?: string;
  team?: string;
}

type RawRow = QueueRow & { week_start: string; week_month: string; team_week_forms: number; spot_check_rate: number; sample_size: number };

export async function getSpotcheckQueue(wh: Warehouse, req: QueueRequest): Promise<Queue> {
  if ((req.week === undefined) === (req.month === undefined)) throw new SpotcheckError('bad_parameter', 'give exactly one of week (YYYY-Www) or month (YYYY-MM)');
  if (req.month !== undefined && !isMonth(req.month)) throw new SpotcheckError('bad_parameter', 'month must be YYYY-MM');
  const monday = req.week !== undefined ? isoWeekMonday(req.week) : null;
  const raw = await wh.all<RawRow>(QUEUE_SQL, {
    week: monday,
    month: req.month !== undefined ? `${req.month}-01` : null,
    team: req.team ?? null,
  });
  const groups = new Map<string, QueueGroup>();
  const rows: QueueRow[] = raw.map((r) => {
    const { week_start, week_month, team_week_forms, spot_check_rate, sample_size, ...row } = r;
    const key = `${r.week}\u0000${r.team_id ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { week: r.week, week_start, week_month, team_id: r.team_id, team_name: r.team_name, forms: team_week_forms, spot_check_rate, sample_size, verified: 0 };
      groups.set(key, g);
    }
    if (r.verification_outcome !== null) g.verified++;
    return row;
  });
  return { week: req.week ?? null, month: req.month ?? null, team: req.team ?? null, groups: [...groups.values()], rows };
}
