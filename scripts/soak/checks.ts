/**
 * What must hold once the server has stopped: no lost batch, no partial batch, figures equal to a
 * full rebuild, no file left behind. Each check returns its failures (empty: it holds) and a line
 * of figures for the summary.
 */
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { KINDS, type KindName } from '../../pipelines/ingest/kinds.ts';
import { firstModelDifference, snapshotModels } from '../../pipelines/models/compare.ts';
import { loadModels } from '../../pipelines/models/models.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { sqlIdent, Warehouse } from '../../pipelines/warehouse/warehouse.ts';
import type { UploadRecord } from './client.ts';

export interface Check {
  name: string;
  failures: string[];
  info: string;
}

interface BatchRow {
  batch_id: number;
  kind: string;
  file_name: string;
  sha256: string;
  status: string;
  uploaded_by: string;
  accepted: number;
  unchanged: number;
  rejected: number;
  archive_path: string | null;
}

/** Every upload answered 200 (not duplicate) is a committed batch with its counts and its `upload` audit entry; every uploaded batch is audited. */
export async function noLostBatch(wh: Warehouse, uploads: UploadRecord[], uploaders: string[]): Promise<Check> {
  const failures: string[] = [];
  const batches = new Map((await wh.all<BatchRow>('SELECT * FROM batches')).map((b) => [b.batch_id, b]));
  const audited = new Map(
    (await wh.all<{ batch_id: number; n: number }>(
      `SELECT CAST(json_extract(detail, '$.batch_id') AS BIGINT) AS batch_id, count(*) AS n
       FROM audit_log WHERE action = 'upload' AND json_extract(detail, '$.batch_id') IS NOT NULL
         AND NOT coalesce(CAST(json_extract(detail, '$.duplicate') AS BOOLEAN), false)
       GROUP BY 1`,
    )).map((r) => [r.batch_id, r.n]),
  );
  let answered = 0;
  for (const u of uploads.filter((x) => x.status === 200 && !x.duplicate)) {
    answered++;
    const b = batches.get(u.batch_id!);
    const what = `${u.file.name} (answered batch ${u.batch_id})`;
    if (!b) failures.push(`${what}: no such batch`);
    else if (b.status !== 'committed') failures.push(`${what}: batch status ${b.status}`);
    else if (b.file_name !== u.file.name || b.kind !== u.file.kind) failures.push(`${what}: the batch is ${b.kind} ${b.file_name}`);
    else if (b.accepted !== u.accepted || b.rejected !== u.rejected) failures.push(`${what}: stored accepted ${b.accepted} rejected ${b.rejected}, answered ${u.accepted}/${u.rejected}`);
  }
  const uploaded = [...batches.values()].filter((b) => b.status === 'committed' && uploaders.includes(b.uploaded_by));
  for (const b of uploaded) {
    const n = audited.get(b.batch_id) ?? 0;
    if (n !== 1) failures.push(`batch ${b.batch_id} (${b.file_name}) has ${n} upload audit entries, not 1`);
  }
  return { name: 'no lost batch', failures, info: `${answered} uploads answered 200 = committed batches with their counts; ${uploaded.length} committed uploaded batches, each with its upload audit entry` };
}

/**
 * For every committed batch, the rows stored under its batch id (current table and history) are
 * its accepted rows that changed something, and its rejects are its rejected count; an upload
 * without an answer (cut by the kill) or refused is wholly there or wholly absent.
 */
