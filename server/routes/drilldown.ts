/**
 * Breakdowns and drill-downs (issue 4 §3): a month's figures by team, region, technician, fault
 * category, complaint category or channel; paged lists of feedback forms (low-score, unverified)
 * and complaints; one record with its history. Same rules as /api/tickets/late: a manager sees
 * only their own team (naming another → 403 other_team; lists filtered), customer phone numbers,
 * addresses and personal names are masked for hr, executive and manager. See docs/server.md,
 * "Breakdowns and drill-downs".
 */
import { arrowPage, FORMAT_Q } from '../arrow.ts';
import { badRequest, forbidden, notFound } from '../errors.ts';
import type { ParamSpec, RouteDef } from '../http.ts';
import { maskCustomer, maskFreeText, seesPii } from '../mask.ts';
import { ROLES, type Role } from '../roles.ts';
import { error, me, STD_ERRORS, teamFor, type RouteDeps } from './kit.ts';
import { BREAKDOWN_BY, type Breakdown, type BreakdownBy } from '../../pipelines/contract/breakdown.ts';
import {
  COMPLAINT_DEFAULT_SORT, COMPLAINT_SORT_KEYS, FORM_DEFAULT_SORT, FORM_FILTERS, FORM_SORT_KEYS, RECORD_KINDS, sortValues,
  type ComplaintsPage, type FormFilter, type FormsPage, type RecordAnswer, type RecordKind, type RecordRow,
} from '../../pipelines/contract/lists.ts';
import { ATTRIBUTABLE, SEVERITIES } from '../../pipelines/contract/vocabulary.ts';
import { breakdown } from '../../pipelines/reads/breakdown.ts';
import { COMPLAINT_SORTS, countComplaints, listComplaints } from '../../pipelines/reads/complaints.ts';
import { countForms, FORM_SORTS, listForms } from '../../pipelines/reads/forms.ts';
import { orderBy, pageOf } from '../../pipelines/reads/paging.ts';
import { getRecord } from '../../pipelines/reads/record.ts';

const MONTH_Q: ParamSpec = { type: 'month', description: 'the month, YYYY-MM', required: true };
const TEAM_Q: ParamSpec = { type: 'id', description: 'a team id (a manager: their own team only)' };
const TECH_Q: ParamSpec = { type: 'id', description: 'a technician id' };
const PAGE_Q: ParamSpec = { type: 'int', description: 'page number, from 1', min: 1, max: 1_000_000, default: 1 };
const PAGE_SIZE_Q: ParamSpec = { type: 'int', description: 'rows per page', min: 1, max: 500, default: 50 };

/**
 * A raw record (or history row) for a role: maskCustomer on the customer fields; for roles that do
 * not see PII, phone numbers, e-mail addresses and street addresses in free text are masked
 * (maskFreeText) and `extra` (unknown uploaded columns, which may hold anything) is left out.
 */
function maskRecord(row: RecordRow, role: Role): RecordRow {
  const m = maskCustomer(row, role);
  if (seesPii(role)) return m;
  const out: RecordRow = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === 'extra') continue;
    out[k] = (k === 'description' || k === 'comment' || k === 'resolution' || k === 'note') && typeof v === 'string'
      ? maskFreeText(v)
      : v;
  }
  return out;
}

