/**
 * The real server process, as `npm start` runs it (`node --import tsx scripts/start.ts`), on
 * 127.0.0.1 with the soak's environment; its log kept in memory and in a file; its resident memory
 * (VmRSS in /proc/<pid>/status) sampled every 500 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../pipelines/warehouse/warehouse.ts';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Resident memory of a process in bytes, or undefined when it is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

export interface MemorySample {
  at: number;
  pid: number;
  rss: number;
  /** The size of the warehouse's write-ahead log then (changes not yet checkpointed into the file). */
  wal: number;
}

function walBytes(dbPath: string): number {
  try {
    return statSync(`${dbPath}.wal`).size;
  } catch {
    return 0;
  }
}

export class ServerProcess {
  private out = '';
  readonly exited: Promise<Exit>;
  readonly startedAt = Date.now();
  upAt = 0;
  private sampler: NodeJS.Timeout;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    private readonly dbPath: string,
    private readonly logFile: string,
    private readonly samples: MemorySample[],
  ) {
    const take = (d: Buffer) => {
      const s = d.toString();
      this.out += s;
      appendFileSync(logFile, s);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    this.exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal, at: Date.now() })));
    this.sampler = setInterval(() => this.sample(), 500);
    this.exited.then(() => clearInterval(this.sampler));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get log(): string {
    return this.out;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private sample(): void {
    const rss = rssBytes(this.pid);
    if (rss !== undefined) this.samples.push({ at: Date.now(), pid: this.pid, rss, wal: walBytes(this.dbPath) });
  }

  /** Starts the server and resolves once it logs "serving on" (else throws with its log). */
  static async start(o: { dbPath: string; port: number; env: Record<string, string>; dir: string; samples: MemorySample[]; n: number }): Promise<ServerProcess> {
    const logFile = join(o.dir, `server-${o.n}.log`);
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts/start.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...o.env, DB_PATH: o.dbPath, PORT: String(o.port), SKIP_WEB_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const s = new ServerProcess(child, o.port, o.dbPath, logFile, o.samples);
    const deadline = Date.now() + 120_000;
    while (!s.out.includes('serving on')) {
      if (!s.running) throw new Error(`the server exited while starting (${child.exitCode ?? child.signalCode}):\n${s.out}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the server did not start within 120 s:\n${s.out}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    s.upAt = Date.now();
    s.sample();
    return s;
  }

  /** The line saying what a start swept, or undefined when it found nothing to remove. */
  get sweptLine(): string | undefined {
    return this.out.split('\n').find((l) => l.includes('removed files an interrupted run left behind'));
  }

  killHard(): void {
    this.child.kill('SIGKILL');
  }

  /** SIGTERM; resolves with the exit and how long it took (force-killed after `limitMs` + 5 s). */
  async stop(limitMs: number): Promise<Exit & { ms: number }> {
    const sent = Date.now();
    this.child.kill('SIGTERM');
    const guard = setTimeout(() => this.child.kill('SIGKILL'), limitMs + 5_000);
    const exit = await this.exited;
    clearTimeout(guard);
    return { ...exit, ms: exit.at - sent };
  }
}
