/**
 * The demo-data generator (pipelines/generate): determinism, file formats and encodings,
 * headers, plausible KPI shapes, and the --dirty rows. Small sizes so it stays fast.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, type KindName } from '../pipelines/ingest/kinds.ts';
import type { DirtyFile } from '../pipelines/generate/dirty.ts';
import { ENUM_LABELS } from '../pipelines/generate/formats.ts';
import { defaultEnd, generate, type GeneratedFile, type GenerateOptions } from '../pipelines/generate/generate.ts';
import { Rng } from '../pipelines/generate/random.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PARSE_MACROS = join(ROOT, 'sql/migrations/003_parse_macros.sql');
const ENUM_SQL = join(ROOT, 'sql/migrations/002_enum_labels.sql');

const base: Omit<GenerateOptions, 'out'> = { months: 3, tickets: 3000, seed: 7, dirty: false, end: '2025-05' };
let tmp: string;
let dirA: string;
let dirB: string;
let dirD: string;
let filesA: GeneratedFile[];
let filesD: GeneratedFile[];
let inst: DuckDBInstance;
let db: DuckDBConnection;

/** Query rows; integer results (BIGINT comes back as a string) are turned into numbers. */
async function rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const out = (await db.runAndReadAll(sql)).getRowObjectsJson();
  return out.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v])),
  ) as unknown as T[];
}

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Decoded text of a generated CSV (BOM stripped, GB18030 decoded). */
function text(f: GeneratedFile): string {
  const buf = readFileSync(f.file);
  if (f.encoding === 'gb18030') return iconv.decode(buf, 'gb18030');
  const s = buf.toString('utf8');
  return s.startsWith('\uFEFF') ? s.slice(1) : s;
}

/** Minimal CSV line splitter (RFC 4180 quotes; no newlines inside fields in generated files). */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k];
    if (q) {
      if (ch === '"' && line[k + 1] === '"') {
        cur += '"';
        k++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function lines(f: GeneratedFile): string[] {
  return text(f).split('\n').filter((l) => l !== '');
}

const fileOf = (files: GeneratedFile[], kind: GeneratedFile['kind']) => {
  const f = files.find((x) => x.kind === kind);
  if (!f) throw new Error(`no ${kind}`);
  return f;
};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gen-test-'));
  dirA = join(tmp, 'a');
  dirB = join(tmp, 'b');
  dirD = join(tmp, 'd');
  filesA = await generate({ ...base, out: dirA });
  await generate({ ...base, out: dirB });
  filesD = await generate({ ...base, out: dirD, dirty: true });
  inst = await DuckDBInstance.create(':memory:');
  db = await inst.connect();
  const t = fileOf(filesA, 'tickets').file;
  const f = fileOf(filesA, 'feedback').file;
  await db.run(`CREATE TABLE t AS SELECT * FROM read_csv('${t}', all_varchar = true, header = true)`);
  await db.run(`CREATE TABLE f AS SELECT * FROM read_csv('${f}', all_varchar = true, header = true)`);
}, 60_000);

