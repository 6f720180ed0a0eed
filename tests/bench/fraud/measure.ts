/**
 * bench:fraud's measurements of one warehouse (tests/bench/fraud.bench.ts): the product's targeted
 * and random spot-check queues scored against the generator's ground truth (`<out>/truth/`). The
 * truth is read here only, into TEMP tables of this connection (bench_truth_*) after the models are
 * built; no model or product query reads it.
 *
 * Frame: the queues as they work, week by week. The targeted queue is the product's own
 * (pipelines/spotcheck/targeted.ts → sql/spotcheck/targeted_queue.sql, asked month by month): each
 * ISO week its `size` riskiest forms (the policy's share of the week's calls), the calls made in
 * week order, rank order within a week. The random queue is sql/spotcheck/queue.sql (getSpotcheckQueue)
 * in its order (week, team, sample rank). "At N calls" is the first N calls of a queue.
 * A single signal alone is the same weekly queue (same population, same weekly budget) ranked by that
 * signal's own strength alone (SINGLE_SIGNALS; then its evidence, then the product's tie order md5(form_id | week)):
 * once the week's flagged forms are called, the rest of its budget goes in tie order, as the
 * product's ranking would order equal scores.
 * A call finds a forged form when the form called is listed in forged-forms.csv, or when its
 * replaced_drop signal names the on-site form the customer's phone form replaced and that on-site
 * form is listed: the call is about that contradiction (the reason names both forms), and a
 * replaced form can be verified and penalised (fct_spot_check, fct_forged_form). The same rule
 * counts for every queue. The true forged-form rate the random sample estimates is that of the
 * current forms (a replaced form is not in the sample).
 */
import { join } from 'node:path';
import { getSpotcheckQueue } from '../../../pipelines/spotcheck/queue.ts';
import { getTargetedQueue } from '../../../pipelines/spotcheck/targeted.ts';
import { sqlString, type Warehouse } from '../../../pipelines/warehouse/warehouse.ts';

export const CALLS = [100, 500] as const;
export const LOOK_ALIKES = ['fleet_phone', 'excellent_technician', 'onsite_station', 'multi_vehicle_visit'] as const;
export type LookAlike = (typeof LOOK_ALIKES)[number];

/**
 * Single-signal rankings: a strength, then the signal's own evidence (both descending). A signal
 * alone is its own evidence: a form-level signal by the form's own flag (fct_form_risk), a
 * technician-level one by the technician's strength (earlier findings on every form of the
 * technician alike; the all-maximum test on the technician's all-maximum forms, as the signal is
 * defined, and the all-maximum share itself). How the score carries a technician's findings and
 * repeated patterns to particular forms (migration 012) is the combination under test; those
 * carried strengths are listed too (`carried`), for comparison, and do not decide the target.
 */
export const SINGLE_SIGNALS: Record<string, { key: string; tie: string; carried?: true }> = {
  shared_phone: { key: 'shared_phone_strength', tie: 'phone_other_customers' },
  technician_phone: { key: 'technician_phone_strength', tie: 'CAST(phone_is_own AS INTEGER)' },
  early_submission: { key: 'own_early_submission_strength', tie: '-coalesce(minutes_after_completion, 0)' },
  burst: { key: 'own_burst_strength', tie: 'burst_customers' },
  all_max: { key: 'all_max_strength', tie: '-coalesce(all_max_p_value, 1)' },
  all_max_share: { key: 'CASE WHEN submitted_max THEN coalesce(all_max_share, 0) ELSE 0 END', tie: 'CAST(submitted_max AS INTEGER)' },
  replaced_drop: { key: 'own_replaced_drop_strength', tie: 'coalesce(replaced_on_site_score - replaced_phone_score, 0)' },
  prior_findings: { key: 'prior_findings_technician_strength', tie: 'prior_fraudulent' },
  'early_submission carried': { key: 'early_submission_strength', tie: '-coalesce(minutes_after_completion, 0)', carried: true },
  'burst carried': { key: 'burst_strength', tie: 'burst_customers', carried: true },
  'replaced_drop carried': { key: 'replaced_drop_strength', tie: 'coalesce(replaced_on_site_score - replaced_phone_score, 0)', carried: true },
  'prior_findings carried': { key: 'prior_findings_strength', tie: 'prior_fraudulent', carried: true },
};

