/**
 * The late-ticket drill-down (超时工单): one query for the paged JSON list and the export, so the
 * two always show the same rows. Read from the late_tickets view (fct_ticket_sla's late tickets
 * with minutes_late as of the data's time). PII is masked by the caller per role.
 */
import type { LateTicketRow, LateTicketSortKey } from '../contract/lists.ts';
import { monthDate } from '../contract/months.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import type { Page } from './paging.ts';

/** The column each sort key of the list orders by. */
export const LATE_TICKET_SORTS: Readonly<Record<LateTicketSortKey, string>> = {
  minutes_late: 's.minutes_late',
  reported_at: 's.reported_at',
  ticket_id: 's.ticket_id',
  team_id: 's.team_id',
  technician_id: 's.technician_id',
};

export interface LateTicketFilter {
  /** 'YYYY-MM' */
  month: string;
  team?: string | null;
  technician?: string | null;
}

const WHERE = `s.month = CAST($month AS DATE) AND s.status = 'late'
  AND ($team::VARCHAR IS NULL OR s.team_id = $team) AND ($technician::VARCHAR IS NULL OR s.technician_id = $technician)`;

const args = (f: LateTicketFilter) => ({ month: monthDate(f.month), team: f.team ?? null, technician: f.technician ?? null });

export async function countLateTickets(wh: Warehouse, f: LateTicketFilter): Promise<number> {
  return (await wh.one<{ total: number }>(`SELECT count(*) AS total FROM late_tickets s WHERE ${WHERE}`, args(f)))!.total;
}

/**
 * @param orderBy a column of LATE_TICKET_SORTS with its direction (orderBy() of paging.ts; never user text)
 * @param page limit/offset, or all rows
 */
export async function listLateTickets(wh: Warehouse, f: LateTicketFilter, orderBy: string, page?: Page): Promise<LateTicketRow[]> {
  // The page is chosen on the fact alone; only its rows then meet the tickets table (10 M rows at
  // scale): joining before the LIMIT made every page cost a scan of all tickets.
  return wh.all<LateTicketRow>(
    `WITH s AS (
       SELECT s.ticket_id, s.reported_at, s.team_id, s.technician_id, s.rule_name, s.minutes_late
       FROM late_tickets s
       WHERE ${WHERE}
       ORDER BY ${orderBy} NULLS LAST, s.ticket_id
       ${page ? 'LIMIT $limit OFFSET $offset' : ''}
     )
     SELECT s.ticket_id, strftime(s.reported_at, '%Y-%m-%d %H:%M:%S') AS reported_at, s.team_id, tm.team_name,
            s.technician_id, te.name AS technician_name, s.rule_name, s.minutes_late,
            t.customer_name, t.contact_phone, t.address
     FROM s
     JOIN tickets t ON t.ticket_id = s.ticket_id
     LEFT JOIN teams tm ON tm.team_id = s.team_id
     LEFT JOIN technicians te ON te.technician_id = s.technician_id
     ORDER BY ${orderBy} NULLS LAST, s.ticket_id`,
    page ? { ...args(f), ...page } : args(f),
  );
}
