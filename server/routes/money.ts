/**
 * Money and conduct (SPEC §4 "cost per job", "fee anomalies", "forged forms", the service_type /
 * customer_type breakdown; §4.4 forged-form penalty; issue 10 items 4–5): a month's money by service
 * type, customer type, region, team or technician; the fee-anomaly list for supervision; the
 * forged-form list behind the bonus sheet's HR flag. The same rules as the other lists: a manager
 * sees only their own team (naming another → 403 other_team), customer phones, addresses, personal
 * names and technicians' phones are masked for hr, executive and manager. Queries in
 * pipelines/reads/money.ts, fee-anomalies.ts, forged-forms.ts.
 */
import { badRequest, forbidden } from '../errors.ts';
import type { ParamSpec, RouteDef } from '../http.ts';
import { maskCustomer, maskTechnicianPhone, seesPii } from '../mask.ts';
import { ROLES, type User } from '../roles.ts';
import { id, json, me, month, STD_ERRORS, teamFor } from './kit.ts';
import { sortValues, type ListPage } from '../../pipelines/contract/lists.ts';
import {
  FEE_ANOMALY_DEFAULT_SORT, FEE_ANOMALY_REASONS, FEE_ANOMALY_SORT_KEYS, FORGED_FORM_DEFAULT_SORT, FORGED_FORM_SORT_KEYS, MONEY_BY,
  type FeeAnomaliesPage, type FeeAnomalyReason, type ForgedFormsPage, type MoneyBy,
} from '../../pipelines/contract/money.ts';
import { countFeeAnomalies, FEE_ANOMALY_SORTS, listFeeAnomalies } from '../../pipelines/reads/fee-anomalies.ts';
import { countForgedForms, FORGED_FORM_SORTS, listForgedForms } from '../../pipelines/reads/forged-forms.ts';
import { moneyBreakdown } from '../../pipelines/reads/money.ts';
import { orderBy, pageOf, type Page } from '../../pipelines/reads/paging.ts';
import { FORGED_FORM_ROLES } from '../../pipelines/contract/money.ts';

export { FORGED_FORM_ROLES };

const TEAM_Q = id('a team id (a manager: their own team only)');

/** The query of a paged list of a month: its month, the team and technician filters, page and sort. */
function listQuery<K extends string>(monthMeans: string, sortKeys: readonly K[], defaultSort: string, extra: Record<string, ParamSpec> = {}): Record<string, ParamSpec> {
  return {
    month: month(monthMeans),
    ...extra,
    team: TEAM_Q,
    technician: id('a technician id'),
    page: { type: 'int', description: 'page number, from 1', min: 1, max: 1_000_000, default: 1 },
    page_size: { type: 'int', description: 'rows per page', min: 1, max: 500, default: 50 },
    sort: { type: 'enum', description: 'sort key; a leading - sorts descending', values: sortValues(sortKeys), default: defaultSort },
  };
}

type Query = Record<string, unknown>;

/**
 * One page of a list for a user: the count and the page's rows of `filter`, in the query's sort
 * (a key of `sorts`), with the customer's and the technician's PII masked for the user's role.
 */
async function maskedPage<F, R extends { technician_phone?: string | null; contact_phone?: string | null; address?: string | null; customer_name?: string | null }>(
  q: Query, role: User['role'], filter: F, sorts: Readonly<Record<string, string>>,
  count: (f: F) => Promise<number>, list: (f: F, order: string, page: Page) => Promise<R[]>,
): Promise<Omit<ListPage<R>, 'month'>> {
  const total = await count(filter);
  const rows = (await list(filter, orderBy(sorts, q.sort as string), pageOf(q.page as number, q.page_size as number)))
    .map((r) => maskTechnicianPhone(maskCustomer(r, role), role));
  return { page: q.page as number, page_size: q.page_size as number, total, sort: q.sort as string, pii_masked: !seesPii(role), rows };
}


