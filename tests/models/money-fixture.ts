/**
 * A hand-built warehouse for money and forged forms (issue 10 items 4–5; SPEC §4 "cost per job",
 * "fee anomalies", "forged forms", §4.4), every figure worked out by hand in the tests that use it
 * (tests/models/money.test.ts, tests/models/forged.test.ts, tests/server/money.test.ts).
 *
 *   team T1 (华东): E1 甲 (phone 13812345678), E2 乙 (no phone) · team T2 (华南): E3 丙 (15900001111)
 *
 *   ticket  tech  done        service   customer          parts labour travel  fee   fee anomaly
 *   K9      E1    2025-04-18  free      in_warranty           0     40     10    70   free_service + in_warranty (April)
 *   K10     E1    2025-04-20  paid      out_of_warranty       0      0      0     0   —   form F1 A A A
 *   K11     E2    2025-04-25  paid      out_of_warranty       0      0      0     0   —   form F2 B B B
 *   K1      E1    2025-05-06  free      in_warranty         100     50     20    80   free_service + in_warranty
 *   K2      E1    2025-05-07  paid      in_warranty         200    100      0   300   in_warranty
 *   K3      E2    2025-05-08  free      out_of_warranty       0     60     40    50   free_service
 *   K4      E2    2025-05-09  paid      out_of_warranty     300    120     30   450   — (paid, out of warranty)   form F4 B B B
 *   K5      E3    2025-05-10  contract  annual_contract       0     80     20     0   —   form F3 A A A
 *   K6      E3    2025-05-11  free      in_warranty          10     10     10     0   — (no fee)
 *   K7      E3    2025-05-12  (none)    (none)               40      0      0   100   — (types not recorded)
 *   K8      E2    cancelled   free      in_warranty           —      —      —   100   — (not a job)
 *   K12     E2    2025-06-01  paid      out_of_warranty       0      0      0     0   —   form F5 C C C
 *
 *   verifications (抽查核实)
 *   F1  fraudulent 2025-05-03                          → E1 charged in May (the job was April's)
 *   F2  fraudulent 2025-04-28, confirmed 2025-05-15    → charged in April until the May check lifts it
 *   F3  fraudulent 2025-05-20, fraudulent 2025-06-02   → E3 charged once, in May (2 findings)
 *   F4  confirmed 2025-05-22                           → nothing
 *   F5  fraudulent 2025-06-03                          → E2 charged in June, at June's policy (−500)
 */
import { expect } from 'vitest';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import type { KindName } from '../../pipelines/ingest/kinds.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';

export const TEAMS = [['team_id', 'team_name', 'region'], ['T1', '一组', '华东'], ['T2', '二组', '华南']];
export const TECHNICIANS = [
  ['technician_id', 'name', 'team_id', '手机号'],
  ['E1', '甲', 'T1', '13812345678'],
  ['E2', '乙', 'T1', ''],
  ['E3', '丙', 'T2', '15900001111'],
];

const T_HEAD = [
  'ticket_id', 'reported_at', 'customer_name', 'contact_phone', 'address', 'team_id', 'technician_id', 'customer_type', 'service_type',
  'completed_at', 'result', 'parts_cost', 'labor_cost', 'travel_cost', 'fee_charged',
];
const job = (id: string, tech: string, team: string, day: string, service: string, customer: string, parts: number, labor: number, travel: number, fee: number) =>
  [id, `${day} 08:00`, '宋子豪', '13912345678', '上海市浦东新区张江路1号', team, tech, customer, service, `${day} 12:00`, 'completed', parts, labor, travel, fee];

export const TICKETS = [
  T_HEAD,
  job('K9', 'E1', 'T1', '2025-04-18', 'free', 'in_warranty', 0, 40, 10, 70),
  job('K10', 'E1', 'T1', '2025-04-20', 'paid', 'out_of_warranty', 0, 0, 0, 0),
  job('K11', 'E2', 'T1', '2025-04-25', 'paid', 'out_of_warranty', 0, 0, 0, 0),
  job('K1', 'E1', 'T1', '2025-05-06', 'free', 'in_warranty', 100, 50, 20, 80),
  job('K2', 'E1', 'T1', '2025-05-07', 'paid', 'in_warranty', 200, 100, 0, 300),
  job('K3', 'E2', 'T1', '2025-05-08', 'free', 'out_of_warranty', 0, 60, 40, 50),
  job('K4', 'E2', 'T1', '2025-05-09', 'paid', 'out_of_warranty', 300, 120, 30, 450),
  job('K5', 'E3', 'T2', '2025-05-10', 'contract', 'annual_contract', 0, 80, 20, 0),
  job('K6', 'E3', 'T2', '2025-05-11', 'free', 'in_warranty', 10, 10, 10, 0),
  job('K7', 'E3', 'T2', '2025-05-12', '', '', 40, 0, 0, 100),
  ['K8', '2025-05-12 08:00', '客户', '', '', 'T1', 'E2', 'in_warranty', 'free', '', 'cancelled', '', '', '', 100],
  job('K12', 'E2', 'T1', '2025-06-01', 'paid', 'out_of_warranty', 0, 0, 0, 0),
];

export const FORMS = [
  ['form_id', 'ticket_id', 'submitted_at', 'timeliness', 'quality', 'attitude'],
  ['F1', 'K10', '2025-04-20 13:00', 'A', 'A', 'A'],
  ['F2', 'K11', '2025-04-25 13:00', 'B', 'B', 'B'],
  ['F3', 'K5', '2025-05-10 13:00', 'A', 'A', 'A'],
  ['F4', 'K4', '2025-05-09 13:00', 'B', 'B', 'B'],
  ['F5', 'K12', '2025-06-01 13:00', 'C', 'C', 'C'],
];

export const V_HEAD = ['form_id', 'verified_at', 'verified_by', 'outcome', 'timeliness', 'quality', 'attitude', 'note'];
const v = (form: string, at: string, outcome: string, note = '') => [form, at, '王监督', outcome, '', '', '', note];
/** The checks known at first: F2 still stands as fraudulent (its confirmation comes later). */
export const VERIFICATIONS_FIRST = [
  V_HEAD,
  v('F1', '2025-05-03 10:00', 'fraudulent', '签名非客户本人'),
  v('F2', '2025-04-28 10:00', 'fraudulent', '表单由服务人员代填'),
  v('F3', '2025-05-20 10:00', 'fraudulent', '客户未填写'),
  v('F4', '2025-05-22 10:00', 'confirmed'),
  v('F5', '2025-06-03 10:00', 'fraudulent', '客户未填写'),
];
/** Later checks: F2 re-checked and confirmed (lifts April's finding); F3 found fraudulent again (no second charge). */
export const VERIFICATIONS_LATER = [V_HEAD, v('F2', '2025-05-15 10:00', 'confirmed', '复核属实'), v('F3', '2025-06-02 10:00', 'fraudulent', '复核仍虚假')];

export async function load(t: TempWarehouse, kind: KindName, rows: (string | number)[][], name = `${kind}.csv`): Promise<void> {
  const b = await ingestFile(t.wh, kind, t.file(name, csv(rows)));
  expect(b.rejected, `${kind}: ${JSON.stringify(b)}`).toBe(0);
}

/** Teams, technicians, tickets and forms (no verifications yet); models not built. */
export async function moneyWarehouse(): Promise<TempWarehouse> {
  const t = await tempWarehouse();
  await ensureReferenceData(t.wh);
  await load(t, 'teams', TEAMS);
  await load(t, 'technicians', TECHNICIANS);
  await load(t, 'tickets', TICKETS);
  await load(t, 'feedback', FORMS);
  return t;
}
