/**
 * Working-hour SLA rules (SPEC §4.1, issue 10 item 7), every deadline computed by hand in the
 * comments: window edges (reported at, before and after the window; a deadline exactly at the
 * window's end), a weekend, the Spring Festival holiday, the 调休 make-up Sunday 01-26 and Saturday
 * 02-08, Qingming and Labour Day holidays with another version's window, fractional hours, and
 * pending against the as-of time. Read from fct_ticket_sla (deadlines), the late_tickets view
 * (minutes late) and the real CLI (`kpi --json`). Then the policy side: validation of the unit and
 * the window, and what GET of the versions carries.
 *
 * Working calendar 2025 (data/calendar): 01-26 Sun work, 01-28 … 02-04 rest, 02-08 Sat work,
 * 04-04 … 04-06 rest, 04-27 Sun work, 05-01 … 05-05 rest.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { createPolicyVersion, listPolicyVersions, parsePolicyInput, PolicyError } from '../../pipelines/policy/policy.ts';
import { PROJECT_ROOT } from '../../pipelines/warehouse/warehouse.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;

// From 2025-01: window 08:30–17:30 (the default, 9 h a day), rules in working hours:
//   1. fault `other`: first response within 0.5 working hours;
//   2. everything else: first response within 4, on site within 16 working hours.
// From 2025-04: the same rules (carried over from the version in force), window 09:00–18:00.
const RULES = [
  { priority: 1, name: '其他: 0.5 工作小时内答复', when_fault_category: 'other', first_response_hours: 0.5, hours_unit: 'working' },
  { priority: 2, name: '4 工作小时答复, 16 工作小时到场', first_response_hours: 4, arrival_hours: 16, hours_unit: 'working' },
];

const TICKETS = [
  ['ticket_id', 'reported_at', 'customer_name', 'fault_category', 'distance_km', 'team_id', 'technician_id', 'first_response_at', 'arrived_at', 'completed_at', 'result'],
  // December 2024, default policy (calendar hours, rule 4: on site within 24 h): the 01-01 holiday does not count
  ['D1', '2024-12-31 16:30', 'c', 'body', '20', 'T01', 'E1', '', '2025-01-01 16:30', '', ''], //     deadline 01-01 16:30, exactly → on time
  // January: counting across the Spring Festival (01-28 … 02-04 rest)
  ['H1', '2025-01-27 16:30', 'c', 'body', '20', 'T01', 'E1', '2025-02-05 11:30', '2025-02-06 14:30', '', ''],
  //   response: 1 h on 01-27 (16:30–17:30), then 02-05 3 h → 02-05 11:30 (exactly → on time)
  //   on site: 1 h + 9 h on 02-05 + 6 h on 02-06 → 02-06 14:30 (exactly → on time)
  ['H2', '2025-01-25 20:00', 'c', 'body', '20', 'T01', 'E1', '2025-01-26 12:30', '2025-01-27 15:31', '', ''],
  //   Saturday evening; Sunday 01-26 is a 调休 working day: response 01-26 08:30 + 4 h = 12:30 ✓;
  //   on site 9 h on 01-26 + 7 h on 01-27 → 01-27 15:30, came 15:31 → late by 1 min
  // February
  ['H3', '2025-02-01 10:00', 'c', 'body', '20', 'T01', 'E1', '2025-02-05 12:29', '2025-02-06 15:30', '', ''],
  //   reported on a holiday: counting starts 02-05 08:30 → response 12:30 ✓, on site 9 h + 7 h → 02-06 15:30 ✓
  ['H4', '2025-02-06 14:30', 'c', 'body', '20', 'T01', 'E1', '2025-02-07 09:30', '2025-02-08 12:30', '', ''],
  //   response: 3 h on 02-06, 1 h on 02-07 → 02-07 09:30 ✓; on site: 3 h + 9 h on 02-07 + 4 h on
  //   the make-up Saturday 02-08 → 02-08 12:30 ✓
  ['H5', '2025-02-06 14:30', 'c', 'body', '20', 'T01', 'E1', '2025-02-07 09:00', '2025-02-10 09:00', '', ''],
  //   same deadlines; on site Monday 02-10 09:00 → late (Saturday 02-08 works), by 1 d 20 h 30 min = 2 670 min
  // March: window edges (Monday 03-03, an ordinary week)
  ['W01', '2025-03-03 08:30', 'c', 'body', '20', 'T01', 'E1', '2025-03-03 12:30', '2025-03-04 15:31', '', ''],
  //   at the opening: response 12:30 (exactly ✓); on site 9 h + 7 h → 03-04 15:30, 15:31 → late by 1 min
  ['W02', '2025-03-03 07:00', 'c', 'body', '20', 'T01', 'E1', '2025-03-03 12:31', '2025-03-04 15:30', '', ''],
  //   before the opening: counts from 08:30 → response 12:30, 12:31 → late by 1 min; on site 03-04 15:30 ✓
  ['W03', '2025-03-03 17:30', 'c', 'body', '20', 'T01', 'E1', '2025-03-04 12:30', '2025-03-05 15:30', '', ''],
  //   at the closing: nothing left today → response 03-04 12:30 ✓, on site 03-05 15:30 ✓
  ['W04', '2025-03-03 15:30', 'c', 'body', '20', 'T01', 'E1', '2025-03-04 10:00', '2025-03-05 13:30', '', ''],
  //   2 h left today: response 2 h + 2 h → 03-04 10:30 ✓; on site 2 + 9 + 5 → 03-05 13:30 ✓
  ['W05', '2025-03-03 13:30', 'c', 'body', '20', 'T01', 'E1', '2025-03-03 17:30', '2025-03-05 11:00', '', ''],
  //   response deadline exactly at the window's end, 03-03 17:30 ✓; on site 4 + 9 + 3 → 03-05 11:30 ✓
  ['W06', '2025-03-03 13:30', 'c', 'body', '20', 'T01', 'E1', '2025-03-04 08:30', '2025-03-05 11:30', '', ''],
  //   deadline 03-03 17:30 (the moment the 4 h have elapsed, not the next opening): 03-04 08:30 is
  //   late by 15 h = 900 min of wall-clock time; on site 03-05 11:30 ✓
  ['W07', '2025-03-02 10:00', 'c', 'body', '20', 'T01', 'E1', '2025-03-03 12:00', '2025-03-04 15:00', '', ''],
  //   Sunday: counts from Monday 08:30 → 03-03 12:30 ✓, 03-04 15:30 ✓
  ['W08', '2025-03-03 17:15', 'c', 'other', '20', 'T01', 'E1', '2025-03-04 08:45', '', '', ''],
  //   rule 1, 0.5 h: 15 min today, 15 min tomorrow → 03-04 08:45 (exactly ✓); no on-site requirement
  ['W09', '2025-03-07 17:20', 'c', 'other', '20', 'T01', 'E1', '2025-03-10 08:51', '', '', ''],
  //   Friday 17:20: 10 min, the weekend rests, Monday 20 min → 03-10 08:50; 08:51 → late by 1 min
  ['W10', '2025-03-03 20:00', 'c', 'body', '20', 'T01', 'E1', '', '', '', ''],
  //   after the closing, nothing happened: deadlines 03-04 12:30 and 03-05 15:30, past the as-of time → late
  // April, window 09:00–18:00
  ['A1', '2025-04-03 16:00', 'c', 'body', '20', 'T01', 'E1', '2025-04-07 11:00', '2025-04-08 14:00', '', ''],
  //   2 h on Thursday, Qingming 04-04 … 04-06 rest, Monday 2 h → 04-07 11:00 ✓; on site 2 + 9 + 5 → 04-08 14:00 ✓
  ['A2', '2025-04-30 16:00', 'c', 'body', '20', 'T01', 'E1', '', '', '', ''],
  //   2 h on 04-30, Labour Day 05-01 … 05-05 rest, 2 h on 05-06 → 05-06 11:00; on site 2 + 9 + 5 →
  //   05-07 14:00: both after the as-of time (05-06 10:00) and missing → pending
  ['A3', '2025-04-29 10:00', 'c', 'body', '20', 'T01', 'E1', '2025-04-29 14:00', '2025-04-30 17:00', '2025-05-06 10:00', '已完成'],
  //   response 04-29 14:00 ✓; on site 8 h on 04-29 + 8 h → 04-30 17:00 ✓; its completion 05-06 10:00
  //   is the latest event of any record: the as-of time
];

beforeAll(async () => {
  t = await tempWarehouse();
  await ensureReferenceData(t.wh);
  await ingestFile(t.wh, 'teams', t.file('teams.csv', csv([['team_id', 'team_name', 'region'], ['T01', '一站', '华东']])));
  await ingestFile(t.wh, 'technicians', t.file('tech.csv', csv([['technician_id', 'name', 'team_id'], ['E1', '甲', 'T01']])));
  await createPolicyVersion(t.wh, await parsePolicyInput(t.wh, { effective_from: '2025-01', sla_rules: RULES }), 'admin');
  await createPolicyVersion(t.wh, await parsePolicyInput(t.wh, { effective_from: '2025-04', working_window_start: '09:00', working_window_end: '18:00' }), 'admin');
  const b = await ingestFile(t.wh, 'tickets', t.file('tickets.csv', csv(TICKETS)));
  expect(b.rejected).toBe(0);
  await refreshModels(t.wh);
});
afterAll(() => t.cleanup());

describe('deadlines in working hours (SPEC §4.1)', () => {
  it('fct_ticket_sla: the deadline is the moment the working hours have elapsed', async () => {
    const rows = await t.wh.all(
      `SELECT ticket_id, rule_priority AS rule, rule_hours_unit AS unit,
              strftime(response_deadline, '%Y-%m-%d %H:%M') AS response, strftime(arrival_deadline, '%Y-%m-%d %H:%M') AS arrival, status
       FROM fct_ticket_sla ORDER BY ticket_id`,
    );
    expect(rows).toEqual([
      { ticket_id: 'A1', rule: 2, unit: 'working', response: '2025-04-07 11:00', arrival: '2025-04-08 14:00', status: 'on_time' },
      { ticket_id: 'A2', rule: 2, unit: 'working', response: '2025-05-06 11:00', arrival: '2025-05-07 14:00', status: 'pending' },
      { ticket_id: 'A3', rule: 2, unit: 'working', response: '2025-04-29 14:00', arrival: '2025-04-30 17:00', status: 'on_time' },
      { ticket_id: 'D1', rule: 4, unit: 'calendar', response: null, arrival: '2025-01-01 16:30', status: 'on_time' },
      { ticket_id: 'H1', rule: 2, unit: 'working', response: '2025-02-05 11:30', arrival: '2025-02-06 14:30', status: 'on_time' },
      { ticket_id: 'H2', rule: 2, unit: 'working', response: '2025-01-26 12:30', arrival: '2025-01-27 15:30', status: 'late' },
      { ticket_id: 'H3', rule: 2, unit: 'working', response: '2025-02-05 12:30', arrival: '2025-02-06 15:30', status: 'on_time' },
      { ticket_id: 'H4', rule: 2, unit: 'working', response: '2025-02-07 09:30', arrival: '2025-02-08 12:30', status: 'on_time' },
      { ticket_id: 'H5', rule: 2, unit: 'working', response: '2025-02-07 09:30', arrival: '2025-02-08 12:30', status: 'late' },
      { ticket_id: 'W01', rule: 2, unit: 'working', response: '2025-03-03 12:30', arrival: '2025-03-04 15:30', status: 'late' },
      { ticket_id: 'W02', rule: 2, unit: 'working', response: '2025-03-03 12:30', arrival: '2025-03-04 15:30', status: 'late' },
      { ticket_id: 'W03', rule: 2, unit: 'working', response: '2025-03-04 12:30', arrival: '2025-03-05 15:30', status: 'on_time' },
      { ticket_id: 'W04', rule: 2, unit: 'working', response: '2025-03-04 10:30', arrival: '2025-03-05 13:30', status: 'on_time' },
      { ticket_id: 'W05', rule: 2, unit: 'working', response: '2025-03-03 17:30', arrival: '2025-03-05 11:30', status: 'on_time' },
      { ticket_id: 'W06', rule: 2, unit: 'working', response: '2025-03-03 17:30', arrival: '2025-03-05 11:30', status: 'late' },
      { ticket_id: 'W07', rule: 2, unit: 'working', response: '2025-03-03 12:30', arrival: '2025-03-04 15:30', status: 'on_time' },
      { ticket_id: 'W08', rule: 1, unit: 'working', response: '2025-03-04 08:45', arrival: null, status: 'on_time' },
      { ticket_id: 'W09', rule: 1, unit: 'working', response: '2025-03-10 08:50', arrival: null, status: 'late' },
      { ticket_id: 'W10', rule: 2, unit: 'working', response: '2025-03-04 12:30', arrival: '2025-03-05 15:30', status: 'late' },
    ]);
  });

  it('how late: wall-clock minutes past the deadline', async () => {
    const late = await t.wh.all(`SELECT ticket_id, minutes_late FROM late_tickets WHERE ticket_id IN ('H2', 'H5', 'W01', 'W02', 'W06', 'W09') ORDER BY ticket_id`);
    expect(late).toEqual([
      { ticket_id: 'H2', minutes_late: 1 },
      { ticket_id: 'H5', minutes_late: 2670 },
      { ticket_id: 'W01', minutes_late: 1 },
      { ticket_id: 'W02', minutes_late: 1 },
      { ticket_id: 'W06', minutes_late: 900 },
      { ticket_id: 'W09', minutes_late: 1 },
    ]);
  });

  it('`kpi --json` through the real CLI counts them per month', () => {
    const kpi = (month: string) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'pipelines/cli.ts'), 'kpi', '--month', month, '--json', '--db', t.dbPath], { encoding: 'utf8', cwd: PROJECT_ROOT });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    t.wh.close();
    // December: D1 on time (calendar hours under the default policy)
    expect(kpi('2024-12').tickets).toMatchObject({ due: 1, on_time: 1, late: 0, pending: 0 });
    // January: H1 on time, H2 late
    expect(kpi('2025-01')).toMatchObject({ tickets: { due: 2, on_time: 1, late: 1, pending: 0 }, timeliness_rate: 0.5 });
    // February: H3 H4 on time, H5 late
    expect(kpi('2025-02')).toMatchObject({ tickets: { due: 3, on_time: 2, late: 1, pending: 0 }, timeliness_rate: 2 / 3 });
    // March: W03 W04 W05 W07 W08 on time; W01 W02 W06 W09 W10 late
    expect(kpi('2025-03')).toMatchObject({ tickets: { due: 10, on_time: 5, late: 5, pending: 0 }, timeliness_rate: 0.5 });
    // April: A1 A3 on time, A2 pending (left out of the rate)
    const april = kpi('2025-04');
    expect(april.as_of).toBe('2025-05-06 10:00:00');
    expect(april).toMatchObject({ tickets: { due: 2, on_time: 2, late: 0, pending: 1 }, timeliness_rate: 1 });
  });
});

describe('the policy carries the unit and the window', () => {
  let p: TempWarehouse;
  beforeAll(async () => {
    p = await tempWarehouse();
  });
  afterAll(() => p.cleanup());

  const problems = async (body: Record<string, unknown>) => {
    try {
      await parsePolicyInput(p.wh, { effective_from: '2025-06', ...body });
    } catch (e) {
      if (e instanceof PolicyError) return e.problems;
      throw e;
    }
    return [];
  };

  it('defaults: calendar hours, window 08:30–17:30 (GET of the versions)', async () => {
    const [v] = await listPolicyVersions(p.wh);
    expect(v).toMatchObject({ working_window_start: '08:30', working_window_end: '17:30' });
    expect(v!.sla_rules.map((r) => r.hours_unit)).toEqual(['calendar', 'calendar', 'calendar', 'calendar', 'calendar']);
  });

  it('refuses a bad unit and a bad window, naming the field', async () => {
    expect(await problems({ sla_rules: [{ ...RULES[1], hours_unit: 'weekdays' }] })).toEqual([
      { field: 'sla_rules[0].hours_unit', message: 'sla_rules[0].hours_unit must be calendar or working (hours inside the working window on working days)' },
    ]);
    expect(await problems({ working_window_start: '8:30', working_window_end: '24:01' })).toEqual([
      { field: 'working_window_start', message: 'working_window_start must be a time of day HH:MM (00:00 to 23:59)' },
      { field: 'working_window_end', message: 'working_window_end must be a time of day HH:MM (00:00 to 24:00)' },
    ]);
    expect(await problems({ working_window_start: '17:30', working_window_end: '08:30' })).toEqual([
      { field: 'working_window_end', message: 'working_window_end must be at least one hour after working_window_start (the window lies within one day)' },
    ]);
    expect(await problems({ working_window_start: '09:00', working_window_end: '09:59' })).toHaveLength(1);
    expect(await problems({ working_window_start: '09:00', working_window_end: '10:00' })).toEqual([]);
    // A working-hour deadline must stay on the working calendar: at most 2000 working hours.
    expect(await problems({ sla_rules: [{ ...RULES[1], arrival_hours: 2001 }, { priority: 3, name: '日历', arrival_hours: 2001 }] })).toEqual([
      { field: 'sla_rules[0].arrival_hours', message: 'sla_rules[0].arrival_hours must be at most 2000 working hours' },
    ]);
    expect(await problems({ working_window_start: null })).toEqual([{ field: 'working_window_start', message: 'working_window_start is required' }]);
  });

  it('stores them: a rule without a unit keeps calendar hours; 24:00 ends the window at midnight', async () => {
    const input = await parsePolicyInput(p.wh, {
      effective_from: '2025-06', working_window_start: '00:00', working_window_end: '24:00',
      sla_rules: [RULES[1], { priority: 3, name: '日历小时', arrival_hours: 24 }],
    });
    const { version } = await createPolicyVersion(p.wh, input, 'admin');
    expect(version).toMatchObject({ effective_from: '2025-06', working_window_start: '00:00', working_window_end: '24:00' });
    expect(version.sla_rules.map((r) => [r.priority, r.hours_unit])).toEqual([[2, 'working'], [3, 'calendar']]);
    // A later version inherits the window and the rules with their units.
    const next = await createPolicyVersion(p.wh, await parsePolicyInput(p.wh, { effective_from: '2025-07', spot_check_rate: 0.1 }), 'admin');
    expect(next.version).toMatchObject({ working_window_start: '00:00', working_window_end: '24:00' });
    expect(next.version.sla_rules).toEqual(version.sla_rules);
  });
});