export interface Hits {
  calls: number;
  found: number;
}

export interface SeedResult {
  seed: number;
  forms: number;
  /** Forged current forms (what the random sample estimates). */
  forged: number;
  /** Every forged form written, replaced ones included. */
  written: number;
  /** Replaced forged on-site forms a call can find (replaced_drop names them). */
  replacedFindable: number;
  /** Forged current forms outside the random sample: what the targeted queue can reach. */
  reachable: number;
  weeks: number;
  targeted: Record<number, Hits>;
  random: Record<number, Hits>;
  randomAll: Hits;
  /** Whole period, one list ranked by score (secondary). */
  targetedWhole: Record<number, Hits>;
  single: Record<string, Hits>;
  singleWhole: Record<string, Hits>;
  /** Each signal alone over all weeks at the weekly budget. */
  singleBudget: Record<string, Hits>;
  budget: Hits;
  /** Of budget.found, the calls whose find is the replaced on-site form replaced_drop names. */
  budgetViaReplaced: number;
  /** Targeted calls at the weekly budget on honest forms of each look-alike kind; `honest` all honest calls. */
  accused: Record<LookAlike | 'honest', number>;
  /** The look-alikes' forms outside the random sample, and how many have any signal (score > 0). */
  lookAlikeForms: Record<LookAlike, { forms: number; flagged: number }>;
  estimate: { checks: number; fraudulent: number; kpiVerified: number; kpiDiscrepant: number };
  mirrorMatches: boolean;
}

type Row = Record<string, unknown>;

const months = (from: string, to: string): string[] => {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) { m = 1; y++; }
  }
  return out;
};

const hitsAt = (forged: boolean[], n: number): Hits => {
  const calls = Math.min(n, forged.length);
  return { calls, found: forged.slice(0, calls).filter(Boolean).length };
};

