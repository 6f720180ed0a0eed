/**
 * The one KPI read (pipelines/reads/kpi.ts) on small hand-built months, every figure by hand:
 * GET /api/kpi is the same flat point as that month of GET /api/trend, month-over-month and
 * year-over-year changes come from kpi_month's mom_/yoy_ columns (this − that, null without data on either
 * side), and every SPEC §6 figure of `kpi --json` is the corresponding flat field.
 *
 *   month    tickets (rule 4: arrival within 24 h)   forms (score)        timeliness  mean  satisfied (≥ 3)
 *   2024-05  K1 on time, K2 late                     F1 6, F2 0           1/2         3     1/2
 *   2025-04  K3, K4 on time, K5 late                 F3 3, F4 3           2/3         3     2/2
 *   2025-05  K6…K9 on time, K10 late                 F5 6, F6 −3          4/5         1.5   1/2
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPI_RATE_KEYS, type KpiPoint } from '../../pipelines/contract/kpi.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { getKpiPoint, toSpecKpi } from '../../pipelines/reads/kpi.ts';
import { PROJECT_ROOT } from '../../pipelines/warehouse/warehouse.ts';
import { createUser } from '../../server/auth.ts';
import { csv, tempWarehouse, type TempWarehouse } from '../helpers.ts';
import { call, FAST_SCRYPT, makeApp, PASSWORD, signIn, type Signed, type TestApp } from '../server/fixture.ts';

let t: TempWarehouse;
let app: TestApp;
let as: Signed;

/** A job on T01 / E1 at 20 km: on time when it arrives within 24 h of the report. */
const job = (id: string, day: string, late: boolean) => [id, `${day} 08:00`, '客户', '车身', '20', '否', 'T01', 'E1', '', `${day} ${late ? '09:00' : '10:00'}`, `${day} 12:00`, '已完成'];
const next = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const lateJob = (id: string, day: string) => { const r = job(id, day, true); r[9] = `${next(day)} 09:00`; r[10] = `${next(day)} 12:00`; return r; };

const TICKETS = [
  ['ticket_id', 'reported_at', 'customer_name', 'fault_category', 'distance_km', 'needs_supplier', 'team_id', 'technician_id', 'first_response_at', 'arrived_at', 'completed_at', 'result'],
  job('K1', '2024-05-10', false), lateJob('K2', '2024-05-11'),
  job('K3', '2025-04-08', false), job('K4', '2025-04-09', false), lateJob('K5', '2025-04-10'),
  job('K6', '2025-05-06', false), job('K7', '2025-05-07', false), job('K8', '2025-05-08', false), job('K9', '2025-05-09', false), lateJob('K10', '2025-05-12'),
];
const FORMS = [
  ['form_id', 'ticket_id', 'submitted_at', 'timeliness', 'quality', 'attitude'],
  ['F1', 'K1', '2024-05-12', 'A', 'A', 'A'], ['F2', 'K2', '2024-05-14', 'C', 'C', 'C'],
  ['F3', 'K3', '2025-04-10', 'B', 'B', 'B'], ['F4', 'K4', '2025-04-11', 'A', 'B', 'C'],
  ['F5', 'K6', '2025-05-08', 'A', 'A', 'A'], ['F6', 'K7', '2025-05-09', 'D', 'D', 'D'],
];

beforeAll(async () => {
  t = await tempWarehouse();
  await ensureReferenceData(t.wh);
  await ingestFile(t.wh, 'teams', t.file('teams.csv', csv([['team_id', 'team_name', 'region'], ['T01', '一站', '华东']])));
  await ingestFile(t.wh, 'technicians', t.file('tech.csv', csv([['technician_id', 'name', 'team_id'], ['E1', '甲', 'T01']])));
  for (const [kind, rows] of [['tickets', TICKETS], ['feedback', FORMS]] as const) {
    const b = await ingestFile(t.wh, kind, t.file(`${kind}.csv`, csv(rows as string[][])));
    expect(b.rejected, kind).toBe(0);
  }
  await refreshModels(t.wh);
  await createUser(t.wh, { username: 'exec1', role: 'executive', team_id: null, password: PASSWORD }, FAST_SCRYPT);
  app = makeApp(t);
  as = await signIn(app, 'exec1');
});
afterAll(() => t.cleanup());

const kpi = async (q: string): Promise<KpiPoint> => (await call(app, 'GET', `/api/kpi?${q}`, { as })).json();
const trend = async (q: string): Promise<{ scope: string; scope_id: string | null; months: KpiPoint[] }> => (await call(app, 'GET', `/api/trend?${q}`, { as })).json();

describe('GET /api/kpi and GET /api/trend serve the same point', () => {
  it('for every month of a trend, with the same changes, company and team', async () => {
    for (const scope of ['', '&team=T01', `&region=${encodeURIComponent('华东')}`]) {
      const tr = await trend(`months=14&end=2025-05${scope}`);
      expect(tr.months.map((m) => m.month)).toEqual([
        '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03', '2025-04', '2025-05',
      ]);
      for (const m of tr.months) expect(await kpi(`month=${m.month}${scope}`), `${m.month}${scope}`).toEqual(m);
    }
  });

  it('is the point of the read, scope and all', async () => {
    expect(await kpi('month=2025-05&team=T01')).toEqual(JSON.parse(JSON.stringify(await getKpiPoint(t.wh, '2025-05', { scope: 'team', id: 'T01' }))));
    expect(await kpi('month=2025-05&technician=E1')).toMatchObject({ scope: 'technician', scope_id: 'E1', tickets_due: 5 });
    expect((await trend('months=1&end=2025-05')).scope_id).toBeNull();
  });
});

