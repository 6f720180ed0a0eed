/**
 * Two spot-check queues, never mixed (SPEC §4.7; issue 12 items 3 and 5): the random sample stays
 * as it was, the targeted queue lists the riskiest forms of each week (not in the random sample, not
 * checked from another queue) sized by the policy's share of the week's calls; every verification
 * records its queue; the discrepancy-rate estimate reads only the random queue, while a fraudulent
 * finding from any queue still removes the form and costs the forged-form penalty. Also the reads
 * (a form's evidence, technicians ranked, findings by queue) and migration 011 on an older warehouse.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { createPolicyVersion, parsePolicyInput } from '../../pipelines/policy/policy.ts';
import { getFindings, getFormRisk, getTechnicianRisk } from '../../pipelines/reads/fraud-risk.ts';
import { getKpi } from '../../pipelines/reads/kpi.ts';
import { getSpotcheckQueue } from '../../pipelines/spotcheck/queue.ts';
import { getTargetedQueue } from '../../pipelines/spotcheck/targeted.ts';
import { parseVerification, recordVerification } from '../../pipelines/spotcheck/verify.ts';
import { listMigrations, Warehouse } from '../../pipelines/warehouse/warehouse.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';
import { APRIL_CHECKS, fraudWarehouse, load, V_HEAD } from './fraud-fixture.ts';

let t: TempWarehouse;
const MAY = '2025-05';
const NOW = new Date('2025-06-02T02:00:00Z');
let minute = 0;
const record = (body: Record<string, unknown>) => recordVerification(t.wh, parseVerification(body), 'sup1', new Date(NOW.getTime() + ++minute * 60_000));

beforeAll(async () => {
  t = await fraudWarehouse();
  await load(t, 'verifications', APRIL_CHECKS, 'april-checks.csv');
  await refreshModels(t.wh);
});
afterAll(() => t.cleanup());

const sampleOfMay = async () => new Set((await getSpotcheckQueue(t.wh, { month: MAY })).rows.map((r) => r.form_id));
const queueOf = async (form: string) => (await t.wh.all<{ queue: string }>('SELECT queue FROM verifications WHERE form_id = $1 ORDER BY verified_at', [form])).map((r) => r.queue);

describe('the random sample', () => {
  it('is the same whether asked of the models (queue.sql) or of the raw tables (random_sample_between)', async () => {
    const raw = await t.wh.all<{ form_id: string }>(
      `SELECT form_id FROM random_sample_between(DATE '2025-04-21', DATE '2025-06-09') WHERE in_sample AND week_month = DATE '2025-05-01' ORDER BY form_id`,
    );
    expect(new Set(raw.map((r) => r.form_id))).toEqual(await sampleOfMay());
    expect(raw.length).toBeGreaterThan(40);
  });
});

describe('the targeted queue', () => {
  it('ranks the riskiest forms of each week, sized by the share of the week\'s calls, apart from the random sample', async () => {
    const q = await getTargetedQueue(t.wh, { month: MAY });
    const random = await getSpotcheckQueue(t.wh, { month: MAY });
    expect(q.groups.map((g) => g.week)).toEqual(['2025-W18', '2025-W19', '2025-W20', '2025-W21', '2025-W22']);
    for (const g of q.groups) {
      const calls = random.groups.filter((x) => x.week === g.week).reduce((s, x) => s + x.sample_size, 0);
      expect(g.random_calls, g.week).toBe(calls);
      expect(g.targeted_check_share).toBe(0.25);
      expect(g.size).toBe(Math.ceil(Math.round((calls * 0.25 / 0.75) * 1e9) / 1e9));
      const rows = q.rows.filter((r) => r.week === g.week);
      expect(rows.length).toBe(Math.min(g.size, g.candidates));
      expect(rows.map((r) => r.targeted_rank)).toEqual(rows.map((_, i) => i + 1));
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.score).toBeLessThanOrEqual(rows[i - 1]!.score);
    }
    const sampled = await sampleOfMay();
    for (const r of q.rows) {
      expect(sampled.has(r.form_id), r.form_id).toBe(false);
      expect(r.score).toBeGreaterThan(0);
      expect(r.reasons_zh.length).toBe(r.signals.length);
      expect(r.reasons_en.length).toBeGreaterThan(0);
    }
    // the riskiest of week 18: E1's own phone on the ticket, and a forged form found before
    expect(q.rows[0]).toMatchObject({ week: '2025-W18', targeted_rank: 1, form_id: 'FK111', signals: ['technician_phone', 'prior_findings'], contact_phone: '+86 139-0000-0001' });
    // reproducible; a team sees its part of the company-wide list
    expect(await getTargetedQueue(t.wh, { month: MAY })).toEqual(q);
    const t3 = await getTargetedQueue(t.wh, { month: MAY, team: 'T3' });
    expect(t3.rows).toEqual(q.rows.filter((r) => r.team_id === 'T3'));
    expect(t3.groups.map((g) => g.size)).toEqual(q.groups.map((g) => g.size));
    expect((await getTargetedQueue(t.wh, { week: '2025-W19' })).rows).toEqual(q.rows.filter((r) => r.week === '2025-W19'));
    await expect(getTargetedQueue(t.wh, { month: '2025-5' })).rejects.toThrow(/YYYY-MM/);
  });
});

describe('recording which queue a check came from', () => {
  it('ingested files without the column: random when the form is in the sample, else ad hoc; with it, as written', async () => {
    const sampled = [...(await sampleOfMay())].sort();
    const outside = (await getTargetedQueue(t.wh, { week: '2025-W21' })).rows.map((r) => r.form_id);
    await load(t, 'verifications', [V_HEAD, [sampled[0]!, '2025-06-01 09:00', 'sup', '属实', '', '', ''], [outside[0]!, '2025-06-01 09:00', 'sup', '属实', '', '', '']], 'no-queue.csv');
    expect(await queueOf(sampled[0]!)).toEqual(['random']);
    expect(await queueOf(outside[0]!)).toEqual(['ad_hoc']);
    await load(t, 'verifications', [[...V_HEAD, '抽查队列'], [outside[1]!, '2025-06-01 09:30', 'sup', '属实', '', '', '', '定向抽查'], [outside[2]!, '2025-06-01 09:30', 'sup', '属实', '', '', '', 'ad_hoc']], 'queue.csv');
    expect(await queueOf(outside[1]!)).toEqual(['targeted']);
    expect(await queueOf(outside[2]!)).toEqual(['ad_hoc']);
    const bad = await ingestFile(t.wh, 'verifications', t.file('bad-queue.csv', csv([[...V_HEAD, 'queue'], [outside[3]!, '2025-06-01 09:40', 'sup', '属实', '', '', '', 'sometimes']])));
    expect(bad.rejected).toBe(1);
    const reasons = await t.wh.one<{ r: string }>(`SELECT CAST(reasons AS VARCHAR) AS r FROM rejects WHERE batch_id = $1`, [bad.batch_id]);
    expect(reasons!.r).toMatch(/unknown_enum.*queue/);
    await refreshModels(t.wh);
  });

  it('from the dashboard: random only for a form in the sample; without a queue, as for a file', async () => {
    const sampled = [...(await sampleOfMay())].sort();
    const target = (await getTargetedQueue(t.wh, { week: '2025-W20' })).rows.map((r) => r.form_id);
    await expect(record({ form_id: target[1]!, outcome: 'confirmed', queue: 'random' })).rejects.toMatchObject({ code: 'not_in_random_sample' });
    expect(() => parseVerification({ form_id: 'x', outcome: 'confirmed', queue: 'later' })).toThrow(/queue must be one of random, targeted, ad_hoc/);
    const r1 = await record({ form_id: sampled[1]!, outcome: 'confirmed' });
    expect(r1.verification.queue).toBe('random');
    const r2 = await record({ form_id: target[1]!, outcome: 'confirmed' });
    expect(r2.verification.queue).toBe('ad_hoc');
    expect(await queueOf(target[1]!)).toEqual(['ad_hoc']);
  });
});

describe('the discrepancy-rate estimate reads the random queue only', () => {
  it('a fraudulent finding from the targeted queue leaves the estimate as it was, and still has its consequences', async () => {
    const q = await getTargetedQueue(t.wh, { week: '2025-W18' });
    const top = q.rows.find((r) => r.verification_outcome === null)!;
    expect(top.form_id).toBe('FK111');
    const k0 = await getKpi(t.wh, MAY);
    const m0 = (await t.wh.one<Record<string, number>>(`SELECT forms_sample_verified, forms_sample_discrepant, discrepancy_rate FROM kpi_month WHERE month = DATE '2025-05-01' AND scope = 'company'`))!;
    const res = await record({ form_id: top.form_id, outcome: 'fraudulent', queue: 'targeted', note: '客户未接到回访' });
    expect(res.verification).toMatchObject({ queue: 'targeted', outcome: 'fraudulent' });
    expect(res.form).toMatchObject({ counted: false, verification_outcome: 'fraudulent' });

    const k1 = await getKpi(t.wh, MAY);
    expect(k1.discrepancy_rate).toBe(k0.discrepancy_rate);
    expect(await t.wh.one(`SELECT forms_sample_verified, forms_sample_discrepant, discrepancy_rate FROM kpi_month WHERE month = DATE '2025-05-01' AND scope = 'company'`)).toEqual(m0);
    // the supervision's work and the counted forms move
    expect(k1.feedback.verified).toBe(k0.feedback.verified + 1);
    expect(k1.feedback.forms).toBe(k0.feedback.forms - 1);
    // the forged-form penalty in the month of the verification, on the technician's bonus sheet
    expect(await t.wh.one(`SELECT strftime(month, '%Y-%m') AS month, technician_id, penalty FROM fct_forged_form WHERE form_id = 'FK111'`)).toEqual({ month: '2025-06', technician_id: 'E1', penalty: -1000 });
    expect(await t.wh.one(`SELECT forged_form_penalty, forged_form_ids FROM mart_bonus_person WHERE month = DATE '2025-06-01' AND technician_id = 'E1'`)).toEqual({ forged_form_penalty: -1000, forged_form_ids: ['FK111'] });
    // the list does not shift: the form stays, with its outcome
    const after = await getTargetedQueue(t.wh, { week: '2025-W18' });
    expect(after.rows.map((r) => r.form_id)).toEqual(q.rows.map((r) => r.form_id));
    expect(after.rows[0]).toMatchObject({ form_id: 'FK111', verification_outcome: 'fraudulent', verification_queue: 'targeted' });
    expect(after.groups[0]!.verified).toBe(1);
  });

  it('a finding from the random queue moves it', async () => {
    const sampled = (await getSpotcheckQueue(t.wh, { week: '2025-W19' })).rows.filter((r) => r.verification_outcome === null);
    const before = (await t.wh.one<{ v: number; d: number }>(`SELECT forms_sample_verified AS v, forms_sample_discrepant AS d FROM kpi_month WHERE month = DATE '2025-05-01' AND scope = 'company'`))!;
    await record({ form_id: sampled[0]!.form_id, outcome: 'corrected', queue: 'random', timeliness: 'E', quality: 'E', attitude: 'E' });
    const k = (await t.wh.one<{ v: number; d: number; rate: number }>(`SELECT forms_sample_verified AS v, forms_sample_discrepant AS d, discrepancy_rate AS rate FROM kpi_month WHERE month = DATE '2025-05-01' AND scope = 'company'`))!;
    expect(k).toEqual({ v: before.v + 1, d: before.d + 1, rate: (before.d + 1) / (before.v + 1) });
  });
});

describe('the fraud-risk reads', () => {
  it("a form's reasons and evidence: the other customers' forms on its phone", async () => {
    const f = await getFormRisk(t.wh, 'FK104');
    expect(f).toMatchObject({ form_id: 'FK104', month: MAY, technician_id: 'E3', score: 0.5, in_random_sample: false });
    expect(f.signals.map((s) => s.signal)).toEqual(['shared_phone', 'technician_phone', 'early_submission', 'burst', 'all_max', 'replaced_drop', 'prior_findings']);
    const phone = f.signals[0]!;
    expect(phone).toMatchObject({ fired: true, strength: 1, weight: 0.5, reason_zh: '联系电话在此前 28 天内还出现在 3 位其他客户的 3 份反馈表上' });
    expect((phone.evidence as { forms: { form_id: string }[] }).forms.map((x) => x.form_id)).toEqual(['FK101', 'FK102', 'FK103']);
    expect(f.signals[6]).toMatchObject({ fired: false, evidence: { corrected: 1, forms: ['FK224'] } });
    await expect(getFormRisk(t.wh, 'NO-SUCH')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('technicians ranked by risk with their months, and the findings by queue', async () => {
    const r = await getTechnicianRisk(t.wh, { month: MAY });
    expect(r.rows.map((x) => x.rank)).toEqual(r.rows.map((_, i) => i + 1));
    // E1 (own phone, a forged form found in April, two on-site forms contradicted by phone) leads; EF's
    // all-maximum share alone weighs 0.1 a form since migration 012 (it led at 0.3)
    expect(r.rows[0]).toMatchObject({ technician_id: 'E1' });
    expect(r.rows.find((x) => x.technician_id === 'EF')).toMatchObject({ all_max: { fired: true, basis: 'team', basis_share: 0.3 } });
    const e1 = r.rows.find((x) => x.technician_id === 'E1')!;
    expect(e1.history.map((h) => h.month)).toEqual(['2025-04', MAY]);
    expect(e1.prior_findings).toMatchObject({ fired: true, fraudulent: 1 });
    expect((await getTechnicianRisk(t.wh, { month: MAY, team: 'T2' })).rows.every((x) => x.team_id === 'T2')).toBe(true);

    const june = await getFindings(t.wh, { month: '2025-06' });
    const e1f = june.rows.find((x) => x.technician_id === 'E1')!;
    expect(e1f.by_queue.targeted).toMatchObject({ checked: 1, fraudulent: 1 });
    expect(e1f.to_date).toMatchObject({ fraudulent: 2 });
    expect(june.totals.targeted.fraudulent).toBe(1);
    expect(june.totals.random.checked).toBeGreaterThanOrEqual(2);
  });
});

describe('policy', () => {
  it("the targeted queue's size follows the share of the week's month", async () => {
    await createPolicyVersion(t.wh, await parsePolicyInput(t.wh, { effective_from: MAY, targeted_check_share: 0.5 }), 'admin');
    const q = await getTargetedQueue(t.wh, { month: MAY });
    for (const g of q.groups) expect(g.size, g.week).toBe(g.random_calls);
  });
});

describe('migration 011 on a warehouse that has verifications', () => {
  it('gives the stored checks a queue by the sample rule, and the policy its defaults', async () => {
    const tmp = await tempWarehouse();
    tmp.wh.close();
    const path = join(tmp.dir, 'old.duckdb');
    const db = await DuckDBInstance.create(path);
    const c = await db.connect();
    await c.run('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)');
    for (const m of listMigrations().filter((m) => m.version <= 10)) {
      await c.run(readFileSync(m.path, 'utf8'));
      await c.run(`INSERT INTO schema_version VALUES (${m.version}, '${m.name}', now()::TIMESTAMP)`);
    }
    await c.run(`INSERT INTO tickets (ticket_id, reported_at, customer_name, team_id, completed_at, batch_id, line_no)
                 SELECT 'K' || i, TIMESTAMP '2025-05-05 08:00', 'c', 'T1', TIMESTAMP '2025-05-05 10:00' + to_minutes(i), 1, i FROM range(1, 21) r(i)`);
    await c.run(`INSERT INTO feedback (form_id, ticket_id, timeliness, quality, attitude, batch_id, line_no) SELECT 'F' || i, 'K' || i, 'A', 'A', 'A', 2, i FROM range(1, 21) r(i)`);
    await c.run(`INSERT INTO verifications VALUES ('F1', TIMESTAMP '2025-05-20 10:00', 's', 'confirmed', NULL, NULL, NULL, NULL, NULL, 3, 1),
                                                  ('F2', TIMESTAMP '2025-05-20 10:00', 's', 'confirmed', NULL, NULL, NULL, NULL, NULL, 3, 2)`);
    c.closeSync();
    db.closeSync();
    const wh = await Warehouse.open(path);
    try {
      // 20 forms of one team-week at 5 %: one in the sample
      const inSample = (await wh.one<{ f: string }>(`SELECT form_id AS f FROM random_sample_between(DATE '2025-05-05', DATE '2025-05-12') WHERE in_sample`))!.f;
      const rows = await wh.all<{ form_id: string; queue: string }>('SELECT form_id, queue FROM verifications ORDER BY form_id');
      expect(rows).toEqual(['F1', 'F2'].map((f) => ({ form_id: f, queue: f === inSample ? 'random' : 'ad_hoc' })));
      expect(await wh.one('SELECT targeted_check_share, risk_all_max_p_value, risk_weight_technician_phone FROM policy_version')).toEqual({ targeted_check_share: 0.25, risk_all_max_p_value: 0.001, risk_weight_technician_phone: 0.9 });
    } finally {
      wh.close();
      tmp.cleanup();
    }
  });
});
