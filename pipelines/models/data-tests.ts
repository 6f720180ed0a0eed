/**
 * Data tests of the models (issue 10), dbt-style: checks declared beside each model, run in SQL
 * after every refresh on the months it rebuilt. A failure fails the refresh loudly — the refresh
 * rolls back, the error names the model, the check and a few offending rows — and is written to
 * the audit log (refresh.ts writes it once the rollback is done, so it survives).
 *
 * Declarations: a model `sql/models/<layer>/NN_<model>.sql` has its checks in
 * `NN_<model>.tests.sql` beside it, one `-- test:` line each (other lines are comments):
 *   -- test: unique <col>, …                  no two rows share these values
 *   -- test: not_null <col>, …                none of them is NULL
 *   -- test: accepted_values <col>: <v>, …    the column holds only these ids (NULL passes)
 *   -- test: rate <col>, …                    fractions in [0, 1] (NULL, "no data", passes)
 *   -- test: at_most <expr> <= <expr>         a numerator never exceeds its denominator
 *   -- test: sums_to <total> = <a> + <b> + …  the parts add up to the total, exactly
 *   -- test: expect <boolean SQL expression>  holds on every row
 *   -- test: query <name>                     the SQL query that follows (up to a line ending in
 *                                             `;`) returns the offending rows — for checks across
 *                                             rows or models. `{rows}` in it stands for the model's
 *                                             rows of the months refreshed; any other table it
 *                                             reads it restricts itself (temp table refresh_months).
 * A row fails a row check when its condition is false; NULL is not false (pair with not_null).
 * Row checks and `unique` read only the rows of the months refreshed (temp table refresh_months)
 * when the model has a `month` column, else the whole (small) table. The rows failing any row check
 * of a model are counted in one scan; each check is counted, and its offending rows fetched, only
 * when some row failed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { LAYERS, MODELS_DIR, loadModels, type Model } from './models.ts';

export const TEST_KINDS = ['unique', 'not_null', 'accepted_values', 'rate', 'at_most', 'sums_to', 'expect', 'query'] as const;
export type TestKind = (typeof TEST_KINDS)[number];

export interface DataTest {
  model: string;
  kind: TestKind;
  /** The declaration as written after `-- test:` (what a failure names). */
  name: string;
  /** Row checks: the condition every row meets. */
  condition?: string;
  /** unique and query: a query returning the offending rows. */
  query?: string;
  /** The columns the declaration names (shown with an offending row). */
  columns: string[];
  /** Where it is declared, for a message about the declaration itself. */
  file: string;
}

export interface DataTestFailure {
  model: string;
  check: string;
  /** How many rows fail (for unique: how many duplicated key values). */
  rows: number;
  /** A few of them. */
  examples: Record<string, unknown>[];
}

export interface DataTestRun {
  checks: number;
  seconds: number;
  failures: DataTestFailure[];
}

const EXAMPLES = 3;

/** The refresh failed its data tests: it was rolled back, and the failures are in the audit log. */
export class DataTestError extends Error {
  override name = 'DataTestError';
  constructor(readonly failures: DataTestFailure[]) {
    super(
      `data tests failed, the refresh was rolled back: ` +
        failures.map((f) => `${f.model} · ${f.check} — ${f.rows} offending row${f.rows === 1 ? '' : 's'}, e.g. ${f.examples.map((e) => JSON.stringify(e)).join(' ')}`).join('; '),
    );
  }
}

const ident = /^[a-z_][a-z0-9_]*$/;
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const quote = (v: string) => `'${v.replaceAll("'", "''")}'`;