describe('the point', () => {
  it('counts and rates of a month by hand', async () => {
    const may = await kpi('month=2025-05');
    expect(may).toMatchObject({
      month: '2025-05', scope: 'company', scope_id: null,
      tickets_reported: 5, tickets_due: 5, tickets_on_time: 4, tickets_late: 1, tickets_pending: 0, jobs: 5,
      forms: 2, forms_all: 2, total_score: 3, forms_satisfied: 1, forms_verified: 0, forms_discrepant: 0,
      complaints_received: 0, complaints_attributable: 0,
      timeliness_rate: 0.8, satisfaction_rate: 0.5, mean_score: 1.5, complaint_rate: 0, form_coverage: 0.4,
      mean_timeliness_points: 0.5, mean_quality_points: 0.5, mean_attitude_points: 0.5,
      response_rate: null, resolution_rate: null, spot_check_rate: 0, discrepancy_rate: null,
      // The as-of time is K10's completion (the latest event); every May job is still inside its
      // 30-day first-time-fix window and its 7-day follow-up window (K6's ends exactly at the
      // as-of time: still open) → all pending, no rate.
      as_of: '2025-05-13 12:00:00',
      jobs_first_fix_decided: 0, jobs_first_time_fix: 0, jobs_first_fix_pending: 5, first_time_fix_rate: null,
      jobs_followup_due: 0, jobs_followed_up: 0, jobs_followup_pending: 5, followup_rate: null,
      forms_reason_attitude: 0, forms_reason_skill: 0, forms_reason_speed: 0,
      reason_attitude_share: 0, reason_skill_share: 0, reason_speed_share: 0,
    });
    // April's windows (K3–K5 completed 04-08 … 04-11) have ended: decided, fixed, never followed up.
    expect(await kpi('month=2025-04')).toMatchObject({
      jobs_first_fix_decided: 3, jobs_first_time_fix: 3, jobs_first_fix_pending: 0, first_time_fix_rate: 1,
      jobs_followup_due: 3, jobs_followed_up: 0, jobs_followup_pending: 0, followup_rate: 0,
    });
    expect(Object.keys(may.targets).sort()).toEqual(['complaint_rate', 'first_time_fix_rate', 'followup_rate', 'form_coverage', 'resolution_rate', 'response_rate', 'satisfaction_rate', 'timeliness_rate']);
    expect(may.targets.timeliness_rate).toBeTypeOf('number');
  });

  it('month-over-month and year-over-year: this − that, per rate', async () => {
    const [may, apr, lastYear] = [await kpi('month=2025-05'), await kpi('month=2025-04'), await kpi('month=2024-05')];
    expect(may.mom.month).toBe('2025-04');
    expect(may.yoy.month).toBe('2024-05');
    expect(may.mom.timeliness_rate).toBeCloseTo(0.8 - 2 / 3, 12);
    expect(may.yoy.timeliness_rate).toBeCloseTo(0.8 - 0.5, 12);
    expect(may.mom.mean_score).toBe(-1.5);
    expect(may.yoy.mean_score).toBe(-1.5);
    expect(may.mom.satisfaction_rate).toBe(-0.5);
    expect(may.yoy.satisfaction_rate).toBe(0);
    // Every rate: the difference of the two points, null where either is null (no complaints: no response rate).
    for (const [other, change] of [[apr, may.mom], [lastYear, may.yoy]] as const) {
      for (const k of KPI_RATE_KEYS) {
        const a = may[k];
        const b = other[k];
        if (a === null || b === null) expect(change[k], k).toBeNull();
        else expect(change[k], k).toBeCloseTo(a - b, 12);
      }
    }
    expect(Object.keys(may.mom).sort()).toEqual(['month', ...KPI_RATE_KEYS].sort());
  });

  it('a month without data: zero counts, null rates and changes, targets from the policy', async () => {
    for (const month of ['2025-03', '2025-06']) {
      const p = await kpi(`month=${month}`);
      expect(p.tickets_due, month).toBe(0);
      expect(p.forms, month).toBe(0);
      for (const k of KPI_RATE_KEYS) {
        expect(p[k], `${month} ${k}`).toBeNull();
        expect(p.mom[k], `${month} mom ${k}`).toBeNull();
        expect(p.yoy[k], `${month} yoy ${k}`).toBeNull();
      }
      expect(p.targets.timeliness_rate, month).toBe((await kpi('month=2025-05')).targets.timeliness_rate);
    }
    // The month after data has no change against it: no data this month is no comparison, not a fall to zero.
    expect((await kpi('month=2025-06')).mom.month).toBe('2025-05');
    // And a month whose neighbour has no data compares with nothing.
    expect((await kpi('month=2025-04')).mom.timeliness_rate).toBeNull();
  });
});

