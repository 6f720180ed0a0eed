/**
 * Forged forms have consequences (issue 10 item 5; SPEC §4 "forged forms", §4.4, §4.5): a form found
 * fraudulent costs the technician of its ticket the policy penalty in the month of the verification
 * (not of the job), flags the person on the bonus sheet for HR with the form ids, counts per team and
 * technician, and a later check moves or lifts it — the incremental refresh rebuilding the month of
 * every verification concerned. Hand-built data in money-fixture.ts; the CLI's `assessment --json`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMonth, compareClosed, getAssessment } from '../../pipelines/assessment/index.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { createPolicyVersion, parsePolicyInput } from '../../pipelines/policy/policy.ts';
import { PROJECT_ROOT } from '../../pipelines/warehouse/warehouse.ts';
import type { TempWarehouse } from '../helpers.ts';
import { load, moneyWarehouse, V_HEAD, VERIFICATIONS_FIRST, VERIFICATIONS_LATER } from './money-fixture.ts';

let t: TempWarehouse;

beforeAll(async () => {
  t = await moneyWarehouse();
  await refreshModels(t.wh);
  // from June the penalty is 500 yuan
  await createPolicyVersion(t.wh, await parsePolicyInput(t.wh, { effective_from: '2025-06', forged_form_penalty: -500 }), 'admin');
});
afterAll(() => t.cleanup());

/** A bonus-sheet line with nothing but forged forms. */
const flagged = (technician_id: string, team_id: string, ids: string[], each = -1000) => ({
  technician_id, team_id, satisfaction_share: 0, complaint_penalty: 0, forged_form_penalty: each * ids.length, quarterly_reward: 0, adjustments: 0,
  total: each * ids.length, forged_forms: ids.length, forged_form_ids: ids,
});

const FACT = `SELECT strftime(month, '%Y-%m') AS month, form_id, technician_id, team_id, strftime(job_month, '%Y-%m') AS job_month, findings, penalty
              FROM fct_forged_form ORDER BY month, form_id`;

async function sameAsFullRebuild(): Promise<void> {
  const snap = async () => [
    await t.wh.all('SELECT * FROM fct_forged_form ORDER BY ALL'),
    await t.wh.all('SELECT * EXCLUDE (team_shares) FROM mart_bonus_person ORDER BY ALL'),
    await t.wh.all('SELECT * FROM mart_service_month ORDER BY ALL'),
    await t.wh.all('SELECT * FROM mart_assessment_unit ORDER BY ALL'),
  ];
  const incremental = await snap();
  await refreshModels(t.wh, { full: true });
  expect(await snap()).toEqual(incremental);
}

