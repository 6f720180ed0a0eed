/**
 * The forged-form drill-down (伪造反馈表, SPEC §4, §4.4): the forms found fraudulent by a spot check
 * in a month (the month of the verification — the month the penalty is charged), from
 * fct_forged_form, with the technician and the customer; one query for the paged list and the
 * export. The dashboard links each row to the form (GET /api/records/feedback/:form_id) and the
 * ticket. PII (customer and technician phone) is masked by the caller per role.
 */
import type { ForgedFormRow, ForgedFormSortKey } from '../contract/money.ts';
import { monthDate } from '../contract/months.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import type { Page } from './paging.ts';

/** The column each sort key of the list orders by. */
export const FORGED_FORM_SORTS: Readonly<Record<ForgedFormSortKey, string>> = {
  verified_at: 'g.verified_at',
  form_id: 'g.form_id',
  ticket_id: 'g.ticket_id',
  team_id: 'g.team_id',
  technician_id: 'g.technician_id',
};

export interface ForgedFormFilter {
  /** 'YYYY-MM': the month of the verification. */
  month: string;
  team?: string | null;
  technician?: string | null;
}

const WHERE = `g.month = CAST($month AS DATE)
  AND ($team::VARCHAR IS NULL OR g.team_id = $team) AND ($technician::VARCHAR IS NULL OR g.technician_id = $technician)`;

const args = (f: ForgedFormFilter) => ({ month: monthDate(f.month), team: f.team ?? null, technician: f.technician ?? null });

export async function countForgedForms(wh: Warehouse, f: ForgedFormFilter): Promise<number> {
  return (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM fct_forged_form g WHERE ${WHERE}`, args(f)))!.n;
}

/**
 * @param orderBy a column of FORGED_FORM_SORTS with its direction (orderBy() of paging.ts; never user text)
 * @param page limit/offset, or all rows
 */
export async function listForgedForms(wh: Warehouse, f: ForgedFormFilter, orderBy: string, page?: Page): Promise<ForgedFormRow[]> {
  return wh.all<ForgedFormRow>(
    `WITH g AS (
       SELECT * FROM fct_forged_form g
       WHERE ${WHERE}
       ORDER BY ${orderBy} NULLS LAST, g.form_id
       ${page ? 'LIMIT $limit OFFSET $offset' : ''}
     )
     SELECT g.form_id, strftime(g.month, '%Y-%m') AS month, g.ticket_id, strftime(g.job_month, '%Y-%m') AS job_month, g.form_replaced,
            g.team_id, tm.team_name, g.technician_id, te.name AS technician_name, te.phone AS technician_phone,
            strftime(g.verified_at, '%Y-%m-%d %H:%M:%S') AS verified_at, g.verified_by, g.note, g.findings,
            CASE WHEN g.technician_id IS NULL THEN 0 ELSE g.penalty END AS penalty,
            t.customer_name, t.contact_phone
     FROM g
     LEFT JOIN tickets t ON t.ticket_id = g.ticket_id
     LEFT JOIN (SELECT team_id, any_value(team_name) AS team_name FROM teams GROUP BY team_id) tm ON tm.team_id = g.team_id
     LEFT JOIN (SELECT technician_id, any_value(name) AS name, any_value(phone) AS phone FROM technicians GROUP BY technician_id) te
       ON te.technician_id = g.technician_id
     ORDER BY ${orderBy} NULLS LAST, g.form_id`,
    page ? { ...args(f), ...page } : args(f),
  );
}
