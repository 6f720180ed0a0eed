/**
 * Every API route, by group. A group is a function of the app's dependencies returning its routes;
 * the order below is the order of registration and of the OpenAPI document.
 */
import type { RouteDef } from '../http.ts';
import { adminRoutes } from './admin.ts';
import { assessmentRoutes } from './assessment.ts';
import { auditRoutes } from './audit.ts';
import { batchRoutes } from './batches.ts';
import { dashboardRoutes } from './dashboard.ts';
import { drilldownRoutes } from './drilldown.ts';
import { exportRoutes } from './exports.ts';
import { fraudRoutes } from './fraud.ts';
import type { RouteDeps } from './kit.ts';
import { kpiRoutes } from './kpi.ts';
import { lateTicketRoutes } from './late-tickets.ts';
import { metaRoutes } from './meta.ts';
import { moneyRoutes } from './money.ts';
import { sessionRoutes } from './session.ts';
import { spotcheckRoutes } from './spotcheck.ts';
import { uploadRoutes } from './uploads.ts';

export { SESSION_COOKIE, type RouteDeps } from './kit.ts';

const GROUPS: readonly ((d: RouteDeps) => RouteDef[])[] = [
  sessionRoutes,
  kpiRoutes,
  assessmentRoutes,
  batchRoutes,
  auditRoutes,
  lateTicketRoutes,
  uploadRoutes,
  dashboardRoutes,
  spotcheckRoutes,
  fraudRoutes,
  exportRoutes,
  drilldownRoutes,
  moneyRoutes,
  adminRoutes,
  metaRoutes,
];

export function apiRoutes(d: RouteDeps): RouteDef[] {
  return GROUPS.flatMap((group) => group(d));
}
