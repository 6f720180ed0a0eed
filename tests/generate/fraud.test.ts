/**
 * The generator's fraud model (`fraud: true`, pipelines/generate/fraud.ts): forgers with their
 * styles, honest look-alikes, the ground truth in truth/ (never in the manifest), spot checks
 * consistent with the truth, determinism, and byte-identical output with the model off. The
 * figures are read back from the written files, the way the product would see them.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, MANIFEST, type GeneratedFile, type GenerateOptions } from '../../pipelines/generate/generate.ts';
import { FRAUD_PATTERNS, FRAUD_STYLES, LOOK_ALIKE_KINDS, TRUTH_DIR, TRUTH_FILES } from '../../pipelines/generate/fraud.ts';
import type { BatchSummary } from '../../pipelines/contract/ingestion.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { tempWarehouse, type TempWarehouse } from '../helpers.ts';

const base: Omit<GenerateOptions, 'out'> = { months: 3, tickets: 20_000, seed: 5, dirty: false, end: '2025-05' };
let tmp: string;
const dir = (name: string) => join(tmp, name);
let files: GeneratedFile[];
let inst: DuckDBInstance;
let db: DuckDBConnection;

async function rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const out = (await db.runAndReadAll(sql)).getRowObjectsJson();
  return out.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v])),
  ) as unknown as T[];
}
/** The first row; name the keys (`one<'n' | 'forged'>`) to read them as numbers. */
const one = async <K extends string = string>(sql: string): Promise<Record<K, number>> => (await rows<Record<K, number>>(sql))[0] as Record<K, number>;

/** Every file under a directory, relative name → sha256. */
function hashes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out[`${rel}${e.name}`] = createHash('sha256').update(readFileSync(join(d, e.name))).digest('hex');
    }
  };
  walk(root, '');
  return out;
}

const points = (c: string) => `(CASE upper(${c}) WHEN 'A' THEN 2 WHEN '优' THEN 2 WHEN 'B' THEN 1 WHEN '良' THEN 1 WHEN 'C' THEN 0
  WHEN '中' THEN 0 WHEN 'D' THEN -1 WHEN '差' THEN -1 WHEN 'E' THEN -2 WHEN '很差' THEN -2 END)`;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gen-fraud-'));
  files = await generate({ ...base, out: dir('a'), fraud: true });
  await generate({ ...base, out: dir('b'), fraud: true });
  await generate({ ...base, out: dir('off'), fraud: false });
  await generate({ ...base, out: dir('plain') });
  inst = await DuckDBInstance.create(':memory:');
  db = await inst.connect();
  const read = (f: string) => `read_csv('${join(dir('a'), f)}', all_varchar = true, header = true)`;
  await db.run(`CREATE TABLE t AS SELECT "工单号" ticket_id, "客户编号" cust, "联系电话" phone, "产品编号" serial, "班组编号" team,
    "工号" tech, "报修时间"::TIMESTAMP reported, "完成时间"::TIMESTAMP completed FROM ${read('tickets.csv')}`);
  await db.run(`CREATE TABLE te AS SELECT "工号" tech, "班组编号" team, "手机号" phone FROM ${read('technicians.csv')}`);
  await db.run(`CREATE TABLE ff AS SELECT * FROM ${read(`${TRUTH_DIR}/${TRUTH_FILES.forged}`)}`);
  await db.run(`CREATE TABLE la AS SELECT * FROM ${read(`${TRUTH_DIR}/${TRUTH_FILES.lookAlikes}`)}`);
  await db.run(`CREATE TABLE fo AS SELECT * FROM ${read(`${TRUTH_DIR}/${TRUTH_FILES.forgers}`)}`);
  await db.run(`CREATE TABLE v AS SELECT "表单编号" form_id, "核实结果" outcome FROM ${read('verifications.csv')}`);
  // forms with their ticket, score and truth; `current`: not replaced by a later form of the ticket
  await db.run(`CREATE TABLE f AS
    SELECT f.form_id, f.ticket_id, f.source, strptime(f.submitted_at, '%Y/%m/%d %H:%M') AS submitted,
      ${points('f.timeliness')} + ${points('f.quality')} + ${points('f.attitude')} AS score,
      upper(f.timeliness || f.quality || f.attitude) IN ('AAA', '优优优') AS all_a,
      t.completed, t.tech, t.team, t.phone, t.cust, t.serial, t.reported, ff.pattern,
      NOT EXISTS (SELECT 1 FROM ${read('feedback.csv')} g WHERE g.form_id = f.form_id || '-2') AS current
    FROM ${read('feedback.csv')} f JOIN t USING (ticket_id) LEFT JOIN ff USING (form_id)`);
}, 120_000);

