/**
 * Assessment, bonus sheet, allocations and month close (SPEC §4.3–§4.6, §6) on three hand-built
 * months (April–June 2025, quarter Q2), every figure computed by hand in the comments:
 *
 *   team  technicians   April forms (scores)       May forms                          June forms
 *   T01   E1 E2 E3      8: 4 4 4 4 3 3 3 3 = 28    10 counted = 40 (+1 fraudulent,     3: 2 2 2 = 6
 *                                                 1 corrected E E E → B B B)
 *   T02   E4 E5         3: 1 0 0 = 1               6: 1 1 0 0 0 0 = 2                 2: 3 3 = 6
 *   T03   E7 E8 E9      3: 4 3 3 = 10              100: 67×3 + 33×4 = 333             —
 *   T04   E6            2: 6 6 (all maximum)       2: 6 6 (all maximum)               —
 *   T05   E10 E11 E12   1: 3 (E10)                 —                                  —
 *
 * Jobs per technician: see the builders below; T05 exists for the quarterly reward.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import type { KindName } from '../../pipelines/ingest/kinds.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import {
  AssessmentError,
  clearAllocation,
  closeMonth,
  compareClosed,
  getAllocation,
  getAssessment,
  listAudit,
  listCloses,
  reopenMonth,
  setAllocation,
} from '../../pipelines/assessment/index.ts';
import type { BonusPerson } from '../../pipelines/contract/assessment.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;

const GRADE: Record<number, string> = { 2: 'A', 1: 'B', 0: 'C', [-1]: 'D', [-2]: 'E' };
const clamp = (x: number) => Math.max(-2, Math.min(2, x));
/** Three grades whose points (A=2 … E=−2) add up to `score`. */
function grades(score: number): [string, string, string] {
  const a = clamp(score);
  const b = clamp(score - a);
  return [GRADE[a]!, GRADE[b]!, GRADE[score - a - b]!];
}

const tickets: string[][] = [['ticket_id', 'reported_at', 'customer_name', 'team_id', 'technician_id', 'completed_at', 'result']];
const forms: string[][] = [['form_id', 'ticket_id', 'timeliness', 'quality', 'attitude']];
let seq = 0;
/** Jobs completed on `day` by `tech` for `team`; a score gives the job a form. Returns the ticket ids. */
function jobs(team: string, tech: string, day: string, n: number, scores: (number | null)[] = []): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `K${++seq}`;
    tickets.push([id, `${day} 08:00`, '客户', team, tech, `${day} 10:00`, '已完成']);
    const s = scores[i];
    if (s !== undefined && s !== null) forms.push([`F${id}`, id, ...grades(s)]);
    ids.push(id);
  }
  return ids;
}

// April 2025
jobs('T01', 'E1', '2025-04-10', 3, [4, 4, 4]);
jobs('T01', 'E2', '2025-04-10', 3, [4, 3, 3]);
jobs('T01', 'E3', '2025-04-10', 2, [3, 3]); //               T01: 8 forms, 28 → 3.5 (SPEC worked example)
jobs('T02', 'E4', '2025-04-10', 2, [1, 0]);
jobs('T02', 'E5', '2025-04-10', 1, [0]); //                  T02: 3 forms, 1 → 1/3
jobs('T03', 'E7', '2025-04-10', 1, [4]);
jobs('T03', 'E8', '2025-04-10', 1, [3]);
jobs('T03', 'E9', '2025-04-10', 1, [3]); //                  T03: 3 forms, 10 → 10/3
jobs('T04', 'E6', '2025-04-10', 2, [6, 6]); //               T04: all maximum
jobs('T05', 'E10', '2025-04-10', 4, [3]);
jobs('T05', 'E11', '2025-04-10', 3);
jobs('T05', 'E12', '2025-04-10', 4);
// April company: 8+3+3+2+1 = 17 forms, 28+1+10+12+3 = 54

