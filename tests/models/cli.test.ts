/**
 * The machine interface of SPEC §6 through the real CLI: `kpi --json` has the contract's shape and
 * the same figures as the models; a bad month is refused with a non-zero exit; and hand-computed
 * worked examples of issue 10 (pending clocks, first-time fix, follow-up, dissatisfaction reasons,
 * the all-maximum rule with changed grade points) read through `kpi --json` / `assessment --json`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { generate } from '../../pipelines/generate/generate.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { createPolicyVersion, parsePolicyInput } from '../../pipelines/policy/policy.ts';
import { PROJECT_ROOT } from '../../pipelines/warehouse/warehouse.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;
let expected: Record<string, number>;

beforeAll(async () => {
  t = await tempWarehouse();
  await ensureReferenceData(t.wh);
  for (const f of await generate({ out: join(t.dir, 'demo'), months: 2, tickets: 2000, seed: 9, dirty: false, end: '2025-05' })) {
    await ingestFile(t.wh, f.kind, f.file);
  }
  await refreshModels(t.wh);
  expected = (await t.wh.one(
    `SELECT count(*) FILTER (WHERE status IN ('on_time', 'late')) AS due, count(*) FILTER (WHERE status = 'on_time') AS on_time
     FROM fct_ticket_sla WHERE month = DATE '2025-05-01' AND team_id = 'T01'`,
  ))!;
  t.wh.close();
});
afterAll(() => t.cleanup());

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'pipelines/cli.ts'), ...args, '--db', t.dbPath], { encoding: 'utf8', cwd: PROJECT_ROOT });
}

it('kpi --json prints the SPEC §6 object', () => {
  const r = cli('kpi', '--month', '2025-05', '--team', 'T01', '--json');
  expect(r.status, r.stderr).toBe(0);
  const k = JSON.parse(r.stdout);
  expect(Object.keys(k)).toEqual(expect.arrayContaining(['month', 'tickets', 'timeliness_rate', 'feedback', 'satisfaction_rate', 'complaints', 'complaint_rate']));
  expect(Object.keys(k.tickets)).toEqual(expect.arrayContaining(['completed', 'due', 'on_time', 'late', 'pending']));
  expect(Object.keys(k.feedback)).toEqual(expect.arrayContaining(['forms', 'total_score', 'mean_score', 'satisfied']));
  expect(Object.keys(k.complaints)).toEqual(expect.arrayContaining(['received', 'attributable']));
  expect(k.month).toBe('2025-05');
  expect(k.tickets.due).toBe(expected.due);
  expect(k.tickets.on_time).toBe(expected.on_time);
  expect(k.timeliness_rate).toBe(expected.on_time! / expected.due!);
  expect(k.feedback.mean_score).toBe(k.feedback.total_score / k.feedback.forms);
});

it('refuses a malformed month', () => {
  const r = cli('kpi', '--month', '2025-13', '--json');
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('month must be YYYY-MM, got "2025-13"');
});

it('assessment --json prints {month, units, people} with the SPEC §6 fields; close and reopen', () => {
  const r = cli('assessment', '--month', '2025-05', '--json');
  expect(r.status, r.stderr).toBe(0);
  const a = JSON.parse(r.stdout);
  expect(a.month).toBe('2025-05');
  const company = a.units.find((u: { unit: string }) => u.unit === 'company');
  expect(company.team_id).toBeNull();
  for (const u of a.units) {
    expect(Object.keys(u)).toEqual(expect.arrayContaining(['unit', 'team_id', 'forms', 'total_score', 'mean_score', 'prev_forms', 'prev_total_score', 'prev_mean_score', 'outcome', 'amount']));
    expect(['reward', 'penalty', 'none', 'no_basis']).toContain(u.outcome);
  }
  expect(a.people.length).toBeGreaterThan(0);
  for (const p of a.people) {
    expect(Object.keys(p)).toEqual(expect.arrayContaining(['technician_id', 'team_id', 'satisfaction_share', 'complaint_penalty', 'quarterly_reward', 'adjustments', 'total']));
    // SPEC §4.5: satisfaction share + complaint penalties + forged-form penalties + quarterly reward + adjustments = total
    expect(p.total).toBe(p.satisfaction_share + p.complaint_penalty + p.forged_form_penalty + p.quarterly_reward + p.adjustments);
  }
  // The shares of a team add up to its amount.
  for (const u of a.units.filter((u: { unit: string }) => u.unit === 'team')) {
    const sum = a.people.filter((p: { team_id: string }) => p.team_id === u.team_id).reduce((s: number, p: { satisfaction_share: number }) => s + p.satisfaction_share, 0);
    expect(sum, u.team_id).toBe(u.amount);
  }
  expect(cli('close', '--month', '2025-05', '--by', 'hr1').status).toBe(0);
  expect(JSON.parse(cli('assessment', '--month', '2025-05', '--json').stdout).closed.by).toBe('hr1');
  const noReason = cli('reopen', '--month', '2025-05');
  expect(noReason.status).toBe(2);
  expect(cli('reopen', '--month', '2025-05', '--reason', '补录反馈表', '--by', 'admin').status).toBe(0);
});

// ------------------------------------------------------------------------------------------------
// Worked examples (issue 10), every figure by hand, read through the real CLI: pending beside every
// running clock, first-time fix (needs_return, re-opened inside / just outside the window, window
// not yet over), follow-up, dissatisfaction reasons, and the all-maximum rule with changed points.

describe('worked examples through `kpi --json` and `assessment --json`', () => {
  let w: TempWarehouse;
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'pipelines/cli.ts'), ...args, '--json', '--db', w.dbPath], { encoding: 'utf8', cwd: PROJECT_ROOT });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  // A ticket at 20 km (SLA rule 4: on site within 24 h), on site an hour after the report, for
  // team T01 / E1. `done` is the completion time; the report is 2 h before it.
  const minus = (at: string, h: number) => new Date(Date.parse(`${at.replace(' ', 'T')}:00Z`) - h * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
  const job = (id: string, done: string, result = '已完成', followup = '') => [id, minus(done, 2), '客户', '20', 'T01', 'E1', minus(done, 1), done, result, '', followup];
  const report = (id: string, at: string, repeatOf = '') => [id, at, '客户', '20', 'T01', 'E1', '', '', '', repeatOf, ''];

  // The as-of time is X1's report, 2025-06-05 12:00: the latest event of any record.
  const TICKETS = [
    ['ticket_id', 'reported_at', 'customer_name', 'distance_km', 'team_id', 'technician_id', 'arrived_at', 'completed_at', 'result', 'repeat_of', 'followup_at'],
    // March and April under the policy version from 2025-03 (A = 3): the all-maximum rule
    job('M1', '2025-03-10 10:00'), job('M2', '2025-03-11 10:00'),
    job('M3', '2025-04-10 10:00'), job('M4', '2025-04-11 10:00'),
    // May: 30-day first-time-fix and 7-day follow-up windows against the as-of time 06-05 12:00
    job('J1', '2025-05-01 10:00', '已完成', '2025-05-08 10:00'), //   window over 05-31 → fixed; follow-up exactly 7 d ✓
    job('J2', '2025-05-02 10:00', '需返修', '2025-05-09 10:01'), //   needs_return → not fixed; follow-up 7 d 1 min ✗
    job('J3', '2025-05-03 10:00'), //                                re-opened by R1 exactly 30 d later → not fixed; no follow-up, window over ✗
    job('J4', '2025-05-04 10:00', '已完成', '2025-05-05 09:00'), //   R2 comes 1 min after its window (over 06-03 10:00) → fixed; ✓
    job('J5', '2025-05-10 10:00', '已完成', '2025-05-12 10:00'), //   window open to 06-09 10:00 → pending; ✓
    job('J6', '2025-05-30 10:00', '需返修'), //                       needs_return: not fixed at once; no follow-up yet, window to 06-06 10:00 → pending
    // June: re-open reports, never completed (SLA: R1, R2 late — on-site deadline passed; X1 pending)
    report('R1', '2025-06-02 10:00', 'J3'), report('R2', '2025-06-03 10:01', 'J4'), report('X1', '2025-06-05 12:00'),
  ];
  const FORMS = [
    ['form_id', 'ticket_id', 'submitted_at', 'timeliness', 'quality', 'attitude', 'overall', 'reasons'],
    ['G1', 'M1', '2025-03-12', 'A', 'A', 'A', '', ''], //  9 = 3 × A's 3 points: the maximum
    ['G2', 'M2', '2025-03-12', 'A', 'A', 'A', '', ''], //  9
    ['G3', 'M3', '2025-04-12', 'A', 'A', 'C', '', ''], //  6: the maximum under the default points, not under A = 3
    ['G4', 'M4', '2025-04-12', 'A', 'A', 'C', '', ''], //  6
    ['F1', 'J1', '2025-05-05', 'A', 'A', 'A', '很满意', ''],
    ['F2', 'J2', '2025-05-06', 'C', 'D', 'D', '不满意', '服务态度、速度'], //  attitude, speed
    ['F3', 'J3', '2025-05-07', 'B', 'B', 'B', '满意', '技术水平、speed'], //    skill, speed — satisfied, still counted
    ['F4', 'J4', '2025-05-08', 'D', 'D', 'D', '不满意', 'speed;skill;attitude'], // all three
    ['F5', 'J5', '2025-05-12', 'A', 'A', 'A', '很满意', '服务态度'], //         found fraudulent below: not counted
  ];
  const VERIFICATIONS = [
    ['form_id', 'verified_at', 'verified_by', 'outcome'],
    ['F5', '2025-06-01 10:00', 'sup1', '虚假'],
  ];
  // June complaints (2025-06-03 … 06-10 are ordinary working days): 24 h response and resolution
  // by the end of the 3rd working day after the day of receipt.
  const COMPLAINTS = [
    ['complaint_id', 'received_at', 'attributable', 'responded_at', 'resolved_at'],
    ['C1', '2025-06-05 09:00', '否', '', ''], //                                  response due 06-06 09:00, resolution 06-10 24:00 → both pending
    ['C2', '2025-06-04 10:00', '否', '2025-06-04 11:00', ''], //                  responded ✓; resolution due 06-09 24:00 → pending
    ['C3', '2025-06-03 10:00', '否', '', '2025-06-05 11:00'], //                  no response by 06-04 10:00 ✗; resolved by 06-06 24:00 ✓
  ];

  beforeAll(async () => {
    w = await tempWarehouse();
    await ensureReferenceData(w.wh);
    await ingestFile(w.wh, 'teams', w.file('teams.csv', csv([['team_id', 'team_name', 'region'], ['T01', '一站', '华东']])));
    await ingestFile(w.wh, 'technicians', w.file('tech.csv', csv([['technician_id', 'name', 'team_id'], ['E1', '甲', 'T01']])));
    // From March the best grade is worth 3: the maximum form score is 3 × 3 = 9 (one source).
    await createPolicyVersion(w.wh, await parsePolicyInput(w.wh, { effective_from: '2025-03', grade_points: { A: 3, B: 1, C: 0, D: -1, E: -3 } }), 'admin');
    for (const [kind, rows] of [['tickets', TICKETS], ['feedback', FORMS], ['verifications', VERIFICATIONS], ['complaints', COMPLAINTS]] as const) {
      const b = await ingestFile(w.wh, kind, w.file(`${kind}.csv`, csv(rows as string[][])));
      expect(b.rejected, kind).toBe(0);
    }
    await refreshModels(w.wh);
    w.wh.close();
  });
  afterAll(() => w.cleanup());

  it('May: first-time fix and follow-up decided or pending against the as-of time; reasons per counted form', () => {
    const k = run('kpi', '--month', '2025-05');
    expect(k.as_of).toBe('2025-06-05 12:00:00');
    expect(k.tickets).toMatchObject({ completed: 6, due: 6, on_time: 6, late: 0, pending: 0 });
    // decided: J1 J4 fixed, J2 J6 needs_return, J3 re-opened; J5 pending → 2 of 5
    expect(k.first_time_fix).toEqual({ decided: 5, fixed: 2, pending: 1 });
    expect(k.first_time_fix_rate).toBe(0.4);
    // due: J1 ✓ J2 ✗ J3 ✗ J4 ✓ J5 ✓; J6 pending → 3 of 5
    expect(k.followup).toEqual({ due: 5, followed_up: 3, pending: 1 });
    expect(k.followup_rate).toBe(0.6);
    // counted forms F1–F4 (F5 fraudulent): attitude F2 F4, skill F3 F4, speed F2 F3 F4
    expect(k.feedback.forms).toBe(4);
    expect(k.feedback.reasons).toEqual({ attitude: 2, skill: 2, speed: 3 });
    expect(k.feedback.reason_shares).toEqual({ attitude: 0.5, skill: 0.5, speed: 0.75 });
  });

  it('June: the pending count beside every running clock', () => {
    const k = run('kpi', '--month', '2025-06');
    // R1 (on site by 06-03 10:00) and R2 (by 06-04 10:01) late; X1 (by 06-06 12:00) pending
    expect(k.tickets).toEqual({ reported: 3, completed: 0, due: 2, on_time: 0, late: 2, pending: 1 });
    expect(k.timeliness_rate).toBe(0);
    expect(k.complaints).toEqual({
      received: 3, attributable: 0,
      response_due: 2, responded_in_time: 1, response_pending: 1, response_rate: 0.5,
      resolution_due: 1, resolved_in_time: 1, resolution_pending: 2, resolution_rate: 1,
    });
    expect(k.first_time_fix).toEqual({ decided: 0, fixed: 0, pending: 0 });
    expect(k.first_time_fix_rate).toBeNull();
    expect(k.followup_rate).toBeNull();
  });

  it('all-maximum with the best grade at 3 points: 9 is the maximum, 6 is not', () => {
    // March: every counted form scores 9 → reward although February had no form (no basis otherwise)
    const march = run('assessment', '--month', '2025-03');
    for (const unit of ['company', 'team']) {
      expect(march.units.find((u: { unit: string }) => u.unit === unit), unit).toMatchObject({
        forms: 2, total_score: 18, mean_score: 9, prev_forms: 0, outcome: 'reward', amount: 1000,
      });
    }
    // April: both forms score 6, the maximum under the default points but not under A = 3 →
    // no all-maximum reward; Δ = 6 − 9 < 0 → penalty
    const april = run('assessment', '--month', '2025-04');
    expect(april.units.find((u: { unit: string }) => u.unit === 'company')).toMatchObject({
      forms: 2, total_score: 12, mean_score: 6, prev_forms: 2, prev_total_score: 18, outcome: 'penalty', amount: -1000,
    });
    expect(run('kpi', '--month', '2025-03').feedback).toMatchObject({ forms: 2, total_score: 18, mean_score: 9 });
  });
});