afterAll(() => {
  db?.closeSync();
  inst?.closeSync();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('fraud model: truth files', () => {
  it('writes truth/ with its three files, none of them in the manifest', () => {
    for (const f of Object.values(TRUTH_FILES)) expect(existsSync(join(dir('a'), TRUTH_DIR, f)), f).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir('a'), MANIFEST), 'utf8')) as GeneratedFile[];
    expect(manifest.map((m) => m.file)).toEqual(['teams.xlsx', 'technicians.csv', 'tickets.csv', 'feedback.csv', 'complaints.csv', 'verifications.csv', 'adjustments.csv']);
    expect(files.some((f) => f.file.includes(TRUTH_DIR))).toBe(false);
    expect(readFileSync(join(dir('a'), TRUTH_DIR, TRUTH_FILES.forged), 'utf8').split('\n')[0]).toBe('form_id,ticket_id,technician_id,pattern');
    expect(readFileSync(join(dir('a'), TRUTH_DIR, TRUTH_FILES.lookAlikes), 'utf8').split('\n')[0]).toBe('kind,id');
    expect(readFileSync(join(dir('a'), TRUTH_DIR, TRUTH_FILES.forgers), 'utf8').split('\n')[0]).toBe('technician_id,style');
  });

  it('lists forms that exist, on their forger’s tickets', async () => {
    const r = await one(`SELECT count(*) n, count(*) FILTER (f.form_id IS NULL) missing,
      count(*) FILTER (f.tech IS DISTINCT FROM ff.technician_id OR f.ticket_id IS DISTINCT FROM ff.ticket_id) wrong,
      count(*) FILTER (ff.technician_id NOT IN (SELECT technician_id FROM fo)) not_forger
      FROM ff LEFT JOIN f USING (form_id)`);
    expect(r).toMatchObject({ missing: 0, wrong: 0, not_forger: 0 });
  });

  it('six forgers, one per style, in different teams, none in the on-site station', async () => {
    const fo = await rows<{ technician_id: string; style: string; team: string }>(
      `SELECT fo.*, te.team FROM fo JOIN te ON te.tech = fo.technician_id ORDER BY style`);
    expect(fo.map((x) => x.style).sort()).toEqual([...FRAUD_STYLES].sort());
    const teams = (await one<'n'>(`SELECT count(DISTINCT team) n FROM te`)).n;
    expect(new Set(fo.map((x) => x.team)).size).toBe(Math.min(FRAUD_STYLES.length, teams - 1));
    const [{ id: onsite }] = (await rows<{ id: string }>(`SELECT id FROM la WHERE kind = 'onsite_station'`)) as [{ id: string }];
    expect(fo.some((x) => x.team === onsite)).toBe(false);
  });
});

