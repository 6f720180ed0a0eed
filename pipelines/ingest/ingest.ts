/**
 * One file → one batch (SPEC §3). Orchestrates: scan and prepare the source (source.ts), detect a
 * duplicate by sha256, archive the original, read and validate the file with DuckDB's CSV reader
 * into temp tables (validate-sql.ts), then in one transaction record the batch, its rejects and
 * warnings, and upsert (upsert-sql.ts). A crash or kill before COMMIT leaves nothing behind.
 */
import { listValue } from '@duckdb/node-api';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { sqlString } from '../warehouse/warehouse.ts';
import { KINDS, type KindName } from './kinds.ts';
import { dateColumnPositions, mapHeader } from './header.ts';
import { prepareSource, type PreparedSource } from './source.ts';
import type { Progress } from '../progress.ts';
import { buildValidateSql, type EnumLabel } from './validate-sql.ts';
import { buildUpsertSql, buildWarningsSql } from './upsert-sql.ts';
import { DomainError, isWriteConflict } from '../errors.ts';
import { IngestError } from './errors.ts';
import { parseFirstRecord } from './csv-records.ts';
import type { BatchSummary } from '../contract/ingestion.ts';

export interface IngestOptions {
  uploadedBy?: string;
  /** Name to record for the file (an upload's original name); defaults to the file's own. */
  fileName?: string;
  onProgress?: Progress;
  /** Inside the batch's transaction, with its summary, before COMMIT: writes that must commit with it. */
  inTransaction?: (summary: BatchSummary) => Promise<void>;
  hooks?: IngestHooks;
}

/** Points inside a batch where a caller may step in (the crash-safety test kills the process there). */
export interface IngestHooks {
  /** Inside the batch's transaction, every row written, just before COMMIT. */
  beforeCommit?: (batchId: number) => Promise<void>;
}

/** Who loads a file when nobody is named: the operating-system user of a command-line run. */
export function defaultUploader(): string {
  return `cli:${userInfo().username}`;
}

/** Makes the names of each batch's temp tables unique on a connection. */
let tempCounter = 0;

