/**
 * The feedback-form drill-down (反馈表): a month's forms from fct_forms — low-score, unverified
 * or all — with the ticket's customer; one query for the paged list and the export. PII is masked
 * by the caller per role.
 */
import type { FormFilter, FormRow, FormSortKey } from '../contract/lists.ts';
import { monthDate } from '../contract/months.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import type { Page } from './paging.ts';

/** The column each sort key of the list orders by. */
export const FORM_SORTS: Readonly<Record<FormSortKey, string>> = {
  score: 'f.score',
  submitted_at: 'fb.submitted_at',
  form_id: 'f.form_id',
  ticket_id: 'f.ticket_id',
  team_id: 'f.team_id',
  technician_id: 'f.technician_id',
};

export interface FormQuery {
  month: string;
  filter: FormFilter;
  /** low_score: forms scoring at most this; default below the month's satisfied threshold. */
  maxScore: number | null;
  team: string | null;
  technician: string | null;
}

const FORM_WHERE = `f.month = CAST($month AS DATE)
  AND ($team::VARCHAR IS NULL OR f.team_id = $team)
  AND ($technician::VARCHAR IS NULL OR f.technician_id = $technician)
  AND CASE $filter::VARCHAR
        WHEN 'low_score' THEN f.counted AND f.score <= coalesce($max_score::INTEGER, p.satisfied_min_score - 1)
        WHEN 'unverified' THEN NOT f.verified
        ELSE true END`;

const formArgs = (q: FormQuery) => ({
  month: monthDate(q.month), team: q.team, technician: q.technician, filter: q.filter, max_score: q.maxScore,
});

export async function countForms(wh: Warehouse, q: FormQuery): Promise<number> {
  return (await wh.one<{ n: number }>(
    `SELECT count(*) AS n FROM fct_forms f JOIN policy_for_month p ON p.month = f.month WHERE ${FORM_WHERE}`,
    formArgs(q),
  ))!.n;
}

/** @param orderBy a column of FORM_SORTS with its direction (orderBy() of paging.ts; never user text) */
export async function listForms(wh: Warehouse, q: FormQuery, orderBy: string, page: Page): Promise<FormRow[]> {
  return wh.all<FormRow>(
    `SELECT f.form_id, f.ticket_id, strftime(f.month, '%Y-%m') AS month,
            f.team_id, tm.team_name, f.technician_id, te.name AS technician_name,
            strftime(fb.submitted_at, '%Y-%m-%d %H:%M:%S') AS submitted_at, f.source,
            f.timeliness, f.quality, f.attitude, f.score, f.overall, f.satisfied, f.counted,
            f.verified, f.verification_outcome,
            t.customer_name, t.contact_phone, t.address
     FROM fct_forms f
     JOIN policy_for_month p ON p.month = f.month
     LEFT JOIN feedback fb ON fb.form_id = f.form_id
     LEFT JOIN tickets t ON t.ticket_id = f.ticket_id
     LEFT JOIN (SELECT team_id, any_value(team_name) AS team_name FROM teams GROUP BY team_id) tm ON tm.team_id = f.team_id
     LEFT JOIN (SELECT technician_id, any_value(name) AS name FROM technicians GROUP BY technician_id) te ON te.technician_id = f.technician_id
     WHERE ${FORM_WHERE}
     ORDER BY ${orderBy} NULLS LAST, f.form_id
     LIMIT $limit OFFSET $offset`,
    { ...formArgs(q), ...page },
  );
}
