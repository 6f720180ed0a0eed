/**
 * Service type and money (issue 10 item 4; SPEC §4 "cost per job", "fee anomalies" and the
 * breakdown by service_type and customer_type; seeds 003, 004) on the hand-built warehouse of
 * money-fixture.ts, through the real CLI (`kpi --json`) and the reads: every figure by hand.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { createPolicyVersion, parsePolicyInput } from '../../pipelines/policy/policy.ts';
import { countFeeAnomalies, listFeeAnomalies } from '../../pipelines/reads/fee-anomalies.ts';
import { moneyBreakdown } from '../../pipelines/reads/money.ts';
import { PROJECT_ROOT, Warehouse } from '../../pipelines/warehouse/warehouse.ts';
import type { TempWarehouse } from '../helpers.ts';
import { load, moneyWarehouse, VERIFICATIONS_FIRST, VERIFICATIONS_LATER } from './money-fixture.ts';

let t: TempWarehouse;
/** `kpi --json` answers, by arguments (the CLI opens the warehouse file itself, so it runs while the test's connection is closed). */
const kpi = new Map<string, Record<string, any>>(); // eslint-disable-line @typescript-eslint/no-explicit-any
const KPI_CALLS = [
  ['--month', '2025-05'], ['--month', '2025-05', '--team', 'T1'], ['--month', '2025-05', '--team', 'T2'],
  ['--month', '2025-05', '--technician', 'E1'], ['--month', '2025-04'], ['--month', '2025-02'],
];

beforeAll(async () => {
  t = await moneyWarehouse();
  await load(t, 'verifications', VERIFICATIONS_FIRST, 'v1.csv');
  await load(t, 'verifications', VERIFICATIONS_LATER, 'v2.csv');
  await refreshModels(t.wh);
  // policy: a cost budget of 150 yuan per job from May; a forged-form penalty of −500 from June
  await createPolicyVersion(t.wh, await parsePolicyInput(t.wh, { effective_from: '2025-05', cost_budget_per_job: 150 }), 'admin');
  await createPolicyVersion(t.wh, await parsePolicyInput(t.wh, { effective_from: '2025-06', forged_form_penalty: -500 }), 'admin');
  t.wh.close();
  for (const args of KPI_CALLS) kpi.set(args.join(' '), cli('kpi', ...args, '--json'));
  t.wh = await Warehouse.open(t.dbPath);
});
afterAll(() => t.cleanup());

/** The answer of `kpi <args> --json`. */
const kpiOf = (...args: string[]) => kpi.get(args.join(' '))!;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'pipelines/cli.ts'), ...args, '--db', t.dbPath], { encoding: 'utf8', cwd: PROJECT_ROOT });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** A set of figures: jobs, parts, labour, travel, fees, fee anomalies (count, amount), forged forms (count, penalty). */
function fig(jobs: number, parts: number, labor: number, travel: number, fee: number, anomalies = 0, anomalyAmount = 0, forged = 0, penalty = 0) {
  const cost = parts + labor + travel;
  return {
    jobs, parts_cost: parts, labor_cost: labor, travel_cost: travel, cost_total: cost, cost_per_job: jobs ? cost / jobs : null,
    fee_charged: fee, fee_minus_cost: fee - cost, fee_anomalies: anomalies, fee_anomaly_amount: anomalyAmount, forged_forms: forged, forged_form_penalty: penalty,
  };
}

