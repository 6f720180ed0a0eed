/**
 * Fraud risk over HTTP (SPEC §4.7; issue 12 items 3–4) against a warehouse generated with the fraud
 * model (`fraud: true`: forgers and honest look-alikes), with the app's clock inside the data's last
 * month so that a verification recorded here lands in that month (the month of a forged-form
 * penalty and of a finding is the verification's):
 * - access per role: supervisor and admin read the targeted queue, a form's risk, the technicians
 *   ranked by risk and the findings; a manager and an executive are refused every risk route; hr
 *   reads the proven findings only and the evidence of a form found fraudulent, never an unproven one;
 * - phones and personal names in evidence are masked for a role without PII;
 * - the two queues stay apart through the API: a fraudulent finding from the targeted queue leaves
 *   the discrepancy-rate estimate and its basis unchanged while the forged-form count, the penalty
 *   and the technician's findings move; a random-queue check enters the estimate; `queue: random` on
 *   a form outside the random sample is refused with a plain 400 and records nothing.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../pipelines/generate/generate.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { createUser } from '../../server/auth.ts';
import { maskFormRisk, maskPersonName, maskPhone } from '../../server/mask.ts';
import { ROLES, type Role } from '../../server/roles.ts';
import type { FormRisk } from '../../pipelines/contract/fraud.ts';
import { tempWarehouse, type TempWarehouse } from '../helpers.ts';
import { call, FAST_SCRYPT, makeApp, MANAGER_TEAM, MONTH, PASSWORD, signInAll, USERS, type Signed, type TestApp } from './fixture.ts';

/** 2025-05-30 20:15 UTC = 2025-05-31 04:15 in China: the verification's month is MONTH, its day is not the UTC one. */
const NOW = new Date('2025-05-30T20:15:00.000Z');
const NOW_CHINA = '2025-05-31 04:15:00';

let t: TempWarehouse;
let app: TestApp;
let as: Record<Role, Signed>;

beforeAll(async () => {
  t = await tempWarehouse();
  await ensureReferenceData(t.wh);
  for (const f of await generate({ out: join(t.dir, 'demo'), months: 13, tickets: 20_000, seed: 7, dirty: false, end: MONTH, fraud: true })) {
    await ingestFile(t.wh, f.kind, f.file, { uploadedBy: 'test' });
  }
  await refreshModels(t.wh);
  for (const [role, username] of Object.entries(USERS) as [Role, string][]) {
    await createUser(t.wh, { username, role, team_id: role === 'manager' ? MANAGER_TEAM : null, password: PASSWORD }, FAST_SCRYPT);
  }
  app = makeApp(t, { now: () => NOW });
  as = await signInAll(app);
});
afterAll(() => t?.cleanup());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function ok(path: string, who: Role = 'supervisor'): Promise<Json> {
  const res = await call(app, 'GET', path, { as: as[who] });
  expect(res.status, `${who} ${path}: ${await res.clone().text()}`).toBe(200);
  return res.json();
}

const post = (body: unknown, who: Role = 'supervisor') => call(app, 'POST', '/api/verifications', { as: as[who], body });
const verifications = async () => (await t.wh.one<{ n: number }>('SELECT count(*) AS n FROM verifications'))!.n;

/** A form of the targeted list whose job is in MONTH, not yet checked. */
async function targetedForm(skip: string[] = []): Promise<Json> {
  const q = await ok(`/api/fraud/targeted?month=${MONTH}`);
  const row = q.rows.find((r: Json) => r.job_month === MONTH && r.verification_outcome === null && r.technician_id && !skip.includes(r.form_id));
  expect(row, 'a targeted form of the month').toBeDefined();
  return row;
}

