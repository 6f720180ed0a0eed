/**
 * Large lists on the wire as Arrow IPC (`format=arrow`): the same rows as the JSON answer, as an
 * Arrow stream a client reads column-wise (apache-arrow's tableFromIPC), paging metadata in headers.
 */
import { tableFromJSON, tableToIPC } from 'apache-arrow';

export const ARROW_CONTENT_TYPE = 'application/vnd.apache.arrow.stream';

export function arrowResponse(rows: Record<string, unknown>[], headers: Record<string, string>): Response {
  const body = rows.length ? tableToIPC(tableFromJSON(rows), 'stream') : new Uint8Array();
  return new Response(body, { headers: { 'Content-Type': ARROW_CONTENT_TYPE, ...headers } });
}