describe('kpi --json: money, service and customer types, fee anomalies, forged forms (SPEC §4, §6)', () => {
  it('the company in May, every figure by hand', () => {
    // the CLI's existing keys are all still there
    const k = kpiOf('--month', '2025-05');
    for (const key of ['month', 'tickets', 'timeliness_rate', 'feedback', 'satisfaction_rate', 'complaints', 'complaint_rate', 'cost_per_job']) expect(k).toHaveProperty(key);
    expect(k.tickets.completed).toBe(7);
    // jobs K1–K7 (K8 is cancelled: not a job); parts 100+200+0+300+0+10+40, labour 50+100+60+120+80+10+0,
    // travel 20+0+40+30+20+10+0; fees 80+300+50+450+0+0+100. Fee anomalies K1 (80), K2 (300), K3 (50);
    // forged forms found in May: F1 (E1, April's job K10, −1000) and F3 (E3, K5, −1000; F3's June re-check
    // charges nothing more). Cost per job 1190 ÷ 7 = 170 > the May budget of 150.
    expect(k.money).toEqual({ ...fig(7, 650, 420, 120, 980, 3, 430, 2, -2000), cost_budget_per_job: 150, over_budget: true });
    expect(k.cost_per_job).toBe(170); // the same figure in kpi_month
    expect(k.fee_anomalies).toEqual({ count: 3, amount: 430 });
    expect(k.forged_forms).toEqual({ count: 2, penalty: -2000 });
    expect(k.service_types).toEqual([
      { service_type: 'paid', ...fig(2, 500, 220, 30, 750, 1, 300, 1, -1000) }, //       K2, K4; F1 of K10 (paid)
      { service_type: 'contract', ...fig(1, 0, 80, 20, 0, 0, 0, 1, -1000) }, //           K5; F3 of K5
      { service_type: 'free', ...fig(3, 110, 120, 70, 130, 2, 130) }, //                  K1, K3, K6
      { service_type: null, ...fig(1, 40, 0, 0, 100) }, //                                 K7: not recorded
    ]);
    expect(k.customer_types).toEqual([
      { customer_type: 'in_warranty', ...fig(3, 310, 160, 30, 380, 2, 380) }, //           K1, K2, K6
      { customer_type: 'annual_contract', ...fig(1, 0, 80, 20, 0, 0, 0, 1, -1000) }, //    K5; F3
      { customer_type: 'per_visit_contract', ...fig(0, 0, 0, 0, 0) },
      { customer_type: 'out_of_warranty', ...fig(2, 300, 180, 70, 500, 1, 50, 1, -1000) }, // K3, K4; F1 of K10
      { customer_type: null, ...fig(1, 40, 0, 0, 100) },
    ]);
    // the parts add up to the whole
    for (const list of [k.service_types, k.customer_types]) {
      expect(list.reduce((s: number, x: { cost_total: number }) => s + x.cost_total, 0)).toBe(1190);
      expect(list.reduce((s: number, x: { jobs: number }) => s + x.jobs, 0)).toBe(7);
    }
  });

  it('a team and a technician; a month without a budget; a month without jobs', () => {
    const t1 = kpiOf('--month', '2025-05', '--team', 'T1');
    // K1–K4: cost 170 + 300 + 100 + 450 = 1020 → 255 per job; F1 (E1) counted for T1
    expect(t1.money).toEqual({ ...fig(4, 600, 330, 90, 880, 3, 430, 1, -1000), cost_budget_per_job: 150, over_budget: true });
    const t2 = kpiOf('--month', '2025-05', '--team', 'T2');
    // K5–K7: parts 0+10+40, labour 80+10+0, travel 20+10+0 = 170 → 56.67 per job, under the budget; F3 (E3)
    expect(t2.money).toEqual({ ...fig(3, 50, 90, 30, 100, 0, 0, 1, -1000), cost_budget_per_job: 150, over_budget: false });
    const e1 = kpiOf('--month', '2025-05', '--technician', 'E1');
    expect(e1.fee_anomalies).toEqual({ count: 2, amount: 380 }); // K1, K2
    expect(e1.forged_forms).toEqual({ count: 1, penalty: -1000 }); // F1
    // April: K9 (free, in warranty, fee 70) is April's anomaly; no budget before May
    const april = kpiOf('--month', '2025-04');
    expect(april.money).toEqual({ ...fig(3, 0, 40, 10, 70, 1, 70), cost_budget_per_job: null, over_budget: null });
    // a month without any data: zeros, null cost per job, every type listed, none "not recorded"
    const empty = kpiOf('--month', '2025-02');
    expect(empty.money).toEqual({ ...fig(0, 0, 0, 0, 0), cost_budget_per_job: null, over_budget: null });
    expect(empty.service_types.map((s: { service_type: string }) => s.service_type)).toEqual(['paid', 'contract', 'free']);
    expect(empty.fee_anomalies).toEqual({ count: 0, amount: 0 });
  });
});

