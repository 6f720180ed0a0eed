/**
 * One ticket, feedback form or complaint with its history (GET /api/records/:kind/:id): the
 * current version, every earlier version oldest first, the batches involved, and the team the
 * record counts for (the server's scoping needs it). The table name spliced into SQL is the kind,
 * checked against RECORD_KINDS by the caller; the id is a parameter.
 */
import type { RecordBatch, RecordKind, RecordRow } from '../contract/lists.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';

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
  team_id: string | null;
  current: RecordRow | null;
  history: RecordRow[];
  batches: RecordBatch[];
}

/** undefined when the record is unknown (neither current nor in history). */
export async function getRecord(wh: Warehouse, kind: RecordKind, id: string): Promise<RecordWithHistory | undefined> {
  const key = KEY[kind];
  const owner = await wh.all<{ team_id: string | null }>(TEAM_OF[kind], { id });
  if (owner.length === 0) return undefined;
  const current = (await wh.one<RecordRow>(`SELECT * FROM ${kind} WHERE ${key} = $id`, { id })) ?? null;
  // Oldest version first: the batch that brought it, then the source line.
  const history = await wh.all<RecordRow>(`SELECT * FROM ${kind}_history WHERE ${key} = $id ORDER BY batch_id, line_no`, { id });
  const batches = await wh.all<RecordBatch>(
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
