/**
 * bench:ingest — throughput of `ingest tickets` against DuckDB's plain read_csv, same run, same
 * file (issue 2). Generates 1 million tickets (override with BENCH_TICKETS), then for each of
 * BENCH_ROUNDS rounds times:
 *   plain     CREATE TABLE t AS SELECT * FROM read_csv(file)   (type sniffing, no validation)
 *   pipeline  ingestFile(wh, 'tickets', file)                  (hash, checks, typing, every rule,
 *                                                              rejects, warnings, upsert, history)
 * each into a fresh warehouse file (the pipeline's with teams and technicians loaded first, as in
 * real use), and prints rows/s and the ratio plain_time / pipeline_time.
 * Target: ratio ≥ 0.5.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../pipelines/generate/generate.ts';
import { Warehouse, sqlString } from '../../pipelines/warehouse/warehouse.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
try {
  let t0 = performance.now();
  const files = await generate({ out: join(dir, 'demo'), months: 12, tickets: TICKETS, seed: 7, dirty: false, end: '2025-12' });
  const tickets = files.find((f) => f.kind === 'tickets')!;
  console.log(`generated ${tickets.rows.toLocaleString()} tickets in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${tickets.file}`);

  const results: { plain: number; pipeline: number; rows: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const plainDb = join(dir, `plain-${round}.duckdb`);
    const wh0 = await Warehouse.open(plainDb);
    t0 = performance.now();
    await wh0.run(`CREATE TABLE plain AS SELECT * FROM read_csv(${sqlString(tickets.file)})`);
    await wh0.run('CHECKPOINT');
    const plain = (performance.now() - t0) / 1000;
    const plainRows = (await wh0.one<{ n: number }>('SELECT count(*) AS n FROM plain'))!.n;
    wh0.close();

    const wh = await Warehouse.open(join(dir, `pipeline-${round}.duckdb`));
    // Reference data first, as in real use, so tickets are checked against known teams and people.
    for (const f of files.filter((f) => f.kind === 'teams' || f.kind === 'technicians')) await ingestFile(wh, f.kind, f.file);
    t0 = performance.now();
    const s = await ingestFile(wh, 'tickets', tickets.file);
    await wh.run('CHECKPOINT');
    const pipeline = (performance.now() - t0) / 1000;
    wh.close();
    if (plainRows !== s.rows) throw new Error(`row counts differ: plain ${plainRows}, pipeline ${s.rows}`);
    results.push({ plain, pipeline, rows: s.rows });
    console.log(
      `round ${round}: plain read_csv ${plain.toFixed(2)} s (${Math.round(plainRows / plain).toLocaleString()} rows/s) · ` +
        `ingest tickets ${pipeline.toFixed(2)} s (${Math.round(s.rows / pipeline).toLocaleString()} rows/s, accepted ${s.accepted}, rejected ${s.rejected}) · ` +
        `ratio ${(plain / pipeline).toFixed(2)}`,
    );
  }
  const best = (k: 'plain' | 'pipeline') => Math.min(...results.map((r) => r[k]));
  const ratio = best('plain') / best('pipeline');
  console.log(
    `\nbest of ${ROUNDS}: plain ${best('plain').toFixed(2)} s, pipeline ${best('pipeline').toFixed(2)} s, ` +
      `${Math.round(results[0]!.rows / best('pipeline')).toLocaleString()} rows/s, ratio ${ratio.toFixed(2)} (target ≥ 0.50) ${ratio >= 0.5 ? 'MET' : 'NOT MET'}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
