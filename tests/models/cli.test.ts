/**
 * The machine interface of SPEC §6 through the real CLI: `kpi --json` has the contract's shape and
 * the same figures as the models; a bad month is refused with a non-zero exit.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { generate } from '../../pipelines/generate/generate.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { PROJECT_ROOT } from '../../pipelines/warehouse/warehouse.ts';
import { tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;
let expected: Record<string, number>;

beforeAll(async () => {
  t = await tempWarehouse();
  await ensureReferenceData(t.wh);
  for (const f of await generate({ out: join(t.dir, 'demo'), months: 2, tickets: 2000, seed: 9, dirty: false, end: '2025-05' })) {
    await ingestFile(t.wh, f.kind, f.file);
  }
  await refreshModels(t.wh);
  expected = (await t.wh.one(
    `SELECT count(*) FILTER (WHERE status IN ('on_time', 'late')) AS due, count(*) FILTER (WHERE status = 'on_time') AS on_time
     FROM fct_ticket_sla WHERE month = DATE '2025-05-01' AND team_id = 'T01'`,
  ))!;
  t.wh.close();
});
afterAll(() => t.cleanup());

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'pipelines/cli.ts'), ...args, '--db', t.dbPath], { encoding: 'utf8', cwd: PROJECT_ROOT });
}

it('kpi --json prints the SPEC §6 object', () => {
  const r = cli('kpi', '--month', '2025-05', '--team', 'T01', '--json');
  expect(r.status, r.stderr).toBe(0);
  const k = JSON.parse(r.stdout);
  expect(Object.keys(k)).toEqual(expect.arrayContaining(['month', 'tickets', 'timeliness_rate', 'feedback', 'satisfaction_rate', 'complaints', 'complaint_rate']));
  expect(Object.keys(k.tickets)).toEqual(expect.arrayContaining(['completed', 'due', 'on_time', 'late', 'pending']));
  expect(Object.keys(k.feedback)).toEqual(expect.arrayContaining(['forms', 'total_score', 'mean_score', 'satisfied']));
  expect(Object.keys(k.complaints)).toEqual(expect.arrayContaining(['received', 'attributable']));
  expect(k.month).toBe('2025-05');
  expect(k.tickets.due).toBe(expected.due);
  expect(k.tickets.on_time).toBe(expected.on_time);
  expect(k.timeliness_rate).toBe(expected.on_time! / expected.due!);
  expect(k.feedback.mean_score).toBe(k.feedback.total_score / k.feedback.forms);
});

it('refuses a malformed month', () => {
  const r = cli('kpi', '--month', '2025-13', '--json');
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('month must be YYYY-MM, got "2025-13"');
});

it('assessment --json prints {month, units, people} with the SPEC §6 fields; close and reopen', () => {
  const r = cli('assessment', '--month', '2025-05', '--json');
  expect(r.status, r.stderr).toBe(0);
  const a = JSON.parse(r.stdout);
  expect(a.month).toBe('2025-05');
  const company = a.units.find((u: { unit: string }) => u.unit === 'company');
  expect(company.team_id).toBeNull();
  for (const u of a.units) {
    expect(Object.keys(u)).toEqual(expect.arrayContaining(['unit', 'team_id', 'forms', 'total_score', 'mean_score', 'prev_forms', 'prev_total_score', 'prev_mean_score', 'outcome', 'amount']));
    expect(['reward', 'penalty', 'none', 'no_basis']).toContain(u.outcome);
  }
  expect(a.people.length).toBeGreaterThan(0);
  for (const p of a.people) {
    expect(Object.keys(p)).toEqual(expect.arrayContaining(['technician_id', 'team_id', 'satisfaction_share', 'complaint_penalty', 'quarterly_reward', 'adjustments', 'total']));
    expect(p.total).toBe(p.satisfaction_share + p.complaint_penalty + p.quarterly_reward + p.adjustments);
  }
  // The shares of a team add up to its amount.
  for (const u of a.units.filter((u: { unit: string }) => u.unit === 'team')) {
    const sum = a.people.filter((p: { team_id: string }) => p.team_id === u.team_id).reduce((s: number, p: { satisfaction_share: number }) => s + p.satisfaction_share, 0);
    expect(sum, u.team_id).toBe(u.amount);
  }
  expect(cli('close', '--month', '2025-05', '--by', 'hr1').status).toBe(0);
  expect(JSON.parse(cli('assessment', '--month', '2025-05', '--json').stdout).closed.by).toBe('hr1');
  const noReason = cli('reopen', '--month', '2025-05');
  expect(noReason.status).toBe(2);
  expect(cli('reopen', '--month', '2025-05', '--reason', '补录反馈表', '--by', 'admin').status).toBe(0);
});
