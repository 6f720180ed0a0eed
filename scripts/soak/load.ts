/**
 * The soak's concurrent loops, each running until `until()` says stop: readers (one per role, the
 * dashboard's main reads), sign-ins (good, bad passwords, unknown names) and uploads (supervisor:
 * good, dirty and hostile files; hr: adjustments, and a kind hr may not send).
 */
import type { Api, Session, Status, UploadRecord } from './client.ts';
import type { FileMaker, SoakFile } from './files.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (lo: number, hi: number) => sleep(lo + Math.random() * (hi - lo));

export interface LoadContext {
  api: Api;
  until: () => boolean;
  months: string[];
  teams: string[];
}

/** The reads each role's dashboard makes (server/routes/*.ts), for a month and a team. */
function readPaths(role: string, m: string, last: string, team: string): string[] {
  const managerTeam = role === 'manager' ? '' : `&team=${team}`;
  const paths = [
    '/api/meta',
    `/api/kpi?month=${m}`,
    `/api/kpi?month=${m}${managerTeam || '&team=T01'}`,
    `/api/trend?months=6&end=${last}`,
    `/api/trend/teams?months=6&end=${last}`,
    `/api/breakdown?month=${m}&by=${role === 'manager' ? 'technician' : 'team'}`,
    `/api/breakdown?month=${m}&by=fault_category`,
    `/api/breakdown?month=${m}&by=complaint_category`,
    `/api/tickets/late?month=${m}&page_size=50`,
    `/api/forms?month=${m}&filter=low_score`,
    `/api/complaints?month=${m}`,
    `/api/money?month=${m}&by=service_type`,
    `/api/fee-anomalies?month=${m}`,
  ];
  if (role !== 'supervisor') paths.push(`/api/assessment?month=${m}`);
  if (role === 'supervisor') paths.push('/api/batches?limit=20', '/api/audit?limit=50', `/api/spotchecks?month=${m}`);
  if (role === 'hr') paths.push(`/api/allocation?month=${m}&team=${team}`, '/api/batches?limit=20');
  if (role === 'manager') paths.push(`/api/allocation?month=${m}`);
  return paths;
}

/** One reader: the role's reads in turn, a random month and team each round, 50–250 ms apart. */
export async function reader(ctx: LoadContext, s: Session): Promise<void> {
  const last = ctx.months[ctx.months.length - 1]!;
  while (!ctx.until()) {
    const m = ctx.months[Math.floor(Math.random() * ctx.months.length)]!;
    const team = ctx.teams[Math.floor(Math.random() * ctx.teams.length)]!;
    for (const path of readPaths(s.role, m, last, team)) {
      if (ctx.until()) return;
      const { status } = await ctx.api.get(s, path, `read (${s.role})`);
      if (typeof status === 'number' && status !== 200) ctx.api.stats.unexpected.push(`read as ${s.role}: ${path} → ${status}`);
      if (typeof status !== 'number') await sleep(250);
      else await jitter(50, 250);
    }
  }
}

/** Sign-in outcomes by what was tried: `good → 200`, `bad password → 401` … */
export type SignInTally = Map<string, number>;

/**
 * Sign-ins about every 0.6 s: the right password (also in other letter case; must be 200, then
 * signed out), a wrong password for a known name and unknown names (401 until the limiter's 5
 * failures, then 429). Nothing else may come back.
 */
