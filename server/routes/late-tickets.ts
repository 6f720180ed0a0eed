/**
 * Late tickets of a month (SLA §4.1), paged, with the customer contact masked per role and a
 * manager limited to their own team. Queries in pipelines/reads/late-tickets.ts.
 */
import { arrowPage, FORMAT_Q } from '../arrow.ts';
import { LATE_TICKET_DEFAULT_SORT, LATE_TICKET_SORT_KEYS, sortValues, type LateTicketsPage } from '../../pipelines/contract/lists.ts';
import { countLateTickets, LATE_TICKET_SORTS, listLateTickets } from '../../pipelines/reads/late-tickets.ts';
import { orderBy, pageOf } from '../../pipelines/reads/paging.ts';
import type { RouteDef } from '../http.ts';
import { maskCustomer } from '../mask.ts';
import { ROLES } from '../roles.ts';
import { id, json, me, month, STD_ERRORS, teamFor } from './kit.ts';

export function lateTicketRoutes(): RouteDef[] {
  return [
    {
      method: 'GET', path: '/api/tickets/late', tag: 'drill-down', access: [...ROLES],
      summary: 'Late tickets of a month (SLA §4.1), paged, with the customer contact',
      notes: 'contact_phone and address are masked (138****5678, address to the district) and personal customer names shortened for hr, executive and manager; supervisor and admin see them in full. manager: own team only.',
      query: {
        month: month('the month the tickets were reported in'),
        team: id('a team id'),
        technician: id('a technician id'),
        page: { type: 'int', description: 'page number, from 1', min: 1, max: 1_000_000, default: 1 },
        page_size: { type: 'int', description: 'rows per page', min: 1, max: 500, default: 50 },
        sort: { type: 'enum', description: 'sort key; a leading - sorts descending', values: sortValues(LATE_TICKET_SORT_KEYS), default: LATE_TICKET_DEFAULT_SORT },
        format: FORMAT_Q,
      },
      responses: { 200: json('{month, page, page_size, total, sort, rows: [...]} (or Arrow IPC with format=arrow)'), ...STD_ERRORS },
      async handler(c, { q, user, wh }) {
        const u = me(user);
        const team = teamFor(u, q.team as string | undefined) ?? null;
        const sort = q.sort as string;
        const filter = { month: q.month as string, team, technician: (q.technician as string | undefined) ?? null };
        const total = await countLateTickets(wh, filter);
        const size = q.page_size as number;
        const rows = await listLateTickets(wh, filter, orderBy(LATE_TICKET_SORTS, sort), pageOf(q.page as number, size));
        const masked = rows.map((r) => maskCustomer(r, u.role));
        if (q.format === 'arrow') return arrowPage(masked, total, q.page, size);
        const answer: LateTicketsPage = {
          month: q.month as string, page: q.page as number, page_size: size, total, sort,
          pii_masked: u.role !== 'supervisor' && u.role !== 'admin',
          rows: masked,
        };
        return c.json(answer);
      },
    },

  ];
}
