/** Large lists as Arrow IPC: the same rows (and masking) as the JSON answer. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import type { TempWarehouse } from '../helpers.ts';
import { buildWarehouse, call, makeApp, MONTH, signIn, USERS, type TestApp } from './fixture.ts';

let t: TempWarehouse;
let app: TestApp;
beforeAll(async () => {
  t = await buildWarehouse();
  app = makeApp(t);
});
afterAll(() => t.cleanup());

it('late tickets as Arrow IPC equal the JSON page, masked for hr', async () => {
  for (const role of ['supervisor', 'hr'] as const) {
    const who = await signIn(app, USERS[role]);
    const path = `/api/tickets/late?month=${MONTH}&page_size=200&sort=-minutes_late`;
    const json = await (await call(app, 'GET', path, { as: who })).json();
    const res = await call(app, 'GET', `${path}&format=arrow`, { as: who });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    expect(res.headers.get('x-total-count')).toBe(String(json.total));
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(table.numRows).toBe(json.rows.length);
    const ids = table.getChild('ticket_id')!.toArray();
    const phones = table.getChild('contact_phone')!.toArray();
    expect([...ids]).toEqual(json.rows.map((r: { ticket_id: string }) => r.ticket_id));
    expect([...phones]).toEqual(json.rows.map((r: { contact_phone: string | null }) => r.contact_phone));
    if (role === 'hr') expect([...phones].filter(Boolean).every((p) => /^1\d{2}\*{4}\d{4}$/.test(String(p)))).toBe(true);
  }
});

it('forms and complaints lists as Arrow IPC equal their JSON pages', async () => {
  const who = await signIn(app, USERS.supervisor);
  for (const [path, key] of [
    [`/api/forms?month=${MONTH}&filter=all&page_size=100`, 'form_id'],
    [`/api/complaints?month=${MONTH}&page_size=100`, 'complaint_id'],
  ] as const) {
    const json = await (await call(app, 'GET', path, { as: who })).json();
    expect(json.rows.length, path).toBeGreaterThan(0);
    const res = await call(app, 'GET', `${path}&format=arrow`, { as: who });
    expect(res.status, path).toBe(200);
    expect(res.headers.get('x-total-count')).toBe(String(json.total));
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect([...table.getChild(key)!.toArray()]).toEqual(json.rows.map((r: Record<string, unknown>) => r[key]));
  }
});