export async function signIns(ctx: LoadContext, good: { username: string; password: string }, victim: string, tally: SignInTally): Promise<void> {
  let i = 0;
  const note = (what: string, status: Status, allowed: number[]) => {
    tally.set(`${what} → ${status}`, (tally.get(`${what} → ${status}`) ?? 0) + 1);
    if (typeof status === 'number' && !allowed.includes(status)) ctx.api.stats.unexpected.push(`sign-in (${what}) → ${status}`);
  };
  while (!ctx.until()) {
    const step = i++ % 4;
    if (step === 0 || step === 2) {
      const name = step === 0 ? good.username : good.username.toUpperCase();
      const r = await ctx.api.signIn(name, good.password);
      note('good password', r.status, [200]);
      if (r.session) {
        const out = await ctx.api.signOut(r.session);
        if (typeof out === 'number' && out !== 204) ctx.api.stats.unexpected.push(`sign-out → ${out}`);
      }
    } else if (step === 1) {
      note('bad password', (await ctx.api.signIn(victim, `wrong password ${i}`)).status, [401, 429]);
    } else {
      note('unknown name', (await ctx.api.signIn(`ghost${i % 3}`, `whatever password ${i}`)).status, [401, 429]);
    }
    await jitter(400, 800);
  }
}

export interface UploadPlan {
  maker: FileMaker;
  uploads: UploadRecord[];
  /** UPLOAD_IDLE_SECONDS of the server, in ms. */
  idleMs: number;
  /** Called with every upload's record as its answer comes. */
  onUpload: (r: UploadRecord) => void;
}

/** One line per upload: the file, what was expected, what came back. */
export function uploadLine(r: UploadRecord, since: (ms: number) => string): string {
  const e = r.file.expect;
  const expected = e.status === 200 ? `200 accepted ${e.accepted} rejected ${e.rejected}` : `${e.status} ${e.code ?? ''}`;
  const got = r.status === 200 ? `200 batch ${r.batch_id} accepted ${r.accepted} rejected ${r.rejected}${r.duplicate ? ' duplicate' : ''}` : `${r.status}${r.code ? ` ${r.code}` : ''}`;
  return `upload at ${since(r.started)} by ${r.by}: ${r.file.name} (${r.file.label}, ${r.file.bytes.toLocaleString('en')} bytes) expected ${expected}; got ${got} → ${r.outcome}`;
}

async function send(ctx: LoadContext, plan: UploadPlan, s: Session, file: SoakFile, slow = false): Promise<UploadRecord> {
  const r = slow ? await ctx.api.slowUpload(s, file, plan.idleMs + 2_000) : await ctx.api.upload(s, file);
  plan.uploads.push(r);
  plan.onUpload(r);
  if (r.status === 200 && r.outcome === 'as expected' && file.newTickets) plan.maker.storedTickets.push(...file.newTickets);
  if (typeof r.status !== 'number') await sleep(500);
  return r;
}

/** The supervisor: good, dirty and hostile files in turn, 0.5–1.5 s apart. */
export async function supervisorUploads(ctx: LoadContext, plan: UploadPlan, s: Session): Promise<void> {
  const m = plan.maker;
  const steps: (() => [SoakFile, boolean?])[] = [
    () => [m.tickets(40)],
    () => [m.feedback(30)],
    () => [m.complaints(20)],
    () => [m.tickets(30, 6)],
    () => [m.wide()],
    () => [m.tickets(60)],
    () => [m.feedback(20, 3)],
    () => [m.binary()],
    () => [m.complaints(15, 3)],
    () => [m.xlsxBomb()],
    () => [m.feedback(25)],
    () => [m.slow(), true],
    () => [m.complaints(25)],
  ];
  for (let i = 0; !ctx.until(); i++) {
    const [file, slow] = steps[i % steps.length]!();
    await send(ctx, plan, s, file, slow);
    await jitter(500, 1500);
  }
}

/** hr: bonus adjustments (every third with rejected rows), and now and then a kind hr may not send. */
export async function hrUploads(ctx: LoadContext, plan: UploadPlan, s: Session): Promise<void> {
  for (let i = 0; !ctx.until(); i++) {
    const file = i % 5 === 4 ? plan.maker.forbidden() : plan.maker.adjustments(6, i % 3 === 2 ? 2 : 0);
    await send(ctx, plan, s, file);
    await jitter(1500, 3000);
  }
}
