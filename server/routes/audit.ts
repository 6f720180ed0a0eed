/** The audit log (SPEC §4.7), newest first: supervision's and the administrator's read. */
import { listAudit } from '../../pipelines/assessment/index.ts';
import type { RouteDef } from '../http.ts';
import { json, STD_ERRORS } from './kit.ts';

export function auditRoutes(): RouteDef[] {
  return [
    {
      method: 'GET', path: '/api/audit', tag: 'audit', access: ['admin', 'supervisor'], cache: false,
      summary: 'Audit log, newest first',
      query: {
        action: { type: 'text', description: 'exact action, e.g. login, month.close', max: 64 },
        target: { type: 'text', description: "target prefix ('2025-05' also finds '2025-05/T01')", max: 128 },
        limit: { type: 'int', description: 'how many entries', min: 1, max: 1000, default: 100 },
      },
      responses: { 200: json('{entries: [...]}'), ...STD_ERRORS },
      async handler(c, { q, wh }) {
        return c.json({ entries: await listAudit(wh, { action: q.action as string | undefined, target: q.target as string | undefined, limit: q.limit as number }) });
      },
    },

  ];
}