// May 2025
jobs('T01', 'E1', '2025-05-12', 4, [5, 4, 4, 4]);
jobs('T01', 'E2', '2025-05-12', 4, [4, 4, 4, 4]);
// E3: a normal form (4), the form to be corrected, the fraudulent form, a job without a form
const [, mayCorrected, mayFraud] = jobs('T01', 'E3', '2025-05-12', 4, [4]);
// T01 May: normal forms 5+4·8 = 37 (9 forms); the 10th job's form E E E (−6) is corrected to B B B (3):
// 10 counted forms, 40 → 4.0. The 11th job's form A A A (6) is fraudulent and not counted.
forms.push([`F${mayCorrected}`, mayCorrected!, 'E', 'E', 'E']);
forms.push([`F${mayFraud}`, mayFraud!, 'A', 'A', 'A']);
jobs('T02', 'E4', '2025-05-12', 3, [1, 1, 0]);
jobs('T02', 'E5', '2025-05-12', 3, [0, 0, 0]); //            T02: 6 forms, 2 → 2/6
const t03Scores = [...Array(67).fill(3), ...Array(33).fill(4)] as number[];
jobs('T03', 'E7', '2025-05-12', 34, t03Scores.slice(0, 34));
const mayE7 = tickets.at(-1)![0]!;
jobs('T03', 'E8', '2025-05-12', 34, t03Scores.slice(34, 68));
jobs('T03', 'E9', '2025-05-12', 33, t03Scores.slice(68, 100)); // T03: 101 jobs, 100 forms, 333 → 3.33
jobs('T04', 'E6', '2025-05-12', 2, [6, 6]);
jobs('T05', 'E10', '2025-05-12', 3);
jobs('T05', 'E11', '2025-05-12', 3);
jobs('T05', 'E12', '2025-05-12', 4);
// May company: 10+6+100+2 = 118 forms, 40+2+333+12 = 387

// June 2025
jobs('T01', 'E1', '2025-06-10', 1, [2]);
jobs('T01', 'E2', '2025-06-10', 1, [2]);
jobs('T01', 'E3', '2025-06-10', 1, [2]); //                  T01: 3 forms, 6 → 2.0
jobs('T02', 'E4', '2025-06-10', 1, [3]);
jobs('T02', 'E5', '2025-06-10', 1, [3]); //                  T02: 2 forms, 6 → 3.0
jobs('T05', 'E10', '2025-06-10', 3); //                      Q2 jobs: E10 4+3+3 = 10
jobs('T05', 'E11', '2025-06-10', 3); //                               E11 3+3+3 = 9
jobs('T05', 'E12', '2025-06-10', 4); //                               E12 4+4+4 = 12, complaint in April
// June company: 5 forms, 12

const VERIFICATIONS = [
  ['form_id', 'verified_at', 'verified_by', 'outcome', 'timeliness', 'quality', 'attitude'],
  [`F${mayCorrected}`, '2025-05-20 10:00', '王监督', '更正', 'B', 'B', 'B'],
  [`F${mayFraud}`, '2025-05-20 10:00', '王监督', '虚假', '', '', ''],
];

const COMPLAINTS = [
  ['complaint_id', 'received_at', 'ticket_id', 'team_id', 'technician_id', 'attributable', 'severity'],
  ['C1', '2025-05-15 09:00', '', 'T01', 'E1', '是', '轻微'], //  −100
  ['C2', '2025-05-15 09:00', '', 'T01', 'E2', '是', '较重'], //  −300
  ['C3', '2025-05-15 09:00', '', 'T01', 'E3', 'yes', 'severe'], // −500
  ['C4', '2025-05-15 09:00', '', 'T02', 'E4', '否', '严重'], //  not attributable: nothing
  ['C5', '2025-05-15 09:00', '', 'T02', 'E5', '待定', '较重'], // pending: nothing
  ['C6', '2025-05-15 09:00', '', 'T04', 'E6', '是', ''], //      no severity: charged as minor, −100
  ['C7', '2025-05-15 09:00', mayE7, '', '', '是', '轻微'], //     responsible technician from the ticket (E7), −100
  ['C8', '2025-04-20 09:00', '', 'T05', 'E12', '是', '轻微'], // April −100; cancels E12's Q2 reward
];

const ADJUSTMENTS = [
  ['technician_id', 'month', 'amount', 'reason', 'approved_by'],
  ['E2', '2025-05', '200', '合理化建议被采纳', '李经理'],
  ['E4', '2025-05', '-50', '工具丢失', '李经理'],
];

const TEAMS = [['team_id', 'team_name', 'region'], ['T01', '一站', '华东'], ['T02', '二站', '华东'], ['T03', '三站', '华南'], ['T04', '四站', '华南'], ['T05', '五站', '华北']];
const TECHNICIANS = [
  ['technician_id', 'name', 'team_id'],
  ['E1', '甲', 'T01'], ['E2', '乙', 'T01'], ['E3', '丙', 'T01'],
  ['E4', '丁', 'T02'], ['E5', '戊', 'T02'],
  ['E6', '己', 'T04'],
  ['E7', '庚', 'T03'], ['E8', '辛', 'T03'], ['E9', '壬', 'T03'],
  ['E10', '癸', 'T05'], ['E11', '子', 'T05'], ['E12', '丑', 'T05'],
];

