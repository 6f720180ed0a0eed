/**
 * Builds the models (models.ts) into the warehouse. A full build recreates every model for every
 * month; an incremental refresh rebuilds only the months the batches since the last refresh
 * touched (sql/refresh/touched_months.sql), plus the months that depend on them: the next month
 * (its month-over-month comparison), the quarter's last month (the quarterly reward), every month
 * that held a running clock (sql/refresh/running_clock_months.sql: the as-of time moved, so pending
 * may have become late) and the as-of month. The invariant — incremental ≡ full rebuild, row for
 * row — is tested as a property (tests/models/refresh-invariant.test.ts). A model whose SQL changed
 * since the last refresh (a new version of the product) makes it a full build: months built by the
 * old definition would otherwise stay as they were.
 *
 * After building, the models' data tests (data-tests.ts) run on the months rebuilt; a failure rolls
 * the refresh back, is written to the audit log (after the rollback, so the entry survives) and is
 * thrown as a DataTestError naming the model, the check and a few offending rows.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAudit } from '../assessment/audit.ts';
import { PROJECT_ROOT, type Warehouse } from '../warehouse/warehouse.ts';
import { assertDataTests, DataTestError, runDataTests } from './data-tests.ts';
import { loadModels, type Model } from './models.ts';

const TOUCHED_MONTHS_SQL = readFileSync(join(PROJECT_ROOT, 'sql', 'refresh', 'touched_months.sql'), 'utf8');
const RUNNING_CLOCK_MONTHS_SQL = readFileSync(join(PROJECT_ROOT, 'sql', 'refresh', 'running_clock_months.sql'), 'utf8');

export interface RefreshReport {
  full: boolean;
  /** 'YYYY-MM' months rebuilt (all months for a full build). */
  months: string[];
  up_to_batch: number;
  seconds: number;
  models: { name: string; seconds: number }[];
  /** The data tests run after building: how many, and how long they took. */
  data_tests: { checks: number; seconds: number };
}

export interface RefreshOptions {
  full?: boolean;
  /** Rebuild these months ('YYYY-MM') whatever the batches say (e.g. after a policy change). */
  months?: string[];
}