afterAll(() => {
  db?.closeSync();
  inst?.closeSync();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('generate', () => {
  it('writes the files in ingestion order, with a manifest of relative names', () => {
    expect(filesA.map((f) => f.kind)).toEqual(['teams', 'technicians', 'tickets', 'feedback', 'complaints', 'verifications', 'adjustments']);
    expect(filesA.map((f) => f.encoding)).toEqual(['xlsx', 'utf-8-bom', 'utf-8', 'utf-8', 'gb18030', 'utf-8', 'utf-8']);
    const manifest = JSON.parse(readFileSync(join(dirA, 'manifest.json'), 'utf8')) as GeneratedFile[];
    expect(manifest).toEqual(filesA.map((f) => ({ ...f, file: f.file.slice(dirA.length + 1) })));
    for (const f of filesA) expect(existsSync(f.file)).toBe(true);
    expect(existsSync(join(dirA, 'dirty-expected.json'))).toBe(false);
  });

  it('is deterministic for a seed: byte-identical files', () => {
    const names = [...filesA.map((f) => f.file.slice(dirA.length + 1)), 'manifest.json'];
    for (const n of names) expect(sha(join(dirB, n)), n).toBe(sha(join(dirA, n)));
  });

  it('row counts match the manifest', async () => {
    for (const f of filesA) {
      if (f.format === 'xlsx') {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(f.file);
        expect(wb.worksheets[0]?.actualRowCount, f.kind).toBe(f.rows + 1);
      } else {
        const all = lines(f);
        expect(all.length - 1, f.kind).toBe(f.rows);
        // every record has the header's field count (quoting of free text done right)
        const width = fields(all[0] ?? '').length;
        expect(all.filter((l) => fields(l).length !== width), f.kind).toEqual([]);
      }
    }
    expect(fileOf(filesA, 'tickets').rows).toBe(3000);
    expect(fileOf(filesA, 'feedback').rows).toBeGreaterThan(2000);
    expect(fileOf(filesA, 'complaints').rows).toBeGreaterThan(20);
    expect(fileOf(filesA, 'verifications').rows).toBeGreaterThan(20);
    expect(fileOf(filesA, 'adjustments').rows).toBeGreaterThanOrEqual(6);
  });

  it('headers are exactly the kinds.ts labels (feedback: the English ids), without the columns the warehouse derives', () => {
    expect(KINDS.verifications.columns.some((c) => c.derive)).toBe(true);
    for (const f of filesA.filter((x) => x.format === 'csv')) {
      const expected = KINDS[f.kind as KindName].columns.filter((c) => !c.derive).map((c) => (f.kind === 'feedback' ? c.id : c.label));
      expect(fields(lines(f)[0] ?? ''), f.kind).toEqual(expected);
    }
  });

  it('encodings: BOM only on technicians, complaints in GB18030 with Chinese headers', () => {
    const bytes = (k: GeneratedFile['kind']) => readFileSync(fileOf(filesA, k).file);
    expect([...bytes('technicians').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    for (const k of ['tickets', 'feedback', 'verifications', 'adjustments'] as const) {
      expect(bytes(k)[0], k).not.toBe(0xef);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes(k))).not.toThrow();
    }
    const gb = bytes('complaints');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gb)).toThrow();
    const decoded = iconv.decode(gb, 'gb18030');
    expect(decoded.split('\n')[0]).toBe(KINDS.complaints.columns.map((c) => c.label).join(','));
    expect(decoded).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
  });

  it('teams.xlsx opens with exceljs and holds 6–12 teams in several regions', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(fileOf(filesA, 'teams').file);
    const ws = wb.worksheets[0];
    if (!ws) throw new Error('no sheet');
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(KINDS.teams.columns.map((c) => c.label));
    const data: string[][] = [];
    ws.eachRow((r, n) => {
      if (n > 1) data.push((r.values as unknown[]).slice(1).map(String));
    });
    expect(data.length).toBeGreaterThanOrEqual(6);
    expect(data.length).toBeLessThanOrEqual(12);
    expect(data.every((r) => /^T\d{2}$/.test(r[0] ?? '') && /服务站$/.test(r[1] ?? ''))).toBe(true);
    expect(new Set(data.map((r) => r[2])).size).toBeGreaterThanOrEqual(3);
  });

  it('the enum label mirror matches sql/migrations/002_enum_labels.sql', () => {
    const sql = readFileSync(ENUM_SQL, 'utf8');
    const fromSql: Record<string, Record<string, string>> = {};
    for (const m of sql.matchAll(/\('(\w+)',\s*'(\w+)',\s*'([^']+)'\)/g)) {
      const [, domain, id, label] = m as unknown as [string, string, string, string];
      (fromSql[domain] ??= {})[id] = label;
    }
    for (const [domain, map] of Object.entries(ENUM_LABELS)) expect(map, domain).toEqual(fromSql[domain]);
  });

  it('values are written in each file’s style', async () => {
    const [r] = await rows<Record<string, number>>(`SELECT
      count(*) FILTER (NOT regexp_full_match("报修时间", '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}')) bad_ts,
      count(*) FILTER ("需联系配套厂家" NOT IN ('是', '否')) bad_bool,
      count(*) FILTER ("报修渠道" NOT IN ('电话', '在线', '微信', '邮件', '来访')) bad_channel,
      count(*) FILTER (NOT regexp_full_match("联系电话", '1\\d{10}')) bad_phone,
      count(*) FILTER ("处理结果" = '已取消') cancelled,
      count(*) FILTER ("处理结果" = '已取消' AND "完成时间" IS NOT NULL) cancelled_done,
      count(*) FILTER ("返修原单号" IS NOT NULL) repeats,
      count(*) FILTER ("服务半径(公里)" IS NULL) no_distance,
      count(*) FILTER ("需联系配套厂家" = '是') supplier,
      count(DISTINCT "班组编号") teams
      FROM t`);
    expect(r).toMatchObject({ bad_ts: 0, bad_bool: 0, bad_channel: 0, bad_phone: 0, cancelled_done: 0 });
    expect(Number(r?.cancelled)).toBeGreaterThan(20);
    expect(Number(r?.repeats)).toBeGreaterThan(20);
    expect(Number(r?.no_distance)).toBeGreaterThan(20);
    expect(Number(r?.supplier)).toBeGreaterThan(20);
    const [g] = await rows<Record<string, number>>(`SELECT
      count(*) FILTER (NOT regexp_full_match(submitted_at, '\\d{4}/\\d{1,2}/\\d{1,2} \\d{2}:\\d{2}')) bad_ts,
      count(*) FILTER (timeliness NOT IN ('A','B','C','D','E','优','良','中','差','很差')) bad_grade,
      count(*) FILTER (timeliness IN ('优','良','中','差','很差')) word_grades,
      count(*) FILTER (form_id LIKE '%-2') second_forms,
      count(*) FILTER (reasons IS NOT NULL) with_reasons,
      count(*) FILTER (source NOT IN ('on_site', 'phone', 'online')) bad_source
      FROM f`);
    expect(g).toMatchObject({ bad_ts: 0, bad_grade: 0, bad_source: 0 });
    expect(Number(g?.word_grades)).toBeGreaterThan(50);
    expect(Number(g?.second_forms)).toBeGreaterThan(5);
    expect(Number(g?.with_reasons)).toBeGreaterThan(20);
  });

  it('tickets are internally consistent (events after reporting, repeats name earlier tickets of the same customer)', async () => {
    const [r] = await rows<Record<string, number>>(`WITH x AS (SELECT "工单号" id, "客户编号" cust, "报修时间"::TIMESTAMP rep,
        "首次答复时间"::TIMESTAMP fr, "到达现场时间"::TIMESTAMP ar, "完成时间"::TIMESTAMP comp, "返修原单号" rep_of, "工号" tech, "班组编号" team FROM t)
      SELECT
        count(*) FILTER (fr < rep OR ar < rep OR comp < rep OR comp < ar) bad_order,
        count(*) FILTER (rep_of IS NOT NULL AND NOT EXISTS (SELECT 1 FROM x b WHERE b.id = x.rep_of AND b.cust = x.cust AND b.rep < x.rep)) bad_repeat,
        count(*) FILTER (tech IS NOT NULL AND substr(tech, 2, 2) <> substr(team, 2, 2)) foreign_tech,
        count(*) FILTER (comp IS NULL AND rep > TIMESTAMP '2025-05-28') open_recent,
        count(*) FILTER (comp >= TIMESTAMP '2025-06-01') future
      FROM x`);
    expect(r).toMatchObject({ bad_order: 0, bad_repeat: 0, foreign_tech: 0, future: 0 });
    expect(Number(r?.open_recent)).toBeGreaterThan(0);
  });

  it('timeliness (SPEC §4.1) lands in a plausible band and differs by team', async () => {
    await db.run(`CREATE OR REPLACE TABLE sla AS
      WITH x AS (SELECT "班组编号" team, "报修时间"::TIMESTAMP rep, "故障类别" fc, "服务半径(公里)"::DOUBLE d, "需联系配套厂家" = '是' sup,
        "首次答复时间"::TIMESTAMP fr, "到达现场时间"::TIMESTAMP ar, "处理结果" res FROM t),
      y AS (SELECT *, TIMESTAMP '2025-06-01' AS as_of,
        CASE WHEN fc = '底盘发动机' OR d > 100 OR sup THEN 12 END AS resp_h,
        CASE WHEN fc = '底盘发动机' OR d > 100 OR sup THEN NULL WHEN d <= 100 THEN 24 ELSE 48 END AS arr_h
        FROM x WHERE res IS DISTINCT FROM '已取消'),
      z AS (SELECT *, CASE WHEN d IS NULL AND resp_h IS NULL AND arr_h = 48 THEN 12 ELSE resp_h END AS rh FROM y)
      SELECT team,
        CASE
          WHEN (rh IS NOT NULL AND (fr > rep + to_hours(rh) OR (fr IS NULL AND rep + to_hours(rh) < as_of)))
            OR (arr_h IS NOT NULL AND (ar > rep + to_hours(arr_h) OR (ar IS NULL AND rep + to_hours(arr_h) < as_of))) THEN 'late'
          WHEN (rh IS NULL OR fr IS NOT NULL) AND (arr_h IS NULL OR ar IS NOT NULL) THEN 'on_time'
          ELSE 'pending' END AS st
      FROM z`);
    const [all] = await rows<{ rate: number }>(`SELECT count(*) FILTER (st = 'on_time') / count(*) FILTER (st <> 'pending') AS rate FROM sla`);
    expect(all?.rate).toBeGreaterThan(0.82);
    expect(all?.rate).toBeLessThan(0.97);
    const teams = await rows<{ rate: number }>(`SELECT team, count(*) FILTER (st = 'on_time') / count(*) FILTER (st <> 'pending') AS rate FROM sla GROUP BY team`);
    const rates = teams.map((x) => x.rate);
    expect(Math.max(...rates) - Math.min(...rates)).toBeGreaterThan(0.03);
  });

  it('team mean scores go up in some months and down in others (rewards and penalties both occur)', async () => {
    const pts = (c: string) => `(CASE upper(${c}) WHEN 'A' THEN 2 WHEN '优' THEN 2 WHEN 'B' THEN 1 WHEN '良' THEN 1 WHEN 'C' THEN 0 WHEN '中' THEN 0
      WHEN 'D' THEN -1 WHEN '差' THEN -1 WHEN 'E' THEN -2 WHEN '很差' THEN -2 END)`;
    const [r] = await rows<{ up: number; down: number; sat: number; cov: number }>(`
      WITH cur AS (
        SELECT *, ${pts('timeliness')} + ${pts('quality')} + ${pts('attitude')} AS score FROM f
        QUALIFY row_number() OVER (PARTITION BY ticket_id ORDER BY strptime(submitted_at, '%Y/%m/%d %H:%M') DESC, form_id DESC) = 1),
      j AS (SELECT t."班组编号" team, strftime(t."完成时间"::TIMESTAMP, '%Y-%m') m, cur.* FROM cur JOIN t ON t."工单号" = cur.ticket_id),
      tm AS (SELECT team, m, avg(score) mean FROM j GROUP BY team, m),
      d AS (SELECT mean - lag(mean) OVER (PARTITION BY team ORDER BY m) AS delta FROM tm)
      SELECT (SELECT count(*) FROM d WHERE delta > 0) up, (SELECT count(*) FROM d WHERE delta < 0) down,
        (SELECT avg(CASE WHEN overall IS NULL THEN (score >= 3)::INT ELSE (overall IN ('很满意', '满意'))::INT END) FROM j) sat,
        (SELECT count(DISTINCT ticket_id) FROM cur) / (SELECT count(*) FROM t WHERE "完成时间" IS NOT NULL) cov`);
    expect(Number(r?.up)).toBeGreaterThan(0);
    expect(Number(r?.down)).toBeGreaterThan(0);
    expect(r?.sat).toBeGreaterThan(0.7);
    expect(r?.sat).toBeLessThan(0.97);
    expect(r?.cov).toBeGreaterThan(0.75);
    expect(r?.cov).toBeLessThan(0.95);
  });

  it('feedback forms are submitted after the ticket was completed', async () => {
    const [r] = await rows<{ bad: number; orphans: number }>(`SELECT
      count(*) FILTER (strptime(f.submitted_at, '%Y/%m/%d %H:%M') < t."完成时间"::TIMESTAMP) bad,
      count(*) FILTER (t."工单号" IS NULL) orphans
      FROM f LEFT JOIN t ON t."工单号" = f.ticket_id`);
    expect(r).toEqual({ bad: 0, orphans: 0 });
  });

  it('uniforms of different fields of the same row are independent', async () => {
    const rng = new Rng(1);
    const [r] = await rows<{ c: number; m: number }>(`SELECT corr(a, b) c, avg(a) m FROM (
      SELECT ${rng.u('x')} a, ${rng.u('y')} b FROM (SELECT hash(i) hi FROM range(200000) r(i)))`);
    expect(Math.abs(r?.c ?? 1)).toBeLessThan(0.01);
    expect(r?.m).toBeGreaterThan(0.49);
    expect(r?.m).toBeLessThan(0.51);
  });

  it('rejects bad options; defaultEnd is the previous month', async () => {
    await expect(generate({ ...base, out: join(tmp, 'x'), end: '2025-13' })).rejects.toThrow(/end/);
    await expect(generate({ ...base, out: join(tmp, 'x'), tickets: 0 })).rejects.toThrow(/tickets/);
    expect(defaultEnd(new Date(2025, 0, 15))).toBe('2024-12');
    expect(defaultEnd(new Date(2025, 6, 1))).toBe('2025-06');
  });
});

