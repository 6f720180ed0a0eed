/**
 * The fraud-risk signals of SPEC §4.7 (issue 12 item 2) on hand-made data (tests/spotcheck/
 * fraud-fixture.ts), each just at and just past its default threshold, with the honest look-alikes
 * that must not fire: a fleet's one phone on 200 tickets, several vehicles of one customer in one
 * visit, a call centre's follow-ups minutes apart, an excellent technician (40 all-maximum forms of
 * 50 in a team at 70 %) judged by the exact binomial p-value. Also: the score formula, the
 * per-technician month, thresholds as policy (and refused when meaningless), and an incremental
 * refresh equal to a full rebuild when a change in April moves a May form's window. Migration 012:
 * earlier findings weigh by kind of form, repeated patterns reach a technician's unflagged forms,
 * forms filled in as their job ends are no burst.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { createPolicyVersion, parsePolicyInput, PolicyError } from '../../pipelines/policy/policy.ts';
import { Warehouse } from '../../pipelines/warehouse/warehouse.ts';
import { tempWarehouse, type TempWarehouse } from '../helpers.ts';
import { APRIL, APRIL_CHECKS, at, formRows, fraudWarehouse, load, TEAMS, TECHNICIANS, ticketRows, V_HEAD, type Job } from '../spotcheck/fraud-fixture.ts';

let t: TempWarehouse;

beforeAll(async () => {
  t = await fraudWarehouse();
  await load(t, 'verifications', APRIL_CHECKS, 'april-checks.csv');
  await refreshModels(t.wh);
});
afterAll(() => t.cleanup());

type Row = Record<string, unknown>;
const form = async (id: string): Promise<Row> => (await t.wh.one<Row>('SELECT * FROM risk_form_score WHERE form_id = $1', [id]))!;
const tech = async (month: string, id: string): Promise<Row | undefined> =>
  t.wh.one<Row>(`SELECT * FROM mart_technician_risk_month WHERE month = CAST($1 AS DATE) AND technician_id = $2`, [`${month}-01`, id]);

/** P(X ≥ k), X ~ Binomial(n, p), summed term by term with exact binomial coefficients. */
function upperTail(n: number, k: number, p: number): number {
  let c = 1n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    if (i > 0) c = (c * BigInt(n - i + 1)) / BigInt(i);
    if (i >= k) s += Number(c) * p ** i * (1 - p) ** (n - i);
  }
  return s;
}
const close = (a: unknown, b: number, rel = 1e-10) => expect(Math.abs(Number(a) - b)).toBeLessThanOrEqual(rel * Math.abs(b));

describe('one phone on many customers (a)', () => {
  it('fires at 3 other customers within 28 days, not at 2', async () => {
    expect(await form('FK104')).toMatchObject({ shared_phone: true, shared_phone_strength: 1, phone_other_customers: 3, phone_other_forms: 3, phone_window_days: 28 });
    expect((await form('FK104')).shared_phone_reason_zh).toBe('联系电话在此前 28 天内还出现在 3 位其他客户的 3 份反馈表上');
    expect((await form('FK104')).shared_phone_reason_en).toBe('the contact phone is also on 3 forms of 3 other customers in the 28 days before');
    expect(await form('FK103')).toMatchObject({ shared_phone: false, shared_phone_strength: 0, phone_other_customers: 2, shared_phone_reason_zh: null });
  });

  it('looks back into the previous month: exactly 28 days counts, 28 days and a minute does not; +86 is the same number', async () => {
    // K201 (10 April 10:00), K202, and K204 written '+86 138 2222 0000'
    expect(await form('FK203')).toMatchObject({ shared_phone: true, phone_other_customers: 3 });
    // K211 is at 09:59, one minute out of the window
    expect(await form('FK213')).toMatchObject({ shared_phone: false, phone_other_customers: 2 });
  });

  it("never fires for a fleet: one customer's phone on 200 tickets of 200 vehicles", async () => {
    const fleet = await t.wh.all<Row>(`SELECT r.shared_phone, r.phone_other_customers, r.phone_other_forms FROM fct_form_risk r JOIN tickets k USING (ticket_id) WHERE k.customer_id = 'FLEET'`);
    expect(fleet).toHaveLength(200);
    expect(fleet.every((r) => r.shared_phone === false && r.phone_other_customers === 0 && r.phone_other_forms === 0)).toBe(true);
  });
});

