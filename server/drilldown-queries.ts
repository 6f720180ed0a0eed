/**
 * Breakdowns and drill-down queries (issue 4 §3): aggregates of one month by a dimension, paged
 * lists of feedback forms and complaints, and one record with its history. Answered from the
 * facts and marts (kpi_month, fct_ticket_sla, fct_jobs, fct_forms, fct_complaints) — never raw
 * rows in bulk. Every value is a parameter; the only text spliced into SQL is a column chosen
 * from a fixed map here. PII is masked by the caller (routes-drilldown.ts) per role.
 */
import type { Warehouse } from '../pipelines/warehouse/warehouse.ts';

export type Row = Record<string, string | number | boolean | null>;

export const BREAKDOWN_BY = ['team', 'region', 'technician', 'fault_category', 'complaint_category', 'channel'] as const;
export type BreakdownBy = (typeof BREAKDOWN_BY)[number];

/** Columns of a kpi_month breakdown row (team, region, technician), names as in kpi_month. */
export const KPI_BREAKDOWN_COLUMNS = [
  'tickets_reported', 'tickets_due', 'tickets_on_time', 'tickets_late', 'tickets_pending', 'jobs', 'forms',
  'complaints_received', 'complaints_attributable',
  'timeliness_rate', 'satisfaction_rate', 'complaint_rate', 'mean_score', 'response_rate', 'resolution_rate',
  'first_time_fix_rate', 'form_coverage', 'followup_rate', 'cost_per_job',
] as const;

const monthArg = (m: string) => `${m}-01`;

/**
 * team / region / technician rows of kpi_month for a month. `team` (when given) keeps the team's
 * row, or for technicians those of the team (technicians.team_id).
 */
async function kpiBreakdown(wh: Warehouse, month: string, by: 'team' | 'region' | 'technician', team: string | null): Promise<Row[]> {
  const label =
    by === 'team' ? `CASE WHEN k.scope_id = '' THEN '（未分班组）' ELSE coalesce(tm.team_name, k.scope_id) END`
      : by === 'technician' ? `CASE WHEN k.scope_id = '' THEN '（未指派）' ELSE coalesce(te.name, k.scope_id) END`
        : `CASE WHEN k.scope_id = '' THEN '（未知地区）' ELSE k.scope_id END`;
  const teamFilter =
    by === 'team' ? 'k.scope_id = $team'
      : by === 'technician' ? 'k.scope_id IN (SELECT technician_id FROM technicians WHERE team_id = $team)'
        : 'false';
  return wh.all<Row>(
    `SELECT k.scope_id AS key, ${label} AS label,
            ${by === 'technician' ? 'te.team_id,' : ''}
            ${KPI_BREAKDOWN_COLUMNS.map((c) => `k.${c}`).join(', ')}
     FROM kpi_month k
     LEFT JOIN (SELECT team_id, any_value(team_name) AS team_name FROM teams GROUP BY team_id) tm
       ON $by::VARCHAR = 'team' AND tm.team_id = k.scope_id
     LEFT JOIN (SELECT technician_id, any_value(name) AS name, any_value(team_id) AS team_id FROM technicians GROUP BY technician_id) te
       ON $by::VARCHAR = 'technician' AND te.technician_id = k.scope_id
     WHERE k.month = CAST($month AS DATE) AND k.scope = $by::VARCHAR
       AND ($team::VARCHAR IS NULL OR ${teamFilter})
     ORDER BY k.scope_id = '', k.scope_id`,
    { month: monthArg(month), by, team },
  );
}

