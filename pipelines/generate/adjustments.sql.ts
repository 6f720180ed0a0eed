/**
 * Other rewards and penalties (其他奖惩, SPEC §2.7): two to seven per month for technicians who
 * were working that month, e.g. 合理化建议被采纳 +500, approved by the team manager or HR.
 */
import type { Period } from './calendar.ts';
import type { Output } from './formats.ts';
import { ADJUSTMENTS, HR_APPROVERS } from './pools.ts';
import { lit, pickList, type Rng } from './random.ts';

export function adjustmentsTableSql(rng: Rng, p: Period, technicians: number): string {
  const U = (f: string, h = 'hj') => rng.u(f, h);
  const reasons = `[${ADJUSTMENTS.map(([r, a]) => `{'reason': ${lit(r)}, 'amount': ${a}}`).join(', ')}]`;
  return `CREATE OR REPLACE TABLE adj AS
WITH j AS (
  SELECT r.j, r.j // 8 AS mi, r.j % 8 AS slot, hash(r.j) AS hj FROM range(${p.months * 8}) r(j)
), k AS (
  SELECT j.*,
    floor(${U('adj.tech')} * ${technicians})::INTEGER AS tk,
    -- positive reasons (the first six) 70 % of the time
    CASE WHEN ${U('adj.sign')} < 0.7 THEN 1 + floor(6 * ${U('adj.reason')})::INTEGER
         ELSE 7 + floor(${ADJUSTMENTS.length - 6} * ${U('adj.reason')})::INTEGER END AS ri
  FROM j
  WHERE slot < 2 + floor(6 * ${U('adj.count', 'hash(mi + 5000000)')})
), l AS (
  SELECT k.*, te.technician_id, te.team_idx,
    list_extract(${reasons}, ri) AS rr,
    strftime(DATE '${p.startDate}' + to_months(mi::INTEGER), '%Y-%m') AS month
  FROM k JOIN te ON te.k = k.tk
  WHERE te.active OR k.mi < te.left_month
)
SELECT l.j, l.technician_id, l.month, rr.reason AS reason, rr.amount::DECIMAL(14,2) AS amount,
  CASE WHEN ${U('adj.approver')} < 0.7 THEN tm.manager_name ELSE ${pickList(U('adj.hr'), HR_APPROVERS)} END AS approved_by
FROM l JOIN tm ON tm.team_idx = l.team_idx
QUALIFY row_number() OVER (PARTITION BY l.technician_id, l.month, rr.reason ORDER BY l.j) = 1
ORDER BY l.j`;
}

export function adjustmentsOutput(): Output {
  return {
    kind: 'adjustments',
    header: 'label',
    from: 'FROM adj',
    exprs: {
    technician_id: 'technician_id',
    month: 'month',
    amount: '(amount)::VARCHAR',
    reason: 'reason',
    approved_by: 'approved_by',
    },
  };
}