async function load(kind: KindName, rows: string[][], name = `${kind}.csv`) {
  const b = await ingestFile(t.wh, kind, t.file(name, csv(rows)));
  expect(b.rejected, kind).toBe(0);
}

const person = (technician_id: string, team_id: string, satisfaction_share: number, complaint_penalty = 0, quarterly_reward = 0, adjustments = 0): BonusPerson => ({
  technician_id, team_id, satisfaction_share, complaint_penalty, forged_form_penalty: 0, quarterly_reward, adjustments,
  total: satisfaction_share + complaint_penalty + quarterly_reward + adjustments,
  forged_forms: 0, forged_form_ids: [],
});
/** The same line with forms found fraudulent this month (SPEC §4.4): −1000 each by default, flagged for HR. */
const forged = (p: BonusPerson, ids: string[], each = -1000): BonusPerson => ({
  ...p, forged_form_penalty: each * ids.length, total: p.total + each * ids.length, forged_forms: ids.length, forged_form_ids: ids,
});
const unit = (team_id: string | null, forms: number, total: number, prevForms: number, prevTotal: number, outcome: string, amount: number) => ({
  unit: team_id === null ? 'company' : 'team', team_id,
  forms, total_score: total, mean_score: forms ? total / forms : null,
  prev_forms: prevForms, prev_total_score: prevTotal, prev_mean_score: prevForms ? prevTotal / prevForms : null,
  outcome, amount,
});

/** A policy version from `month` (with its grade points and SLA rules), the defaults but for `set`. */
async function copyPolicy(month: string, set: string) {
  const M = `${month}-01`;
  await t.wh.run(`INSERT INTO policy_version SELECT * REPLACE (DATE '${M}' AS effective_from, ${set}, 'test' AS note) FROM policy_version WHERE effective_from = DATE '2000-01-01'`);
  await t.wh.run(`INSERT INTO policy_grade_point SELECT DATE '${M}', grade, points FROM policy_grade_point WHERE effective_from = DATE '2000-01-01'`);
  await t.wh.run(`INSERT INTO policy_sla_rule SELECT * REPLACE (DATE '${M}' AS effective_from) FROM policy_sla_rule WHERE effective_from = DATE '2000-01-01'`);
}

beforeAll(async () => {
  t = await tempWarehouse();
  await load('teams', TEAMS);
  await load('technicians', TECHNICIANS);
  await load('tickets', tickets);
  await load('feedback', forms);
  await load('verifications', VERIFICATIONS);
  await load('complaints', COMPLAINTS);
  await load('adjustments', ADJUSTMENTS);
  await refreshModels(t.wh);
});
afterAll(() => t.cleanup());