describe('the forged-form penalty (SPEC §4.4)', () => {
  it('lands in the month of the verification, not of the job, at that month\'s policy amount', async () => {
    await load(t, 'verifications', VERIFICATIONS_FIRST, 'v1.csv');
    expect((await refreshModels(t.wh)).full).toBe(false);
    expect(await t.wh.all(FACT)).toEqual([
      // F2 (April's job K11, E2) found fraudulent on 28 April: April
      { month: '2025-04', form_id: 'F2', technician_id: 'E2', team_id: 'T1', job_month: '2025-04', findings: 1, penalty: -1000 },
      // F1: April's job K10 (E1), found fraudulent on 3 May → May
      { month: '2025-05', form_id: 'F1', technician_id: 'E1', team_id: 'T1', job_month: '2025-04', findings: 1, penalty: -1000 },
      { month: '2025-05', form_id: 'F3', technician_id: 'E3', team_id: 'T2', job_month: '2025-05', findings: 1, penalty: -1000 },
      // F5 found in June: June's policy, −500
      { month: '2025-06', form_id: 'F5', technician_id: 'E2', team_id: 'T1', job_month: '2025-06', findings: 1, penalty: -500 },
    ]);
    // No satisfaction reward or penalty anywhere (April: no forms in March; May: T1 3.0 against — with F1 and F2
    // fraudulent — no counted form in April; T2's only form F3 is fraudulent), no complaint, no quarterly reward
    // (at most 4 jobs a quarter): the sheets hold the forged forms only.
    expect((await getAssessment(t.wh, '2025-04')).people).toEqual([flagged('E2', 'T1', ['F2'])]);
    expect((await getAssessment(t.wh, '2025-05')).people).toEqual([flagged('E1', 'T1', ['F1']), flagged('E3', 'T2', ['F3'])]);
    expect((await getAssessment(t.wh, '2025-06')).people).toEqual([flagged('E2', 'T1', ['F5'], -500)]);
    // fraudulent forms are not counted (SPEC §4.2): April's T1 has no counted form left
    expect((await getAssessment(t.wh, '2025-04')).units.find((u) => u.team_id === 'T1')).toMatchObject({ forms: 0, outcome: 'no_basis' });
    await sameAsFullRebuild();
  });

  it('counts per team and technician, in the month of the verification', async () => {
    const rows = await t.wh.all(
      `SELECT strftime(month, '%Y-%m') AS month, scope, scope_id, forged_forms, forged_form_penalty FROM mart_service_month
       WHERE dimension = 'all' AND forged_forms > 0 AND scope <> 'region' ORDER BY month, scope, scope_id`,
    );
    expect(rows).toEqual([
      { month: '2025-04', scope: 'company', scope_id: '', forged_forms: 1, forged_form_penalty: -1000 },
      { month: '2025-04', scope: 'team', scope_id: 'T1', forged_forms: 1, forged_form_penalty: -1000 },
      { month: '2025-04', scope: 'technician', scope_id: 'E2', forged_forms: 1, forged_form_penalty: -1000 },
      { month: '2025-05', scope: 'company', scope_id: '', forged_forms: 2, forged_form_penalty: -2000 },
      { month: '2025-05', scope: 'team', scope_id: 'T1', forged_forms: 1, forged_form_penalty: -1000 },
      { month: '2025-05', scope: 'team', scope_id: 'T2', forged_forms: 1, forged_form_penalty: -1000 },
      { month: '2025-05', scope: 'technician', scope_id: 'E1', forged_forms: 1, forged_form_penalty: -1000 },
      { month: '2025-05', scope: 'technician', scope_id: 'E3', forged_forms: 1, forged_form_penalty: -1000 },
      { month: '2025-06', scope: 'company', scope_id: '', forged_forms: 1, forged_form_penalty: -500 },
      { month: '2025-06', scope: 'team', scope_id: 'T1', forged_forms: 1, forged_form_penalty: -500 },
      { month: '2025-06', scope: 'technician', scope_id: 'E2', forged_forms: 1, forged_form_penalty: -500 },
    ]);
  });

  it('a later check lifts it from its month (April rebuilt by a May batch) or finds it again without charging twice', async () => {
    // F2 confirmed on 15 May: its latest check is no longer fraudulent → April's penalty goes, F2 counts again.
    // F3 found fraudulent again on 2 June: still charged once, in May, with 2 findings; June is not charged.
    await load(t, 'verifications', VERIFICATIONS_LATER, 'v2.csv');
    const r = await refreshModels(t.wh);
    expect(r.full).toBe(false);
    expect(r.months).toEqual(expect.arrayContaining(['2025-04', '2025-05', '2025-06']));
    expect(await t.wh.all(FACT)).toEqual([
      { month: '2025-05', form_id: 'F1', technician_id: 'E1', team_id: 'T1', job_month: '2025-04', findings: 1, penalty: -1000 },
      { month: '2025-05', form_id: 'F3', technician_id: 'E3', team_id: 'T2', job_month: '2025-05', findings: 2, penalty: -1000 },
      { month: '2025-06', form_id: 'F5', technician_id: 'E2', team_id: 'T1', job_month: '2025-06', findings: 1, penalty: -500 },
    ]);
    expect((await getAssessment(t.wh, '2025-04')).people).toEqual([]);
    expect((await getAssessment(t.wh, '2025-04')).units.find((u) => u.team_id === 'T1')).toMatchObject({ forms: 1, total_score: 3 });
    // May: T1 3.0 (F4) against April's 3.0 (F2) → Δ = 0, no amount; the forged forms stay
    expect((await getAssessment(t.wh, '2025-05')).people).toEqual([flagged('E1', 'T1', ['F1']), flagged('E3', 'T2', ['F3'])]);
    expect((await getAssessment(t.wh, '2025-06')).people).toEqual([flagged('E2', 'T1', ['F5'], -500)]);
    await sameAsFullRebuild();
  });

  it('a check that lifts a finding rebuilds the finding\'s month, however far from the job (touched months)', async () => {
    // K13: E3's job of January; its form F6 found fraudulent on 2 April → April. April is not the job's month,
    // nor the month after, nor the quarter's end, and holds no running clock: only the verification's own
    // month tells the refresh to rebuild it.
    await load(t, 'tickets', [
      ['ticket_id', 'reported_at', 'customer_name', 'team_id', 'technician_id', 'completed_at', 'result'],
      ['K13', '2025-01-10 08:00', '客户', 'T2', 'E3', '2025-01-10 12:00', 'completed'],
    ], 'k13.csv');
    await load(t, 'feedback', [['form_id', 'ticket_id', 'timeliness', 'quality', 'attitude'], ['F6', 'K13', 'B', 'B', 'B']], 'f6.csv');
    await load(t, 'verifications', [V_HEAD, ['F6', '2025-04-02 10:00', '王监督', 'fraudulent', '', '', '', '']], 'v-f6.csv');
    await refreshModels(t.wh);
    expect((await getAssessment(t.wh, '2025-04')).people).toEqual([flagged('E3', 'T2', ['F6'])]);
    await load(t, 'verifications', [V_HEAD, ['F6', '2025-06-05 10:00', '王监督', 'confirmed', '', '', '', '']], 'v-f6-2.csv');
    const r = await refreshModels(t.wh);
    expect(r.full).toBe(false);
    expect(r.months).toContain('2025-04');
    expect((await getAssessment(t.wh, '2025-04')).people).toEqual([]);
    await sameAsFullRebuild();
  });

  it('a closed month keeps its penalty when a later check lifts it, and shows what would differ', async () => {
    await closeMonth(t.wh, { month: '2025-05', by: 'hr.zhao' });
    await load(t, 'verifications', [V_HEAD, ['F1', '2025-06-10 10:00', '王监督', 'confirmed', '', '', '', '客户确认本人填写']], 'v3.csv');
    await refreshModels(t.wh);
    expect((await getAssessment(t.wh, '2025-05')).people).toEqual([flagged('E1', 'T1', ['F1']), flagged('E3', 'T2', ['F3'])]);
    // Live, F1 counts again for April (6): T1 April 9 ÷ 2 = 4.5, May 3.0 → a −1000 penalty split −500/−500 over
    // E1 and E2 (2 jobs each) — and E1 has no forged form in May any more.
    const cmp = await compareClosed(t.wh, '2025-05');
    expect(cmp.people.map((d) => [d.key, d.live && [d.live.satisfaction_share, d.live.forged_form_penalty, d.live.forged_form_ids, d.live.total], d.fields])).toEqual([
      ['E1', [-500, 0, [], -500], ['satisfaction_share', 'forged_form_penalty', 'total', 'forged_forms', 'forged_form_ids']],
      ['E2', [-500, 0, [], -500], ['technician_id', 'team_id', 'satisfaction_share', 'complaint_penalty', 'forged_form_penalty', 'quarterly_reward', 'adjustments', 'total', 'forged_forms', 'forged_form_ids']],
    ]);
    await sameAsFullRebuild();
  });
});