/** Tickets (due, on time, late) and jobs of a month by a ticket dimension (fault category, channel). */
async function ticketBreakdown(wh: Warehouse, month: string, by: 'fault_category' | 'channel', team: string | null): Promise<Row[]> {
  const col = by === 'fault_category' ? 'fault_category' : 'channel';
  const domain = by === 'fault_category' ? 'fault_category' : 'ticket_channel';
  return wh.all<Row>(
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
              count(*) FILTER (WHERE first_time_fix) AS jobs_first_time_fix,
              count(*) FILTER (WHERE followed_up) AS jobs_followed_up
       FROM fct_jobs
       WHERE month = CAST($month AS DATE) AND ($team::VARCHAR IS NULL OR team_id = $team)
       GROUP BY 1),
     b AS (
       SELECT coalesce(s.key, j.key) AS key,
              coalesce(s.tickets_reported, 0) AS tickets_reported, coalesce(s.tickets_due, 0) AS tickets_due,
              coalesce(s.tickets_on_time, 0) AS tickets_on_time, coalesce(s.tickets_late, 0) AS tickets_late,
              coalesce(s.tickets_pending, 0) AS tickets_pending,
              coalesce(j.jobs, 0) AS jobs, coalesce(j.jobs_first_time_fix, 0) AS jobs_first_time_fix,
              coalesce(j.jobs_followed_up, 0) AS jobs_followed_up
       FROM s FULL OUTER JOIN j ON j.key = s.key)
     SELECT b.key, CASE WHEN b.key = '' THEN '（未填）' ELSE coalesce(l.label, b.key) END AS label,
            b.tickets_reported, b.tickets_due, b.tickets_on_time, b.tickets_late, b.tickets_pending,
            b.tickets_on_time / nullif(b.tickets_due, 0) AS timeliness_rate,
            b.jobs, b.jobs_first_time_fix, b.jobs_followed_up,
            b.jobs_first_time_fix / nullif(b.jobs, 0) AS first_time_fix_rate,
            b.jobs_followed_up / nullif(b.jobs, 0) AS followup_rate
     FROM b LEFT JOIN enum_label l ON l.domain = $domain::VARCHAR AND l.id = b.key
     ORDER BY b.key = '', b.key`,
    { month: monthArg(month), team, domain },
  );
}

/** Complaints of a month by category: received, attributable, 24 h response and 3-day resolution. */
async function complaintBreakdown(wh: Warehouse, month: string, team: string | null): Promise<Row[]> {
  return wh.all<Row>(
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
    { month: monthArg(month), team },
  );
}

export async function breakdown(wh: Warehouse, month: string, by: BreakdownBy, team: string | null): Promise<Row[]> {
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

// ---------------------------------------------------------------------------------------------
// Paged lists

export interface Page {
  limit: number;
  offset: number;
}

export const FORM_FILTERS = ['low_score', 'unverified', 'all'] as const;
export type FormFilter = (typeof FORM_FILTERS)[number];

export const FORM_SORTS = {
  score: 'f.score',
  submitted_at: 'fb.submitted_at',
  form_id: 'f.form_id',
  ticket_id: 'f.ticket_id',
  team_id: 'f.team_id',
  technician_id: 'f.technician_id',
} as const;

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
  month: monthArg(q.month), team: q.team, technician: q.technician, filter: q.filter, max_score: q.maxScore,
});

export async function countForms(wh: Warehouse, q: FormQuery): Promise<number> {
  return (await wh.one<{ n: number }>(
    `SELECT count(*) AS n FROM fct_forms f JOIN policy_for_month p ON p.month = f.month WHERE ${FORM_WHERE}`,
    formArgs(q),
  ))!.n;
}

/** @param orderBy a column expression from FORM_SORTS with its direction (never user text) */
export async function listForms(wh: Warehouse, q: FormQuery, orderBy: string, page: Page): Promise<Row[]> {
  return wh.all<Row>(
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

export const COMPLAINT_SORTS = {
  received_at: 'c.received_at',
  complaint_id: 'c.complaint_id',
  category: 'c.category',
  severity: `CASE c.severity WHEN 'minor' THEN 1 WHEN 'major' THEN 2 WHEN 'severe' THEN 3 END`,
  team_id: 'c.team_id',
  technician_id: 'c.technician_id',
} as const;

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
  month: monthArg(q.month), team: q.team, technician: q.technician, category: q.category, attributable: q.attributable, severity: q.severity,
});

export async function countComplaints(wh: Warehouse, q: ComplaintQuery): Promise<number> {
  return (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM fct_complaints c WHERE ${COMPLAINT_WHERE}`, complaintArgs(q)))!.n;
}