describe('fraud model: forged forms', () => {
  it('are a small share of all forms (0.5–2 %), a meaningful share of each forger’s', async () => {
    const r = await one(`SELECT count(*) forms, count(pattern) forged, count(pattern) / count(*) rate FROM f`);
    expect(r.rate).toBeGreaterThan(0.005);
    expect(r.rate).toBeLessThan(0.02);
    const per = await rows<{ style: string; share: number }>(`SELECT fo.style, count(f.pattern) / count(*) AS share
      FROM fo JOIN f ON f.tech = fo.technician_id WHERE f.form_id NOT LIKE '%-2' GROUP BY ALL`);
    for (const p of per) {
      expect(p.share, p.style).toBeGreaterThan(0.08);
      expect(p.share, p.style).toBeLessThan(0.6);
    }
  });

  it('every pattern is present', async () => {
    const got = await rows<{ pattern: string; n: number }>(`SELECT pattern, count(*) n FROM ff GROUP BY ALL`);
    const counts = Object.fromEntries(got.map((g) => [g.pattern, g.n]));
    for (const p of FRAUD_PATTERNS) expect(counts[p] ?? 0, p).toBeGreaterThanOrEqual(5);
    expect(Object.keys(counts).sort()).toEqual([...FRAUD_PATTERNS].sort());
  });

  it('own_phone: the ticket’s contact phone is the technician’s 手机号; relative_phone: one other number', async () => {
    const own = await one(`SELECT count(*) n, count(*) FILTER (f.phone = te.phone) own, count(*) FILTER (f.source = 'phone') by_phone
      FROM f JOIN te USING (tech) WHERE pattern = 'own_phone'`);
    expect(own.n).toBeGreaterThan(0);
    expect(own).toMatchObject({ own: own.n, by_phone: own.n });
    const rel = await one(`SELECT count(*) n, count(DISTINCT phone) phones, count(*) FILTER (phone IN (SELECT phone FROM te)) tech_phone,
      count(*) FILTER (source = 'phone') by_phone FROM f WHERE pattern = 'relative_phone'`);
    expect(rel).toMatchObject({ phones: 1, tech_phone: 0, by_phone: rel.n });
    // the follow-up call reaches the forger on many tickets of many customers
    const reach = await one(`SELECT count(*) tickets, count(DISTINCT cust) customers FROM t
      WHERE phone = (SELECT DISTINCT phone FROM f WHERE pattern = 'relative_phone')`);
    expect(reach.customers).toBeGreaterThan(10);
  });

  it('before_completion forms were submitted before the job was completed; minutes_after within minutes', async () => {
    const r = await one(`SELECT count(*) FILTER (pattern = 'before_completion') before_n,
      count(*) FILTER (pattern = 'before_completion' AND submitted < completed) before_ok,
      count(*) FILTER (pattern = 'minutes_after') after_n,
      count(*) FILTER (pattern = 'minutes_after' AND submitted BETWEEN completed AND completed + INTERVAL 15 MINUTE) after_ok,
      count(*) FILTER (pattern IN ('before_completion', 'minutes_after') AND (NOT all_a OR source <> 'on_site')) not_max_on_site
      FROM f`);
    expect(r.before_n).toBeGreaterThan(0);
    expect(r).toMatchObject({ before_ok: r.before_n, after_ok: r.after_n, not_max_on_site: 0 });
    // honest forms are never submitted before completion
    expect((await one(`SELECT count(*) n FROM f WHERE pattern IS NULL AND submitted < completed`)).n).toBe(0);
  });

  it('max_burst: all-maximum forms (+6, all A) typed in one sitting, minutes apart', async () => {
    const r = await one<'n' | 'max6' | 'after_job' | 'median_gap_min' | 'sessions'>(`WITH b AS (SELECT *, submitted - lag(submitted) OVER (PARTITION BY tech ORDER BY submitted, form_id) AS gap
        FROM f WHERE pattern = 'max_burst')
      SELECT count(*) n, count(*) FILTER (score = 6 AND all_a) max6, count(*) FILTER (submitted > completed) after_job,
        median(epoch(gap) / 60) FILTER (gap < INTERVAL 1 DAY) median_gap_min,
        count(DISTINCT date_trunc('day', submitted)) sessions FROM b`);
    expect(r).toMatchObject({ max6: r.n, after_job: r.n });
    expect(r.median_gap_min).toBeLessThanOrEqual(15);
    expect(r.n / r.sessions).toBeGreaterThanOrEqual(2.5);
  });

  it('replaced_by_phone: the forged on-site form is replaced by a much worse phone form of the same ticket', async () => {
    const r = await one(`SELECT count(*) n, count(g.form_id) with_v2,
      count(*) FILTER (g.source = 'phone' AND g.score <= f.score - 3 AND g.submitted > f.submitted) worse,
      count(*) FILTER (f.source = 'on_site' AND f.score = 6) max_on_site
      FROM f LEFT JOIN f g ON g.form_id = f.form_id || '-2' WHERE f.pattern = 'replaced_by_phone'`);
    expect(r.n).toBeGreaterThan(0);
    expect(r).toMatchObject({ with_v2: r.n, worse: r.n, max_on_site: r.n });
  });

  it('careful: some of the forger’s forms, at honest times, mostly but not all maximum', async () => {
    const r = await one<'forged' | 'forms' | 'max_share' | 'early' | 'sources'>(`SELECT count(*) FILTER (f.pattern = 'careful') forged, count(*) forms,
      avg((f.score = 6)::INT) FILTER (f.pattern = 'careful') max_share,
      count(*) FILTER (f.pattern = 'careful' AND f.submitted < f.completed) early,
      count(DISTINCT f.source) FILTER (f.pattern = 'careful') sources
      FROM f JOIN fo ON fo.technician_id = f.tech AND fo.style = 'careful' WHERE f.form_id NOT LIKE '%-2'`);
    expect(r.forged / r.forms).toBeGreaterThan(0.2);
    expect(r.forged / r.forms).toBeLessThan(0.45);
    expect(r.max_share).toBeGreaterThan(0.3);
    expect(r.max_share).toBeLessThan(0.9);
    expect(r).toMatchObject({ early: 0, sources: 3 });
  });
});

