/**
 * A batch is atomic (SPEC §3): a process killed with SIGKILL mid-batch leaves the warehouse with
 * all of the batch or none of it, and the next open recovers cleanly.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { Warehouse, PROJECT_ROOT, sqlString } from '../../pipelines/warehouse/warehouse.ts';
import { tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;
beforeEach(async () => {
  t = await tempWarehouse();
  t.wh.close(); // the child process owns the file while it runs
});
afterEach(() => t.cleanup());

const ROWS = 300_000;

/** A tickets CSV with ROWS valid rows and a few bad ones, written by DuckDB itself. */
async function bigTicketsFile(): Promise<string> {
  const file = join(t.dir, 'big.csv');
  const wh = await Warehouse.open(':memory:');
  await wh.run(`COPY (
      SELECT 'K' || lpad(i::VARCHAR, 8, '0') AS 工单号,
             strftime(TIMESTAMP '2025-01-01' + INTERVAL (i % 500000) MINUTE, '%Y-%m-%d %H:%M:%S') AS 报修时间,
             CASE WHEN i % 1000 = 7 THEN 'fax' ELSE '电话' END AS 报修渠道,
             '客户' || (i % 977) AS 客户名称,
             (i % 180)::VARCHAR AS "服务半径(公里)"
      FROM range(${ROWS}) r(i)) TO ${sqlString(file)} (HEADER, DELIMITER ',')`);
  wh.close();
  return file;
}

/** The CLI's ingest; with `pause`, a child that stops just before COMMIT (pause-before-commit.ts). */
function startIngest(file: string, pause = false) {
  const args = pause
    ? [join(PROJECT_ROOT, 'tests/ingest/pause-before-commit.ts'), file, t.dbPath]
    : [join(PROJECT_ROOT, 'pipelines/cli.ts'), 'ingest', 'tickets', file, '--db', t.dbPath, '--json', '--no-refresh'];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, exited, output: () => out };
}

async function counts(): Promise<{ tickets: number; rejects: number; committed: number }> {
  const wh = await Warehouse.open(t.dbPath);
  try {
    return (await wh.one(
      `SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM rejects) AS rejects,
              (SELECT count(*) FROM batches WHERE status = 'committed') AS committed`,
    )) as { tickets: number; rejects: number; committed: number };
  } finally {
    wh.close();
  }
}

describe('SIGKILL mid-batch', () => {
  it('killed just before COMMIT: none of the batch is there; the same file then loads whole', async () => {
    const file = await bigTicketsFile();
    const run = startIngest(file, true);
    await new Promise<void>((res, rej) => {
      const timer = setInterval(() => {
        if (run.output().includes('PAUSED_BEFORE_COMMIT')) {
          clearInterval(timer);
          res();
        }
      }, 50);
      run.exited.then(() => {
        clearInterval(timer);
        rej(new Error(`ingest exited before pausing: ${run.output()}`));
      });
    });
    run.child.kill('SIGKILL');
    await run.exited;
    expect(await counts()).toEqual({ tickets: 0, rejects: 0, committed: 0 });

    const again = startIngest(file);
    expect(await again.exited).toBe(0);
    const summary = JSON.parse(again.output());
    expect(summary).toMatchObject({ rows: ROWS, accepted: ROWS - ROWS / 1000, rejected: ROWS / 1000, duplicate: false });
    expect(await counts()).toEqual({ tickets: ROWS - ROWS / 1000, rejects: ROWS / 1000, committed: 1 });
  });

  it('killed at arbitrary moments: always all or nothing', async () => {
    const file = await bigTicketsFile();
    for (const delayMs of [400, 1200, 2500]) {
      const run = startIngest(file);
      await new Promise((r) => setTimeout(r, delayMs));
      run.child.kill('SIGKILL');
      const code = await run.exited;
      const c = await counts();
      const all = { tickets: ROWS - ROWS / 1000, rejects: ROWS / 1000, committed: 1 };
      const none = { tickets: 0, rejects: 0, committed: 0 };
      expect([none, all]).toContainEqual(c);
      if (c.committed) {
        // The run finished before the kill: start the next round from an empty warehouse, since the
        // same file would now be a duplicate.
        expect(code === 0 || code === null).toBe(true);
        for (const f of [t.dbPath, `${t.dbPath}.wal`, `${t.dbPath}.files`]) rmSync(f, { recursive: true, force: true });
      }
    }
  });
});
