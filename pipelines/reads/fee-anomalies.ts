/**
 * The fee-anomaly drill-down (违规收费疑点, SPEC §4): a month's jobs of fct_fee_anomaly with the
 * customer and the technician; one query for the paged list and the export, so the two always show
 * the same rows. PII (customer and technician phone) is masked by the caller per role.
 */
import type { FeeAnomalyReason, FeeAnomalyRow, FeeAnomalySortKey } from '../contract/money.ts';
import { monthDate } from '../contract/months.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import type { Page } from './paging.ts';

/** The column each sort key of the list orders by. */
export const FEE_ANOMALY_SORTS: Readonly<Record<FeeAnomalySortKey, string>> = {
  fee_charged: 'a.fee_charged',
  completed_at: 'a.completed_at',
  ticket_id: 'a.ticket_id',
  team_id: 'a.team_id',
  technician_id: 'a.technician_id',
};

export interface FeeAnomalyFilter {
  /** 'YYYY-MM': the month of the job. */
  month: string;
  team?: string | null;
  technician?: string | null;
  /** Only the anomalies with this reason. */
  reason?: FeeAnomalyReason | null;
}

const WHERE = `a.month = CAST($month AS DATE)
  AND ($team::VARCHAR IS NULL OR a.team_id = $team) AND ($technician::VARCHAR IS NULL OR a.technician_id = $technician)
  AND ($reason::VARCHAR IS NULL OR list_contains(a.reasons, $reason::VARCHAR))`;

const args = (f: FeeAnomalyFilter) => ({ month: monthDate(f.month), team: f.team ?? null, technician: f.technician ?? null, reason: f.reason ?? null });

export async function countFeeAnomalies(wh: Warehouse, f: FeeAnomalyFilter): Promise<number> {
  return (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM fct_fee_anomaly a WHERE ${WHERE}`, args(f)))!.n;
}

/**
 * @param orderBy a column of FEE_ANOMALY_SORTS with its direction (orderBy() of paging.ts; never user text)
 * @param page limit/offset, or all rows
 */
export async function listFeeAnomalies(wh: Warehouse, f: FeeAnomalyFilter, orderBy: string, page?: Page): Promise<FeeAnomalyRow[]> {
  return wh.all<FeeAnomalyRow>(
    `WITH a AS (
       SELECT * FROM fct_fee_anomaly a
       WHERE ${WHERE}
       ORDER BY ${orderBy} NULLS LAST, a.ticket_id
       ${page ? 'LIMIT $limit OFFSET $offset' : ''}
     )
     SELECT a.ticket_id, strftime(a.month, '%Y-%m') AS month, strftime(a.completed_at, '%Y-%m-%d %H:%M:%S') AS completed_at,
            a.team_id, tm.team_name, a.technician_id, te.name AS technician_name, te.phone AS technician_phone,
            a.service_type, ls.label AS service_type_label, a.customer_type, lc.label AS customer_type_label,
            a.fee_charged, a.parts_cost, a.labor_cost, a.travel_cost, a.cost, a.reasons,
            t.customer_name, t.contact_phone, t.address
     FROM a
     JOIN tickets t ON t.ticket_id = a.ticket_id
     LEFT JOIN (SELECT team_id, any_value(team_name) AS team_name FROM teams GROUP BY team_id) tm ON tm.team_id = a.team_id
     LEFT JOIN (SELECT technician_id, any_value(name) AS name, any_value(phone) AS phone FROM technicians GROUP BY technician_id) te
       ON te.technician_id = a.technician_id
     LEFT JOIN enum_label ls ON ls.domain = 'service_type' AND ls.id = a.service_type
     LEFT JOIN enum_label lc ON lc.domain = 'customer_type' AND lc.id = a.customer_type
     ORDER BY ${orderBy} NULLS LAST, a.ticket_id`,
    page ? { ...args(f), ...page } : args(f),
  );
}