export async function noPartialBatch(wh: Warehouse, uploads: UploadRecord[]): Promise<Check> {
  const failures: string[] = [];
  const stored = new Map<number, number>();
  for (const kind of Object.keys(KINDS) as KindName[]) {
    const t = KINDS[kind].table;
    const rows = await wh.all<{ batch_id: number; n: number }>(
      `SELECT batch_id, count(*) AS n FROM (SELECT batch_id FROM ${sqlIdent(t)} UNION ALL SELECT batch_id FROM ${sqlIdent(`${t}_history`)}) GROUP BY 1`,
    );
    for (const r of rows) stored.set(r.batch_id, (stored.get(r.batch_id) ?? 0) + r.n);
  }
  const rejects = new Map((await wh.all<{ batch_id: number; n: number }>('SELECT batch_id, count(*) AS n FROM rejects GROUP BY 1')).map((r) => [r.batch_id, r.n]));
  const batches = await wh.all<BatchRow>(`SELECT * FROM batches ORDER BY batch_id`);
  const committed = batches.filter((b) => b.status === 'committed');
  for (const b of committed) {
    const rows = stored.get(b.batch_id) ?? 0;
    if (rows !== b.accepted - b.unchanged) failures.push(`batch ${b.batch_id} (${b.file_name}): ${rows} rows stored, accepted ${b.accepted} of which ${b.unchanged} unchanged`);
    if ((rejects.get(b.batch_id) ?? 0) !== b.rejected) failures.push(`batch ${b.batch_id} (${b.file_name}): ${rejects.get(b.batch_id) ?? 0} rejects stored, rejected ${b.rejected}`);
  }
  // Rows under a batch id no committed batch has: a batch that never committed left rows behind.
  const ids = new Set(committed.map((b) => b.batch_id));
  for (const [id, n] of stored) if (!ids.has(id)) failures.push(`${n} rows stored under batch ${id}, which is not a committed batch`);

  const byName = new Map(committed.map((b) => [b.file_name, b]));
  const cut: string[] = [];
  for (const u of uploads.filter((x) => x.status !== 200 && x.file.rows)) {
    const r = u.file.rows!;
    const { n } = (await wh.one<{ n: number }>(
      `SELECT count(*) AS n FROM (SELECT ${sqlIdent(r.key)} AS k FROM ${sqlIdent(r.table)} UNION ALL SELECT ${sqlIdent(r.key)} FROM ${sqlIdent(`${r.table}_history`)}) WHERE starts_with(k, $1)`,
      [r.prefix],
    ))!;
    const b = byName.get(u.file.name);
    if (u.outcome === 'cut' || u.outcome === 'server down') {
      const whole = b ? b.accepted === u.file.expect.accepted && n === b.accepted - b.unchanged : n === 0;
      if (u.outcome === 'cut') cut.push(`${u.file.name}: ${b ? `committed as batch ${b.batch_id}, ${n} rows` : 'absent'}`);
      if (!whole) failures.push(`${u.file.name} (cut by the kill): ${b ? `batch ${b.batch_id} accepted ${b.accepted}` : 'no batch'} but ${n} of its rows stored`);
    } else if (b || n > 0) {
      failures.push(`${u.file.name} (answered ${u.status} ${u.code ?? ''}): ${b ? `batch ${b.batch_id} committed` : 'no batch'}, ${n} of its rows stored`);
    }
  }
  return {
    name: 'no partial batch',
    failures,
    info: `${committed.length} committed batches: rows stored = accepted − unchanged and rejects = rejected for each; ${batches.length - committed.length} failed batches; cut by the kill: ${cut.length ? cut.join('; ') : 'none'}`,
  };
}

/** Nothing in uploads/ or tmp/, and no archived original that no batch names. */
export async function noOrphanFiles(wh: Warehouse): Promise<Check> {
  const failures: string[] = [];
  const root = wh.filesDir;
  const list = (sub: string) => (existsSync(join(root, sub)) ? readdirSync(join(root, sub), { recursive: true }).map(String) : []);
  for (const sub of ['uploads', 'tmp']) {
    const left = list(sub);
    if (left.length) failures.push(`${sub}/ holds ${left.length} file(s): ${left.slice(0, 3).join(', ')}`);
  }
  const kept = new Set((await wh.all<{ p: string }>('SELECT DISTINCT archive_path AS p FROM batches WHERE archive_path IS NOT NULL')).map((r) => basename(r.p)));
  const archived = list('archive').filter((f) => f.includes('/'));
  const orphans = archived.filter((f) => !kept.has(basename(f)));
  if (orphans.length) failures.push(`${orphans.length} archived original(s) without a batch: ${orphans.slice(0, 3).join(', ')}`);
  return { name: 'no orphaned files', failures, info: `uploads/ and tmp/ empty; ${archived.length} archived originals, each named by a batch` };
}

/** Copies the stopped server's warehouse file, rebuilds the copy in full and compares every model row for row. */
export async function figuresEqualFullRebuild(dbPath: string, dir: string): Promise<Check> {
  const copyPath = join(dir, 'full-rebuild.duckdb');
  copyFileSync(dbPath, copyPath);
  if (existsSync(`${dbPath}.wal`)) copyFileSync(`${dbPath}.wal`, `${copyPath}.wal`);
  const t0 = Date.now();
  const original = await Warehouse.open(dbPath);
  let incremental;
  try {
    incremental = await snapshotModels(original);
  } finally {
    original.close();
  }
  const copy = await Warehouse.open(copyPath);
  try {
    const report = await refreshModels(copy, { full: true });
    const diff = firstModelDifference(incremental, await snapshotModels(copy));
    const rows = [...incremental.values()].reduce((n, r) => n + r.length, 0);
    return {
      name: 'figures equal a full rebuild',
      failures: diff ? [diff] : [],
      info: `${loadModels().length} models, ${rows.toLocaleString('en')} rows compared with a full rebuild of a copy (${report.months.length} months rebuilt in ${report.seconds.toFixed(1)} s; ${((Date.now() - t0) / 1000).toFixed(1)} s in all)`,
    };
  } finally {
    copy.close();
    rmSync(copyPath, { force: true });
    rmSync(`${copyPath}.wal`, { force: true });
    rmSync(`${copyPath}.files`, { recursive: true, force: true });
  }
}