export function drilldownRoutes(d: RouteDeps): RouteDef[] {
  return [
    {
      method: 'GET', path: '/api/breakdown', tag: 'drill-down', access: [...ROLES],
      summary: 'A month\'s figures by team, region, technician, fault category, complaint category or channel',
      notes:
        'team/region/technician: rows of kpi_month (every KPI count and rate). fault_category/channel: tickets due, on time, late, ' +
        'timeliness_rate, jobs, first_time_fix_rate, followup_rate from fct_ticket_sla/fct_jobs. complaint_category: received, ' +
        'attributable, response_rate, resolution_rate from fct_complaints. Rates are null when their denominator is 0. ' +
        'team filters every breakdown but region (400). manager: own team only — by=region → 403, lists filtered to the team.',
      query: {
        month: MONTH_Q,
        by: { type: 'enum', description: 'the dimension', values: BREAKDOWN_BY, required: true },
        team: TEAM_Q,
      },
      responses: { 200: { description: '{month, by, team, rows: [{key, label, …counts and rates}]}', schema: { type: 'object' } }, ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const by = q.by as BreakdownBy;
        if (by === 'region' && u.role === 'manager') throw forbidden('a manager sees only their own team', 'other_team');
        const team = teamFor(u, q.team as string | undefined) ?? null;
        if (by === 'region' && team !== null) throw badRequest('a region breakdown cannot be filtered by team', 'bad_parameter');
        const answer: Breakdown = { month: q.month as string, by, team, rows: await breakdown(wh, q.month as string, by, team) };
        return c.json(answer);
      },
    },
    {
      method: 'GET', path: '/api/forms', tag: 'drill-down', access: [...ROLES],
      summary: 'Feedback forms of a month (fct_forms): low-score, unverified or all, paged, with the customer',
      notes:
        'filter=low_score: counted forms with score ≤ max_score (default: below the month\'s policy satisfied threshold, i.e. ≤ 2 by default); ' +
        'unverified: forms without a spot check; all. contact_phone, address and personal customer names are masked for hr, ' +
        'executive and manager; supervisor and admin see them. manager: own team only.',
      query: {
        month: { ...MONTH_Q, description: 'the month of the form\'s job (completion month)' },
        filter: { type: 'enum', description: 'which forms', values: FORM_FILTERS, default: 'low_score' },
        max_score: { type: 'int', description: 'low_score: highest score listed (−6…6)', min: -6, max: 6 },
        team: TEAM_Q,
        technician: TECH_Q,
        page: PAGE_Q,
        page_size: PAGE_SIZE_Q,
        sort: { type: 'enum', description: 'sort key; a leading - sorts descending', values: sortValues(FORM_SORT_KEYS), default: FORM_DEFAULT_SORT },
        format: FORMAT_Q,
      },
      responses: { 200: { description: '{month, filter, page, page_size, total, sort, pii_masked, rows}', schema: { type: 'object' } }, ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const team = teamFor(u, q.team as string | undefined) ?? null;
        const filter = q.filter as FormFilter;
        if (q.max_score !== undefined && filter !== 'low_score') throw badRequest('max_score applies only to filter=low_score', 'bad_parameter');
        const fq = {
          month: q.month as string, filter, maxScore: (q.max_score as number | undefined) ?? null,
          team, technician: (q.technician as string | undefined) ?? null,
        };
        const total = await countForms(wh, fq);
        const rows = (await listForms(wh, fq, orderBy(FORM_SORTS, q.sort as string), pageOf(q.page as number, q.page_size as number))).map((r) => maskCustomer(r, u.role));
        if (q.format === 'arrow') return arrowPage(rows, total, q.page, q.page_size);
        const answer: FormsPage = {
          month: q.month as string, filter, max_score: fq.maxScore, page: q.page as number, page_size: q.page_size as number, total, sort: q.sort as string,
          pii_masked: !seesPii(u.role),
          rows,
        };
        return c.json(answer);
      },
    },
    {
      method: 'GET', path: '/api/complaints', tag: 'drill-down', access: [...ROLES],
      summary: 'Complaints of a month (fct_complaints), filtered, sorted and paged, with the customer',
      notes:
        'Rows carry category, attributable, severity, the team and technician they count for, responded_in_time and resolved_in_time ' +
        '(null while not yet decidable). customer_name and contact_phone are masked for hr, executive and manager. manager: own team only.',
      query: {
        month: { ...MONTH_Q, description: 'the month the complaint was received in' },
        category: { type: 'id', description: 'a complaint category id (late_arrival, attitude, …)' },
        attributable: { type: 'enum', description: 'attributable to the team', values: ATTRIBUTABLE },
        severity: { type: 'enum', description: 'severity', values: SEVERITIES },
        team: TEAM_Q,
        technician: TECH_Q,
        page: PAGE_Q,
        page_size: PAGE_SIZE_Q,
        sort: { type: 'enum', description: 'sort key; a leading - sorts descending', values: sortValues(COMPLAINT_SORT_KEYS), default: COMPLAINT_DEFAULT_SORT },
        format: FORMAT_Q,
      },
      responses: { 200: { description: '{month, page, page_size, total, sort, pii_masked, rows}', schema: { type: 'object' } }, ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const team = teamFor(u, q.team as string | undefined) ?? null;
        const cq = {
          month: q.month as string, team, technician: (q.technician as string | undefined) ?? null,
          category: (q.category as string | undefined) ?? null, attributable: (q.attributable as string | undefined) ?? null,
          severity: (q.severity as string | undefined) ?? null,
        };
        const total = await countComplaints(wh, cq);
        const rows = (await listComplaints(wh, cq, orderBy(COMPLAINT_SORTS, q.sort as string), pageOf(q.page as number, q.page_size as number))).map((r) => maskCustomer(r, u.role));
        if (q.format === 'arrow') return arrowPage(rows, total, q.page, q.page_size);
        const answer: ComplaintsPage = {
          month: q.month as string, page: q.page as number, page_size: q.page_size as number, total, sort: q.sort as string,
          pii_masked: !seesPii(u.role),
          rows,
        };
        return c.json(answer);
      },
    },
    {
      method: 'GET', path: '/api/records/:kind/:id', tag: 'drill-down', access: [...ROLES],
      summary: 'One ticket, feedback form or complaint as currently held, with its earlier versions and the batches involved',
      notes:
        '`current` is null when the record exists only in history (a feedback form replaced by a newer one). `history` is oldest first ' +
        '(each row: the old values, superseded_by = the batch that replaced it, change = updated | replaced). PII masked for hr, executive ' +
        'and manager (customer fields; phone-like numbers in free text; `extra` left out). manager: another team\'s record, or one without a ' +
        'team, is 404 — the same answer as an unknown id, so ids of other teams cannot be probed.',
      params: {
        kind: { type: 'enum', description: 'record kind', values: RECORD_KINDS },
        id: { type: 'id', description: 'ticket_id, form_id or complaint_id' },
      },
      responses: {
        200: { description: '{kind, id, team_id, pii_masked, current, history, batches}', schema: { type: 'object' } },
        ...STD_ERRORS, 404: error('no such record (or, for a manager, not their team\'s)'),
      },
      async handler(c, { p, user, wh }) {
        const u = me(user);
        const kind = p.kind as RecordKind;
        const id = p.id as string;
        const rec = await getRecord(wh, kind, id);
        if (!rec || (u.role === 'manager' && rec.team_id !== u.team_id)) throw notFound(`no ${kind} record with this id`);
        const answer: RecordAnswer = {
          kind, id, team_id: rec.team_id, pii_masked: !seesPii(u.role),
          current: rec.current && maskRecord(rec.current, u.role),
          history: rec.history.map((r) => maskRecord(r, u.role)),
          batches: rec.batches,
        };
        return c.json(answer);
      },
    },
  ];
}