describe('fee anomalies (违规收费疑点, SPEC §4)', () => {
  it('a fee on free service and from an in-warranty customer is listed; a paid out-of-warranty job is not', async () => {
    const rows = await listFeeAnomalies(t.wh, { month: '2025-05' }, 'a.fee_charged DESC');
    expect(rows.map((r) => [r.ticket_id, r.fee_charged, r.reasons, r.technician_id, r.team_id])).toEqual([
      ['K2', 300, ['in_warranty'], 'E1', 'T1'], //                 paid, but in warranty
      ['K1', 80, ['free_service', 'in_warranty'], 'E1', 'T1'], //  free and in warranty: one anomaly, both reasons
      ['K3', 50, ['free_service'], 'E2', 'T1'], //                 free service, out of warranty
    ]);
    // K4 (paid, out of warranty, 450), K6 (free, no fee), K7 (types not recorded) and K8 (cancelled) are not listed
    expect(rows[0]).toMatchObject({
      month: '2025-05', completed_at: '2025-05-07 12:00:00', team_name: '一组', technician_name: '甲', technician_phone: '13812345678',
      service_type: 'paid', service_type_label: '有费服务', customer_type: 'in_warranty', customer_type_label: '保内',
      parts_cost: 200, labor_cost: 100, travel_cost: 0, cost: 300, customer_name: '宋子豪', contact_phone: '13912345678',
    });
    expect((await listFeeAnomalies(t.wh, { month: '2025-05', reason: 'free_service' }, 'a.ticket_id ASC')).map((r) => r.ticket_id)).toEqual(['K1', 'K3']);
    expect(await countFeeAnomalies(t.wh, { month: '2025-05', reason: 'in_warranty' })).toBe(2);
    expect(await countFeeAnomalies(t.wh, { month: '2025-05', technician: 'E2' })).toBe(1);
    expect(await countFeeAnomalies(t.wh, { month: '2025-05', team: 'T2' })).toBe(0);
    expect((await listFeeAnomalies(t.wh, { month: '2025-04' }, 'a.ticket_id ASC')).map((r) => [r.ticket_id, r.reasons])).toEqual([['K9', ['free_service', 'in_warranty']]]);
  });

  it('counts per team and technician (GET /api/money by team / technician)', async () => {
    const byTeam = await moneyBreakdown(t.wh, '2025-05', 'team', null);
    expect(byTeam.rows.map((r) => [r.key, r.label, r.jobs, r.fee_anomalies, r.fee_anomaly_amount, r.forged_forms, r.forged_form_penalty])).toEqual([
      ['T1', '一组', 4, 3, 430, 1, -1000],
      ['T2', '二组', 3, 0, 0, 1, -1000],
    ]);
    const byTech = await moneyBreakdown(t.wh, '2025-05', 'technician', 'T1');
    expect(byTech.rows.map((r) => [r.key, r.label, r.team_id, r.jobs, r.fee_anomalies, r.fee_anomaly_amount, r.forged_forms])).toEqual([
      ['E1', '甲', 'T1', 2, 2, 380, 1],
      ['E2', '乙', 'T1', 2, 1, 50, 0],
    ]);
    expect(byTech.total).toMatchObject({ jobs: 4, fee_anomalies: 3 }); // T1's own figures
    const byService = await moneyBreakdown(t.wh, '2025-05', 'service_type', null);
    expect(byService.rows.map((r) => [r.key, r.label, r.jobs, r.fee_minus_cost])).toEqual([
      ['paid', '有费服务', 2, 0], ['contract', '合同服务', 1, -100], ['free', '免费服务', 3, -170], ['', '（未填）', 1, 60],
    ]);
    expect(byService.cost_budget_per_job).toBe(150);
    const t2ByCustomer = await moneyBreakdown(t.wh, '2025-05', 'customer_type', 'T2');
    expect(t2ByCustomer.rows.map((r) => [r.key, r.jobs, r.cost_total])).toEqual([
      ['in_warranty', 1, 30], ['annual_contract', 1, 100], ['per_visit_contract', 0, 0], ['out_of_warranty', 0, 0], ['', 1, 40],
    ]);
  });

  it('a corrected ticket moves in or out of the list, and the incremental refresh equals a full rebuild', async () => {
    const snap = async () => [
      await t.wh.all('SELECT * FROM fct_fee_anomaly ORDER BY ALL'),
      await t.wh.all('SELECT * FROM mart_service_month ORDER BY ALL'),
    ];
    // K4 was entered as paid but was free service: its 450 fee becomes an anomaly; K2's fee is refunded
    const head = ['ticket_id', 'reported_at', 'customer_name', 'team_id', 'technician_id', 'customer_type', 'service_type', 'completed_at', 'result', 'parts_cost', 'labor_cost', 'travel_cost', 'fee_charged'];
    await load(t, 'tickets', [
      head,
      ['K4', '2025-05-09 08:00', '宋子豪', 'T1', 'E2', 'out_of_warranty', 'free', '2025-05-09 12:00', 'completed', 300, 120, 30, 450],
      ['K2', '2025-05-07 08:00', '宋子豪', 'T1', 'E1', 'in_warranty', 'paid', '2025-05-07 12:00', 'completed', 200, 100, 0, 0],
    ], 'correction.csv');
    const r = await refreshModels(t.wh);
    expect(r.full).toBe(false);
    expect(await countFeeAnomalies(t.wh, { month: '2025-05' })).toBe(3); // K1, K3, K4
    expect((await listFeeAnomalies(t.wh, { month: '2025-05' }, 'a.fee_charged DESC')).map((x) => x.ticket_id)).toEqual(['K4', 'K1', 'K3']);
    const incremental = await snap();
    await refreshModels(t.wh, { full: true });
    expect(await snap()).toEqual(incremental);
  });
});