describe('access per role', () => {
  it('supervisor and admin read every fraud route; manager and executive are refused all of them', async () => {
    const form = await targetedForm();
    const routes = [`/api/fraud/targeted?month=${MONTH}`, `/api/fraud/technicians?month=${MONTH}`, `/api/fraud/findings?month=${MONTH}`, `/api/fraud/forms/${form.form_id}`];
    for (const who of ['supervisor', 'admin'] as const) {
      const [targeted, technicians, findings, risk] = await Promise.all(routes.map((p) => ok(p, who)));
      expect(targeted.rows.length).toBeGreaterThan(0);
      expect(targeted.rows[0]).toMatchObject({ targeted_rank: 1, signals: expect.any(Array), reasons_zh: expect.any(Array), reasons_en: expect.any(Array) });
      expect(technicians.rows.length).toBeGreaterThan(0);
      expect(technicians.rows[0].history.length).toBeGreaterThan(0);
      expect(findings.totals.random.checked).toBeGreaterThan(0);
      expect(findings.rows[0]).toHaveProperty('by_queue');
      expect(risk).toMatchObject({ form_id: form.form_id, score: form.score, in_random_sample: false });
      expect(risk.signals.filter((s: Json) => s.fired).map((s: Json) => s.signal)).toEqual(form.signals);
      // The phone the supervisor calls is unmasked.
      expect(risk.contact_phone).toBe(form.contact_phone);
    }
    for (const who of ['manager', 'executive'] as const) {
      for (const p of [...routes, `/api/fraud/targeted?month=${MONTH}&team=${MANAGER_TEAM}`]) {
        const res = await call(app, 'GET', p, { as: as[who] });
        expect(res.status, `${who} ${p}`).toBe(403);
        expect((await res.json()).error.code).toBe('forbidden');
      }
    }
  });

  it('hr reads the proven findings only — no queue, no check that found nothing, no risk of an unproven form', async () => {
    for (const p of [`/api/fraud/targeted?month=${MONTH}`, `/api/fraud/technicians?month=${MONTH}`]) {
      const res = await call(app, 'GET', p, { as: as.hr });
      expect(res.status, p).toBe(403);
      expect((await res.json()).error.code).toBe('forbidden');
    }
    const full = await ok(`/api/fraud/findings?month=${MONTH}`);
    const hr = await ok(`/api/fraud/findings?month=${MONTH}`, 'hr');
    expect(hr).toMatchObject({ month: MONTH, team: null, proven_only: true });
    expect(Object.keys(hr).sort()).toEqual(['month', 'proven_only', 'rows', 'team']);
    const proven = full.rows.filter((r: Json) => r.month.fraudulent + r.month.corrected > 0);
    expect(proven.length).toBeGreaterThan(0);
    expect(proven.length).toBeLessThan(full.rows.length); // technicians checked and found honest are not listed
    expect(hr.rows).toEqual(proven.map((r: Json) => ({
      technician_id: r.technician_id, technician_name: r.technician_name, team_id: r.team_id, team_name: r.team_name,
      month: { corrected: r.month.corrected, fraudulent: r.month.fraudulent },
      to_date: { corrected: r.to_date.corrected, fraudulent: r.to_date.fraudulent },
    })));
    const text = JSON.stringify(hr);
    for (const word of ['by_queue', 'targeted', 'random', 'checked', 'confirmed', 'score']) expect(text).not.toContain(word);

    // The risk of a form nobody has proven forged: refused, and the answer tells nothing of it.
    const form = await targetedForm();
    const res = await call(app, 'GET', `/api/fraud/forms/${form.form_id}`, { as: as.hr });
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(body.error.code).toBe('not_proven');
    expect(JSON.stringify(body)).not.toMatch(/score|signal|reason/);
    // An unknown form is refused the same way (hr cannot tell which forms exist either).
    expect((await call(app, 'GET', '/api/fraud/forms/NO-SUCH-FORM', { as: as.hr })).status).toBe(403);
    expect((await call(app, 'GET', '/api/fraud/forms/NO-SUCH-FORM', { as: as.supervisor })).status).toBe(404);
  });
});

