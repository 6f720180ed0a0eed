/**
 * Large lists on the wire as Arrow IPC (`format=arrow`): the same rows as the JSON answer, as an
 * Arrow stream a client reads column-wise (apache-arrow's tableFromIPC), paging metadata in headers.
 */
import { tableFromJSON, tableToIPC } from 'apache-arrow';

import type { ParamSpec } from './http.ts';

/** The `format` query parameter of a paged list. */
export const FORMAT_Q: ParamSpec = {
  type: 'enum',
  description: 'json, or arrow for an Arrow IPC stream of the rows (X-Total-Count, X-Page, X-Page-Size headers)',
  values: ['json', 'arrow'],
  default: 'json',
};

/** A page of a list as Arrow IPC. */
export function arrowPage(rows: Record<string, unknown>[], total: number, page: unknown, pageSize: unknown): Response {
  return arrowResponse(rows, { 'X-Total-Count': String(total), 'X-Page': String(page), 'X-Page-Size': String(pageSize) });
}

export const ARROW_CONTENT_TYPE = 'application/vnd.apache.arrow.stream';

export function arrowResponse(rows: Record<string, unknown>[], headers: Record<string, string>): Response {
  const ipc = rows.length ? tableToIPC(tableFromJSON(rows), 'stream') : new Uint8Array();
  // A copy over a plain ArrayBuffer: the DOM typings (browser tests' program) refuse ArrayBufferLike.
  const body = new Uint8Array(ipc.byteLength);
  body.set(ipc);
  return new Response(body, { headers: { 'Content-Type': ARROW_CONTENT_TYPE, ...headers } });
}