export async function measure(wh: Warehouse, truthDir: string, seed: number): Promise<SeedResult> {
  await wh.run(`CREATE OR REPLACE TEMP TABLE bench_truth_forged AS
    SELECT form_id FROM read_csv(${sqlString(join(truthDir, 'forged-forms.csv'))}, header = true, all_varchar = true)`);
  await wh.run(`CREATE OR REPLACE TEMP TABLE bench_truth_look AS
    SELECT kind, id FROM read_csv(${sqlString(join(truthDir, 'look-alikes.csv'))}, header = true, all_varchar = true)`);

  const span = (await wh.one<{ lo: string; hi: string }>(
    `SELECT strftime(min(completed_at), '%Y-%m-%d') AS lo, strftime(max(completed_at) + INTERVAL 1 DAY, '%Y-%m-%d') AS hi FROM fct_jobs`,
  ))!;
  // every form a queue can hold, with its week's targeted budget, signals, truth and look-alike kind
  await wh.run(`CREATE OR REPLACE TEMP TABLE bench_cand AS
    WITH sample AS (SELECT * FROM random_sample_between(CAST($lo AS DATE), CAST($hi AS DATE))),
    calls AS (
      SELECT w.week, w.week_start, w.week_month,
             CAST(ceil(round(w.random_calls * p.targeted_check_share / (1 - p.targeted_check_share), 9)) AS INTEGER) AS size
      FROM (SELECT week, week_start, week_month, CAST(sum(sample_size) AS INTEGER) AS random_calls
            FROM (SELECT DISTINCT week, week_start, week_month, team_id, sample_size FROM sample) GROUP BY ALL) w
      JOIN policy_for_month p ON p.month = w.week_month
    ),
    elsewhere AS (SELECT DISTINCT form_id FROM verifications WHERE queue <> 'targeted'),
    fleet AS (SELECT phone_key(id) AS phone FROM bench_truth_look WHERE kind = 'fleet_phone')
    SELECT s.week, c.week_start, c.size, s.in_sample, s.form_id IN (SELECT form_id FROM elsewhere) AS checked_elsewhere,
           md5(s.form_id || '|' || s.week) AS h, r.*,
           s.form_id IN (SELECT form_id FROM bench_truth_forged) AS forged_form,
           s.form_id IN (SELECT form_id FROM bench_truth_forged)
             OR coalesce(r.replaced_drop AND r.replaced_on_site_form IN (SELECT form_id FROM bench_truth_forged), false) AS forged,
           phone_key(t.contact_phone) IN (SELECT phone FROM fleet) AS fleet_phone,
           r.technician_id IN (SELECT id FROM bench_truth_look WHERE kind = 'excellent_technician') AS excellent_technician,
           r.team_id IN (SELECT id FROM bench_truth_look WHERE kind = 'onsite_station') AS onsite_station,
           r.ticket_id IN (SELECT id FROM bench_truth_look WHERE kind = 'multi_vehicle_visit') AS multi_vehicle_visit,
           tr.all_max_share,
           fr.early_submission_strength AS own_early_submission_strength, fr.burst_strength AS own_burst_strength,
           fr.replaced_drop_strength AS own_replaced_drop_strength
    FROM sample s
    JOIN calls c ON c.week = s.week
    JOIN risk_form_score r ON r.form_id = s.form_id
    JOIN fct_form_risk fr ON fr.form_id = r.form_id
    JOIN tickets t ON t.ticket_id = r.ticket_id
    LEFT JOIN mart_technician_risk_month tr ON tr.month = r.month AND tr.technician_id = r.technician_id`, span);

  // the random queue, month by month in its order
  const ms = months(span.lo.slice(0, 7), span.hi.slice(0, 7));
  const forgedSet = new Set((await wh.all<{ form_id: string }>('SELECT form_id FROM bench_cand WHERE forged')).map((r) => r.form_id));
  const randomCalls: boolean[] = [];
  const targetedIds: string[] = [];
  for (const m of ms) {
    for (const r of (await getSpotcheckQueue(wh, { month: m })).rows) randomCalls.push(forgedSet.has(r.form_id));
    for (const r of (await getTargetedQueue(wh, { month: m })).rows) targetedIds.push(r.form_id);
  }
  const targetedCalls = targetedIds.map((f) => forgedSet.has(f));
  const viaReplaced = new Set((await wh.all<{ form_id: string }>('SELECT form_id FROM bench_cand WHERE forged AND NOT forged_form')).map((r) => r.form_id));

  const pool = `FROM bench_cand WHERE NOT in_sample AND NOT checked_elsewhere`;
  const weekly = async (key: string, tie: string, filter = 'true'): Promise<Row[]> =>
    wh.all(`SELECT form_id, forged FROM (
        SELECT *, row_number() OVER (PARTITION BY week ORDER BY ${key} DESC, ${tie} DESC, h, form_id) AS rk ${pool} AND ${filter})
      WHERE rk <= size ORDER BY week_start, rk`);
  const whole = async (key: string, tie: string, filter = 'true'): Promise<boolean[]> =>
    (await wh.all<{ forged: boolean }>(`SELECT forged ${pool} AND ${filter} ORDER BY ${key} DESC, ${tie} DESC, h, form_id LIMIT ${Math.max(...CALLS)}`)).map((r) => r.forged);

  // the bench's mirror of targeted_queue.sql must list exactly the product's forms
  const mirror = await weekly('score', 'score', 'score > 0');
  const mirrorMatches = mirror.length === targetedIds.length && mirror.every((r, i) => r.form_id === targetedIds[i]);

  const at = (calls: boolean[]) => Object.fromEntries(CALLS.map((n) => [n, hitsAt(calls, n)])) as Record<number, Hits>;
  const single: Record<string, Hits> = {};
  const singleWhole: Record<string, Hits> = {};
  const singleBudget: Record<string, Hits> = {};
  const N = Math.max(...CALLS);
  for (const [name, { key, tie }] of Object.entries(SINGLE_SIGNALS)) {
    const list = (await weekly(key, tie)).map((r) => r.forged as boolean);
    single[name] = hitsAt(list, N);
    singleBudget[name] = { calls: list.length, found: list.filter(Boolean).length };
    singleWhole[name] = hitsAt(await whole(key, tie), N);
  }

  const counts = (await wh.one<Row>(`SELECT
      (SELECT count(*) FROM fct_forms) AS forms,
      (SELECT count(*) FROM fct_forms WHERE form_id IN (SELECT form_id FROM bench_truth_forged)) AS forged,
      (SELECT count(*) FROM bench_truth_forged) AS written,
      (SELECT count(*) FROM bench_cand WHERE forged AND NOT forged_form) AS replaced_findable,
      (SELECT count(*) ${pool} AND forged) AS reachable,
      (SELECT count(DISTINCT week) FROM bench_cand) AS weeks`))!;

  const acc = (await wh.one<Row>(`SELECT count(*) FILTER (WHERE NOT forged) AS honest,
      ${LOOK_ALIKES.map((k) => `count(*) FILTER (WHERE NOT forged AND ${k}) AS ${k}`).join(', ')}
    FROM bench_cand WHERE form_id IN (SELECT unnest(string_split($ids, ',')))`, { ids: targetedIds.join(',') }))!;
  const look = (await wh.one<Row>(`SELECT ${LOOK_ALIKES.map((k) => `count(*) FILTER (WHERE ${k} AND NOT forged) AS ${k}_n, count(*) FILTER (WHERE ${k} AND NOT forged AND score > 0) AS ${k}_f`).join(', ')} ${pool}`))!;

  const est = (await wh.one<Row>(`WITH latest AS (
      SELECT form_id, arg_max(outcome, (verified_at, batch_id, line_no)) AS outcome FROM fct_spot_check WHERE queue = 'random' GROUP BY form_id)
    SELECT (SELECT count(*) FROM fct_forms f JOIN latest l USING (form_id)) AS checks,
           (SELECT count(*) FROM fct_forms f JOIN latest l USING (form_id) WHERE l.outcome = 'fraudulent') AS fraudulent,
           (SELECT sum(forms_sample_verified) FROM kpi_month WHERE scope = 'company') AS kv,
           (SELECT sum(forms_sample_discrepant) FROM kpi_month WHERE scope = 'company') AS kd`))!;

  return {
    seed,
    forms: Number(counts.forms), forged: Number(counts.forged), written: Number(counts.written), replacedFindable: Number(counts.replaced_findable), reachable: Number(counts.reachable), weeks: Number(counts.weeks),
    targeted: at(targetedCalls),
    random: at(randomCalls),
    randomAll: { calls: randomCalls.length, found: randomCalls.filter(Boolean).length },
    targetedWhole: at(await whole('score', 'score', 'score > 0')),
    single, singleWhole, singleBudget,
    budget: { calls: targetedCalls.length, found: targetedCalls.filter(Boolean).length },
    budgetViaReplaced: targetedIds.filter((f) => viaReplaced.has(f)).length,
    accused: { honest: Number(acc.honest), ...Object.fromEntries(LOOK_ALIKES.map((k) => [k, Number(acc[k])])) } as SeedResult['accused'],
    lookAlikeForms: Object.fromEntries(LOOK_ALIKES.map((k) => [k, { forms: Number(look[`${k}_n`]), flagged: Number(look[`${k}_f`]) }])) as SeedResult['lookAlikeForms'],
    estimate: { checks: Number(est.checks), fraudulent: Number(est.fraudulent), kpiVerified: Number(est.kv), kpiDiscrepant: Number(est.kd) },
    mirrorMatches,
  };
}

/** Wilson score interval (95 %) of x successes in n. */
export function wilson(x: number, n: number, z = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = x / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z / d) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, c - h), Math.min(1, c + h)];
}