describe('the two queues through the API', () => {
  it('a fraudulent finding from the targeted queue stays out of the estimate; forged-form count, penalty and findings move', async () => {
    const form = await targetedForm();
    const targeted0 = await ok(`/api/fraud/targeted?month=${MONTH}`);
    const k0 = await ok(`/api/kpi?month=${MONTH}`);
    const money0 = await ok(`/api/money?month=${MONTH}&by=team`);
    const findings0 = await ok(`/api/fraud/findings?month=${MONTH}`);
    const tech0 = findings0.rows.find((r: Json) => r.technician_id === form.technician_id);
    const penalty = (await t.wh.one<{ p: number }>(`SELECT forged_form_penalty AS p FROM policy_for_month WHERE month = DATE '${MONTH}-01'`))!.p;
    expect(penalty).toBeLessThan(0);
    // The estimate is its basis: forms_sample_discrepant ÷ forms_sample_verified, of the random queue only.
    expect(k0.forms_sample_verified).toBeGreaterThan(0);
    expect(k0.discrepancy_rate).toBe(k0.forms_sample_discrepant / k0.forms_sample_verified);

    const res = await post({ form_id: form.form_id, outcome: 'fraudulent', queue: 'targeted', note: '客户称未填写' });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json();
    expect(body.verification).toMatchObject({ form_id: form.form_id, outcome: 'fraudulent', queue: 'targeted', verified_at: `${NOW_CHINA}.000` });
    expect(body.form).toMatchObject({ month: MONTH, counted: false, verification_outcome: 'fraudulent' });

    // The estimate and its basis do not move; the supervision's work does, and the form leaves the counted forms.
    const k1 = await ok(`/api/kpi?month=${MONTH}`);
    expect(k1.discrepancy_rate).toBe(k0.discrepancy_rate);
    expect(k1.forms_sample_verified).toBe(k0.forms_sample_verified);
    expect(k1.forms_sample_discrepant).toBe(k0.forms_sample_discrepant);
    expect(k1.forms_verified).toBe(k0.forms_verified + 1);
    expect(k1.forms_discrepant).toBe(k0.forms_discrepant + 1);
    expect(k1.forms).toBe(k0.forms - 1);

    // The forged-form count and penalty of the month (the verification's) move, for the form's team.
    const money1 = await ok(`/api/money?month=${MONTH}&by=team`);
    expect(money1.total.forged_forms).toBe(money0.total.forged_forms + 1);
    expect(money1.total.forged_form_penalty).toBe(money0.total.forged_form_penalty + penalty);
    const team = (m: Json) => m.rows.find((r: Json) => r.key === form.team_id) ?? { forged_forms: 0 };
    expect(team(money1).forged_forms).toBe(team(money0).forged_forms + 1);
    const forged = await ok(`/api/forged-forms?month=${MONTH}&technician=${form.technician_id}`, 'hr');
    expect(forged.rows.map((r: Json) => r.form_id)).toContain(form.form_id);

    // The technician's findings: one more fraudulent, from the targeted queue.
    const findings1 = await ok(`/api/fraud/findings?month=${MONTH}`);
    const tech1 = findings1.rows.find((r: Json) => r.technician_id === form.technician_id);
    expect(tech1.month.fraudulent).toBe((tech0?.month.fraudulent ?? 0) + 1);
    expect(tech1.by_queue.targeted.fraudulent).toBe((tech0?.by_queue.targeted.fraudulent ?? 0) + 1);
    expect(tech1.by_queue.random).toEqual(tech0?.by_queue.random ?? { checked: 0, confirmed: 0, corrected: 0, fraudulent: 0, unreachable: 0 });
    expect(findings1.totals.targeted.fraudulent).toBe(findings0.totals.targeted.fraudulent + 1);
    expect(findings1.totals.random).toEqual(findings0.totals.random);

    // The targeted list does not shift; the form shows its outcome, its queue and the China time of the check.
    const targeted1 = await ok(`/api/fraud/targeted?month=${MONTH}`);
    expect(targeted1.rows.map((r: Json) => r.form_id)).toEqual(targeted0.rows.map((r: Json) => r.form_id));
    expect(targeted1.rows.find((r: Json) => r.form_id === form.form_id)).toMatchObject({
      verification_outcome: 'fraudulent', verification_queue: 'targeted', verified_at: NOW_CHINA, verified_by: USERS.supervisor,
    });
    const week = (q: Json) => q.groups.find((g: Json) => g.week === form.week);
    expect(week(targeted1).verified).toBe(week(targeted0).verified + 1);
    // The random sample never lists it.
    const random = await ok(`/api/spotchecks?month=${MONTH}`);
    expect(random.rows.map((r: Json) => r.form_id)).not.toContain(form.form_id);

    // hr now sees the finding, and may read the evidence of the proven form — masked.
    const hr = await ok(`/api/fraud/findings?month=${MONTH}`, 'hr');
    expect(hr.rows.find((r: Json) => r.technician_id === form.technician_id).month.fraudulent).toBe(tech1.month.fraudulent);
    const full = await ok(`/api/fraud/forms/${form.form_id}`);
    expect(full.verifications.at(-1)).toMatchObject({ outcome: 'fraudulent', queue: 'targeted', verified_at: NOW_CHINA });
    const masked = await ok(`/api/fraud/forms/${form.form_id}`, 'hr');
    expect(masked.contact_phone).toBe(maskPhone(full.contact_phone));
    expect(masked.contact_phone).not.toBe(full.contact_phone);
    expect(masked.customer_name).toBe(maskPersonName(full.customer_name));
    expect(JSON.stringify(masked)).not.toContain(full.contact_phone);
    expect(masked.signals).toEqual(full.signals.map((s: Json) => (s.signal === 'shared_phone'
      ? { ...s, evidence: { ...s.evidence, forms: s.evidence.forms.map((f: Json) => ({ ...f, customer_name: maskPersonName(f.customer_name) })) } }
      : s)));
  });

  it('masks the phones and personal names of the evidence for every role without PII', async () => {
    const form = await targetedForm();
    const risk = (await ok(`/api/fraud/forms/${form.form_id}`)) as FormRisk;
    // Shared-phone evidence as it looks when a phone is on other customers' forms.
    const shared: FormRisk = {
      ...risk,
      contact_phone: '13812345678',
      customer_name: '宋子豪',
      signals: risk.signals.map((s) => (s.signal === 'shared_phone'
        ? { ...s, fired: true, evidence: { ...s.evidence, forms: [
          { form_id: 'FX1', ticket_id: 'KX1', customer_id: 'C1', customer_name: '李小明', technician_id: 'E1', completed_at: '2025-05-02 10:00:00' },
          { form_id: 'FX2', ticket_id: 'KX2', customer_id: 'C2', customer_name: '上海金桥建材有限公司', technician_id: 'E1', completed_at: '2025-05-03 10:00:00' },
        ] } }
        : s)),
    };
    for (const role of ROLES) {
      const out = maskFormRisk(shared, role);
      const names = out.signals.find((s) => s.signal === 'shared_phone')!.evidence as { forms: { customer_name: string | null }[] };
      if (role === 'supervisor' || role === 'admin') {
        expect(out, role).toEqual(shared);
        continue;
      }
      expect(out.contact_phone, role).toBe('138****5678');
      expect(out.customer_name, role).toBe('宋**');
      expect(names.forms.map((f) => f.customer_name), role).toEqual(['李**', '上海金桥建材有限公司']);
      expect(JSON.stringify(out), role).not.toContain('13812345678');
      // Everything else — ids, times, reasons, scores — stays as it was.
      expect({ ...out, contact_phone: null, customer_name: null, signals: null }).toEqual({ ...shared, contact_phone: null, customer_name: null, signals: null });
    }
  });

  it('a random-queue check enters the estimate; queue random on a form outside the sample is refused with a plain 400', async () => {
    // Outside the random sample (every targeted form is): refused, nothing recorded.
    const form = await targetedForm();
    const n0 = await verifications();
    const refused = await post({ form_id: form.form_id, outcome: 'confirmed', queue: 'random' });
    expect(refused.status).toBe(400);
    const e = (await refused.json()).error;
    expect(e.code).toBe('not_in_random_sample');
    expect(e.message).toBe(`form "${form.form_id}" is not in the random sample of its team and week; record it as targeted or ad_hoc`);
    const bad = await post({ form_id: form.form_id, outcome: 'confirmed', queue: 'tip-off' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('bad_body');
    expect(await verifications()).toBe(n0);

    // A form of the random sample, checked from the random queue: the estimate's basis moves.
    const sample = await ok(`/api/spotchecks?month=${MONTH}`);
    const row = sample.rows.find((r: Json) => r.job_month === MONTH && r.verification_outcome === null && r.counted);
    const k0 = await ok(`/api/kpi?month=${MONTH}`);
    const res = await post({ form_id: row.form_id, outcome: 'corrected', queue: 'random', timeliness: 'C', quality: 'C', attitude: 'C' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json()).verification.queue).toBe('random');
    const k1 = await ok(`/api/kpi?month=${MONTH}`);
    expect(k1.forms_sample_verified).toBe(k0.forms_sample_verified + 1);
    expect(k1.forms_sample_discrepant).toBe(k0.forms_sample_discrepant + 1);
    expect(k1.discrepancy_rate).toBe(k1.forms_sample_discrepant / k1.forms_sample_verified);
    expect(k1.discrepancy_rate).toBeGreaterThan(k0.discrepancy_rate);
  });

  it('documents queue in the OpenAPI description of POST /api/verifications, and the fraud routes with their roles', async () => {
    const doc = await (await call(app, 'GET', '/api/openapi.json')).json();
    const verify = doc.paths['/api/verifications'].post;
    expect(verify.requestBody.content['application/json'].schema.properties.queue.enum).toEqual(['random', 'targeted', 'ad_hoc']);
    expect(verify.responses['400'].description).toContain('not_in_random_sample');
    expect(doc.paths['/api/fraud/targeted'].get['x-roles']).toEqual(['supervisor', 'admin']);
    expect(doc.paths['/api/fraud/technicians'].get['x-roles']).toEqual(['supervisor', 'admin']);
    expect(doc.paths['/api/fraud/findings'].get['x-roles']).toEqual(['supervisor', 'admin', 'hr']);
    expect(doc.paths['/api/fraud/forms/{form_id}'].get['x-roles']).toEqual(['supervisor', 'admin', 'hr']);
  });
});