describe("a customer phone that is a technician's (b)", () => {
  it("is strongest for the serving technician's own phone, whatever its spelling", async () => {
    expect(await form('FK111')).toMatchObject({ technician_phone: true, technician_phone_strength: 1, phone_technician_id: 'E1', phone_is_own: true, technician_phone_reason_zh: '联系电话是本单服务人员 E1 本人的手机号' });
    expect(await form('FK112')).toMatchObject({ technician_phone: true, technician_phone_strength: 0.5, phone_technician_id: 'E2', phone_is_own: false });
    expect(await form('FK101')).toMatchObject({ technician_phone: false, technician_phone_strength: 0, phone_technician_id: null });
  });
});

describe('submitted before completion, or in bursts (c)', () => {
  it('fires before completion, not after it or exactly at it; a date alone only when the day is earlier', async () => {
    expect(await form('FK121')).toMatchObject({ early_submission: true, minutes_after_completion: -5, early_submission_reason_en: 'the form was submitted 5 minutes before the job was completed' });
    expect(await form('FK122')).toMatchObject({ early_submission: false, minutes_after_completion: 3 });
    expect(await form('FK123')).toMatchObject({ early_submission: false, minutes_after_completion: 0 });
    expect(await form('FK124')).toMatchObject({ early_submission: false, submitted_date_only: true });
    expect(await form('FK125')).toMatchObject({ early_submission: true, submitted_date_only: true, early_submission_reason_zh: '反馈表填写日期 2025-05-08 早于完工日期 2025-05-09' });
  });

  it("fires for three customers' forms of one technician within 10 minutes, with the burst's other forms", async () => {
    expect(await form('FK130')).toMatchObject({ burst: true, burst_customers: 3, burst_form_ids: ['FK131', 'FK132'] });
    expect(await form('FK131')).toMatchObject({ burst: true, burst_customers: 3, burst_form_ids: ['FK130', 'FK132'] });
    expect(await form('FK132')).toMatchObject({ burst: true, burst_customers: 3, burst_form_ids: ['FK130', 'FK131'] });
    // 11 minutes after the last one
    expect(await form('FK133')).toMatchObject({ burst: false, burst_customers: 0 });
  });

  it("does not fire for one customer's vehicles in one visit, two customers, or a call centre's follow-ups", async () => {
    for (const id of ['FK140', 'FK141', 'FK142', 'FK160', 'FK161', 'FK162']) expect(await form(id), id).toMatchObject({ burst: false, burst_customers: 0 });
    expect(await form('FK150')).toMatchObject({ burst: false, burst_customers: 2 });
  });
});

describe('an on-site form contradicted by the later phone form (e)', () => {
  it('fires for a drop of 4 points or more, with both forms and scores', async () => {
    expect(await form('FK171b')).toMatchObject({ replaced_drop: true, replaced_on_site_form: 'FK171a', replaced_on_site_score: 6, replaced_phone_form: 'FK171b', replaced_phone_score: 0 });
    expect(await form('FK173b')).toMatchObject({ replaced_drop: true, replaced_on_site_score: 6, replaced_phone_score: 2 });
    expect(await form('FK172b')).toMatchObject({ replaced_drop: false, replaced_on_site_score: 3, replaced_phone_score: 2 });
  });
});