describe('month-over-month assessment (SPEC §4.3)', () => {
  it('April: no counted form in March → no_basis, except all-maximum T04 → reward', async () => {
    const a = await getAssessment(t.wh, '2025-04');
    expect(a.units).toEqual([
      unit(null, 17, 54, 0, 0, 'no_basis', 0),
      unit('T01', 8, 28, 0, 0, 'no_basis', 0),
      unit('T02', 3, 1, 0, 0, 'no_basis', 0),
      unit('T03', 3, 10, 0, 0, 'no_basis', 0),
      // every counted form has the maximum (+6): reward "whatever last month was", even none
      unit('T04', 2, 12, 0, 0, 'reward', 1000),
      unit('T05', 1, 3, 0, 0, 'no_basis', 0),
    ]);
    expect(a.units[1]!.mean_score).toBe(3.5);
  });

  it('May: the SPEC worked example (3.5 → 4.0, reward 1000), Δ = 0, penalty, all-maximum, no forms', async () => {
    const a = await getAssessment(t.wh, '2025-05');
    expect(a.month).toBe('2025-05');
    expect(a.closed).toBeNull();
    expect(a.units).toEqual([
      // 387·17 = 6579 > 54·118 = 6372 → reward
      unit(null, 118, 387, 17, 54, 'reward', 1000),
      // worked example: 40·8 = 320 > 28·10 = 280 → Δ = +0.5 → reward 1000
      unit('T01', 10, 40, 8, 28, 'reward', 1000),
      // 2/6 against 1/3: 2·3 = 6 = 1·6 → Δ = 0 → none
      unit('T02', 6, 2, 3, 1, 'none', 0),
      // 3.33 against 3.333…: 333·3 = 999 < 10·100 = 1000 → penalty. Means rounded for display
      // (3.33 and 3.33) would call this Δ = 0; the integer comparison does not.
      unit('T03', 100, 333, 3, 10, 'penalty', -1000),
      // all maximum again: Δ = 0 but the special rule rewards
      unit('T04', 2, 12, 2, 12, 'reward', 1000),
      // no counted form this month → no_basis, last month still shown
      unit('T05', 0, 0, 1, 3, 'no_basis', 0),
    ]);
    expect(a.units[1]).toMatchObject({ mean_score: 4, prev_mean_score: 3.5 });
    expect(a.units[2]!.mean_score).toBe(a.units[2]!.prev_mean_score);
  });

  it('counts corrected forms with their corrected grades and leaves fraudulent forms out', async () => {
    const rows = await t.wh.all(
      `SELECT counted, score FROM fct_forms WHERE form_id IN ($1, $2) ORDER BY form_id = $2`,
      [`F${mayCorrected}`, `F${mayFraud}`],
    );
    expect(rows).toEqual([{ counted: true, score: 3 }, { counted: false, score: 6 }]);
    // with the original E E E (−6) T01 would have 31 ÷ 10 = 3.1 < 3.5, a penalty; with the
    // fraudulent form 11 forms: the unit shows 10 forms, 40
  });

  it('June: penalty for T01 and the company, reward for T02, no_basis without forms', async () => {
    const a = await getAssessment(t.wh, '2025-06');
    expect(a.units).toEqual([
      unit(null, 5, 12, 118, 387, 'penalty', -1000), // 12·118 = 1416 < 387·5 = 1935
      unit('T01', 3, 6, 10, 40, 'penalty', -1000),
      unit('T02', 2, 6, 6, 2, 'reward', 1000),
      unit('T03', 0, 0, 100, 333, 'no_basis', 0),
      unit('T04', 0, 0, 2, 12, 'no_basis', 0),
      unit('T05', 0, 0, 0, 0, 'no_basis', 0),
    ]);
  });
});

describe('bonus sheet (SPEC §4.4, §4.5)', () => {
  it('May: largest-remainder split, complaint penalties by severity, adjustments', async () => {
    const a = await getAssessment(t.wh, '2025-05');
    expect(a.people).toEqual([
      // T01 +1000 over jobs 4/4/4: 333.33 each → 333 each, 1 yuan left → tie on remainder and
      // jobs → E1 (technician_id) gets 334
      person('E1', 'T01', 334, -100),
      person('E2', 'T01', 333, -300, 0, 200),
      // the fraudulent May form (verified 2025-05-20) of E3's job: −1000 in May, flagged for HR
      forged(person('E3', 'T01', 333, -500), [`F${mayFraud}`]),
      // T02 none → 0; C4 not attributable; E5 (C5 pending) has nothing and is not listed
      person('E4', 'T02', 0, 0, 0, -50),
      // T03 −1000 over jobs 34/34/33 of 101: 336.63, 336.63, 326.73 → 336 + 336 + 326 = 998;
      // the 2 yuan left go to the largest remainders: E9 (.73), then E7 (tie with E8 on
      // remainder and jobs, first by id)
      person('E7', 'T03', -337, -100), // C7 charged through its ticket
      person('E8', 'T03', -336),
      person('E9', 'T03', -327),
      person('E6', 'T04', 1000, -100), // C6 without severity: minor
    ]);
    // the team parts add up to the team amounts exactly
    const byTeam = new Map<string, number>();
    for (const p of a.people) byTeam.set(p.team_id!, (byTeam.get(p.team_id!) ?? 0) + p.satisfaction_share);
    expect(Object.fromEntries(byTeam)).toEqual({ T01: 1000, T02: 0, T03: -1000, T04: 1000 });
  });

  it('April: complaint penalty in the received month', async () => {
    const a = await getAssessment(t.wh, '2025-04');
    expect(a.people).toEqual([person('E6', 'T04', 1000), person('E12', 'T05', 0, -100)]);
  });

  it('June: −1000 over 1/1/1 → −334/−333/−333; quarterly reward at 10 jobs, not 9, not after a complaint', async () => {
    const a = await getAssessment(t.wh, '2025-06');
    expect(a.people).toEqual([
      person('E1', 'T01', -334),
      person('E2', 'T01', -333),
      person('E3', 'T01', -333),
      person('E4', 'T02', 500),
      person('E5', 'T02', 500),
      // E7: 35 Q2 jobs but C7 (May, attributable) → no reward. E8 35, E9 34 jobs: reward, in
      // their technicians-table team (no June job)
      person('E8', 'T03', 0, 0, 500),
      person('E9', 'T03', 0, 0, 500),
      person('E10', 'T05', 0, 0, 500), // exactly 10 jobs; E11 (9) and E12 (C8 in April) get nothing
    ]);
    const q = await t.wh.all(`SELECT technician_id, quarter_jobs, quarterly_reward FROM mart_bonus_person WHERE month = '2025-06-01' AND technician_id IN ('E8', 'E10') ORDER BY 1`);
    expect(q).toEqual([{ technician_id: 'E10', quarter_jobs: 10, quarterly_reward: 500 }, { technician_id: 'E8', quarter_jobs: 35, quarterly_reward: 500 }]);
  });
});