export async function refreshModels(wh: Warehouse, opts: RefreshOptions = {}): Promise<RefreshReport> {
  const t0 = performance.now();
  const models = loadModels();
  const last = await wh.one<{ up_to_batch: number; models_sha: string | null }>('SELECT up_to_batch, models_sha FROM model_refresh ORDER BY refreshed_at DESC LIMIT 1');
  const upTo = (await wh.one<{ b: number }>('SELECT coalesce(max(batch_id), 0) AS b FROM batches'))!.b;
  const built = await existingTables(wh);
  const sha = modelsSha(models);
  let full = !!opts.full || !last || last.models_sha !== sha || models.some((m) => m.materialized === 'incremental' && !built.has(m.name));

  let touched: (string | null)[] = [];
  if (!full) {
    await wh.run(`SET VARIABLE since_batch = ${Number(last!.up_to_batch)}`);
    touched = (await wh.all<{ month: string | null }>(`SELECT strftime(month, '%Y-%m') AS month FROM (${TOUCHED_MONTHS_SQL})`)).map((r) => r.month);
    if (touched.includes(null)) full = true;
  }
  const timings: RefreshReport['models'] = [];
  const timed = async (name: string, fn: () => Promise<void>) => {
    const s = performance.now();
    await fn();
    timings.push({ name, seconds: (performance.now() - s) / 1000 });
  };

  await wh.run('CREATE OR REPLACE TEMP TABLE refresh_months (month DATE)');
  await wh.run('CREATE OR REPLACE TEMP TABLE refresh_all_months (month DATE)');
  await wh.run('CREATE OR REPLACE TEMP TABLE refresh_clock_candidates (month DATE)');
  let months: string[] = [];
  let tested: RefreshReport['data_tests'] = { checks: 0, seconds: 0 };
  await failLoudly(wh, () => ({ full, months }), () => wh.transaction(async () => {
    // The clocks the facts hold as pending were decided against the previous as-of time: their
    // months are rebuilt, whatever the batches touched (read before anything is rebuilt).
    let running: string[] = [];
    let previousAsOf: number | null = null;
    if (!full) {
      running = (await wh.all<{ m: string }>(`SELECT strftime(month, '%Y-%m') AS m FROM (${RUNNING_CLOCK_MONTHS_SQL})`)).map((r) => r.m);
      previousAsOf = (await wh.one<{ t: number }>('SELECT epoch_ms(as_of) AS t FROM data_as_of'))!.t;
      // The span of months grows when earlier (or later) data arrives: its new months are built too.
      await wh.run('CREATE OR REPLACE TEMP TABLE previous_months AS SELECT month FROM policy_for_month');
    }
    // Staging next: the month list and as-of time come from it.
    for (const m of models.filter((m) => m.layer === 'staging')) await timed(m.name, () => build(wh, m, true));
    // A correction can move the as-of time back: clocks decided late may be pending again, in any
    // month. Rare (only when the latest event is withdrawn), so it costs a full build.
    if (!full && (await wh.one<{ t: number }>('SELECT epoch_ms(as_of) AS t FROM data_as_of'))!.t < previousAsOf!) full = true;
    await wh.run(`SET VARIABLE as_of = (SELECT as_of FROM data_as_of)`);
    if (full) {
      await wh.run('INSERT INTO refresh_all_months SELECT month FROM policy_for_month');
    } else {
      const wanted = [...new Set([...(touched as string[]), ...(opts.months ?? [])])];
      for (const m of wanted) if (!/^\d{4}-\d{2}$/.test(m)) throw new Error(`month must be YYYY-MM, got "${m}"`);
      // Months whose records changed, and those that depend on them (the next month's
      // month-over-month comparison, the quarter's last month) are rebuilt whole…
      await wh.run(
        `INSERT INTO refresh_all_months
         WITH t AS (SELECT CAST(strptime(m, '%Y-%m') AS DATE) AS month FROM (SELECT unnest(${sqlList(wanted)}) AS m))
         SELECT DISTINCT x.month FROM (
           SELECT month FROM t
           UNION ALL SELECT CAST(month + INTERVAL 1 MONTH AS DATE) FROM t
           UNION ALL SELECT CAST(date_trunc('quarter', month) + INTERVAL 2 MONTH AS DATE) FROM t
           UNION ALL SELECT month FROM policy_for_month WHERE month NOT IN (SELECT month FROM previous_months)
         ) x JOIN policy_for_month p ON p.month = x.month`,
      );
      // …while a month that held a running clock, or the as-of month, is revisited only because
      // the time moved: a "clock month". A clock's decision changes only its own month's rates (no
      // next month, no quarter end), and the facts that declare it rebuild only the rows the time
      // can change (models.ts, `-- clock:`).
      await wh.run(
        `INSERT INTO refresh_clock_candidates
         SELECT DISTINCT x.month FROM (
           SELECT CAST(strptime(m, '%Y-%m') AS DATE) AS month FROM (SELECT unnest(${sqlList(running)}) AS m)
           UNION ALL SELECT CAST(date_trunc('month', as_of) AS DATE) FROM data_as_of
         ) x JOIN policy_for_month p ON p.month = x.month
         WHERE x.month NOT IN (SELECT month FROM refresh_all_months)`,
      );
      await wh.run('INSERT INTO refresh_all_months SELECT month FROM refresh_clock_candidates');
    }
    await scope(wh, 'all');
    months = (await wh.all<{ m: string }>(`SELECT strftime(month, '%Y-%m') AS m FROM refresh_months ORDER BY 1`)).map((r) => r.m);

    // The span of months can shrink (the first data arrived later than the placeholder span of
    // an empty warehouse): rows of months that no longer exist go, as a full build would drop them.
    const shrunk = !full && !!(await wh.one<{ n: number }>(
      'SELECT count(*) AS n FROM previous_months WHERE month NOT IN (SELECT month FROM policy_for_month)',
    ))!.n;
    for (const m of models.filter((m) => m.layer !== 'staging')) {
      if (shrunk && m.materialized === 'incremental') await wh.run(`DELETE FROM ${m.name} WHERE month NOT IN (SELECT month FROM policy_for_month)`);
      await timed(m.name, () => build(wh, m, full));
    }
    // Each model's data tests on the months it rebuilt: a model independent of the as-of time left
    // the clock months as they were (and as they were tested).
    const independent = models.filter((m) => m.asOfIndependent).map((m) => m.name);
    await scope(wh, 'whole');
    const a = await runDataTests(wh, { models: independent });
    await scope(wh, 'all');
    const b = await runDataTests(wh, { models: models.map((m) => m.name).filter((n) => !independent.includes(n)) });
    if (a.failures.length + b.failures.length) throw new DataTestError([...a.failures, ...b.failures]);
    tested = { checks: a.checks + b.checks, seconds: a.seconds + b.seconds };
    await wh.run(
      `INSERT INTO model_refresh (refreshed_at, up_to_batch, full_rebuild, months, seconds, models_sha)
       VALUES (now()::TIMESTAMP, $1, $2, (SELECT list(month ORDER BY month) FROM refresh_months), $3, $4)`,
      [upTo, full, (performance.now() - t0) / 1000, sha],
    );
  }));
  return { full, months, up_to_batch: upTo, seconds: (performance.now() - t0) / 1000, models: timings, data_tests: tested };
}