describe("a technician's all-maximum share (d): the exact binomial test", () => {
  it('judges the excellent technician by the p-value: 40 of 50 against the team\'s 70 % does not fire', async () => {
    const ex = (await tech('2025-05', 'EX'))!;
    expect(ex).toMatchObject({ all_max_forms: 50, all_max_max_forms: 40, all_max_share: 0.8, all_max_basis: 'team', all_max_basis_share: 0.7, all_max: false });
    close(ex.all_max_p_value, upperTail(50, 40, 0.7));
    expect(Number(ex.all_max_p_value)).toBeGreaterThan(0.07); // ≈ 0.0789: unremarkable at 0.001
  });

  it('fires for 25 of 25 in a team at 30 %; the form carries it only when it is itself all-maximum', async () => {
    const ef = (await tech('2025-05', 'EF'))!;
    expect(ef).toMatchObject({ all_max: true, all_max_basis_share: 0.3, signals: ['all_max'] });
    close(ef.all_max_p_value, 0.3 ** 25);
    expect(ef.all_max_reason_zh).toBe('近 3 个月 25 份反馈表中 25 份满分(100.0%),本班组其他人员满分比例 30.0%,二项检验 p = 8.5e-14');
    expect(await form('FK5000')).toMatchObject({ all_max: true, all_max_strength: 1, signals: ['all_max'] });
    // the all-maximum weight is 0.1 since migration 012 (bench:fraud: alone it is mostly an excellent technician)
    close((await form('FK5000')).score, 0.1);
  });

  it("compares with the company when the team's others are too few, and tests no one with too few forms", async () => {
    const el = (await tech('2025-05', 'EL'))!;
    const c = (await t.wh.one<{ n: number; k: number }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE submitted_max) AS k FROM fct_form_risk WHERE month BETWEEN DATE '2025-03-01' AND DATE '2025-05-01' AND technician_id IS DISTINCT FROM 'EL'`,
    ))!;
    expect(el).toMatchObject({ all_max_basis: 'company', all_max_forms: 21, all_max_max_forms: 10 });
    close(el.all_max_basis_share, c.k / c.n);
    close(el.all_max_p_value, upperTail(21, 10, c.k / c.n));
    expect(await tech('2025-05', 'EY')).toMatchObject({ all_max_forms: 5, all_max_p_value: null, all_max: false });
  });
});

describe('earlier findings (f)', () => {
  it('counts the checks before the month, from any queue; the latest check of a form decides', async () => {
    expect(await tech('2025-05', 'E1')).toMatchObject({ prior_findings: true, prior_findings_strength: 1, prior_fraudulent: 1, prior_corrected: 0 });
    expect(await tech('2025-04', 'E1')).toMatchObject({ prior_findings: false, prior_fraudulent: 0 });
    expect(await tech('2025-05', 'E2')).toMatchObject({ prior_findings: true, prior_findings_strength: 0.5, prior_corrected: 2, prior_checked: 2 });
    expect(await tech('2025-05', 'E3')).toMatchObject({ prior_findings: false, prior_corrected: 1 });
    // EL: found fraudulent in March, confirmed on a re-check in April
    expect(await tech('2025-05', 'EL')).toMatchObject({ prior_findings: false, prior_fraudulent: 0 });
    expect((await form('FK111')).prior_findings_reason_en).toBe('of 1 forms of this technician checked in the 12 months before, 1 were found forged and 0 corrected');
  });

  it("never uses the form's own outcome", async () => {
    await load(t, 'verifications', [V_HEAD, ['FK101', '2025-05-20 10:00', 'sup', '虚假', '', '', '']], 'own.csv');
    await refreshModels(t.wh);
    expect(await tech('2025-05', 'E3')).toMatchObject({ prior_fraudulent: 0 });
    expect(await form('FK101')).toMatchObject({ prior_findings: false });
  });
});

describe('the risk score and the technician month', () => {
  // the defaults of migration 011 as tuned by 012 (all-maximum 0.3 → 0.1, replaced drop 0.5 → 0.4)
  const W = { shared_phone: 0.5, technician_phone: 0.9, early_submission: 0.6, burst: 0.4, all_max: 0.1, replaced_drop: 0.4, prior_findings: 0.3 };

  it('is 1 − Π (1 − weight × strength) over the signals, with their reasons in both languages', async () => {
    const rows = await t.wh.all<Row>('SELECT * FROM risk_form_score');
    for (const r of rows) {
      const expected = 1 - Object.entries(W).reduce((p, [s, w]) => p * (1 - w * Number(r[`${s}_strength`])), 1);
      close(r.score, expected, 1e-12);
      expect((r.reasons_zh as string[]).length, String(r.form_id)).toBe((r.signals as string[]).length);
      expect((r.reasons_en as string[]).length).toBe((r.signals as string[]).length);
    }
    // E1's own phone and an earlier forged form (on site, like FK111): FK111 is not all-maximum, so the
    // finding counts half (migration 012): 1 − 0.1 × (1 − 0.3 × 0.5)
    expect(await form('FK111')).toMatchObject({ signals: ['technician_phone', 'prior_findings'], prior_findings_strength: 0.5, prior_findings_technician_strength: 1, prior_fraud_sources: ['on_site'] });
    close((await form('FK111')).score, 1 - 0.1 * 0.85);
    expect(await form('FK4000')).toMatchObject({ score: 0, signals: [], reasons_zh: [] });
  });

  it("sums up each technician's month: forms, flagged forms, signals, sum / mean / largest score", async () => {
    const e1 = (await tech('2025-05', 'E1'))!;
    const f = (await t.wh.one<Row>(`SELECT count(*) AS n, sum(score) AS s, max(score) AS m, count(*) FILTER (WHERE local_signals > 0) AS flagged FROM risk_form_score WHERE month = DATE '2025-05-01' AND technician_id = 'E1'`))!;
    expect(e1).toMatchObject({ forms: f.n, forms_flagged: f.flagged, technician_phone_forms: 2, replaced_drop_forms: 2, signals: ['technician_phone', 'replaced_drop', 'prior_findings'] });
    close(e1.score_sum, Number(f.s), 1e-12);
    close(e1.mean_score, Number(f.s) / Number(f.n), 1e-12);
    close(e1.max_score, Number(f.m), 1e-12);
  });
});

describe('migration 012: findings weigh by kind of form, patterns that repeat reach the unflagged forms', () => {
  // A small warehouse of its own: E2 was found forging an on-site form in April; in May E1 submits two
  // on-site forms before the job was done and a third, all-maximum, half an hour after; E3 serves three
  // customers in ten minutes, each form filled in on site as its job ends, and has two on-site forms
  // contradicted by the customers' phone forms.
  let w: TempWarehouse;
  const row = async (id: string): Promise<Row> => (await w.wh.one<Row>('SELECT * FROM risk_form_score WHERE form_id = $1', [id]))!;
  beforeAll(async () => {
    w = await tempWarehouse();
    await ensureReferenceData(w.wh);
    await load(w, 'teams', TEAMS);
    await load(w, 'technicians', TECHNICIANS);
    const jobs: Job[] = [
      { id: 'K1', tech: 'E2', completed: '2025-04-10 10:00' },
      // E2's May forms: all-maximum or not, on site (like the forged one) or by phone
      { id: 'K11', tech: 'E2', completed: '2025-05-05 10:00', form: { g: 'AAA' } },
      { id: 'K12', tech: 'E2', completed: '2025-05-05 12:00', form: { g: 'BBB' } },
      { id: 'K13', tech: 'E2', completed: '2025-05-05 14:00', form: { g: 'AAA', source: 'phone', submitted: '2025-05-07 10:00' } },
      { id: 'K14', tech: 'E2', completed: '2025-05-05 16:00', form: { g: 'BBB', source: 'phone', submitted: '2025-05-07 11:00' } },
      // E1: two on-site forms before the job was done, then unflagged forms
      { id: 'K21', tech: 'E1', completed: '2025-05-06 10:00', form: { submitted: '2025-05-06 09:50' } },
      { id: 'K22', tech: 'E1', completed: '2025-05-13 10:00', form: { submitted: '2025-05-13 09:55' } },
      { id: 'K23', tech: 'E1', completed: '2025-05-20 10:00', form: { g: 'AAA', submitted: '2025-05-20 10:30' } },
      { id: 'K24', tech: 'E1', completed: '2025-05-20 14:00', form: { g: 'BBB', submitted: '2025-05-20 14:30' } },
      { id: 'K25', tech: 'E1', completed: '2025-05-20 16:00', form: { g: 'AAA', source: 'phone', submitted: '2025-05-22 10:00' } },
      // E3: three customers' on-site forms within ten minutes, each as its own job ends: not a burst
      ...[0, 1, 2].map((i) => ({ id: `K3${i}`, tech: 'E3', completed: at('2025-05-08 15:00', i * 4), form: { submitted: at('2025-05-08 15:02', i * 4) } })),
      // E3: two on-site forms contradicted by the customers' phone forms, and an unflagged all-maximum on-site form
      { id: 'K41', tech: 'E3', completed: '2025-05-09 10:00', form: { id: 'FK41b', g: 'CCC', source: 'phone', submitted: '2025-05-11 10:00' } },
      { id: 'K42', tech: 'E3', completed: '2025-05-09 12:00', form: { id: 'FK42b', g: 'CCC', source: 'phone', submitted: '2025-05-11 11:00' } },
      { id: 'K43', tech: 'E3', completed: '2025-05-19 12:00', form: { g: 'AAA', submitted: '2025-05-19 12:40' } },
    ];
    await load(w, 'tickets', ticketRows(jobs));
    await load(w, 'feedback', [['form_id', 'ticket_id', 'submitted_at', 'timeliness', 'quality', 'attitude', 'source'],
      ['FK41a', 'K41', '2025-05-09 10:05', 'A', 'A', 'A', 'on_site'], ['FK42a', 'K42', '2025-05-09 12:05', 'A', 'A', 'A', 'on_site']], 'on-site.csv');
    await load(w, 'feedback', formRows(jobs));
    await load(w, 'verifications', [V_HEAD, ['FK1', '2025-04-20 10:00', 'sup', '虚假', '', '', '']], 'checks.csv');
    await refreshModels(w.wh);
  });
  afterAll(() => w.cleanup());

  it('an earlier forged finding counts in full on all-maximum forms of the kind found forged, half for each difference', async () => {
    expect(await row('FK11')).toMatchObject({ prior_findings: true, prior_findings_strength: 1, prior_findings_technician_strength: 1, prior_fraud_sources: ['on_site'] });
    expect(await row('FK12')).toMatchObject({ prior_findings_strength: 0.5 });
    expect(await row('FK13')).toMatchObject({ prior_findings_strength: 0.5 });
    expect(await row('FK14')).toMatchObject({ prior_findings_strength: 0.25, reasons_en: ['of 1 forms of this technician checked in the 12 months before, 1 were found forged and 0 corrected'] });
    close((await row('FK14')).score, 0.3 * 0.25);
  });

  it('a repeated early submission reaches the technician\'s unflagged all-maximum forms of that source, at half strength', async () => {
    expect(await row('FK21')).toMatchObject({ early_submission: true, early_submission_strength: 1, early_submission_pattern_forms: 2 });
    expect(await row('FK23')).toMatchObject({
      early_submission: true, early_submission_strength: 0.5, signals: ['early_submission'], local_score: 0,
      early_submission_reason_zh: '该服务人员近 3 个月有 2 份现场反馈表在完工前提交',
      early_submission_reason_en: '2 on-site forms of this technician in the last 3 months were submitted before the job was completed',
    });
    close((await row('FK23')).score, 0.6 * 0.5);
    // not all-maximum, or another source: no
    expect(await row('FK24')).toMatchObject({ early_submission: false, score: 0 });
    expect(await row('FK25')).toMatchObject({ early_submission: false, early_submission_pattern_forms: 0, score: 0 });
  });

  it("forms filled in as each job ends are not a burst, however close the jobs; repeated drops reach the on-site forms", async () => {
    for (const id of ['FK30', 'FK31', 'FK32']) expect(await row(id), id).toMatchObject({ burst: false, burst_customers: 0 });
    expect(await row('FK41b')).toMatchObject({ replaced_drop: true, replaced_drop_strength: 1, replaced_on_site_form: 'FK41a', replaced_drop_pattern_forms: 2 });
    expect(await row('FK43')).toMatchObject({ replaced_drop: true, replaced_drop_strength: 0.5, replaced_on_site_form: null, signals: ['replaced_drop'],
      replaced_drop_reason_en: "2 on-site forms of this technician in the last 3 months were contradicted by the customer's later phone form" });
    close((await row('FK43')).score, 0.4 * 0.5);
  });

  it("the technician month's scores are still those of the forms", async () => {
    const m = await w.wh.all<Row>(`SELECT r.technician_id, r.score_sum, r.max_score, f.s, f.m FROM mart_technician_risk_month r
      JOIN (SELECT technician_id, month, sum(score) AS s, max(score) AS m FROM risk_form_score GROUP BY ALL) f USING (technician_id, month)`);
    expect(m.length).toBeGreaterThan(2);
    for (const r of m) {
      close(r.score_sum, Number(r.s), 1e-12);
      close(r.max_score, Number(r.m), 1e-12);
    }
  });
});

describe('policy and refresh', () => {
  async function sameAsFullRebuild(): Promise<void> {
    const snap = async () => Promise.all(['fct_form_risk', 'fct_spot_check', 'mart_technician_forms_month', 'mart_technician_risk_month', 'risk_form_score', 'mart_kpi_month']
      .map((m) => t.wh.all(`SELECT * FROM ${m} ORDER BY ALL`)));
    const incremental = await snap();
    await refreshModels(t.wh, { full: true });
    expect(await snap()).toEqual(incremental);
  }

  it('a change in April reaches the May forms whose window holds it, incrementally', async () => {
    // K202 (20 April) gets another phone: FK203 keeps 2 other customers, below the threshold
    const k202 = ticketRows(APRIL.filter((j) => j.id === 'K202').map((j) => ({ ...j, phone: '13899990000' })));
    await load(t, 'tickets', k202, 'k202.csv');
    const r = await refreshModels(t.wh);
    expect(r.full).toBe(false);
    expect(r.months).toEqual(expect.arrayContaining(['2025-04', '2025-05']));
    expect(await form('FK203')).toMatchObject({ shared_phone: false, phone_other_customers: 2 });
    await sameAsFullRebuild();
  });

  it('takes its thresholds from the policy of the month', async () => {
    await createPolicyVersion(t.wh, await parsePolicyInput(t.wh, { effective_from: '2025-05', risk_phone_min_customers: 2, risk_all_max_p_value: 0.1, risk_burst_min_customers: 2 }), 'admin');
    expect(await form('FK103')).toMatchObject({ shared_phone: true, phone_other_customers: 2 });
    expect(await form('FK150')).toMatchObject({ burst: true, burst_customers: 2 });
    expect(await tech('2025-05', 'EX')).toMatchObject({ all_max: true });
    // April keeps its policy
    expect(await tech('2025-04', 'E3')).toMatchObject({ all_max: false });
    await sameAsFullRebuild();
  });

  it('refuses a threshold that makes no sense, naming the field', async () => {
    const bad = { effective_from: '2025-06', risk_phone_window_days: 29, risk_all_max_p_value: 0, targeted_check_share: 0.95, risk_weight_burst: 1.5, risk_burst_min_customers: 1 };
    const e = await parsePolicyInput(t.wh, bad).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(PolicyError);
    expect((e as PolicyError).problems.map((p) => p.field).sort()).toEqual(['risk_all_max_p_value', 'risk_burst_min_customers', 'risk_phone_window_days', 'risk_weight_burst', 'targeted_check_share']);
    expect((e as PolicyError).problems.find((p) => p.field === 'risk_phone_window_days')!.message).toMatch(/between 1 and 28/);
  });
});

describe('incremental refresh equals a full rebuild (property)', () => {
  // A small universe where every window crosses a month boundary: 16 tickets of 3 technicians around
  // the turns of March/April and April/May, 4 phones (one a technician's) over 5 customers, forms
  // minutes apart, replaced by later ones, checked from any queue, and thresholds changing.
  const MODELS = ['fct_form_risk', 'fct_spot_check', 'mart_technician_forms_month', 'mart_technician_risk_month', 'risk_form_score'];
  const PHONES = ['13811110000', '+86 138 1111 0000', '13900000001', '13822220000'];
  // around the turns of March/April and April/May, so windows and bursts straddle months
  const TURNS = ['2025-03-31 20:00', '2025-04-30 20:00'];
  const HOURS = [-24 * 12, -3, -1, 2, 5, 24 * 9];
  const job = fc.record({ id: fc.integer({ min: 1, max: 16 }), tech: fc.constantFrom('E1', 'E2'), turn: fc.integer({ min: 0, max: 1 }),
    hours: fc.constantFrom(...HOURS), cust: fc.integer({ min: 1, max: 4 }), phone: fc.integer({ min: 0, max: 3 }) });
  const form = fc.record({ id: fc.integer({ min: 1, max: 20 }), ticket: fc.integer({ min: 1, max: 16 }), turn: fc.integer({ min: 0, max: 1 }),
    minutes: fc.constantFrom(-120, 0, 6, 24 * 60), jitter: fc.integer({ min: 0, max: 4 }), g: fc.constantFrom('AAA', 'BBB', 'CCC'), source: fc.constantFrom('on_site', 'online', 'phone') });
  const step = fc.oneof(
    fc.record({ kind: fc.constant('tickets' as const), rows: fc.array(job, { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('feedback' as const), rows: fc.array(form, { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('verifications' as const), rows: fc.array(fc.record({ form: fc.integer({ min: 1, max: 20 }), day: fc.integer({ min: 0, max: 60 }), outcome: fc.constantFrom('虚假', '更正', '属实') }), { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('policy' as const), month: fc.constantFrom('2025-04', '2025-05') }),
  );
  const uniq = <T>(rows: T[], key: (r: T) => unknown) => [...new Map(rows.map((r) => [key(r), r])).values()];

  it("a burst across the turn of a month: a form sees its own and the previous month's jobs, never the next", async () => {
    const w = await tempWarehouse();
    try {
      await ensureReferenceData(w.wh);
      await load(w, 'teams', TEAMS);
      await load(w, 'technicians', TECHNICIANS);
      await load(w, 'tickets', ticketRows([['K1', '2025-04-30 18:00'], ['K2', '2025-05-01 02:00'], ['K3', '2025-05-01 03:00']].map(([id, completed]) => ({ id: id!, tech: 'E1', completed: completed! }))));
      const forms = (subs: [string, string][]) => formRows(subs.map(([k, sub]) => ({ id: k, tech: 'E1', completed: sub, form: { source: 'online', submitted: sub } })));
      const burst = () => w.wh.all(`SELECT form_id, burst, burst_customers FROM fct_form_risk ORDER BY form_id`);
      await load(w, 'feedback', forms([['K1', '2025-05-01 04:00'], ['K2', '2025-05-01 04:05'], ['K3', '2025-05-01 04:08']]), 'f1.csv');
      await refreshModels(w.wh);
      expect(await burst()).toEqual([
        { form_id: 'FK1', burst: false, burst_customers: 0 }, // April's job: May's forms are not its window
        { form_id: 'FK2', burst: true, burst_customers: 3 },
        { form_id: 'FK3', burst: true, burst_customers: 3 },
      ]);
      // May changes alone: April's row stays as a full build has it
      await load(w, 'feedback', forms([['K3', '2025-05-01 09:00']]), 'f2.csv');
      await refreshModels(w.wh);
      const incremental = await burst();
      await refreshModels(w.wh, { full: true });
      expect(incremental).toEqual(await burst());
      expect(incremental).toEqual([
        { form_id: 'FK1', burst: false, burst_customers: 0 },
        { form_id: 'FK2', burst: false, burst_customers: 2 },
        { form_id: 'FK3', burst: false, burst_customers: 0 },
      ]);
    } finally {
      w.cleanup();
    }
  });

  it('after every step, for every risk model', async () => {
    let n = 0;
    // every sequence starts with all 16 tickets, so most forms land on a job
    const first = fc.array(job, { minLength: 16, maxLength: 16 }).map((rows) => ({ kind: 'tickets' as const, rows: rows.map((r, i) => ({ ...r, id: i + 1 })) }));
    // …and a dozen forms; the later steps are small, so they often touch one month only
    const forms = fc.array(form, { minLength: 8, maxLength: 12 }).map((rows) => ({ kind: 'feedback' as const, rows }));
    await fc.assert(fc.asyncProperty(fc.tuple(first, forms, fc.array(step, { minLength: 2, maxLength: 5 })).map(([a, b, c]) => [a, b, ...c]), async (steps) => {
      const w = await tempWarehouse();
      try {
        await ensureReferenceData(w.wh);
        await load(w, 'teams', TEAMS);
        await load(w, 'technicians', TECHNICIANS);
        await refreshModels(w.wh, { full: true });
        for (const s of steps) {
          if (s.kind === 'tickets') {
            const jobs: Job[] = uniq(s.rows, (r) => r.id).map((r) => ({ id: `K${r.id}`, tech: r.tech, completed: at(TURNS[r.turn]!, r.hours * 60), cust: `C${r.cust}`, phone: PHONES[r.phone], form: null }));
            await load(w, 'tickets', ticketRows(jobs), `t${++n}.csv`);
          } else if (s.kind === 'feedback') {
            const rows = formRows(uniq(s.rows, (r) => r.id).map((r) => ({ id: `K${r.ticket}`, tech: 'E1', completed: TURNS[r.turn]!,
              form: { id: `F${r.id}`, g: r.g, source: r.source, submitted: at(TURNS[r.turn]!, r.minutes + r.jitter) } })));
            await load(w, 'feedback', rows, `f${++n}.csv`);
          } else if (s.kind === 'verifications') {
            await load(w, 'verifications', [V_HEAD, ...uniq(s.rows, (r) => `${r.form} ${r.day}`).map((r) => [`F${r.form}`, at('2025-03-20 10:00', r.day * 24 * 60), 'sup', r.outcome, ...(r.outcome === '更正' ? ['C', 'C', 'C'] : ['', '', ''])])], `v${++n}.csv`);
          } else {
            await createPolicyVersion(w.wh, await parsePolicyInput(w.wh, { effective_from: s.month, risk_phone_window_days: 10, risk_phone_min_customers: 1, risk_burst_minutes: 30, risk_burst_min_customers: 2, risk_all_max_min_forms: 1, risk_findings_min_corrected: 1 }), 'admin').catch((e: Error) => {
              if (!/exists/.test(e.message)) throw e;
            });
          }
          await refreshModels(w.wh);
          const snap = async (wh: Warehouse) => Promise.all(MODELS.map((m) => wh.all(`SELECT * FROM ${m} ORDER BY ALL`)));
          const incremental = await snap(w.wh);
          await w.wh.run('CHECKPOINT');
          const copyPath = join(w.dir, `full-${++n}.duckdb`);
          copyFileSync(w.dbPath, copyPath);
          const copy = await Warehouse.open(copyPath);
          try {
            await refreshModels(copy, { full: true });
            expect(incremental, JSON.stringify(steps)).toEqual(await snap(copy));
          } finally {
            copy.close();
            rmSync(copyPath, { force: true });
          }
        }
      } finally {
        w.cleanup();
      }
    }), { numRuns: Number(process.env.FRAUD_RUNS ?? 6), seed: 20250512, endOnFailure: true });
  }, 600_000);
});
