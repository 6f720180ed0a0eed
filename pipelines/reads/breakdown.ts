/**
 * Breakdowns (GET /api/breakdown): a month's figures by team, region or technician (rows of
 * kpi_month), by fault category or channel (tickets and jobs from fct_ticket_sla / fct_jobs), or by
 * complaint category (fct_complaints) — aggregates, never raw rows in bulk. Every value is a
 * parameter; the only text spliced into SQL is a column or label expression chosen here.
 */
import {
  KPI_BREAKDOWN_COLUMNS,
  type BreakdownBy, type BreakdownRow, type BreakdownRowOf, type ComplaintBreakdownRow, type KpiBreakdownRow, type TicketBreakdownRow,
} from '../contract/breakdown.ts';
import { monthDate } from '../contract/months.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { NO_TEAM_LABEL } from '../contract/breakdown.ts';
import { sqlString } from '../warehouse/warehouse.ts';

/**
 * team / region / technician rows of kpi_month for a month. `team` (when given) keeps the team's
 * row, or for technicians those of the team (technicians.team_id).
 */
async function kpiBreakdown(wh: Warehouse, month: string, by: 'team' | 'region' | 'technician', team: string | null): Promise<KpiBreakdownRow[]> {
  const label =
    by === 'team' ? `CASE WHEN k.scope_id = '' THEN ${sqlString(NO_TEAM_LABEL)} ELSE coalesce(tm.team_name, k.scope_id) END`
      : by === 'technician' ? `CASE WHEN k.scope_id = '' THEN '（未指派）' ELSE coalesce(te.name, k.scope_id) END`
        : `CASE WHEN k.scope_id = '' THEN '（未知地区）' ELSE k.scope_id END`;
  const teamFilter =
    by === 'team' ? 'k.scope_id = $team'
      : by === 'technician' ? 'k.scope_id IN (SELECT technician_id FROM technicians WHERE team_id = $team)'
        : 'false';
  // The figures come from kpi_month_doc (each kpi_month row as one JSON document): reading one
  // column per row instead of two dozen is what keeps the breakdown cheap (see 08_kpi_month_doc.sql).
  const rows = await wh.all<{ key: string; label: string; team_id?: string | null; doc: string }>(
    `SELECT k.scope_id AS key, ${label} AS label,
            ${by === 'technician' ? 'te.team_id,' : ''}
            k.doc
     FROM kpi_month_doc k
     LEFT JOIN (SELECT team_id, any_value(team_name) AS team_name FROM teams GROUP BY team_id) tm
       ON $by::VARCHAR = 'team' AND tm.team_id = k.scope_id
     LEFT JOIN (SELECT technician_id, any_value(name) AS name, any_value(team_id) AS team_id FROM technicians GROUP BY technician_id) te
       ON $by::VARCHAR = 'technician' AND te.technician_id = k.scope_id
     WHERE k.month = CAST($month AS DATE) AND k.scope = $by::VARCHAR
       AND ($team::VARCHAR IS NULL OR ${teamFilter})
     ORDER BY k.scope_id = '', k.scope_id`,
    { month: monthDate(month), by, team },
  );
  return rows.map(({ doc, ...head }) => {
    const figures = JSON.parse(doc) as Record<string, number | null>;
    return { ...head, ...Object.fromEntries(KPI_BREAKDOWN_COLUMNS.map((c) => [c, figures[c] ?? null])) } as KpiBreakdownRow;
  });
}