describe("a manager's split (SPEC §4.5)", () => {
  const base = { month: '2025-05', team_id: 'T01', by: 'mgr.li', reason: '按贡献分配' };

  it('is refused when the parts do not add up, name another team, or flip the sign', async () => {
    const refused = async (parts: { technician_id: string; amount: number }[]) => {
      try {
        await setAllocation(t.wh, { ...base, parts });
      } catch (e) {
        expect(e).toBeInstanceOf(AssessmentError);
        return (e as AssessmentError).problems.map((p) => p.code);
      }
      throw new Error('accepted');
    };
    expect(await refused([{ technician_id: 'E1', amount: 500 }, { technician_id: 'E2', amount: 400 }, { technician_id: 'E3', amount: 0 }])).toEqual(['sum_mismatch']);
    expect(await refused([{ technician_id: 'E1', amount: 500 }, { technician_id: 'E2', amount: 300 }, { technician_id: 'E4', amount: 200 }])).toEqual(['not_in_team']);
    expect(await refused([{ technician_id: 'E1', amount: 1200 }, { technician_id: 'E2', amount: -200 }])).toEqual(['wrong_sign']);
    expect(await refused([{ technician_id: 'E1', amount: 999.995 }, { technician_id: 'E2', amount: 0.005 }])).toEqual(['bad_amount', 'bad_amount']);
    await expect(setAllocation(t.wh, { ...base, reason: ' ', parts: [{ technician_id: 'E1', amount: 1000 }] })).rejects.toThrow(/reason is required/);
    // nothing was written
    expect((await t.wh.one<{ n: number }>('SELECT count(*) AS n FROM allocation_override'))!.n).toBe(0);
    expect(await listAudit(t.wh, { action: 'allocation.set' })).toEqual([]);
  });

  it('is accepted when it adds up, and the bonus sheet pays it', async () => {
    const r = await setAllocation(t.wh, { ...base, parts: [{ technician_id: 'E1', amount: 500 }, { technician_id: 'E2', amount: 300 }, { technician_id: 'E3', amount: 200 }] });
    expect(r.amount).toBe(1000);
    expect(r.override).toMatchObject({ set_by: 'mgr.li', reason: '按贡献分配', applied: true });
    expect(r.members.map((m) => [m.technician_id, m.jobs, m.computed, m.override, m.paid])).toEqual([
      ['E1', 4, 334, 500, 500],
      ['E2', 4, 333, 300, 300],
      ['E3', 4, 333, 200, 200],
    ]);
    const a = await getAssessment(t.wh, '2025-05');
    expect(a.people.filter((p) => p.team_id === 'T01')).toEqual([
      person('E1', 'T01', 500, -100),
      person('E2', 'T01', 300, -300, 0, 200),
      forged(person('E3', 'T01', 200, -500), [`F${mayFraud}`]),
    ]);
    const [audit] = await listAudit(t.wh, { action: 'allocation.set' });
    expect(audit).toMatchObject({ actor: 'mgr.li', target: '2025-05/T01', detail: { team_amount: 1000, reason: '按贡献分配', previous: null } });
    expect((audit!.detail as { parts: unknown[] }).parts).toEqual([
      { technician_id: 'E1', amount: 500 }, { technician_id: 'E2', amount: 300 }, { technician_id: 'E3', amount: 200 },
    ]);
  });

  it('a full rebuild keeps the override; clearing it restores the computed split', async () => {
    await refreshModels(t.wh, { full: true });
    expect((await getAssessment(t.wh, '2025-05')).people.find((p) => p.technician_id === 'E1')!.satisfaction_share).toBe(500);
    // set it on T03 and clear it again
    await setAllocation(t.wh, { month: '2025-05', team_id: 'T03', by: 'mgr.wang', reason: 'x', parts: [{ technician_id: 'E7', amount: -1000 }] });
    // E8 and E9 get nothing from it and have no other part: they leave the sheet
    expect((await getAssessment(t.wh, '2025-05')).people.filter((p) => p.team_id === 'T03').map((p) => [p.technician_id, p.satisfaction_share])).toEqual([['E7', -1000]]);
    const cleared = await clearAllocation(t.wh, { month: '2025-05', team_id: 'T03', by: 'mgr.wang', reason: '撤销' });
    expect(cleared.override).toBeNull();
    expect(cleared.members.map((m) => m.paid)).toEqual([-337, -336, -327]);
  });
});