/** One digest of every model's SQL: a different one means the definitions changed since it was stored. */
function modelsSha(models: Model[]): string {
  const h = createHash('sha256');
  for (const m of models) h.update(`${m.layer}/${m.name}/${m.materialized}\n${m.sql}\n`);
  return h.digest('hex');
}

/**
 * Runs a refresh step; when its data tests fail, writes one audit entry per failing check
 * (action `data_test.failed`, target the model) once the step has failed, and rethrows. `separate`:
 * the step runs inside a caller's transaction, which will roll back — the entries are written on a
 * connection of their own, so they are committed whatever the caller's transaction does.
 */
async function failLoudly<T>(wh: Warehouse, context: () => Record<string, unknown>, step: () => Promise<T>, separate = false): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (!(err instanceof DataTestError)) throw err;
    const conn = separate ? await wh.session() : wh;
    try {
      for (const f of err.failures) {
        await writeAudit(conn, { actor: 'system', action: 'data_test.failed', target: f.model, detail: { check: f.check, rows: f.rows, examples: f.examples, ...context() } });
      }
    } finally {
      if (separate) conn.close();
    }
    throw err;
  }
}

/** Sets refresh_from/refresh_to to the span of the temp table `refresh_months`. */
async function setRefreshRange(wh: Warehouse): Promise<void> {
  const range = (await wh.one<{ f: string | null; t: string | null }>(
    `SELECT strftime(min(month), '%Y-%m-%d') AS f, strftime(max(month) + INTERVAL 1 MONTH, '%Y-%m-%d') AS t FROM refresh_months`,
  ))!;
  await wh.run(`SET VARIABLE refresh_from = CAST($1 AS TIMESTAMP)`, [range.f ?? '2000-01-01']);
  await wh.run(`SET VARIABLE refresh_to = CAST($1 AS TIMESTAMP)`, [range.t ?? '2000-01-01']);
}

/**
 * Rebuilds chosen incremental models for chosen months only ('YYYY-MM-01'), as a refresh does for
 * the months a batch touched — e.g. one month of the bonus sheet after a manager's allocation,
 * which changes nothing the model depends on. Call it inside the caller's transaction.
 */
