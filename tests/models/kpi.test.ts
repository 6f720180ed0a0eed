/**
 * KPIs of SPEC §4 on a small hand-built month, every figure computed by hand in the comments:
 * each SLA rule and its boundary, pending, cancelled, grade notations, corrected and fraudulent
 * verifications, a replaced form, complaint clocks across a holiday and a 调休 Saturday,
 * first-time fix, follow-up, cost, and a policy version that applies from its own month only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { getKpi } from '../../pipelines/reads/kpi.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;

const TICKETS = [
  ['ticket_id', 'reported_at', 'customer_name', 'fault_category', 'distance_km', 'needs_supplier', 'team_id', 'technician_id', 'first_response_at', 'arrived_at', 'completed_at', 'result', 'repeat_of', 'parts_cost', 'labor_cost', 'travel_cost', 'followup_at'],
  // rule 1 chassis/engine, response exactly 12 h → on time
  ['T1', '2025-05-03 08:00', 'c', '底盘发动机', '50', '否', 'T01', 'E1', '2025-05-03 20:00', '', '2025-05-04 10:00', '已完成', '', '100', '50', '10.50', '2025-05-08 10:00'],
  // rule 1, 12 h 01 min → late by 1 min
  ['T2', '2025-05-03 08:00', 'c', 'chassis_engine', '50', '否', 'T01', 'E1', '2025-05-03 20:01', '', '2025-05-04 10:00', '已完成', '', '', '', '', '2025-05-20 10:00'],
  // rule 2 over 100 km: response 11 h → on time (late arrival does not matter)
  ['T3', '2025-05-03 08:00', 'c', '车身', '150', '否', 'T01', 'E1', '2025-05-03 19:00', '2025-05-06 08:00', '2025-05-06 12:00', '已完成', '', '', '', '', ''],
  // rule 3 needs supplier wins over rule 4: response 13 h → late by 60 min
  ['T4', '2025-05-03 08:00', 'c', '车身', '50', '是', 'T01', 'E1', '2025-05-03 21:00', '2025-05-03 12:00', '2025-05-03 15:00', '已完成', '', '', '', '', ''],
  // rule 4 at exactly 100 km: arrival exactly 24 h → on time
  ['T5', '2025-05-03 08:00', 'c', '车身', '100', '否', 'T01', 'E1', '', '2025-05-04 08:00', '2025-05-04 12:00', '已完成', '', '', '', '', ''],
  // rule 4: arrival 25 h → late by 60 min
  ['T6', '2025-05-03 08:00', 'c', '车身', '20', '否', 'T01', 'E1', '', '2025-05-04 09:00', '2025-05-04 12:00', '已完成', '', '', '', '', ''],
  // rule 5 distance unknown: 10 h response, 47 h arrival → on time
  ['T7', '2025-05-03 08:00', 'c', '车身', '', '否', 'T01', 'E1', '2025-05-03 18:00', '2025-05-05 07:00', '2025-05-05 10:00', '已完成', '', '', '', '', ''],
  // rule 5: 49 h arrival → late by 60 min
  ['T8', '2025-05-03 08:00', 'c', '车身', '', '否', 'T01', 'E2', '2025-05-03 18:00', '2025-05-05 09:00', '2025-05-05 10:00', '已完成', '', '', '', '', ''],
  // arrival missing past its deadline (06-01 10:00): the as-of time is the latest event of any
  // record, C2's resolution 2025-06-05 09:00 (SPEC §4) → late by 3 d 23 h = 5 700 min
  ['T9', '2025-05-31 10:00', 'c', '车身', '20', '否', 'T01', 'E2', '', '', '', '', '', '', '', '', ''],
  // on time (the latest ticket event of May, but not the as-of time: see T9)
  ['T10', '2025-05-31 20:00', 'c', '车身', '5', '否', 'T01', 'E2', '', '2025-05-31 21:00', '2025-05-31 22:00', '已完成', '', '', '', '', ''],
  // arrival missing past its deadline (05-11 08:00) → late by 25 d 1 h = 36 060 min at the as-of time
  ['T11', '2025-05-10 08:00', 'c', '车身', '20', '否', 'T01', 'E2', '', '', '', '', '', '', '', '', ''],
  // cancelled → left out
  ['T12', '2025-05-12 08:00', 'c', '车身', '20', '否', 'T01', 'E2', '', '', '', '已取消', '', '', '', '', ''],
  // on time; re-opens T1 within 30 days → T1 is not a first-time fix
  ['T13', '2025-05-25 08:00', 'c', '其他', '5', '否', 'T01', 'E2', '', '2025-05-25 09:00', '2025-05-25 10:00', '已完成', 'T1', '', '', '', ''],
  // June: arrival missing, deadline 06-06 08:00 after the as-of time (06-05 09:00) → pending
  ['T14', '2025-06-05 08:00', 'c', '车身', '20', '否', 'T01', 'E2', '', '', '', '', '', '', '', '', ''],
];

const FORMS = [
  ['form_id', 'ticket_id', 'submitted_at', 'timeliness', 'quality', 'attitude', 'overall'],
  ['F1', 'T1', '2025-05-05', 'A', 'b', '优', ''], //                 2+1+2 = 5, no overall, ≥ 3 → satisfied
  ['F2', 'T2', '2025-05-05', 'c', '-1', '中', '满意'], //             0−1+0 = −1, overall satisfied → satisfied
  ['F3', 'T3', '2025-05-07', 'E', 'E', 'E', ''], //                 −6, corrected below to A A A = 6 → satisfied
  ['F4', 'T4', '2025-05-05', 'A', 'A', 'A', '很满意'], //            fraudulent below → not counted
  ['F5', 'T5', '2025-05-05', 'B', 'B', 'B', ''], //                 replaced by F6
  ['F6', 'T5', '2025-05-09', 'C', 'C', 'C', '不满意'], //            0, dissatisfied
  ['F7', 'T6', '2025-05-05', 'D', 'D', 'B', '一般'], //              −1−1+1 = −1, neutral → not satisfied
];
// Counted: F1 5, F2 −1, F3 6, F6 0, F7 −1 → n = 5, total = 9, mean = 1.8, satisfied 3 → 0.6.

const VERIFICATIONS = [
  ['form_id', 'verified_at', 'verified_by', 'outcome', 'timeliness', 'quality', 'attitude'],
  ['F3', '2025-06-02 10:00', '王监督', '属实', '', '', ''],
  ['F3', '2025-06-03 10:00', '王监督', '更正', 'A', 'A', 'A'], // the latest verification decides
  ['F4', '2025-06-02 10:00', '王监督', '虚假', '', '', ''],
];

const COMPLAINTS = [
  ['complaint_id', 'received_at', 'ticket_id', 'attributable', 'severity', 'responded_at', 'resolved_at'],
  // Thu 05-29; working days after it: Fri 05-30 (1), [Sat 31 – Mon 06-02 端午 holiday], Tue 06-03 (2), Wed 06-04 (3)
  ['C1', '2025-05-29 10:00', 'T1', '是', '轻微', '2025-05-30 09:59', '2025-06-04 20:00'], // response 23:59 ✓, resolved ✓
  ['C2', '2025-05-29 10:00', 'T2', '否', '', '2025-05-30 10:00', '2025-06-05 09:00'], //        response exactly 24 h ✓, resolved ✗
  // Thu 02-06; Fri 02-07 (1), Sat 02-08 调休 working day (2), Mon 02-10 (3) → deadline end of 02-10
  ['C3', '2025-02-06 10:00', '', '是', '较重', '2025-02-07 11:00', '2025-02-10 18:00'], //     response 25 h ✗, resolved ✓ (thanks to Saturday)
  ['C4', '2025-02-06 10:00', '', '待定', '', '', '2025-02-11 09:00'], //                        resolved ✗
];

beforeAll(async () => {
  t = await tempWarehouse();
  await ensureReferenceData(t.wh);
  await ingestFile(t.wh, 'teams', t.file('teams.csv', csv([['team_id', 'team_name', 'region'], ['T01', '一站', '华东']])));
  await ingestFile(t.wh, 'technicians', t.file('tech.csv', csv([['technician_id', 'name', 'team_id'], ['E1', '甲', 'T01'], ['E2', '乙', 'T01']])));
  for (const [kind, rows] of [['tickets', TICKETS], ['feedback', FORMS], ['verifications', VERIFICATIONS], ['complaints', COMPLAINTS]] as const) {
    const b = await ingestFile(t.wh, kind, t.file(`${kind}.csv`, csv(rows as string[][])));
    expect(b.rejected, kind).toBe(0);
  }
  await refreshModels(t.wh);
});
afterAll(() => t.cleanup());

describe('timeliness (SPEC §4.1)', () => {
  it('applies the first matching rule with its boundary, and classifies pending and late', async () => {
    // how late comes from the late_tickets view (the moving part is computed at read time)
    const rows = await t.wh.all(
      `SELECT s.ticket_id, s.rule_priority AS rule, s.status, l.minutes_late
       FROM fct_ticket_sla s LEFT JOIN late_tickets l USING (ticket_id) ORDER BY CAST(substr(s.ticket_id, 2) AS INT)`,
    );
    expect(rows).toEqual([
      { ticket_id: 'T1', rule: 1, status: 'on_time', minutes_late: null },
      { ticket_id: 'T2', rule: 1, status: 'late', minutes_late: 1 },
      { ticket_id: 'T3', rule: 2, status: 'on_time', minutes_late: null },
      { ticket_id: 'T4', rule: 3, status: 'late', minutes_late: 60 },
      { ticket_id: 'T5', rule: 4, status: 'on_time', minutes_late: null },
      { ticket_id: 'T6', rule: 4, status: 'late', minutes_late: 60 },
      { ticket_id: 'T7', rule: 5, status: 'on_time', minutes_late: null },
      { ticket_id: 'T8', rule: 5, status: 'late', minutes_late: 60 },
      { ticket_id: 'T9', rule: 4, status: 'late', minutes_late: 5700 },
      { ticket_id: 'T10', rule: 4, status: 'on_time', minutes_late: null },
      { ticket_id: 'T11', rule: 4, status: 'late', minutes_late: 36060 },
      { ticket_id: 'T13', rule: 4, status: 'on_time', minutes_late: null },
      { ticket_id: 'T14', rule: 4, status: 'pending', minutes_late: null },
    ]);
    expect(await t.wh.one(`SELECT strftime(as_of, '%Y-%m-%d %H:%M') AS as_of FROM data_as_of`)).toEqual({ as_of: '2025-06-05 09:00' });
  });

  it('gives the month rate over due tickets only', async () => {
    const k = await getKpi(t.wh, '2025-05');
    expect(k.tickets).toEqual({ reported: 12, completed: 10, due: 12, on_time: 6, late: 6, pending: 0 });
    expect(k.timeliness_rate).toBe(6 / 12);
    const june = await getKpi(t.wh, '2025-06');
    expect(june.tickets).toMatchObject({ reported: 1, due: 0, pending: 1 });
    expect(june.timeliness_rate).toBeNull();
  });
});

describe('satisfaction (SPEC §4.2)', () => {
  it('counts forms with verifications applied and the replaced form left out', async () => {
    const k = await getKpi(t.wh, '2025-05');
    expect(k.feedback).toMatchObject({ forms: 5, total_score: 9, mean_score: 1.8, satisfied: 3, verified: 2, discrepant: 2 });
    expect(k.satisfaction_rate).toBe(0.6);
    // item means over counted forms: timeliness 2+0+2+0−1 = 3, quality 1−1+2+0−1 = 1, attitude 2+0+2+0+1 = 5
    expect(k.feedback.item_means).toEqual({ timeliness: 0.6, quality: 0.2, attitude: 1 });
    expect(k.feedback.coverage).toBe(5 / 10); // T1 T2 T3 T5 T6 have a counted form, of 10 jobs
    expect(k.spot_check_rate).toBe(2 / 6); // F3, F4 verified, of 6 current forms
    expect(k.discrepancy_rate).toBe(1);
  });

  it('team and technician scopes add up to the company', async () => {
    const team = await getKpi(t.wh, '2025-05', { scope: 'team', id: 'T01' });
    const e1 = await getKpi(t.wh, '2025-05', { scope: 'technician', id: 'E1' });
    const e2 = await getKpi(t.wh, '2025-05', { scope: 'technician', id: 'E2' });
    const region = await getKpi(t.wh, '2025-05', { scope: 'region', id: '华东' });
    expect(team.feedback.total_score).toBe(9);
    expect(region.tickets.due).toBe(12);
    expect(e1.tickets.due + e2.tickets.due).toBe(12);
    expect(e1.feedback.forms + e2.feedback.forms).toBe(5);
  });
});

describe('complaints, first-time fix, follow-up, cost', () => {
  it('complaint rate and clocks across the 端午 holiday', async () => {
    const k = await getKpi(t.wh, '2025-05');
    // every clock of C1 and C2 is decided by the as-of time (06-05 09:00): nothing pending
    expect(k.complaints).toEqual({
      received: 2, attributable: 1, response_rate: 1, resolution_rate: 0.5,
      response_due: 2, responded_in_time: 2, response_pending: 0, resolution_due: 2, resolved_in_time: 1, resolution_pending: 0,
    });
    expect(k.complaint_rate).toBe(1 / 10);
  });

  it('resolution deadline counts a 调休 Saturday as a working day', async () => {
    const rows = await t.wh.all(`SELECT complaint_id, strftime(resolution_deadline, '%Y-%m-%d %H:%M') AS deadline, responded_in_time, resolved_in_time FROM fct_complaints ORDER BY 1`);
    expect(rows).toEqual([
      { complaint_id: 'C1', deadline: '2025-06-05 00:00', responded_in_time: true, resolved_in_time: true },
      { complaint_id: 'C2', deadline: '2025-06-05 00:00', responded_in_time: true, resolved_in_time: false },
      { complaint_id: 'C3', deadline: '2025-02-11 00:00', responded_in_time: false, resolved_in_time: true },
      { complaint_id: 'C4', deadline: '2025-02-11 00:00', responded_in_time: false, resolved_in_time: false },
    ]);
    const feb = await getKpi(t.wh, '2025-02');
    // C4 never responded, its 24 h long past: late, not pending
    expect(feb.complaints).toEqual({
      received: 2, attributable: 1, response_rate: 0, resolution_rate: 0.5,
      response_due: 2, responded_in_time: 0, response_pending: 0, resolution_due: 2, resolved_in_time: 1, resolution_pending: 0,
    });
    expect(feb.complaint_rate).toBeNull(); // no jobs in February: no data, not 0 %
    expect(feb.timeliness_rate).toBeNull();
  });

  it('first-time fix, follow-up within 7 days, cost per job', async () => {
    const k = await getKpi(t.wh, '2025-05');
    // 30-day windows against the as-of time 06-05 09:00: T1 re-opened by T13 (05-25) → not fixed;
    // T2, T4–T8 windows ended 06-02 … 06-04 → fixed; T3 (completed 05-06 12:00, window to 06-05
    // 12:00), T10 and T13 still open → pending. 6 fixed of 7 decided.
    expect(k.first_time_fix).toEqual({ decided: 7, fixed: 6, pending: 3 });
    expect(k.first_time_fix_rate).toBe(6 / 7);
    // 7-day windows: T1 followed up on day 4 ✓, T2 on day 16 ✗; T3–T8 and T13 never, windows over ✗;
    // T10 (completed 05-31 22:00, window to 06-07 22:00) pending. 1 of 9.
    expect(k.followup).toEqual({ due: 9, followed_up: 1, pending: 1 });
    expect(k.followup_rate).toBe(1 / 9);
    expect(k.cost_per_job).toBe(16.05);
  });
});

describe('policy versions (SPEC §5)', () => {
  it('a version from June leaves May as it was; one from May changes May', async () => {
    const base = `INSERT INTO policy_version SELECT * REPLACE (DATE '$M' AS effective_from, 6 AS satisfied_min_score, 'test' AS note) FROM policy_version WHERE effective_from = DATE '2000-01-01'`;
    const grades = `INSERT INTO policy_grade_point SELECT DATE '$M', grade, points FROM policy_grade_point WHERE effective_from = DATE '2000-01-01'`;
    const rules = `INSERT INTO policy_sla_rule SELECT * REPLACE (DATE '$M' AS effective_from) FROM policy_sla_rule WHERE effective_from = DATE '2000-01-01'`;
    for (const s of [base, grades, rules]) await t.wh.run(s.replace('$M', '2025-06-01'));
    await refreshModels(t.wh, { full: true });
    expect((await getKpi(t.wh, '2025-05')).feedback.satisfied).toBe(3);
    for (const s of [base, grades, rules]) await t.wh.run(s.replace('$M', '2025-05-01'));
    await refreshModels(t.wh, { full: true });
    // threshold 6: F1 (5, no overall) is no longer satisfied; F2 (overall 满意) and F3 (6) are
    expect((await getKpi(t.wh, '2025-05')).feedback.satisfied).toBe(2);
  });
});