describe('policy versions (SPEC §5)', () => {
  it('a reward of 2000 from June changes June only', async () => {
    await copyPolicy('2025-06', '2000 AS mom_reward_amount');
    // a full rebuild: every month is recomputed, and only those from June take the new amount
    await refreshModels(t.wh, { full: true });
    const june = await getAssessment(t.wh, '2025-06');
    expect(june.units.map((u) => [u.team_id, u.amount])).toEqual([[null, -1000], ['T01', -1000], ['T02', 2000], ['T03', 0], ['T04', 0], ['T05', 0]]);
    expect(june.people.filter((p) => p.team_id === 'T02').map((p) => p.satisfaction_share)).toEqual([1000, 1000]);
    const may = await getAssessment(t.wh, '2025-05');
    expect(may.units.map((u) => u.amount)).toEqual([1000, 1000, 0, -1000, 1000, 0]);
    expect((await getAssessment(t.wh, '2025-04')).units.find((u) => u.team_id === 'T04')!.amount).toBe(1000);
  });

  it("per_point mode pays Δ × rate in whole yuan, computed exactly", async () => {
    await t.wh.run(`UPDATE policy_version SET mom_mode = 'per_point', mom_amount_per_point = 1000 WHERE effective_from = DATE '2025-06-01'`);
    await refreshModels(t.wh, { full: true });
    const june = await getAssessment(t.wh, '2025-06');
    expect(june.units.map((u) => [u.team_id, u.outcome, u.amount])).toEqual([
      [null, 'penalty', -880], // (12·118 − 387·5) ÷ (5·118) = −519/590 = −0.8797 → −879.66 → −880
      ['T01', 'penalty', -2000], // 6/3 − 40/10 = −2
      ['T02', 'reward', 2667], // 6/2 − 2/6 = 8/3 → 2666.67 → 2667
      ['T03', 'no_basis', 0], ['T04', 'no_basis', 0], ['T05', 'no_basis', 0],
    ]);
    // 2667 over 1/1 job: 1333.5 each → 1333 + 1333, the yuan left to E4 (tie, first by id)
    expect(june.people.filter((p) => p.team_id === 'T02').map((p) => p.satisfaction_share)).toEqual([1334, 1333]);
    await t.wh.run(`UPDATE policy_version SET mom_mode = 'fixed', mom_amount_per_point = NULL WHERE effective_from = DATE '2025-06-01'`);
    await refreshModels(t.wh, { full: true });
    expect((await getAssessment(t.wh, '2025-06')).units.map((u) => u.amount)).toEqual([-1000, -1000, 2000, 0, 0, 0]);
  });
});