describe('fraud model: honest look-alikes', () => {
  it('each kind is present', async () => {
    const kinds = await rows<{ kind: string }>(`SELECT DISTINCT kind FROM la ORDER BY kind`);
    expect(kinds.map((k) => k.kind)).toEqual([...LOOK_ALIKE_KINDS].sort());
  });

  it('fleet phones: one customer, many vehicles, over a hundred tickets, honest', async () => {
    const fleets = await rows<{ tickets: number; customers: number; names: number; vehicles: number; forged: number }>(`
      SELECT la.id, count(*) tickets, count(DISTINCT t.cust) customers, count(DISTINCT t.serial) vehicles,
        (SELECT count(*) FROM f WHERE f.phone = la.id AND f.pattern IS NOT NULL AND f.pattern NOT IN ('own_phone', 'relative_phone')) forged
      FROM la JOIN t ON t.phone = la.id WHERE la.kind = 'fleet_phone' GROUP BY la.id`);
    expect(fleets.length).toBeGreaterThanOrEqual(2);
    for (const x of fleets) {
      expect(x.tickets).toBeGreaterThan(100);
      expect(x.customers).toBe(1);
      expect(x.vehicles).toBeGreaterThan(50);
    }
  });

  it('excellent technician: all-maximum share far above the team’s, no forged form', async () => {
    const r = await one<'own' | 'mates' | 'forged'>(`WITH x AS (SELECT id FROM la WHERE kind = 'excellent_technician')
      SELECT avg((score = 6)::INT) FILTER (tech = (SELECT id FROM x)) own,
        avg((score = 6)::INT) FILTER (tech <> (SELECT id FROM x)) mates,
        count(pattern) FILTER (tech = (SELECT id FROM x)) forged
      FROM f WHERE current AND team = (SELECT team FROM te WHERE tech = (SELECT id FROM x))`);
    expect(r.own).toBeGreaterThan(0.65);
    expect(r.own).toBeGreaterThan(1.6 * r.mates);
    expect(r.forged).toBe(0);
  });

  it('on-site station: most forms on site within 10 minutes of completion, none forged', async () => {
    const r = await one(`SELECT avg((source = 'on_site')::INT) FILTER (team = x.id) onsite,
        avg((source = 'on_site')::INT) FILTER (team <> x.id) elsewhere,
        max(datediff('minute', completed, submitted)) FILTER (team = x.id AND source = 'on_site' AND form_id NOT LIKE '%-2') AS latest,
        count(pattern) FILTER (team = x.id) forged
      FROM f, (SELECT id FROM la WHERE kind = 'onsite_station') x`);
    expect(r.onsite).toBeGreaterThan(0.8);
    expect(r.elsewhere).toBeLessThan(0.6);
    expect(r.latest).toBe(10);
    expect(r.forged).toBe(0);
  });

  it('multi-vehicle visits: one customer, call and technician, vehicles completed and rated minutes apart', async () => {
    const visits = await rows<{ n: number; vehicles: number; techs: number; comp_span: number; form_span: number; forms: number }>(`
      SELECT t.cust, t.reported, count(*) n, count(DISTINCT t.serial) vehicles, count(DISTINCT t.tech) techs,
        datediff('minute', min(t.completed), max(t.completed)) comp_span, count(f.form_id) forms,
        datediff('minute', min(f.submitted), max(f.submitted)) form_span
      FROM la JOIN t ON t.ticket_id = la.id LEFT JOIN f ON f.ticket_id = t.ticket_id AND f.form_id NOT LIKE '%-2'
      WHERE la.kind = 'multi_vehicle_visit' GROUP BY ALL`);
    expect(visits.length).toBeGreaterThan(10);
    for (const x of visits) {
      expect(x.n).toBeGreaterThanOrEqual(2);
      expect(x).toMatchObject({ vehicles: x.n, techs: 1, forms: x.n });
      expect(x.comp_span).toBeLessThanOrEqual(60);
      expect(x.form_span).toBeLessThanOrEqual(60);
    }
    expect((await one(`SELECT count(*) n FROM f JOIN la ON la.id = f.ticket_id AND la.kind = 'multi_vehicle_visit' WHERE pattern IS NOT NULL`)).n).toBe(0);
  });
});