export function moneyRoutes(): RouteDef[] {
  return [
    {
      method: 'GET', path: '/api/money', tag: 'drill-down', access: [...ROLES],
      summary: 'A month\'s jobs, cost (parts, labour, travel), fees, fees − cost, fee anomalies and forged forms by service type, customer type, region, team or technician',
      notes:
        'From mart_service_month. service_type / customer_type: one row per type (every type, zeros included; key "" for jobs whose ' +
        'type is not recorded, when there are any), of the company or of `team`. region / team / technician: rows with data in the month ' +
        '(team filters to the team\'s row or its technicians). `total` is the figures of the company (or the team), `cost_budget_per_job` ' +
        'the month\'s policy budget (null: none). Forged forms count in the month of the verification. manager: own team only — by=region → 403.',
      query: {
        month: month(),
        by: { type: 'enum', description: 'the dimension', values: MONEY_BY, required: true },
        team: TEAM_Q,
      },
      responses: { 200: json('{month, by, team, cost_budget_per_job, total, rows: [{key, label, jobs, parts_cost, labor_cost, travel_cost, cost_total, cost_per_job, fee_charged, fee_minus_cost, fee_anomalies, fee_anomaly_amount, forged_forms, forged_form_penalty}]}'), ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const by = q.by as MoneyBy;
        if (by === 'region' && u.role === 'manager') throw forbidden('a manager sees only their own team', 'other_team');
        const team = teamFor(u, q.team as string | undefined) ?? null;
        if (by === 'region' && team !== null) throw badRequest('a region breakdown cannot be filtered by team', 'bad_parameter');
        return c.json(await moneyBreakdown(wh, q.month as string, by, team));
      },
    },
    {
      method: 'GET', path: '/api/fee-anomalies', tag: 'drill-down', access: [...ROLES],
      summary: 'Fee anomalies of a month (违规收费疑点): jobs with a fee charged on free service or from an in-warranty customer, paged',
      notes:
        'From fct_fee_anomaly, by the month the job was completed. `reasons` lists free_service and/or in_warranty; reason filters to one. ' +
        'customer_name, contact_phone, address and technician_phone are masked for hr, executive and manager; supervisor and admin see them. ' +
        'manager: own team only. Each row links to its ticket (GET /api/records/tickets/:ticket_id).',
      query: listQuery('the month of the job (completion month)', FEE_ANOMALY_SORT_KEYS, FEE_ANOMALY_DEFAULT_SORT, {
        reason: { type: 'enum', description: 'only anomalies with this reason', values: FEE_ANOMALY_REASONS },
      }),
      responses: { 200: json('{month, reason, page, page_size, total, sort, pii_masked, rows}'), ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const team = teamFor(u, q.team as string | undefined) ?? null;
        const reason = (q.reason as FeeAnomalyReason | undefined) ?? null;
        const filter = { month: q.month as string, team, technician: (q.technician as string | undefined) ?? null, reason };
        const page = await maskedPage(q, u.role, filter, FEE_ANOMALY_SORTS, (f) => countFeeAnomalies(wh, f), (f, o, p) => listFeeAnomalies(wh, f, o, p));
        const answer: FeeAnomaliesPage = { month: q.month as string, reason, ...page };
        return c.json(answer);
      },
    },
    {
      method: 'GET', path: '/api/forged-forms', tag: 'drill-down', access: [...FORGED_FORM_ROLES],
      summary: 'Forms found fraudulent (伪造反馈表) in a month — the month of the verification, when the penalty is charged — paged',
      notes:
        'From fct_forged_form: forms whose latest spot check is fraudulent, in the month of the first fraudulent finding since the form\'s ' +
        'last other outcome, with the technician of the form\'s ticket and the penalty charged (0 when no technician is known). The bonus ' +
        'sheet flags the same people (forged_forms, forged_form_ids); each row links to the form (GET /api/records/feedback/:form_id) and ' +
        'its ticket. customer_name, contact_phone and technician_phone are masked for hr and manager. manager: own team only. executive: refused ' +
        '(individual conduct is HR\'s business; the counts are in GET /api/money).',
      query: listQuery('the month of the verification', FORGED_FORM_SORT_KEYS, FORGED_FORM_DEFAULT_SORT),
      responses: { 200: json('{month, page, page_size, total, sort, pii_masked, rows}'), ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const team = teamFor(u, q.team as string | undefined) ?? null;
        const filter = { month: q.month as string, team, technician: (q.technician as string | undefined) ?? null };
        const page = await maskedPage(q, u.role, filter, FORGED_FORM_SORTS, (f) => countForgedForms(wh, f), (f, o, p) => listForgedForms(wh, f, o, p));
        const answer: ForgedFormsPage = { month: q.month as string, ...page };
        return c.json(answer);
      },
    },
  ];
}