/** Parses one model's declarations. Throws on anything it does not understand (a check must never be skipped silently). */
export function parseTests(model: string, file: string, text: string): DataTest[] {
  const tests: DataTest[] = [];
  const lines = text.split('\n');
  const bad = (i: number, why: string) => new Error(`${file}:${i + 1}: ${why}`);
  for (let i = 0; i < lines.length; i++) {
    const m = /^--\s*test:\s*(\S+)\s*(.*?)\s*$/.exec(lines[i]!);
    if (!m) continue;
    const kind = m[1] as TestKind;
    const args = m[2]!;
    const name = `${kind} ${args}`.trim();
    const t = (x: Omit<DataTest, 'model' | 'kind' | 'name' | 'file'>) => tests.push({ model, kind, name, file, ...x });
    const cols = (s: string) => {
      const c = list(s);
      if (!c.length || c.some((x) => !ident.test(x))) throw bad(i, `${kind} needs a list of column names, got "${s}"`);
      return c;
    };
    switch (kind) {
      case 'unique': {
        const c = cols(args);
        t({ columns: c, query: `SELECT ${c.join(', ')}, count(*) AS duplicates FROM {rows} GROUP BY ${c.join(', ')} HAVING count(*) > 1` });
        break;
      }
      case 'not_null': {
        const c = cols(args);
        t({ columns: c, condition: c.map((x) => `${x} IS NOT NULL`).join(' AND ') });
        break;
      }
      case 'accepted_values': {
        const a = /^([a-z_][a-z0-9_]*)\s*:\s*(.+)$/.exec(args);
        if (!a) throw bad(i, `accepted_values needs "<column>: <value>, …", got "${args}"`);
        t({ columns: [a[1]!], condition: `${a[1]} IN (${list(a[2]!).map(quote).join(', ')})` });
        break;
      }
      case 'rate': {
        const c = cols(args);
        t({ columns: c, condition: c.map((x) => `${x} BETWEEN 0 AND 1`).join(' AND ') });
        break;
      }
      case 'at_most':
      case 'sums_to':
      case 'expect': {
        const op = { at_most: /<=/, sums_to: /^\s*[a-z_][a-z0-9_]*\s*=[^=]/, expect: /./ }[kind];
        if (!op.test(args)) throw bad(i, `${kind} needs ${{ at_most: '"<expr> <= <expr>"', sums_to: '"<total> = <part> + …"', expect: 'a condition' }[kind]}, got "${args}"`);
        const condition = kind === 'sums_to' ? args.replace(/=(.*)$/, '= ($1)') : args;
        t({ columns: [...new Set(args.match(/[a-z_][a-z0-9_]*/g) ?? [])], condition });
        break;
      }
      case 'query': {
        if (!ident.test(args)) throw bad(i, `query needs a name (a word), got "${args}"`);
        const body: string[] = [];
        let j = i + 1;
        for (; j < lines.length; j++) {
          body.push(lines[j]!);
          if (/;\s*$/.test(lines[j]!)) break;
        }
        if (j === lines.length) throw bad(i, `query ${args}: its SQL must end with ";"`);
        t({ columns: [], query: body.join('\n').trim().replace(/;\s*$/, '') });
        i = j;
        break;
      }
      default:
        throw bad(i, `unknown test kind "${kind}"; kinds: ${TEST_KINDS.join(', ')}`);
    }
  }
  return tests;
}

/** Every model's declared tests (files NN_<model>.tests.sql beside the models). */
export function loadDataTests(dir: string = MODELS_DIR, models: Model[] = loadModels(dir)): DataTest[] {
  const names = new Set(models.map((m) => m.name));
  const tests: DataTest[] = [];
  for (const layer of LAYERS) {
    for (const f of readdirSync(join(dir, layer)).filter((f) => /^\d+_[a-z0-9_]+\.tests\.sql$/.test(f)).sort()) {
      const model = f.replace(/^\d+_/, '').replace(/\.tests\.sql$/, '');
      const file = join(dir, layer, f);
      if (!names.has(model)) throw new Error(`${file}: no model ${model} beside it`);
      tests.push(...parseTests(model, file, readFileSync(file, 'utf8')));
    }
  }
  return tests;
}

/**
 * Runs the tests of the given models (all with tests when omitted) on the months in the temp table
 * `refresh_months`. Returns the failures; the caller decides what a failure does.
 */
