/**
 * `npm run soak [-- --seconds 180] [--keep] [--verbose] [--max-rss-mib 2560]`: a few minutes of mixed load
 * against the real server process on loopback (docs/server.md, "Soak test"). A generated warehouse
 * in a temp folder; readers of every role, sign-ins good and bad, uploads good, dirty and hostile;
 * kill -9 of the server while a large upload is being ingested, a restart, more load, SIGTERM. Then
 * the checks: no lost batch, no partial batch, figures equal to a full rebuild, no orphaned files,
 * memory under its bound, no 5xx. Exit 0 when every check holds, 1 otherwise (naming the check).
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Api, KillWindow, Stats, type Session, type UploadRecord } from './soak/client.ts';
import { figuresEqualFullRebuild, noLostBatch, noOrphanFiles, noPartialBatch, type Check } from './soak/checks.ts';
import { FileMaker } from './soak/files.ts';
import { hrUploads, reader, signIns, supervisorUploads, uploadLine, type LoadContext, type SignInTally } from './soak/load.ts';
import { freePort, ServerProcess, type MemorySample } from './soak/server.ts';
import { buildWarehouse } from './soak/setup.ts';
import { printSummary } from './soak/summary.ts';
import { Warehouse } from '../pipelines/warehouse/warehouse.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '180' },
    keep: { type: 'boolean', default: false },
    'max-rss-mib': { type: 'string', default: '2560' },
    'big-rows': { type: 'string', default: '1000000' },
    verbose: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(args.seconds);
const MAX_RSS = Number(args['max-rss-mib']) * 2 ** 20;
const BIG_ROWS = Number(args['big-rows']);
if (!(SECONDS >= 20) || !(MAX_RSS > 0) || !(BIG_ROWS > 0)) {
  console.error('usage: npm run soak -- [--seconds N (≥ 20, default 180)] [--keep] [--verbose] [--max-rss-mib M] [--big-rows R]');
  process.exit(2);
}
const IDLE_SECONDS = 3;
const STOP_LIMIT_MS = 10_000;
const PASSWORD = `Soak-${randomBytes(9).toString('base64url')}`;
const USERS = [
  { username: 'supervisor', role: 'supervisor' },
  { username: 'hr', role: 'hr' },
  { username: 'executive', role: 'executive' },
  { username: 'manager', role: 'manager', team_id: 'T01' },
  { username: 'soak.good', role: 'executive' },
  { username: 'soak.victim', role: 'executive' },
];

const dir = mkdtempSync(join(tmpdir(), 'aftersales-soak-'));
const t0 = Date.now();
const say = (m: string) => console.log(`[soak ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${m}`);
const servers: ServerProcess[] = [];
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
let exitCode = 1;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // Interrupted: leave nothing behind either.
    for (const s of servers) if (s.running) s.killHard();
    if (!args.keep) setTimeout(() => rmSync(dir, { recursive: true, force: true }), 200).unref();
    console.error(`soak: ${signal}, stopped${args.keep ? ` (kept ${dir})` : ''}`);
    setTimeout(() => process.exit(130), 300);
  });
}

try {
  exitCode = await soak();
} catch (err) {
  console.error('soak: stopped by an error:', err);
  const last = servers.at(-1);
  if (last) console.error(`server log (last 40 lines):\n${last.log.split('\n').slice(-40).join('\n')}`);
} finally {
  for (const s of servers) if (s.running) s.killHard();
  if (args.keep) console.log(`kept: ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);

async function soak(): Promise<number> {
  say(`building the warehouse in ${dir} (6 months, 20,000 tickets, seed 1) …`);
  const u = await buildWarehouse({ dir, months: 6, tickets: 20_000, seed: 1, end: '2025-06' });
  say(`warehouse: ${u.batches} batches, months ${u.months[0]}…${u.months.at(-1)}, ${u.teams.length} teams, ${u.technicians.length} technicians (${u.seconds.toFixed(1)} s)`);
  const filesDir = join(dir, 'files');
  mkdirSync(filesDir);
  const maker = new FileMaker(filesDir, u);
  const big = await maker.big(BIG_ROWS);
  say(`large upload for the kill: ${big.name}, ${(big.bytes / 2 ** 20).toFixed(0)} MiB`);

  const samples: MemorySample[] = [];
  let port = await freePort();
  const env = { ADMIN_PASSWORD: PASSWORD, UPLOAD_IDLE_SECONDS: String(IDLE_SECONDS) };
  const start = async () => {
    const s = await ServerProcess.start({ dbPath: u.dbPath, port, env, dir, samples, n: servers.length + 1 });
    servers.push(s);
    return s;
  };
  let server = await start();
  say(`server pid ${server.pid} serving on 127.0.0.1:${port} (${((server.upAt - server.startedAt) / 1000).toFixed(1)} s to start)`);

  const stats = new Stats(t0); // one clock for the log lines and the upload records
  const window = new KillWindow();
  const api = new Api(port, stats, window);
  const admin = (await api.signIn('admin', PASSWORD, 'setup')).session;
  if (!admin) throw new Error('admin could not sign in');
  for (const user of USERS) {
    const r = await api.postJson(admin, '/api/users', { ...user, password: PASSWORD }, 'setup');
    if (r.status !== 201) throw new Error(`creating ${user.username}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const sessions: Record<string, Session> = {};
  for (const name of ['supervisor', 'hr', 'executive', 'manager']) {
    const s = (await api.signIn(name, PASSWORD, 'setup')).session;
    if (!s) throw new Error(`${name} could not sign in`);
    sessions[name] = s;
  }

  // ---------------------------------------------------------------- load, with kill -9 in the middle
  const loadStart = Date.now();
  const loadEnd = loadStart + SECONDS * 1000;
  const ctx: LoadContext = { api, until: () => Date.now() >= loadEnd, months: u.months, teams: u.teams };
  const uploads: UploadRecord[] = [];
  // Every upload's file, expectation and answer: a line in uploads.log (kept with --keep), printed with --verbose.
  const onUpload = (r: UploadRecord) => {
    const line = uploadLine(r, (ms) => stats.since(ms));
    appendFileSync(join(dir, 'uploads.log'), `${line}\n`);
    if (args.verbose || r.outcome === 'unexpected') say(line);
  };
  const plan = { maker, uploads, idleMs: IDLE_SECONDS * 1000, onUpload };
  const tally: SignInTally = new Map();
  say(`load for ${SECONDS} s: 4 readers (supervisor, hr, executive, manager), sign-ins, supervisor and hr uploads`);
  const loops = [
    ...['supervisor', 'hr', 'executive', 'manager'].map((r) => reader(ctx, sessions[r]!)),
    signIns(ctx, { username: 'soak.good', password: PASSWORD }, 'soak.victim', tally),
    supervisorUploads(ctx, plan, sessions.supervisor!),
    hrUploads(ctx, plan, sessions.hr!),
  ];

  await new Promise((r) => setTimeout(r, SECONDS * 400));
  say(`sending ${big.name} and killing the server (kill -9) once DuckDB reads it …`);
  const bigUpload = api.upload(sessions.supervisor!, big, 600_000).then((r) => (uploads.push(r), onUpload(r), r));
  const archived = join(u.dbPath + '.files', 'archive', big.sha256.slice(0, 2));
  const deadline = Date.now() + 90_000;
  const isArchived = () => existsSync(archived) && readdirSync(archived).some((f) => f.startsWith(big.sha256));
  while (!isArchived() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const duringIngest = isArchived();
  await new Promise((r) => setTimeout(r, 400));
  window.killAt = Date.now();
  const killed = server;
  killed.killHard();
  await killed.exited;
  const walAtKill = samples.filter((m) => m.pid === killed.pid).at(-1)?.wal ?? 0;
  const left = ['uploads', 'tmp'].map((d) => (existsSync(join(u.dbPath + '.files', d)) ? readdirSync(join(u.dbPath + '.files', d)).length : 0));
  say(`killed pid ${killed.pid} ${duringIngest ? 'while its original was archived and being ingested' : '(the ingest had not started within 90 s)'}; left: ${left[0]} upload(s), ${left[1]} temporary; write-ahead log ${mib(walAtKill)} MiB`);
  try {
    server = await start();
  } catch {
    port = await freePort(); // the old port was taken meanwhile
    server = await start();
    api.setPort(port);
  }
  window.upAt = Date.now();
  const restart = { ms: window.upAt - window.killAt, swept: server.sweptLine ?? 'nothing to sweep', pid: server.pid, duringIngest, wal: walAtKill };
  say(`restarted: pid ${server.pid} serving after ${(restart.ms / 1000).toFixed(1)} s; ${restart.swept}`);
  const bigRecord = await bigUpload;
  say(`the large upload's client got: ${bigRecord.status}${bigRecord.code ? ` ${bigRecord.code}` : ''} (${bigRecord.outcome})`);

  await Promise.all(loops);
  const loadSeconds = (Date.now() - loadStart) / 1000;
  const finalRss = samples.filter((m) => m.pid === server.pid).at(-1)?.rss ?? 0;
  say(`load done (${loadSeconds.toFixed(0)} s); SIGTERM to pid ${server.pid} …`);
  const stop = await server.stop(STOP_LIMIT_MS);

  // ---------------------------------------------------------------- checks
  const checks: Check[] = [];
  const stopFailures = [];
  if (stop.code !== 0) stopFailures.push(`exit code ${stop.code ?? stop.signal}`);
  if (stop.ms > STOP_LIMIT_MS) stopFailures.push(`took ${stop.ms} ms`);
  if (!restart.duringIngest) stopFailures.push('the kill did not come while the large upload was being ingested');
  checks.push({ name: 'kill -9, restart, SIGTERM', failures: stopFailures, info: `kill -9 of pid ${killed.pid} during the large ingest, restart (pid ${restart.pid}) served after ${(restart.ms / 1000).toFixed(1)} s, replaying a ${mib(restart.wal)} MiB write-ahead log (${restart.swept}); SIGTERM → exit ${stop.code} in ${(stop.ms / 1000).toFixed(1)} s` });
  const wh = await Warehouse.open(u.dbPath);
  try {
    checks.push(await noLostBatch(wh, uploads, ['supervisor', 'hr']));
    checks.push(await noPartialBatch(wh, uploads));
    checks.push(await noOrphanFiles(wh));
  } finally {
    wh.close();
  }
  checks.push(await figuresEqualFullRebuild(u.dbPath, dir));
  writeFileSync(join(dir, 'memory.json'), JSON.stringify(samples.map((m) => ({ s: (m.at - loadStart) / 1000, pid: m.pid, rss: mib(m.rss), wal: mib(m.wal) }))));
  const peak = samples.reduce((a, m) => (m.rss > a.rss ? m : a), samples[0]!);
  checks.push({
    name: 'memory',
    failures: peak.rss > MAX_RSS ? [`max RSS ${mib(peak.rss)} MiB is over the bound of ${mib(MAX_RSS)} MiB`] : [],
    info: `server RSS max ${mib(peak.rss)} MiB (bound ${mib(MAX_RSS)} MiB; write-ahead log then ${mib(peak.wal)} MiB), final ${mib(finalRss)} MiB, ` +
      `${samples.length} samples every 500 ms; largest write-ahead log ${mib(Math.max(...samples.map((m) => m.wal)))} MiB`,
  });
  checks.push({
    name: 'answers',
    failures: stats.unexpected,
    info: `every read 200, sign-ins 200/401/429 only, every upload answered as expected; 5xx: ${stats.serverErrors.length ? stats.serverErrors.map((e) => `${e.what} → ${e.status} ${e.code ?? ''}${e.inKillWindow ? ' (kill window)' : ''}`).join('; ') : 'none'}`,
  });
  printSummary({ seconds: loadSeconds, stats, uploads, tally, checks });
  return checks.every((c) => c.failures.length === 0) ? 0 : 1;
}
