/** One entry of GET /api/audit. */
export interface AuditEntry {
  audit_id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
}

/** The actions the server writes (server/, pipelines/): the filter offers these. */
export const AUDIT_ACTIONS = [
  'login', 'logout', 'upload', 'export', 'verification', 'allocation.set', 'allocation.clear',
  'month.close', 'month.reopen', 'policy.create', 'calendar.import', 'user.create', 'user.update',
] as const;