describe('month close (SPEC §4.6)', () => {
  let frozen: Awaited<ReturnType<typeof getAssessment>>;

  it('freezes the month with who and when', async () => {
    const live = await getAssessment(t.wh, '2025-05');
    const c = await closeMonth(t.wh, { month: '2025-05', by: 'hr.zhao' });
    expect(c).toMatchObject({ month: '2025-05', closed_by: 'hr.zhao', reopened_at: null });
    frozen = await getAssessment(t.wh, '2025-05');
    expect(frozen.closed).toEqual({ by: 'hr.zhao', at: c.closed_at });
    expect({ ...frozen, closed: null }).toEqual(live);
    await expect(closeMonth(t.wh, { month: '2025-05', by: 'hr.zhao' })).rejects.toMatchObject({ code: 'already_closed' });
    await expect(setAllocation(t.wh, { month: '2025-05', team_id: 'T01', by: 'mgr.li', reason: 'r', parts: [{ technician_id: 'E1', amount: 1000 }] }))
      .rejects.toMatchObject({ code: 'month_closed' });
    expect((await compareClosed(t.wh, '2025-05')).differs).toBe(false);
  });

  it('late data for the closed month leaves the frozen figures alone and shows what would differ', async () => {
    // a T02 job completed in May by E5 with a form A A A (+6), arriving after the close
    await load('tickets', [tickets[0]!, ['L1', '2025-05-20 08:00', '客户', 'T02', 'E5', '2025-05-20 10:00', '已完成']], 'late-tickets.csv');
    await load('feedback', [forms[0]!, ['FL1', 'L1', 'A', 'A', 'A']], 'late-forms.csv');
    const r = await refreshModels(t.wh);
    expect(r.full).toBe(false);
    expect(r.months).toContain('2025-05');

    expect(await getAssessment(t.wh, '2025-05')).toEqual(frozen);

    const cmp = await compareClosed(t.wh, '2025-05');
    expect(cmp.differs).toBe(true);
    // T02 now 7 forms, 8 → 8·3 = 24 > 1·7 → reward 1000, over jobs E4 3 / E5 4: 428.57 / 571.43
    // → 428 + 571 = 999, the yuan left to E4 (.57 > .43) → 429 / 571
    expect(cmp.units.map((d) => [d.key, d.fields])).toEqual([
      ['company', ['forms', 'total_score', 'mean_score']],
      ['T02', ['forms', 'total_score', 'mean_score', 'outcome', 'amount']],
    ]);
    expect(cmp.units[1]!.live).toEqual(unit('T02', 7, 8, 3, 1, 'reward', 1000));
    expect(cmp.units[0]!.live).toEqual(unit(null, 119, 393, 17, 54, 'reward', 1000));
    expect(cmp.people).toEqual([
      { key: 'E4', frozen: person('E4', 'T02', 0, 0, 0, -50), live: person('E4', 'T02', 429, 0, 0, -50), fields: ['satisfaction_share', 'total'] },
      { key: 'E5', frozen: null, live: person('E5', 'T02', 571), fields: ['technician_id', 'team_id', 'satisfaction_share', 'complaint_penalty', 'forged_form_penalty', 'quarterly_reward', 'adjustments', 'total', 'forged_forms', 'forged_form_ids'] },
    ]);
  });

  it('reopening needs a reason, then the live figures are served', async () => {
    await expect(reopenMonth(t.wh, { month: '2025-05', by: 'admin', reason: '' })).rejects.toMatchObject({ code: 'reason_required' });
    await expect(reopenMonth(t.wh, { month: '2025-04', by: 'admin', reason: 'x' })).rejects.toMatchObject({ code: 'not_closed' });
    const r = await reopenMonth(t.wh, { month: '2025-05', by: 'admin', reason: '补录5月反馈表' });
    expect(r).toMatchObject({ reopened_by: 'admin', reopen_reason: '补录5月反馈表' });
    const a = await getAssessment(t.wh, '2025-05');
    expect(a.closed).toBeNull();
    expect(a.units.find((u) => u.team_id === 'T02')).toMatchObject({ outcome: 'reward', amount: 1000 });
    expect(a.people.find((p) => p.technician_id === 'E5')).toEqual(person('E5', 'T02', 571));
    expect(await compareClosed(t.wh, '2025-05')).toMatchObject({ closed: null, differs: false });
    // the reopened close and its snapshot are kept
    expect((await listCloses(t.wh, '2025-05')).map((c) => [c.closed_by, c.reopened_by])).toEqual([['hr.zhao', 'admin']]);
    expect((await t.wh.one<{ n: number }>(`SELECT count(*) AS n FROM closed_bonus_person`))!.n).toBe(frozen.people.length);
  });

  it('writes every close, reopen and allocation to the audit log', async () => {
    const log = await listAudit(t.wh, { target: '2025-05' });
    expect(log.map((e) => [e.action, e.actor, e.target])).toEqual([
      ['month.reopen', 'admin', '2025-05'],
      ['month.close', 'hr.zhao', '2025-05'],
      ['allocation.clear', 'mgr.wang', '2025-05/T03'],
      ['allocation.set', 'mgr.wang', '2025-05/T03'],
      ['allocation.set', 'mgr.li', '2025-05/T01'],
    ]);
    expect(log[0]!.detail).toMatchObject({ reason: '补录5月反馈表', closed_by: 'hr.zhao' });
    expect(log[1]!.detail).toMatchObject({ units: 6, people: 8, total: frozen.people.reduce((s, p) => s + p.total, 0) });
  });
});

