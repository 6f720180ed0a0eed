/**
 * The audit log (SPEC §4.6): who did what, to what, when. Month closes, reopens and allocations
 * write here now; the server adds logins, uploads, verifications and policy changes.
 */
import type { AuditEntry } from '../contract/audit.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';

export interface AuditEvent {
  actor: string;
  /** A dotted verb: month.close, month.reopen, allocation.set, allocation.clear, upload, login, … */
  action: string;
  target?: string | null;
  detail?: unknown;
}

/** Appends one entry. Call it inside the transaction of the action, so both or neither persist. */
export async function writeAudit(wh: Warehouse, e: AuditEvent): Promise<void> {
  await wh.run(
    `INSERT INTO audit_log ("at", actor, action, target, detail) VALUES (now()::TIMESTAMP, $1, $2, $3, CAST($4 AS JSON))`,
    [e.actor, e.action, e.target ?? null, e.detail === undefined ? null : JSON.stringify(e.detail)],
  );
}

export interface AuditQuery {
  action?: string;
  /** Entries whose target starts with this ('2025-05' also finds '2025-05/T01'). */
  target?: string;
  limit?: number;
}

/** Entries, newest first. */
export async function listAudit(wh: Warehouse, q: AuditQuery = {}): Promise<AuditEntry[]> {
  const rows = await wh.all<Omit<AuditEntry, 'detail'> & { detail: string | null }>(
    `SELECT audit_id, strftime("at", '%Y-%m-%d %H:%M:%S') AS at, actor, action, target, CAST(detail AS VARCHAR) AS detail
     FROM audit_log
     WHERE ($1::VARCHAR IS NULL OR action = $1) AND ($2::VARCHAR IS NULL OR starts_with(target, $2))
     ORDER BY audit_id DESC
     LIMIT $3`,
    [q.action ?? null, q.target ?? null, q.limit ?? 100],
  );
  return rows.map((r) => ({ ...r, detail: r.detail === null ? null : JSON.parse(r.detail) }));
}