describe('fraud model: spot checks', () => {
  it('forged forms come back 虚假, honest ones never; the sample is about 5 % of current forms', async () => {
    const r = await one<'n' | 'forged' | 'forged_found' | 'honest_fraudulent' | 'confirmed'>(`SELECT count(*) n, count(*) FILTER (ff.form_id IS NOT NULL) forged,
      count(*) FILTER (ff.form_id IS NOT NULL AND outcome = '虚假') forged_found,
      count(*) FILTER (ff.form_id IS NULL AND outcome = '虚假') honest_fraudulent,
      count(*) FILTER (ff.form_id IS NULL AND outcome = '属实') confirmed
      FROM v LEFT JOIN ff USING (form_id)`);
    expect(r.forged).toBeGreaterThan(0);
    expect(r).toMatchObject({ forged_found: r.forged, honest_fraudulent: 0 });
    expect(r.confirmed / (r.n - r.forged)).toBeGreaterThan(0.7);
    const cur = (await one<'n'>(`SELECT count(*) n FROM f WHERE current`)).n;
    expect(r.n / cur).toBeGreaterThan(0.04);
    expect(r.n / cur).toBeLessThan(0.07);
  });
});

describe('fraud model: determinism and off switch', () => {
  it('the same seed gives byte-identical files, truth included', () => {
    const a = hashes(dir('a'));
    expect(Object.keys(a)).toContain(`${TRUTH_DIR}/${TRUTH_FILES.forged}`);
    expect(hashes(dir('b'))).toEqual(a);
  });

  it('off (explicitly or by default): no truth/, and the same bytes as a generator without the option', () => {
    expect(existsSync(join(dir('off'), TRUTH_DIR))).toBe(false);
    expect(hashes(dir('off'))).toEqual(hashes(dir('plain')));
    expect(hashes(dir('off'))['tickets.csv']).not.toBe(hashes(dir('a'))['tickets.csv']);
  });

  it('a run without the model removes a stale truth/ from an earlier run', async () => {
    await generate({ ...base, tickets: 500, out: dir('stale'), fraud: true });
    expect(existsSync(join(dir('stale'), TRUTH_DIR))).toBe(true);
    await generate({ ...base, tickets: 500, out: dir('stale') });
    expect(existsSync(join(dir('stale'), TRUTH_DIR))).toBe(false);
  });
});

describe('fraud model: ingestion', () => {
  let t: TempWarehouse;
  const batches = new Map<string, BatchSummary>();
  beforeAll(async () => {
    t = await tempWarehouse();
    for (const f of files) batches.set(f.kind, await ingestFile(t.wh, f.kind, f.file));
  }, 120_000);
  afterAll(() => t?.cleanup());

  it('every generated row is accepted, without warnings', () => {
    expect([...batches.keys()]).toEqual(['teams', 'technicians', 'tickets', 'feedback', 'complaints', 'verifications', 'adjustments']);
    for (const [kind, b] of batches) {
      expect(b.rejected, kind).toBe(0);
      expect(b.warnings, kind).toBe(0);
      expect(b.accepted, kind).toBe(files.find((f) => f.kind === kind)?.rows);
    }
  });

  it('the forged forms are in the warehouse as written, and every check is the product’s random sample', async () => {
    const forged = await t.wh.one<{ n: number }>(`SELECT count(*) AS n FROM (SELECT form_id FROM feedback UNION ALL SELECT form_id FROM feedback_history)
      WHERE form_id IN (SELECT form_id FROM read_csv('${join(dir('a'), TRUTH_DIR, TRUTH_FILES.forged)}', header = true))`);
    expect(Number(forged?.n)).toBe((await one<'n'>(`SELECT count(*) n FROM ff`)).n);
    const q = await t.wh.all<{ queue: string; n: number }>(`SELECT queue, count(*) AS n FROM verifications GROUP BY ALL`);
    expect(q.map((x) => x.queue)).toEqual(['random']);
  });
});