export async function ingestFile(wh: Warehouse, kindName: KindName, file: string, opts: IngestOptions = {}): Promise<BatchSummary> {
  const started = Date.now();
  const kind = KINDS[kindName];
  if (!existsSync(file)) throw new IngestError(`${file}: no such file`);
  const tmpDir = join(wh.filesDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  const uploadedBy = opts.uploadedBy ?? defaultUploader();

  let src: PreparedSource | undefined;
  try {
    src = await prepareSource(file, tmpDir, (h) => dateColumnPositions(kind, h), opts.onProgress, opts.fileName);
    const fileName = opts.fileName ?? src.fileName;
    const dup = await wh.one<{ batch_id: number }>(
      `SELECT batch_id FROM batches WHERE sha256 = $1 AND kind = $2 AND status = 'committed' ORDER BY batch_id LIMIT 1`,
      [src.sha256, kindName],
    );
    if (dup) return duplicateSummary(kindName, fileName, src, dup.batch_id, started);

    let mapping;
    try {
      mapping = mapHeader(kind, src.header, fileName);
    } catch (err) {
      await recordFailure(wh, kindName, fileName, src, uploadedBy, err as Error);
      throw err;
    }
    const archivePath = archive(wh, src);
    const labels = await wh.all<EnumLabel>('SELECT domain, id, label FROM enum_label');
    // Staging and validation only create connection-local temp tables, so they run before the
    // transaction; everything that touches the warehouse happens inside it.
    const prefix = `_ingest${++tempCounter}`;
    const t = (n: string) => `${prefix}_${n}`;
    const names = { rej: t('rej'), rejScan: t('rejscan'), readerRejects: t('reader_rejects'), shift: t('shift'), checked: t('checked') };
    const views = [`${names.checked}_v`, `${names.checked}_lines`];
    const temps = [`${names.checked}_duplines`, ...Object.values(names), `${names.checked}_dups`];
    try {
      opts.onProgress?.('validate');
      const width = src.header.length;
      const sql = buildValidateSql({
        kind,
        mapping,
        labels,
        source: readCsvSql(src, width, names.rej, names.rejScan),
        mode: src.mode,
        target: names.checked,
        width,
      });
      await wh.run(sql.dups);
      await wh.run(sql.validate);
      await wh.run(sql.findDups);
      if ((await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${names.checked}_dups`))!.n > 0) {
        for (const n of [names.checked, names.rej, names.rejScan]) await wh.run(`DROP TABLE ${n}`);
        await wh.run(sql.validate);
      }
      let lineShift: string | undefined;
      if (src.mode === 'direct') lineShift = await stageReaderRejects(wh, names.rej, names.readerRejects, names.shift, src.delimiter);
      for (const v of sql.view(lineShift)) await wh.run(v);
      const checked = `${names.checked}_v`;

      opts.onProgress?.('upsert');
      const srcNow = src;
      temps.push(...buildUpsertSql(kind, checked, 0).temp); // the names of its temp tables
      return await wh.transaction(async () => {
        const { batch_id } = (await wh.one<{ batch_id: number }>(`SELECT nextval('batch_id_seq')::BIGINT AS batch_id`))!;
        await wh.run(
          `INSERT INTO batches (batch_id, kind, file_name, sha256, archive_path, format, encoding, uploaded_by, started_at, status, header)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now()::TIMESTAMP, 'running', $9)`,
          [batch_id, kindName, fileName, srcNow.sha256, archivePath, srcNow.format, srcNow.encoding, uploadedBy, listValue(srcNow.header)],
        );
        if (lineShift) await wh.run(`INSERT INTO rejects SELECT ${batch_id}, line_no, raw, reasons FROM ${names.readerRejects}`);
        await wh.run(`INSERT INTO rejects SELECT ${batch_id}, line_no, _raw, _reasons FROM ${checked} WHERE len(_reasons) > 0`);
        const upsert = buildUpsertSql(kind, checked, batch_id);
        for (const step of upsert.statements) {
          if (step.onlyIf && (await wh.one<{ n: number }>(step.onlyIf))!.n === 0) continue;
          await wh.run(step.sql);
        }
        for (const s of buildWarningsSql(kind, checked, batch_id)) await wh.run(s);
        const c = (await wh.one<Record<string, number>>(upsert.counts))!;
        const r = (await wh.one<{ rejected: number; warned: number }>(
          `SELECT (SELECT count(*) FROM rejects WHERE batch_id = $1) AS rejected,
                  (SELECT count(DISTINCT line_no) FROM batch_warnings WHERE batch_id = $1) AS warned`,
          [batch_id],
        ))!;
        const rows = c.accepted! + r.rejected;
        await wh.run(
          `UPDATE batches SET status = 'committed', finished_at = now()::TIMESTAMP, rows_read = $2, accepted = $3,
             inserted = $4, updated = $5, unchanged = $6, replaced = $7, rejected = $8, warnings = $9
           WHERE batch_id = $1`,
          [batch_id, rows, c.accepted!, c.inserted!, c.updated!, c.unchanged!, c.replaced!, r.rejected, r.warned],
        );
        const summary: BatchSummary = {
          batch_id,
          kind: kindName,
          file_name: fileName,
          sha256: srcNow.sha256,
          format: srcNow.format,
          encoding: srcNow.encoding,
          rows,
          accepted: c.accepted!,
          inserted: c.inserted!,
          updated: c.updated!,
          unchanged: c.unchanged!,
          replaced: c.replaced!,
          rejected: r.rejected,
          warnings: r.warned,
          duplicate: false,
          duplicate_of: null,
          seconds: (Date.now() - started) / 1000,
        };
        // The batch's own audit entry commits with it: a kill between the two cannot leave a batch
        // nobody is recorded as having loaded.
        await opts.inTransaction?.(summary);
        await opts.hooks?.beforeCommit?.(batch_id);
        return summary;
      });
    } catch (err) {
      // A refusal (DomainError) stays as it is; another connection writing the same rows meanwhile
      // is a conflict (nothing is stored; send it again). Anything else is our fault, not the file's: its details (server paths, the reader's
      // settings, a JavaScript error) go to the server log, and the batch and the user get plain words.
      const e =
        err instanceof DomainError
          ? err
          : isWriteConflict(err)
            ? new DomainError('conflict', 'write_conflict', `${fileName}: another change to the same records was being saved at the same time; nothing was stored — send the file again`)
            : internalFailure(fileName, err);
      await recordFailure(wh, kindName, fileName, src, uploadedBy, e);
      throw e;
    } finally {
      for (const n of views) await wh.run(`DROP VIEW IF EXISTS ${n}`);
      for (const n of temps) await wh.run(`DROP TABLE IF EXISTS ${n}`);
    }
  } finally {
    for (const f of src?.temp ?? []) rmSync(f, { force: true });
  }
}

/**
 * DuckDB's own CSV reader over the (prepared) file, every column as raw text. Lines it cannot split
 * into the header's columns are kept in the rejects tables instead of failing the read.
 */
function readCsvSql(src: PreparedSource, width: number, rejectsTable: string, rejectsScan: string): string {
  const names = Array.from({ length: width }, (_, i) => `c${i}`);
  if (src.mode === 'normalized') names.push('__line', '__shape');
  const columns = `{${names.map((n) => `'${n}': 'VARCHAR'`).join(', ')}}`;
  return `read_csv(${sqlString(src.csvPath)}, header = true, auto_detect = false, columns = ${columns},
    delim = ${sqlString(src.delimiter)}, quote = '"', escape = '"', strict_mode = true, null_padding = false,
    max_line_size = 16777216, store_rejects = true, rejects_table = '${rejectsTable}', rejects_scan = '${rejectsScan}')`;
}

/**
 * Lines DuckDB's reader could not split into the header's columns become rejects, with their raw
 * values (split on the delimiter in SQL; lines holding quotes are re-split by the CSV parser), in
 * temp table `out`. Returns a table of line-number shifts so the remaining rows keep their true
 * source line (see buildValidateSql), or undefined when the reader rejected nothing.
 */
async function stageReaderRejects(wh: Warehouse, rej: string, out: string, shift: string, delim: string): Promise<string | undefined> {
  const n = (await wh.one<{ n: number }>(`SELECT count(DISTINCT line) AS n FROM ${rej}`))!.n;
  if (n === 0) return undefined;
  await wh.run(
    `CREATE TEMP TABLE ${out} AS
     SELECT line AS line_no, string_split(any_value(csv_line), ${sqlString(delim)}) AS raw,
       [{'column': '', 'code': 'column_count', 'message': 'line cannot be split into the header''s columns: ' || string_agg(DISTINCT error_message, '; ')}] AS reasons
     FROM ${rej} GROUP BY line`,
  );
  const quotedLines = await wh.all<{ line: number; csv_line: string }>(
    `SELECT line, any_value(csv_line) AS csv_line FROM ${rej} WHERE contains(csv_line, '"') GROUP BY line`,
  );
  for (const q of quotedLines) {
    const fields = parseFirstRecord(q.csv_line, delim)?.fields ?? [q.csv_line];
    await wh.run(`UPDATE ${out} SET raw = $1 WHERE line_no = $2`, [listValue(fields), q.line]);
  }
  await wh.run(
    `CREATE TEMP TABLE ${shift} AS
     SELECT line - row_number() OVER (ORDER BY line) + 1 AS pos FROM (SELECT DISTINCT line FROM ${rej})`,
  );
  return shift;
}

/** An unexpected error while loading a file: logged in full on the server, reported in plain words. */
export function internalFailure(fileName: string, err: unknown): IngestError {
  console.error(`ingest: loading ${fileName} failed:`, err);
  return new IngestError(`${fileName}: the file could not be loaded because of an internal error (the details are in the server log); nothing was stored`);
}

function archive(wh: Warehouse, src: PreparedSource): string {
  const dir = join(wh.filesDir, 'archive', src.sha256.slice(0, 2));
  // Originals hold customers' phones and addresses: readable by the server's user only.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${src.sha256}-${src.fileName.replace(/[^\p{L}\p{N}._-]+/gu, '_')}`);
  if (!existsSync(path)) {
    copyFileSync(src.file, path);
    chmodSync(path, 0o600);
  }
  return path;
}

async function recordFailure(wh: Warehouse, kind: KindName, fileName: string, src: PreparedSource, by: string, err: Error): Promise<void> {
  await wh.run(
    `INSERT INTO batches (batch_id, kind, file_name, sha256, format, encoding, uploaded_by, started_at, finished_at, status, error, header)
     VALUES (nextval('batch_id_seq'), $1, $2, $3, $4, $5, $6, now()::TIMESTAMP, now()::TIMESTAMP, 'failed', $7, $8)`,
    [kind, fileName, src.sha256, src.format, src.encoding, by, err.message, listValue(src.header)],
  );
}

function duplicateSummary(kind: KindName, fileName: string, src: PreparedSource, of: number, started: number): BatchSummary {
  return {
    batch_id: of,
    kind,
    file_name: fileName,
    sha256: src.sha256,
    format: src.format,
    encoding: src.encoding,
    rows: 0,
    accepted: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    replaced: 0,
    rejected: 0,
    warnings: 0,
    duplicate: true,
    duplicate_of: of,
    seconds: (Date.now() - started) / 1000,
  };
}