export async function rebuildModelMonths(wh: Warehouse, modelNames: string[], months: string[]): Promise<void> {
  const all = loadModels();
  const models = modelNames.map((name) => {
    const m = all.find((x) => x.name === name);
    if (!m) throw new Error(`no model named ${name}`);
    if (m.materialized !== 'incremental') throw new Error(`${name} is not an incremental model`);
    return m;
  });
  await wh.run('CREATE OR REPLACE TEMP TABLE refresh_all_months (month DATE)');
  await wh.run('CREATE OR REPLACE TEMP TABLE refresh_clock_candidates (month DATE)');
  for (const month of months) await wh.run('INSERT INTO refresh_all_months VALUES (CAST($1 AS DATE))', [month]);
  await wh.run(`SET VARIABLE as_of = (SELECT as_of FROM data_as_of)`);
  for (const m of models) await build(wh, m, false);
  await scope(wh, 'all');
  // The rebuilt models' data tests, on these months; the caller's transaction rolls back on a failure.
  await failLoudly(wh, () => ({ rebuilt: modelNames, months }), () => assertDataTests(wh, { models: modelNames }), true);
}

async function build(wh: Warehouse, m: Model, full: boolean): Promise<void> {
  if (m.materialized === 'view') return wh.run(`CREATE OR REPLACE VIEW ${m.name} AS\n${m.sql}`);
  if (m.materialized === 'table' || full) {
    await scope(wh, 'all');
    return wh.run(`CREATE OR REPLACE TABLE ${m.name} AS\n${m.sql}`);
  }
  if (m.asOfIndependent) {
    // Clock months keep their rows: only the months whose records changed are rebuilt.
    await scope(wh, 'whole');
  } else if (m.clock) {
    // In clock months, the stored rows the new as-of time can change, by key.
    await scope(wh, 'clock');
    await wh.run(
      `CREATE OR REPLACE TEMP TABLE refresh_clock_keys AS
       SELECT DISTINCT ${m.clock.key} AS clock_key FROM ${m.name}
       WHERE month IN (SELECT month FROM refresh_clock_months) AND (${m.clock.when})`,
    );
    await wh.run(
      `DELETE FROM ${m.name} WHERE month IN (SELECT month FROM refresh_months)
         AND (month NOT IN (SELECT month FROM refresh_clock_months) OR ${m.clock.key} IN (SELECT clock_key FROM refresh_clock_keys))`,
    );
    await wh.run(`INSERT INTO ${m.name} BY NAME\n${m.sql}`);
    return;
  } else {
    await scope(wh, 'all');
  }
  await wh.run(`DELETE FROM ${m.name} WHERE month IN (SELECT month FROM refresh_months)`);
  await wh.run(`INSERT INTO ${m.name} BY NAME\n${m.sql}`);
}

/**
 * What an incremental model rebuilds (temp tables refresh_months, refresh_clock_months,
 * refresh_clock_keys and the refresh_from/refresh_to range), from refresh_all_months and its
 * clock months (refresh_clock_candidates):
 *   all    every month, each whole (no clock months);
 *   whole  only the months whose records changed;
 *   clock  every month; in clock months, only the keys of refresh_clock_keys (filled by the caller).
 */
async function scope(wh: Warehouse, kind: 'all' | 'whole' | 'clock'): Promise<void> {
  await wh.run(
    kind === 'whole'
      ? 'CREATE OR REPLACE TEMP TABLE refresh_months AS SELECT month FROM refresh_all_months WHERE month NOT IN (SELECT month FROM refresh_clock_candidates)'
      : 'CREATE OR REPLACE TEMP TABLE refresh_months AS SELECT month FROM refresh_all_months',
  );
  await wh.run(
    kind === 'clock'
      ? 'CREATE OR REPLACE TEMP TABLE refresh_clock_months AS SELECT month FROM refresh_clock_candidates'
      : 'CREATE OR REPLACE TEMP TABLE refresh_clock_months (month DATE)',
  );
  await wh.run('CREATE OR REPLACE TEMP TABLE refresh_clock_keys (clock_key VARCHAR)');
  await setRefreshRange(wh);
}

/** A VARCHAR[] literal of already validated YYYY-MM strings (an empty list needs its type). */
function sqlList(months: string[]): string {
  return `[${months.map((m) => `'${m}'`).join(', ')}]::VARCHAR[]`;
}

async function existingTables(wh: Warehouse): Promise<Set<string>> {
  const rows = await wh.all<{ table_name: string }>(`SELECT table_name FROM duckdb_tables() WHERE NOT temporary`);
  return new Set(rows.map((r) => r.table_name));
}