/** Each figure of SPEC §6's `kpi --json` (a path in the nested object) and the flat field it is. */
const SPEC_TO_FLAT: [string, keyof KpiPoint][] = [
  ['month', 'month'], ['scope', 'scope'], ['scope_id', 'scope_id'], ['as_of', 'as_of'],
  ['tickets.reported', 'tickets_reported'], ['tickets.completed', 'jobs'], ['tickets.due', 'tickets_due'],
  ['tickets.on_time', 'tickets_on_time'], ['tickets.late', 'tickets_late'], ['tickets.pending', 'tickets_pending'],
  ['timeliness_rate', 'timeliness_rate'],
  ['feedback.forms', 'forms'], ['feedback.total_score', 'total_score'], ['feedback.mean_score', 'mean_score'],
  ['feedback.satisfied', 'forms_satisfied'], ['feedback.item_means.timeliness', 'mean_timeliness_points'],
  ['feedback.item_means.quality', 'mean_quality_points'], ['feedback.item_means.attitude', 'mean_attitude_points'],
  ['feedback.coverage', 'form_coverage'], ['feedback.verified', 'forms_verified'], ['feedback.discrepant', 'forms_discrepant'],
  ['feedback.sample_verified', 'forms_sample_verified'], ['feedback.sample_discrepant', 'forms_sample_discrepant'],
  ['feedback.reasons.attitude', 'forms_reason_attitude'], ['feedback.reasons.skill', 'forms_reason_skill'], ['feedback.reasons.speed', 'forms_reason_speed'],
  ['feedback.reason_shares.attitude', 'reason_attitude_share'], ['feedback.reason_shares.skill', 'reason_skill_share'],
  ['feedback.reason_shares.speed', 'reason_speed_share'],
  ['satisfaction_rate', 'satisfaction_rate'],
  ['complaints.received', 'complaints_received'], ['complaints.attributable', 'complaints_attributable'],
  ['complaints.response_rate', 'response_rate'], ['complaints.resolution_rate', 'resolution_rate'],
  ['complaints.response_due', 'complaints_response_due'], ['complaints.responded_in_time', 'complaints_responded_in_time'],
  ['complaints.response_pending', 'complaints_response_pending'], ['complaints.resolution_due', 'complaints_resolution_due'],
  ['complaints.resolved_in_time', 'complaints_resolved_in_time'], ['complaints.resolution_pending', 'complaints_resolution_pending'],
  ['first_time_fix.decided', 'jobs_first_fix_decided'], ['first_time_fix.fixed', 'jobs_first_time_fix'], ['first_time_fix.pending', 'jobs_first_fix_pending'],
  ['followup.due', 'jobs_followup_due'], ['followup.followed_up', 'jobs_followed_up'], ['followup.pending', 'jobs_followup_pending'],
  ['complaint_rate', 'complaint_rate'], ['first_time_fix_rate', 'first_time_fix_rate'], ['followup_rate', 'followup_rate'],
  ['spot_check_rate', 'spot_check_rate'], ['discrepancy_rate', 'discrepancy_rate'], ['cost_per_job', 'cost_per_job'],
  ['targets', 'targets'],
];

/** Leaf paths of a JSON object (targets taken whole). */
function leaves(o: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(o).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && k !== 'targets' ? leaves(v as Record<string, unknown>, `${prefix}${k}.`) : [[`${prefix}${k}`, v] as [string, unknown]]);
}

it('kpi --json: every SPEC §6 figure is the flat field of GET /api/kpi', async () => {
  const flat = await kpi('month=2025-05&team=T01');
  // The CLI opens a warehouse file of its own: a copy, as the app keeps this one open (and locked).
  await t.wh.run('CHECKPOINT');
  const copy = join(t.dir, 'cli.duckdb');
  copyFileSync(t.dbPath, copy);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'pipelines/cli.ts'), 'kpi', '--month', '2025-05', '--team', 'T01', '--json', '--db', copy], { encoding: 'utf8', cwd: PROJECT_ROOT });
  expect(r.status, r.stderr).toBe(0);
  // The CLI prints the §6 object (toSpecKpi of the point) and then further figures of their own
  // (money: pipelines/reads/money.ts, tested with it): every leaf under a top-level key of the
  // §6 object is a flat field, and every key of the §6 object is printed.
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  const specKeys = Object.keys(toSpecKpi(flat));
  expect(Object.keys(out)).toEqual(expect.arrayContaining(specKeys));
  expect([...new Set(SPEC_TO_FLAT.map(([path]) => path.split('.')[0]))].sort()).toEqual([...specKeys].sort());
  const spec = leaves(Object.fromEntries(Object.entries(out).filter(([k]) => specKeys.includes(k))));
  expect(spec.map(([path]) => path).sort()).toEqual(SPEC_TO_FLAT.map(([path]) => path).sort());
  const byPath = new Map(spec);
  for (const [path, key] of SPEC_TO_FLAT) expect(byPath.get(path), `${path} = ${key}`).toEqual(flat[key]);
});