describe('assessment --json (SPEC §6): the person gains forged_form_penalty and the HR flag', () => {
  it('prints the frozen May sheet with the forged-form part and the form ids; total = the five parts', () => {
    t.wh.close(); // the CLI opens the file itself
    {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'pipelines/cli.ts'), 'assessment', '--month', '2025-05', '--json', '--db', t.dbPath], { encoding: 'utf8', cwd: PROJECT_ROOT });
      expect(r.status, r.stderr).toBe(0);
      const a = JSON.parse(r.stdout);
      expect(a.closed.by).toBe('hr.zhao');
      expect(a.people).toEqual([flagged('E1', 'T1', ['F1']), flagged('E3', 'T2', ['F3'])]);
      for (const p of a.people) {
        // the SPEC §6 keys are unchanged, in their order, with the new ones beside them
        expect(Object.keys(p)).toEqual([
          'technician_id', 'team_id', 'satisfaction_share', 'complaint_penalty', 'forged_form_penalty', 'quarterly_reward', 'adjustments', 'total',
          'forged_forms', 'forged_form_ids',
        ]);
        expect(p.total).toBe(p.satisfaction_share + p.complaint_penalty + p.forged_form_penalty + p.quarterly_reward + p.adjustments);
      }
      const human = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'pipelines/cli.ts'), 'assessment', '--month', '2025-06', '--db', t.dbPath], { encoding: 'utf8', cwd: PROJECT_ROOT });
      expect(human.stdout).toContain('forged forms: F5');
    }
  });
});