describe('refresh', () => {
  it('incremental refreshes give the same marts as a full rebuild', async () => {
    // a complaint in April changes April and, through the quarter, June
    await load('complaints', [COMPLAINTS[0]!, ['C9', '2025-04-21 09:00', '', 'T03', 'E8', '是', '较重']], 'late-complaints.csv');
    await refreshModels(t.wh);
    const june = await getAssessment(t.wh, '2025-06');
    expect(june.people.find((p) => p.technician_id === 'E8')).toBeUndefined(); // Q2 reward cancelled
    const snap = async () => [
      await t.wh.all(`SELECT * FROM mart_assessment_unit ORDER BY month, unit, team_id`),
      await t.wh.all(`SELECT * FROM mart_bonus_person ORDER BY month, technician_id`),
    ];
    const incremental = await snap();
    await refreshModels(t.wh, { full: true });
    expect(await snap()).toEqual(incremental);
  });

  it('getAllocation of a team without an override', async () => {
    const a = await getAllocation(t.wh, '2025-06', 'T01');
    expect(a).toMatchObject({ amount: -1000, outcome: 'penalty', closed: false, override: null });
    expect(a.members.map((m) => m.paid)).toEqual([-334, -333, -333]);
  });
});

describe('an override whose team amount changed', () => {
  it('is ignored, and the computed split applies, until the manager sets a new one', async () => {
    // a policy from May paying 1500: T01's May reward becomes 1500, the split 500/300/200 no longer adds up
    await copyPolicy('2025-05', '1500 AS mom_reward_amount');
    await refreshModels(t.wh, { full: true });
    const a = await getAllocation(t.wh, '2025-05', 'T01');
    expect(a.amount).toBe(1500);
    expect(a.override).toMatchObject({ set_by: 'mgr.li', applied: false });
    expect(a.members.map((m) => [m.technician_id, m.override, m.paid])).toEqual([['E1', 500, 500], ['E2', 300, 500], ['E3', 200, 500]]);
    const b = await setAllocation(t.wh, { month: '2025-05', team_id: 'T01', by: 'mgr.li', reason: '新政策', parts: [{ technician_id: 'E1', amount: 700 }, { technician_id: 'E2', amount: '500.5' as unknown as number }, { technician_id: 'E3', amount: 299.5 }] });
    expect(b.override).toMatchObject({ applied: true });
    expect(b.members.map((m) => m.paid)).toEqual([700, 500.5, 299.5]);
    const [audit] = await listAudit(t.wh, { action: 'allocation.set', target: '2025-05/T01' });
    expect((audit!.detail as { previous: unknown }).previous).toEqual([
      { technician_id: 'E1', amount: 500 }, { technician_id: 'E2', amount: 300 }, { technician_id: 'E3', amount: 200 },
    ]);
  });
});

describe('before the first refresh', () => {
  it('an assessment read says the models are not built (409 no_models), not an internal error', async () => {
    const empty = await tempWarehouse();
    try {
      await expect(getAssessment(empty.wh, '2025-05')).rejects.toMatchObject({ code: 'no_models', kind: 'conflict' });
    } finally {
      empty.cleanup();
    }
  });
});

describe("a manager's split: amounts out of range (issue 11)", () => {
  it('refuses amounts that are not finite, too large or with more than two decimals, listing each, and writes nothing', async () => {
    const base = { month: '2025-05', team_id: 'T01', by: 'mgr.li', reason: '越界金额' };
    const before = (await t.wh.one<{ n: number }>('SELECT count(*) AS n FROM allocation_override'))!.n;
    const refusal = async (parts: { technician_id: string; amount: number | string }[]) => {
      try {
        await setAllocation(t.wh, { ...base, parts: parts as { technician_id: string; amount: number }[] }); // text amounts arrive through JSON
      } catch (e) {
        expect(e).toBeInstanceOf(AssessmentError);
        return e as AssessmentError;
      }
      throw new Error('accepted');
    };
    const one = await refusal([{ technician_id: 'E1', amount: 1e16 }, { technician_id: 'E2', amount: 0 }]);
    expect([one.kind, one.code, one.problems.map((p) => [p.code, p.technician_id])]).toEqual(['refused', 'bad_amount', [['bad_amount', 'E1']]]);
    expect(one.message).toMatch(/E1: amount 10000000000000000 is larger than 1,000,000,000 yuan/);
    const many = await refusal([{ technician_id: 'E1', amount: Number.POSITIVE_INFINITY }, { technician_id: 'E2', amount: '-1e12' }, { technician_id: 'E3', amount: 1.001 }]);
    expect([many.code, many.problems.map((p) => p.technician_id)]).toEqual(['invalid_allocation', ['E1', 'E2', 'E3']]);
    expect((await t.wh.one<{ n: number }>('SELECT count(*) AS n FROM allocation_override'))!.n).toBe(before);
  });
});