/** Tickets (due, on time, late) and jobs of a month by a ticket dimension (fault category, channel). */
async function ticketBreakdown(wh: Warehouse, month: string, by: 'fault_category' | 'channel', team: string | null): Promise<TicketBreakdownRow[]> {
  const col = by === 'fault_category' ? 'fault_category' : 'channel';
  const domain = by === 'fault_category' ? 'fault_category' : 'ticket_channel';
  return wh.all<TicketBreakdownRow>(
    `WITH s AS (
       SELECT coalesce(${col}, '') AS key,
              count(*) AS tickets_reported,
              count(*) FILTER (WHERE status IN ('on_time', 'late')) AS tickets_due,
              count(*) FILTER (WHERE status = 'on_time') AS tickets_on_time,
              count(*) FILTER (WHERE status = 'late') AS tickets_late,
              count(*) FILTER (WHERE status = 'pending') AS tickets_pending
       FROM fct_ticket_sla
       WHERE month = CAST($month AS DATE) AND ($team::VARCHAR IS NULL OR team_id = $team)
       GROUP BY 1),
     j AS (
       SELECT coalesce(${col}, '') AS key,
              count(*) AS jobs,
              count(*) FILTER (WHERE first_time_fix IS NOT NULL) AS jobs_first_fix_decided,
              count(*) FILTER (WHERE first_time_fix) AS jobs_first_time_fix,
              count(*) FILTER (WHERE first_time_fix IS NULL) AS jobs_first_fix_pending,
              count(*) FILTER (WHERE followed_up IS NOT NULL) AS jobs_followup_due,
              count(*) FILTER (WHERE followed_up) AS jobs_followed_up,
              count(*) FILTER (WHERE followed_up IS NULL) AS jobs_followup_pending
       FROM fct_jobs
       WHERE month = CAST($month AS DATE) AND ($team::VARCHAR IS NULL OR team_id = $team)
       GROUP BY 1),
     b AS (
       SELECT coalesce(s.key, j.key) AS key,
              coalesce(s.tickets_reported, 0) AS tickets_reported, coalesce(s.tickets_due, 0) AS tickets_due,
              coalesce(s.tickets_on_time, 0) AS tickets_on_time, coalesce(s.tickets_late, 0) AS tickets_late,
              coalesce(s.tickets_pending, 0) AS tickets_pending,
              coalesce(j.jobs, 0) AS jobs,
              coalesce(j.jobs_first_fix_decided, 0) AS jobs_first_fix_decided, coalesce(j.jobs_first_time_fix, 0) AS jobs_first_time_fix,
              coalesce(j.jobs_first_fix_pending, 0) AS jobs_first_fix_pending,
              coalesce(j.jobs_followup_due, 0) AS jobs_followup_due, coalesce(j.jobs_followed_up, 0) AS jobs_followed_up,
              coalesce(j.jobs_followup_pending, 0) AS jobs_followup_pending
       FROM s FULL OUTER JOIN j ON j.key = s.key)
     SELECT b.key, CASE WHEN b.key = '' THEN '（未填）' ELSE coalesce(l.label, b.key) END AS label,
            b.tickets_reported, b.tickets_due, b.tickets_on_time, b.tickets_late, b.tickets_pending,
            b.tickets_on_time / nullif(b.tickets_due, 0) AS timeliness_rate,
            b.jobs, b.jobs_first_fix_decided, b.jobs_first_time_fix, b.jobs_first_fix_pending,
            b.jobs_followup_due, b.jobs_followed_up, b.jobs_followup_pending,
            -- pending windows are left out of the rates, as in kpi_month
            b.jobs_first_time_fix / nullif(b.jobs_first_fix_decided, 0) AS first_time_fix_rate,
            b.jobs_followed_up / nullif(b.jobs_followup_due, 0) AS followup_rate
     FROM b LEFT JOIN enum_label l ON l.domain = $domain::VARCHAR AND l.id = b.key
     ORDER BY b.key = '', b.key`,
    { month: monthDate(month), team, domain },
  );
}

/** Complaints of a month by category: received, attributable, 24 h response and 3-day resolution. */
async function complaintBreakdown(wh: Warehouse, month: string, team: string | null): Promise<ComplaintBreakdownRow[]> {
  return wh.all<ComplaintBreakdownRow>(
    `WITH b AS (
       SELECT coalesce(category, '') AS key,
              count(*) AS complaints_received,
              count(*) FILTER (WHERE attributable = 'yes') AS complaints_attributable,
              count(*) FILTER (WHERE responded_in_time IS NOT NULL) AS complaints_response_due,
              count(*) FILTER (WHERE responded_in_time) AS complaints_responded_in_time,
              count(*) FILTER (WHERE resolved_in_time IS NOT NULL) AS complaints_resolution_due,
              count(*) FILTER (WHERE resolved_in_time) AS complaints_resolved_in_time
       FROM fct_complaints
       WHERE month = CAST($month AS DATE) AND ($team::VARCHAR IS NULL OR team_id = $team)
       GROUP BY 1)
     SELECT b.key, CASE WHEN b.key = '' THEN '（未填）' ELSE coalesce(l.label, b.key) END AS label,
            b.complaints_received, b.complaints_attributable,
            b.complaints_response_due, b.complaints_responded_in_time,
            b.complaints_responded_in_time / nullif(b.complaints_response_due, 0) AS response_rate,
            b.complaints_resolution_due, b.complaints_resolved_in_time,
            b.complaints_resolved_in_time / nullif(b.complaints_resolution_due, 0) AS resolution_rate
     FROM b LEFT JOIN enum_label l ON l.domain = 'complaint_category' AND l.id = b.key
     ORDER BY b.key = '', b.key`,
    { month: monthDate(month), team },
  );
}

/** A month's breakdown rows by `by`; `team` (when given) keeps that team's rows. */
export async function breakdown<B extends BreakdownBy>(wh: Warehouse, month: string, by: B, team: string | null): Promise<BreakdownRowOf<B>[]> {
  return (await breakdownRows(wh, month, by, team)) as BreakdownRowOf<B>[];
}

async function breakdownRows(wh: Warehouse, month: string, by: BreakdownBy, team: string | null): Promise<BreakdownRow[]> {
  switch (by) {
    case 'team':
    case 'region':
    case 'technician':
      return kpiBreakdown(wh, month, by, team);
    case 'fault_category':
    case 'channel':
      return ticketBreakdown(wh, month, by, team);
    case 'complaint_category':
      return complaintBreakdown(wh, month, team);
  }
}