/** @param orderBy a column expression from COMPLAINT_SORTS with its direction (never user text) */
export async function listComplaints(wh: Warehouse, q: ComplaintQuery, orderBy: string, page: Page): Promise<Row[]> {
  const ts = (col: string) => `strftime(c.${col}, '%Y-%m-%d %H:%M:%S') AS ${col}`;
  return wh.all<Row>(
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

// ---------------------------------------------------------------------------------------------
// One record with its history

export const RECORD_KINDS = ['tickets', 'feedback', 'complaints'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

const KEY: Record<RecordKind, string> = { tickets: 'ticket_id', feedback: 'form_id', complaints: 'complaint_id' };

/**
 * The team a record counts for: a ticket's team; a form's ticket's team; a complaint's team, else
 * its ticket's (as fct_complaints). Read from the current version, else the latest history row.
 */
const TEAM_OF: Record<RecordKind, string> = {
  tickets: `SELECT team_id FROM (SELECT team_id, 1 AS o, batch_id FROM tickets WHERE ticket_id = $id
            UNION ALL SELECT team_id, 2, batch_id FROM tickets_history WHERE ticket_id = $id) ORDER BY o, batch_id DESC LIMIT 1`,
  feedback: `SELECT t.team_id FROM (SELECT ticket_id, 1 AS o, batch_id FROM feedback WHERE form_id = $id
             UNION ALL SELECT ticket_id, 2, batch_id FROM feedback_history WHERE form_id = $id) f
             LEFT JOIN tickets t ON t.ticket_id = f.ticket_id ORDER BY f.o, f.batch_id DESC LIMIT 1`,
  complaints: `SELECT coalesce(c.team_id, t.team_id) AS team_id FROM (SELECT team_id, ticket_id, 1 AS o, batch_id FROM complaints WHERE complaint_id = $id
               UNION ALL SELECT team_id, ticket_id, 2, batch_id FROM complaints_history WHERE complaint_id = $id) c
               LEFT JOIN tickets t ON t.ticket_id = c.ticket_id ORDER BY c.o, c.batch_id DESC LIMIT 1`,
};

export interface RecordWithHistory {
  /** undefined when the record is unknown (neither current nor in history) */
  team_id?: string | null;
  current: Row | null;
  history: Row[];
  batches: Row[];
}

export async function getRecord(wh: Warehouse, kind: RecordKind, id: string): Promise<RecordWithHistory | undefined> {
  const key = KEY[kind];
  const owner = await wh.all<{ team_id: string | null }>(TEAM_OF[kind], { id });
  if (owner.length === 0) return undefined;
  const current = (await wh.one<Row>(`SELECT * FROM ${kind} WHERE ${key} = $id`, { id })) ?? null;
  // Oldest version first: the batch that brought it, then the source line.
  const history = await wh.all<Row>(`SELECT * FROM ${kind}_history WHERE ${key} = $id ORDER BY batch_id, line_no`, { id });
  const batches = await wh.all<Row>(
    `SELECT batch_id, kind, file_name, uploaded_by, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started_at,
            strftime(finished_at, '%Y-%m-%d %H:%M:%S') AS finished_at, status, rows_read, accepted, rejected
     FROM batches
     WHERE batch_id IN (SELECT batch_id FROM ${kind} WHERE ${key} = $id
                        UNION SELECT batch_id FROM ${kind}_history WHERE ${key} = $id
                        UNION SELECT superseded_by FROM ${kind}_history WHERE ${key} = $id)
     ORDER BY batch_id`,
    { id },
  );
  return { team_id: owner[0]!.team_id, current, history, batches };
}
