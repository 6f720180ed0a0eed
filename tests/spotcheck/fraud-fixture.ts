/**
 * Hand-made data for the fraud-risk tests (tests/models/fraud-signals.test.ts,
 * tests/spotcheck/targeted-queue.test.ts): each risk signal of SPEC §4.7 just at and just past its
 * default threshold, and the honest look-alikes that must not fire — a fleet customer's one phone on
 * 200 tickets, several vehicles of one customer in one visit, an excellent technician with 40
 * all-maximum forms of 50 in a team at 70 %. Loaded through the real ingestion path.
 *
 * Teams and people: T1 (E1 phone 139 0000 0001, E2 phone 139 0000 0002, E3); T2 (EX excellent,
 * EO1–EO5 the rest of the team); T3 (EF, EG1, EG2); T4 (EL, EY: a team too small to compare with).
 */
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import type { KindName } from '../../pipelines/ingest/kinds.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';

export const TEAMS = [['team_id', 'team_name', 'region'], ['T1', '一站', '华东'], ['T2', '二站', '华东'], ['T3', '三站', '华南'], ['T4', '四站', '华南']];
export const TECHNICIANS = [
  ['technician_id', 'name', 'team_id', 'phone'],
  ['E1', '甲', 'T1', '13900000001'], ['E2', '乙', 'T1', '139-0000-0002'], ['E3', '丙', 'T1', ''],
  ['EX', '优', 'T2', ''], ...[1, 2, 3, 4, 5].map((i) => [`EO${i}`, `二站${i}`, 'T2', '']),
  ['EF', '伪', 'T3', ''], ['EG1', '三站1', 'T3', ''], ['EG2', '三站2', 'T3', ''],
  ['EL', '独', 'T4', ''], ['EY', '少', 'T4', ''],
];

const T_HEAD = ['ticket_id', 'reported_at', 'customer_id', 'customer_name', 'contact_phone', 'team_id', 'technician_id', 'arrived_at', 'completed_at', 'result', 'distance_km', 'serial_no'];
const F_HEAD = ['form_id', 'ticket_id', 'submitted_at', 'timeliness', 'quality', 'attitude', 'source'];
export const V_HEAD = ['form_id', 'verified_at', 'verified_by', 'outcome', 'timeliness', 'quality', 'attitude'];

