/** The audit log (SPEC §4.6): GET /api/audit, newest first. */

export interface AuditEntry {
  audit_id: number;
  /** 'YYYY-MM-DD HH:MM:SS' */
  at: string;
  actor: string;
  /** A dotted verb (AUDIT_ACTIONS). */
  action: string;
  target: string | null;
  detail: unknown;
}

/** The actions the server and the pipelines write: the audit page's filter offers these. */
export const AUDIT_ACTIONS = [
  'login', 'logout', 'upload', 'export', 'verification', 'allocation.set', 'allocation.clear',
  'month.close', 'month.reopen', 'policy.create', 'calendar.import', 'user.create', 'user.update',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