export async function runDataTests(wh: Warehouse, opts: { models?: string[]; tests?: DataTest[] } = {}): Promise<DataTestRun> {
  const t0 = performance.now();
  const tests = (opts.tests ?? loadDataTests()).filter((t) => !opts.models || opts.models.includes(t.model));
  const columns = new Map<string, Set<string>>();
  for (const r of await wh.all<{ t: string; c: string }>(`SELECT table_name AS t, column_name AS c FROM duckdb_columns() WHERE NOT internal AND schema_name = 'main'`)) {
    if (!columns.has(r.t)) columns.set(r.t, new Set());
    columns.get(r.t)!.add(r.c);
  }
  const failures: DataTestFailure[] = [];
  for (const model of [...new Set(tests.map((t) => t.model))]) {
    const own = tests.filter((t) => t.model === model);
    const cols = columns.get(model);
    if (!cols) throw new Error(`data tests: model ${model} is not built`);
    for (const t of own) {
      const unknown = t.kind === 'query' || t.kind === 'expect' || t.kind === 'at_most' || t.kind === 'sums_to' ? [] : t.columns.filter((c) => !cols.has(c));
      if (unknown.length) throw new Error(`${t.file}: ${t.name}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a column' : 'are not columns'} of ${model}`);
    }
    // The rows checked: the months refreshed (a range DuckDB can prune by, then the exact list).
    const rows = cols.has('month')
      ? `(SELECT * FROM ${model} WHERE month >= CAST(getvariable('refresh_from') AS DATE) AND month < CAST(getvariable('refresh_to') AS DATE) AND month IN (SELECT month FROM refresh_months))`
      : model;
    // A failing row is shown by its key (the first unique check's columns, and month) and the columns the check names.
    const key = [...(cols.has('month') ? ['month'] : []), ...(own.find((t) => t.kind === 'unique')?.columns ?? [])];
    const shown = (t: DataTest) => [...new Set([...key, ...t.columns.filter((c) => cols.has(c))])];
    const fail = (t: DataTest, n: number, examples: Record<string, unknown>[]) => failures.push({ model, check: t.name, rows: n, examples });
    const run = <T>(t: DataTest | null, sql: string) =>
      wh.all<T>(sql).catch((e: Error) => {
        throw new Error(`data tests of ${model}${t ? ` (${t.name})` : ''}: ${e.message}`);
      });

    const rowChecks = own.filter((t) => t.condition !== undefined);
    // One scan for the rows failing any row check (almost always none); per check only then.
    const anyFails = rowChecks.length > 0 && Number((await run<{ n: number }>(null, `SELECT count(*) AS n FROM ${rows} WHERE ${rowChecks.map((t) => `NOT (${t.condition})`).join(' OR ')}`))[0]!.n) > 0;
    if (anyFails) {
      const counts = (await run<Record<string, number>>(null, `SELECT ${rowChecks.map((t, i) => `count(*) FILTER (WHERE NOT (${t.condition})) AS c${i}`).join(', ')} FROM ${rows}`))[0]!;
      for (const [i, t] of rowChecks.entries()) {
        const n = Number(counts[`c${i}`]);
        if (n > 0) fail(t, n, await run(t, `SELECT ${shown(t).join(', ')} FROM ${rows} WHERE NOT (${t.condition}) ORDER BY ALL LIMIT ${EXAMPLES}`));
      }
    }
    for (const t of own.filter((t) => t.query !== undefined)) {
      const q = t.query!.replaceAll('{rows}', rows);
      const found = await run<Record<string, unknown>>(t, `SELECT * FROM (${q}) LIMIT ${EXAMPLES + 1}`);
      if (!found.length) continue;
      const n = found.length <= EXAMPLES ? found.length : Number((await run<{ n: number }>(t, `SELECT count(*) AS n FROM (${q})`))[0]!.n);
      fail(t, n, found.slice(0, EXAMPLES));
    }
  }
  return { checks: tests.length, seconds: (performance.now() - t0) / 1000, failures };
}

/** runDataTests, throwing a DataTestError when any check fails. */
export async function assertDataTests(wh: Warehouse, opts: { models?: string[] } = {}): Promise<DataTestRun> {
  const run = await runDataTests(wh, opts);
  if (run.failures.length) throw new DataTestError(run.failures);
  return run;
}