const TEAM: Record<string, string> = Object.fromEntries(TECHNICIANS.slice(1).map((r) => [r[0]!, r[2]!]));
const pad = (n: number, w = 4) => String(n).padStart(w, '0');
/** 'YYYY-MM-DD HH:MM' shifted by minutes (UTC arithmetic on wall time). */
export function at(ts: string, minutes = 0): string {
  return new Date(Date.parse(`${ts.replace(' ', 'T')}:00Z`) + minutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

export interface Job {
  id: string;
  tech: string;
  completed: string;
  cust?: string;
  name?: string;
  phone?: string;
  serial?: string;
  /** The form: id F<id> unless given, grades, source, submitted (default 5 minutes after the job, on site). */
  form?: { id?: string; g?: string; source?: string; submitted?: string } | null;
}

export function ticketRows(jobs: Job[]): string[][] {
  return [T_HEAD, ...jobs.map((j) => [
    j.id, at(j.completed, -180), j.cust ?? `C-${j.id}`, j.name ?? `客户${j.id}`, j.phone ?? `1370${pad(Number(j.id.replace(/\D/g, '')) % 10_000_000, 7)}`,
    TEAM[j.tech]!, j.tech, at(j.completed, -60), j.completed, '已完成', '20', j.serial ?? `SN-${j.id}`,
  ])];
}

export function formRows(jobs: Job[]): string[][] {
  return [F_HEAD, ...jobs.filter((j) => j.form !== null).map((j) => {
    const f = j.form ?? {};
    const g = f.g ?? 'BBB';
    return [f.id ?? `F${j.id}`, j.id, f.submitted ?? at(j.completed, 5), g[0]!, g[1]!, g[2]!, f.source ?? 'on_site'];
  })];
}

// ------------------------------------------------------------------------------------------------
// April: the month before, inside the windows of May's forms.

export const APRIL: Job[] = [
  // shared phone across the month boundary: exactly 28 days before K203 (fires) / 28 days + 1 minute before K213 (does not)
  { id: 'K201', tech: 'E3', completed: '2025-04-10 10:00', cust: 'W1', phone: '13822220000' },
  { id: 'K202', tech: 'E3', completed: '2025-04-20 10:00', cust: 'W2', phone: '13822220000' },
  { id: 'K211', tech: 'E3', completed: '2025-04-10 09:59', cust: 'W4', phone: '13833330000' },
  { id: 'K212', tech: 'E3', completed: '2025-04-20 10:00', cust: 'W5', phone: '13833330000' },
  // findings before May: E1 fraudulent, E2 two corrected, E3 one corrected, EL fraudulent then lifted
  { id: 'K221', tech: 'E1', completed: '2025-04-15 10:00' },
  { id: 'K222', tech: 'E2', completed: '2025-04-15 11:00' },
  { id: 'K223', tech: 'E2', completed: '2025-04-16 11:00' },
  { id: 'K224', tech: 'E3', completed: '2025-04-16 12:00' },
  { id: 'K225', tech: 'EL', completed: '2025-03-16 12:00' },
];

export const APRIL_CHECKS = [
  V_HEAD,
  ['FK221', '2025-04-20 10:00', 'sup', '虚假', '', '', ''],
  ['FK222', '2025-04-20 10:00', 'sup', '更正', 'C', 'C', 'C'],
  ['FK223', '2025-04-21 10:00', 'sup', '更正', 'C', 'C', 'C'],
  ['FK224', '2025-04-21 10:00', 'sup', '更正', 'C', 'C', 'C'],
  ['FK225', '2025-03-20 10:00', 'sup', '虚假', '', '', ''],
  ['FK225', '2025-04-22 10:00', 'sup', '属实', '', '', ''],
];

// ------------------------------------------------------------------------------------------------
// May.

const fleet: Job[] = Array.from({ length: 200 }, (_, i) => ({
  // one fleet customer, one phone, 200 vehicles (phone follow-ups: no burst either)
  id: `K${3000 + i}`, tech: 'E3', completed: at('2025-05-01 08:00', i * 197), cust: 'FLEET', name: '某物流公司', phone: '021-5555 6666',
  serial: `VIN${pad(i)}`, form: { source: 'phone', submitted: at('2025-05-01 08:00', i * 197 + 2 * 24 * 60) },
}));

/** n forms of tech, k of them all-maximum (AAA), the others BBB; phone follow-ups spread over May. */
function volume(tech: string, n: number, k: number, base: number): Job[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `K${base + i}`, tech, completed: at('2025-05-02 08:00', Math.floor((i * 28 * 24 * 60) / n) + base % 97),
    form: { g: i < k ? 'AAA' : 'BBB', source: 'phone', submitted: at('2025-05-02 08:00', Math.floor((i * 28 * 24 * 60) / n) + base % 97 + 3 * 24 * 60) },
  }));
}

