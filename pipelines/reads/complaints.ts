/**
 * The complaint drill-down (投诉): a month's complaints from fct_complaints, filtered by category,
 * attributable, severity, team and technician, with the caller; one query for the paged list and
 * the export. PII is masked by the caller per role.
 */
import type { ComplaintRow, ComplaintSortKey } from '../contract/lists.ts';
import { monthDate } from '../contract/months.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import type { Page } from './paging.ts';

/** The column each sort key of the list orders by (severity by its weight, not its name). */
export const COMPLAINT_SORTS: Readonly<Record<ComplaintSortKey, string>> = {
  received_at: 'c.received_at',
  complaint_id: 'c.complaint_id',
  category: 'c.category',
  severity: `CASE c.severity WHEN 'minor' THEN 1 WHEN 'major' THEN 2 WHEN 'severe' THEN 3 END`,
  team_id: 'c.team_id',
  technician_id: 'c.technician_id',
};

export interface ComplaintQuery {
  month: string;
  category: string | null;
  attributable: string | null;
  severity: string | null;
  team: string | null;
  technician: string | null;
}

const COMPLAINT_WHERE = `c.month = CAST($month AS DATE)
  AND ($team::VARCHAR IS NULL OR c.team_id = $team)
  AND ($technician::VARCHAR IS NULL OR c.technician_id = $technician)
  AND ($category::VARCHAR IS NULL OR c.category = $category)
  AND ($attributable::VARCHAR IS NULL OR c.attributable = $attributable)
  AND ($severity::VARCHAR IS NULL OR c.severity = $severity)`;

const complaintArgs = (q: ComplaintQuery) => ({
  month: monthDate(q.month), team: q.team, technician: q.technician, category: q.category, attributable: q.attributable, severity: q.severity,
});

export async function countComplaints(wh: Warehouse, q: ComplaintQuery): Promise<number> {
  return (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM fct_complaints c WHERE ${COMPLAINT_WHERE}`, complaintArgs(q)))!.n;
}

/** @param orderBy a column of COMPLAINT_SORTS with its direction (orderBy() of paging.ts; never user text) */
export async function listComplaints(wh: Warehouse, q: ComplaintQuery, orderBy: string, page: Page): Promise<ComplaintRow[]> {
  const ts = (col: string) => `strftime(c.${col}, '%Y-%m-%d %H:%M:%S') AS ${col}`;
  return wh.all<ComplaintRow>(
    `SELECT c.complaint_id, strftime(c.month, '%Y-%m') AS month, ${ts('received_at')}, c.channel,
            c.category, lc.label AS category_label, c.attributable, c.severity,
            c.team_id, tm.team_name, c.technician_id, te.name AS technician_name, c.ticket_id,
            ${ts('responded_at')}, ${ts('resolved_at')}, ${ts('response_deadline')}, ${ts('resolution_deadline')},
            c.responded_in_time, c.resolved_in_time,
            r.customer_name, r.contact_phone
     FROM fct_complaints c
     LEFT JOIN complaints r ON r.complaint_id = c.complaint_id
     LEFT JOIN enum_label lc ON lc.domain = 'complaint_category' AND lc.id = c.category
     LEFT JOIN (SELECT team_id, any_value(team_name) AS team_name FROM teams GROUP BY team_id) tm ON tm.team_id = c.team_id
     LEFT JOIN (SELECT technician_id, any_value(name) AS name FROM technicians GROUP BY technician_id) te ON te.technician_id = c.technician_id
     WHERE ${COMPLAINT_WHERE}
     ORDER BY ${orderBy} NULLS LAST, c.complaint_id
     LIMIT $limit OFFSET $offset`,
    { ...complaintArgs(q), ...page },
  );
}