describe('generate --dirty', () => {
  let expected: { files: DirtyFile[] };
  beforeAll(() => {
    expected = JSON.parse(readFileSync(join(dirD, 'dirty-expected.json'), 'utf8')) as { files: DirtyFile[] };
  });

  it('appends the listed rows after the unchanged clean rows', () => {
    expect(expected.files.map((f) => f.kind)).toEqual(['teams', 'technicians', 'tickets', 'feedback', 'complaints', 'verifications', 'adjustments']);
    for (const d of expected.files) {
      const clean = fileOf(filesA, d.kind as GeneratedFile['kind']);
      const dirty = fileOf(filesD, d.kind as GeneratedFile['kind']);
      expect(dirty.rows, d.kind).toBe(clean.rows + d.added);
      expect(d.added).toBe(d.rows.length);
      expect(d.rejected + d.warnings).toBe(d.added);
      if (clean.format === 'csv') {
        const cl = lines(clean);
        expect(lines(dirty).slice(0, cl.length), d.kind).toEqual(cl);
      }
    }
  });

  it('covers every rejection rule and the unknown-reference warnings', () => {
    const reasons = new Set(expected.files.flatMap((f) => f.rows.map((r) => `${f.kind}:${r.reason}:${r.column ?? ''}`)));
    for (const want of [
      'tickets:missing_required:ticket_id',
      'tickets:missing_required:reported_at',
      'tickets:bad_timestamp:completed_at',
      'tickets:bad_number:distance_km',
      'tickets:bad_enum:channel',
      'tickets:negative_number:distance_km',
      'tickets:negative_money:parts_cost',
      'tickets:event_before_reported:first_response_at',
      'tickets:event_before_reported:arrived_at',
      'tickets:event_before_reported:completed_at',
      'tickets:completed_when_cancelled:result',
      'tickets:wrong_column_count:',
      'tickets:duplicate_key:',
      'tickets:unknown_reference:team_id',
      'tickets:unknown_reference:technician_id',
      'feedback:bad_grade:quality',
      'feedback:missing_required:attitude',
      'complaints:bad_enum:category',
      'verifications:corrected_without_grades:outcome',
      'technicians:unknown_reference:team_id',
      'complaints:unknown_reference:technician_id',
    ]) {
      expect(reasons.has(want), want).toBe(true);
    }
  });

  it('each dirty row carries exactly the listed defect (checked with the ingestion parse macros)', async () => {
    const di = await DuckDBInstance.create(':memory:');
    const c = await di.connect();
    try {
      await c.run(readFileSync(PARSE_MACROS, 'utf8'));
      const q = async (sql: string) => (await c.runAndReadAll(sql)).getRows()[0]?.[0];
      const sq = (s: string) => `'${s.replaceAll("'", "''")}'`;
      const teamIds = new Set<string>();
      const techIds = new Set<string>();
      for (const l of lines(fileOf(filesA, 'technicians')).slice(1)) {
        const [id, , team] = fields(l);
        techIds.add(id ?? '');
        teamIds.add(team ?? '');
      }
      for (const d of expected.files.filter((x) => x.kind !== 'teams')) {
        const f = fileOf(filesD, d.kind as GeneratedFile['kind']);
        const all = lines(f);
        const header = fields(all[0] ?? '');
        const cols = KINDS[d.kind].columns;
        for (const r of d.rows) {
          const line = all[r.line - 1];
          expect(line, `${d.kind} line ${r.line}`).toBeDefined();
          const vals = fields(line ?? '');
          const get = (id: string) => vals[cols.findIndex((c) => c.id === id)] ?? '';
          const v = r.column ? get(r.column) : '';
          const what = `${d.kind} line ${r.line} ${r.reason} ${r.column}`;
          if (r.reason === 'wrong_column_count') {
            expect(vals.length, what).not.toBe(header.length);
            continue;
          }
          expect(vals.length, what).toBe(header.length);
          switch (r.reason) {
            case 'missing_required':
              expect(v, what).toBe('');
              break;
            case 'bad_timestamp':
            case 'bad_date':
              expect(await q(`SELECT parse_ts(${sq(v)})`), what).toBeNull();
              break;
            case 'bad_number':
              expect(await q(`SELECT parse_number(${sq(v)})`), what).toBeNull();
              break;
            case 'negative_number':
            case 'negative_money':
              expect(Number(await q(`SELECT parse_number(${sq(v)})`)), what).toBeLessThan(0);
              break;
            case 'bad_enum': {
              const type = cols.find((c) => c.id === r.column)?.type;
              const domain = type && type.t === 'enum' ? type.domain : '';
              const ok = Object.entries(ENUM_LABELS[domain] ?? {}).flat();
              expect(ok.length, what).toBeGreaterThan(0);
              expect(ok.includes(v), what).toBe(false);
              break;
            }
            case 'event_before_reported':
              expect(await q(`SELECT parse_ts(${sq(v)}) < parse_ts(${sq(get('reported_at'))})`), what).toBe(true);
              break;
            case 'event_before_received':
              expect(await q(`SELECT parse_ts(${sq(v)}) < parse_ts(${sq(get('received_at'))})`), what).toBe(true);
              break;
            case 'completed_when_cancelled':
              expect(v, what).toBe('已取消');
              expect(await q(`SELECT parse_ts(${sq(get('completed_at'))}) IS NOT NULL`), what).toBe(true);
              break;
            case 'bad_grade':
              expect(v, what).not.toBe('');
              expect(await q(`SELECT parse_grade(${sq(v)})`), what).toBeNull();
              break;
            case 'corrected_without_grades':
              expect(v, what).toBe('更正');
              expect([get('timeliness'), get('quality'), get('attitude')].some((g) => g === ''), what).toBe(true);
              break;
            case 'duplicate_key': {
              const keyOf = (vs: string[]) => KINDS[d.kind].key.map((k) => vs[cols.findIndex((c) => c.id === k)]).join('|');
              const earlier = all.slice(1, r.line - 1).filter((l) => keyOf(fields(l)) === keyOf(vals));
              expect(earlier.length, what).toBeGreaterThan(0);
              break;
            }
            case 'unknown_reference':
              expect(r.expect, what).toBe('warning');
              expect((r.column === 'team_id' ? teamIds : techIds).has(v), what).toBe(false);
              break;
          }
          // every other timestamp of the row parses, so the row has only the listed defect
          for (const col of cols) {
            if (col.type.t !== 'timestamp' || col.id === r.column || get(col.id) === '') continue;
            expect(await q(`SELECT parse_ts(${sq(get(col.id))}) IS NOT NULL`), `${what}: ${col.id}`).toBe(true);
          }
        }
      }
    } finally {
      c.closeSync();
      di.closeSync();
    }
  });

  it('every clean timestamp in every file parses with the ingestion macros', async () => {
    const di = await DuckDBInstance.create(':memory:');
    const c = await di.connect();
    try {
      await c.run(readFileSync(PARSE_MACROS, 'utf8'));
      for (const f of filesA.filter((x) => x.format === 'csv')) {
        const cols = KINDS[f.kind as KindName].columns.filter((x) => x.type.t === 'timestamp' || x.type.t === 'date' || x.type.t === 'month');
        const body = lines(f).slice(1).map(fields);
        for (const col of cols) {
          const k = KINDS[f.kind as KindName].columns.indexOf(col);
          const values = [...new Set(body.map((r) => r[k] ?? '').filter((x) => x !== ''))].slice(0, 400);
          expect(values.length, `${f.kind}.${col.id}`).toBeGreaterThan(0);
          const list = values.map((v) => `'${v}'`).join(', ');
          const fn = col.type.t === 'month' ? 'parse_month' : 'parse_ts';
          const bad = (await c.runAndReadAll(`SELECT count(*) FROM unnest([${list}]) u(v) WHERE ${fn}(v) IS NULL`)).getRows()[0]?.[0];
          expect(Number(bad), `${f.kind}.${col.id}`).toBe(0);
        }
      }
    } finally {
      c.closeSync();
      di.closeSync();
    }
  });
});