export const MAY: Job[] = [
  // (a) one phone on four customers within 28 days: the fourth fires (3 others), the third does not (2)
  ...['K101', 'K102', 'K103', 'K104'].map((id, i) => ({ id, tech: 'E3', completed: at('2025-05-02 13:00', i * 3 * 24 * 60), cust: `P${i}`, phone: '13811110000' })),
  // (a) across the month boundary
  { id: 'K203', tech: 'E3', completed: '2025-05-08 10:00', cust: 'W3', phone: '13822220000' },
  { id: 'K204', tech: 'E3', completed: '2025-05-01 10:00', cust: 'W6', phone: '+86 138 2222 0000' },
  { id: 'K213', tech: 'E3', completed: '2025-05-08 10:00', cust: 'W7', phone: '13833330000' },
  { id: 'K214', tech: 'E3', completed: '2025-05-01 10:00', cust: 'W8', phone: '13833330000' },
  ...fleet,
  // (b) the serving technician's own phone; another technician's
  { id: 'K111', tech: 'E1', completed: '2025-05-03 10:00', phone: '+86 139-0000-0001' },
  { id: 'K112', tech: 'E1', completed: '2025-05-03 14:00', phone: '13900000002' },
  // (c) before completion; 3 minutes after; exactly at; a date only, same day; a date only, the day before
  { id: 'K121', tech: 'E2', completed: '2025-05-06 10:00', form: { submitted: '2025-05-06 09:55' } },
  { id: 'K122', tech: 'E2', completed: '2025-05-06 13:00', form: { submitted: '2025-05-06 13:03' } },
  { id: 'K123', tech: 'E2', completed: '2025-05-06 16:00', form: { submitted: '2025-05-06 16:00' } },
  { id: 'K124', tech: 'E3', completed: '2025-05-07 15:00', form: { submitted: '2025-05-07' } },
  { id: 'K125', tech: 'E3', completed: '2025-05-09 15:00', form: { submitted: '2025-05-08' } },
  // (c) burst: three customers' online forms within 9 minutes fire; one 11 minutes later does not
  ...['20:00', '20:04', '20:09', '20:20'].map((hm, i) => ({ id: `K13${i}`, tech: 'E2', completed: at('2025-05-12 09:00', i * 60), form: { source: 'online', submitted: `2025-05-12 ${hm}` } })),
  // honest: three vehicles of one customer in one visit, forms on site minutes apart
  ...[0, 1, 2].map((i) => ({ id: `K14${i}`, tech: 'E1', completed: at('2025-05-13 11:00', i * 4), cust: 'V1', name: '某车队', phone: '13855550000', serial: `V1-${i}`, form: { submitted: at('2025-05-13 11:02', i * 4) } })),
  // two customers within 10 minutes: below the threshold of three
  { id: 'K150', tech: 'E1', completed: '2025-05-14 14:00', form: { source: 'online', submitted: '2025-05-14 15:00' } },
  { id: 'K151', tech: 'E1', completed: '2025-05-14 14:30', form: { source: 'online', submitted: '2025-05-14 15:05' } },
  // three customers' phone follow-ups within 10 minutes: a call centre's, not a burst
  ...[0, 1, 2].map((i) => ({ id: `K16${i}`, tech: 'E1', completed: at('2025-05-15 09:00', i * 60), form: { source: 'phone', submitted: at('2025-05-16 10:00', i * 3) } })),
  // (e) an on-site form replaced by the customer's phone form: 6 → 0 fires, 3 → 2 does not, 6 → 2 (exactly 4) fires
  { id: 'K171', tech: 'E1', completed: '2025-05-07 10:00', form: { id: 'FK171b', g: 'CCC', source: 'phone', submitted: '2025-05-09 10:00' } },
  { id: 'K172', tech: 'E1', completed: '2025-05-07 11:00', form: { id: 'FK172b', g: 'BBC', source: 'phone', submitted: '2025-05-09 11:00' } },
  { id: 'K173', tech: 'E1', completed: '2025-05-07 12:00', form: { id: 'FK173b', g: 'BBC', source: 'phone', submitted: '2025-05-09 12:00' } },
  // (d) all-maximum shares: EX 40 of 50 in a team at 70 % (350 of 500); EF 25 of 25 in a team at 30 %;
  // EL 20 forms, 10 all-maximum, compared with the company (T4's others are 5); EY 5 of 5, too few to test
  ...volume('EX', 50, 40, 4000),
  ...[1, 2, 3, 4, 5].flatMap((i) => volume(`EO${i}`, 100, 70, 4100 + i * 100)),
  ...volume('EF', 25, 25, 5000),
  ...volume('EG1', 50, 15, 5100),
  ...volume('EG2', 50, 15, 5200),
  ...volume('EL', 20, 10, 5300),
  ...volume('EY', 5, 5, 5400),
];

/** The on-site forms the phone forms FK171b–FK173b replace: loaded first, so they are the ones kept in history. */
export const MAY_ON_SITE = [
  F_HEAD,
  ['FK171a', 'K171', '2025-05-07 10:05', 'A', 'A', 'A', 'on_site'],
  ['FK172a', 'K172', '2025-05-07 11:05', 'B', 'B', 'B', 'on_site'],
  ['FK173a', 'K173', '2025-05-07 12:05', 'A', 'A', 'A', 'on_site'],
];

export async function load(t: TempWarehouse, kind: KindName, rows: string[][], name = `${kind}.csv`): Promise<void> {
  const b = await ingestFile(t.wh, kind, t.file(name, csv(rows)), { uploadedBy: 'test' });
  if (b.rejected) throw new Error(`${name}: ${b.rejected} rows rejected`);
}

/** The warehouse with teams, technicians, April's and May's jobs and forms (no checks yet), not refreshed. */
export async function fraudWarehouse(): Promise<TempWarehouse> {
  const t = await tempWarehouse();
  await ensureReferenceData(t.wh);
  await load(t, 'teams', TEAMS);
  await load(t, 'technicians', TECHNICIANS);
  await load(t, 'tickets', ticketRows(APRIL), 'april-tickets.csv');
  await load(t, 'feedback', formRows(APRIL), 'april-forms.csv');
  await load(t, 'tickets', ticketRows(MAY), 'may-tickets.csv');
  await load(t, 'feedback', MAY_ON_SITE, 'may-on-site.csv');
  await load(t, 'feedback', formRows(MAY), 'may-forms.csv');
  return t;
}
