/**
 * Data tests of the models (issue 10 item 9): the declared checks pass on the real models; each
 * kind of check fires on a deliberately broken table, naming the model, the check and the rows; a
 * failing refresh rolls back, throws, and leaves an audit entry that survives the rollback — also
 * when the models are rebuilt inside a caller's transaction (a manager's split).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../pipelines/assessment/audit.ts';
import { generate } from '../../pipelines/generate/generate.ts';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { DataTestError, loadDataTests, parseTests, runDataTests, TEST_KINDS } from '../../pipelines/models/data-tests.ts';
import { rebuildModelMonths, refreshModels } from '../../pipelines/models/refresh.ts';
import { ensureReferenceData } from '../../pipelines/models/setup.ts';
import { tempWarehouse, type TempWarehouse } from '../helpers.ts';

let t: TempWarehouse;

beforeAll(async () => {
  t = await tempWarehouse();
  await ensureReferenceData(t.wh);
  for (const f of await generate({ out: join(t.dir, 'demo'), months: 4, tickets: 4000, seed: 11, dirty: true, end: '2025-05' })) {
    await ingestFile(t.wh, f.kind, f.file);
  }
  await refreshModels(t.wh, { full: true });
});
afterAll(() => t.cleanup());

/** Runs `fn` in a transaction that is always rolled back: the warehouse stays as it was. */
async function brokenFor<T>(fn: () => Promise<T>): Promise<T> {
  await t.wh.run('BEGIN TRANSACTION');
  try {
    return await fn();
  } finally {
    await t.wh.run('ROLLBACK');
  }
}

const failuresOf = async (model: string) => (await runDataTests(t.wh, { models: [model] })).failures;

describe('the declared checks', () => {
  it('pass on the real models, every kind declared somewhere', async () => {
    const tests = loadDataTests();
    expect(new Set(tests.map((x) => x.kind))).toEqual(new Set(TEST_KINDS));
    const r = await refreshModels(t.wh, { full: true });
    expect(r.data_tests.checks).toBe(tests.length);
    const incremental = await refreshModels(t.wh);
    expect(incremental.full).toBe(false);
    expect(incremental.data_tests.checks).toBe(tests.length);
  });

  it('are declared in NN_<model>.tests.sql beside a model; a declaration they cannot read is an error, never a skipped check', () => {
    expect(() => parseTests('m', 'm.tests.sql', '-- test: uniq ticket_id')).toThrow('m.tests.sql:1: unknown test kind "uniq"');
    expect(() => parseTests('m', 'm.tests.sql', '\n-- test: not_null a b')).toThrow('m.tests.sql:2: not_null needs a list of column names, got "a b"');
    expect(() => parseTests('m', 'm.tests.sql', '-- test: accepted_values status')).toThrow('accepted_values needs "<column>: <value>, …"');
    expect(() => parseTests('m', 'm.tests.sql', '-- test: at_most a < b')).toThrow('at_most needs "<expr> <= <expr>"');
    expect(() => parseTests('m', 'm.tests.sql', '-- test: query q\nSELECT 1')).toThrow('query q: its SQL must end with ";"');
    const dir = mkdtempSync(join(tmpdir(), 'aftersales-dt-'));
    try {
      for (const layer of ['staging', 'facts', 'marts']) mkdirSync(join(dir, layer));
      writeFileSync(join(dir, 'facts', '01_fct_a.sql'), '-- materialized: table\nSELECT 1 AS month');
      writeFileSync(join(dir, 'facts', '02_fct_b.tests.sql'), '-- test: not_null month\n');
      expect(() => loadDataTests(dir)).toThrow('02_fct_b.tests.sql: no model fct_b beside it');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('each kind fires on a deliberately broken table (the months refreshed: all, after a full build)', () => {
  beforeAll(() => refreshModels(t.wh, { full: true }));

  it('unique', async () => {
    const f = await brokenFor(async () => {
      await t.wh.run(`INSERT INTO fct_ticket_sla SELECT * FROM fct_ticket_sla WHERE ticket_id = (SELECT min(ticket_id) FROM fct_ticket_sla)`);
      return failuresOf('fct_ticket_sla');
    });
    const id = (await t.wh.one<{ id: string }>(`SELECT min(ticket_id) AS id FROM fct_ticket_sla`))!.id;
    expect(f).toEqual([{ model: 'fct_ticket_sla', check: 'unique ticket_id', rows: 1, examples: [{ ticket_id: id, duplicates: 2 }] }]);
  });

  it('not_null', async () => {
    const f = await brokenFor(async () => {
      await t.wh.run(`UPDATE mart_bonus_person SET total = NULL WHERE technician_id = (SELECT min(technician_id) FROM mart_bonus_person)`);
      return failuresOf('mart_bonus_person');
    });
    expect(f.map((x) => x.check)).toEqual(['not_null month, technician_id, total']);
    expect(f[0]!.rows).toBeGreaterThan(0);
    expect(Object.keys(f[0]!.examples[0]!)).toEqual(['month', 'technician_id', 'total']);
    expect(f[0]!.examples[0]!.total).toBeNull();
  });

  it('accepted_values', async () => {
    const f = await brokenFor(async () => {
      await t.wh.run(`UPDATE fct_complaints SET attributable = 'maybe' WHERE complaint_id = (SELECT min(complaint_id) FROM fct_complaints)`);
      return failuresOf('fct_complaints');
    });
    expect(f).toMatchObject([{ model: 'fct_complaints', check: 'accepted_values attributable: yes, no, pending', rows: 1, examples: [{ attributable: 'maybe' }] }]);
  });

  it('rate', async () => {
    const f = await brokenFor(async () => {
      await t.wh.run(`UPDATE kpi_month SET timeliness_rate = 1.25 WHERE scope = 'company' AND month = DATE '2025-04-01'`);
      return failuresOf('kpi_month');
    });
    expect(f).toMatchObject([{ model: 'kpi_month', rows: 1, examples: [{ month: '2025-04-01', scope: 'company', scope_id: '', timeliness_rate: 1.25 }] }]);
    expect(f[0]!.check).toMatch(/^rate timeliness_rate, satisfaction_rate, /);
  });

  it('at_most (a numerator above its denominator)', async () => {
    const f = await brokenFor(async () => {
      await t.wh.run(`UPDATE mart_kpi_month SET forms_satisfied = forms + 1 WHERE scope = 'company' AND month = DATE '2025-03-01'`);
      return failuresOf('mart_kpi_month');
    });
    expect(f).toMatchObject([{ model: 'mart_kpi_month', check: 'at_most forms_satisfied <= forms', rows: 1, examples: [{ month: '2025-03-01', scope: 'company', scope_id: '' }] }]);
  });

  it('sums_to (bonus parts and the total)', async () => {
    const f = await brokenFor(async () => {
      await t.wh.run(`UPDATE mart_bonus_person SET adjustments = adjustments + 1 WHERE technician_id = (SELECT min(technician_id) FROM mart_bonus_person)`);
      return failuresOf('mart_bonus_person');
    });
    expect(f.map((x) => x.check)).toEqual(['sums_to total = satisfaction_share + complaint_penalty + forged_form_penalty + quarterly_reward + adjustments']);
  });

  it('expect', async () => {
    const f = await brokenFor(async () => {
      await t.wh.run(`UPDATE mart_assessment_unit SET amount = 500 WHERE outcome = 'no_basis' AND unit = 'company' AND month = (SELECT min(month) FROM mart_assessment_unit)`);
      return failuresOf('mart_assessment_unit');
    });
    expect(f).toMatchObject([{ model: 'mart_assessment_unit', check: "expect outcome IN ('reward', 'penalty') OR amount = 0", rows: 1, examples: [{ unit: 'company', team_id: null, outcome: 'no_basis', amount: 500 }] }]);
  });

  it('query (a team split that no longer adds up to the team amount)', async () => {
    const team = (await t.wh.one<{ month: string; team_id: string; amount: number }>(
      `SELECT strftime(u.month, '%Y-%m-%d') AS month, u.team_id, u.amount FROM mart_assessment_unit u
       WHERE u.unit = 'team' AND u.amount <> 0 AND EXISTS (SELECT 1 FROM mart_bonus_person b, unnest(b.team_shares) s WHERE b.month = u.month AND s.unnest.team_id = u.team_id)
       ORDER BY ALL LIMIT 1`,
    ))!;
    expect(team).toBeDefined();
    const f = await brokenFor(async () => {
      await t.wh.run(`UPDATE mart_assessment_unit SET amount = amount + 7 WHERE unit = 'team' AND team_id = $1 AND month = CAST($2 AS DATE)`, [team.team_id, team.month]);
      return failuresOf('mart_bonus_person');
    });
    expect(f).toEqual([{ model: 'mart_bonus_person', check: 'query team_split_adds_up', rows: 1, examples: [{ month: team.month, team_id: team.team_id, parts: team.amount, team_amount: team.amount + 7 }] }]);
  });
});

describe('a failing refresh fails loudly', () => {
  const refreshes = async () => (await t.wh.one<{ n: number }>(`SELECT count(*) AS n FROM model_refresh`))!.n;

  it('rolls back, names the model, the check and the rows, and writes the audit entry after the rollback', async () => {
    // A raw ticket row twice (bypassing the ingestion, which never lets it happen): every model
    // built from it carries it twice.
    const id = (await t.wh.one<{ id: string }>(`SELECT max(ticket_id) AS id FROM tickets WHERE completed_at IS NOT NULL AND coalesce(result, '') <> 'cancelled'`))!.id;
    await t.wh.run(`INSERT INTO tickets SELECT * FROM tickets WHERE ticket_id = $1`, [id]);
    const before = { refreshes: await refreshes(), sla: await t.wh.all(`SELECT * FROM fct_ticket_sla ORDER BY ALL`) };
    try {
      const err = await refreshModels(t.wh, { full: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataTestError);
      const e = err as DataTestError;
      expect(e.message).toMatch(/^data tests failed, the refresh was rolled back: /);
      expect(e.message).toContain(`fct_ticket_sla · unique ticket_id — 1 offending row, e.g. {"ticket_id":"${id}","duplicates":2}`);
      expect(e.failures.map((f) => `${f.model} · ${f.check}`)).toEqual(expect.arrayContaining(['fct_ticket_sla · unique ticket_id', 'fct_jobs · unique ticket_id']));
      // Rolled back: the models and the refresh log are as they were.
      expect(await refreshes()).toBe(before.refreshes);
      expect(await t.wh.all(`SELECT * FROM fct_ticket_sla ORDER BY ALL`)).toEqual(before.sla);
      // The audit entries survive it: one per failing check.
      const audit = await listAudit(t.wh, { action: 'data_test.failed' });
      expect(audit.length).toBe(e.failures.length);
      expect(audit.find((a) => a.target === 'fct_ticket_sla')).toMatchObject({
        actor: 'system',
        detail: { check: 'unique ticket_id', rows: 1, examples: [{ ticket_id: id, duplicates: 2 }], full: true },
      });
    } finally {
      await t.wh.run(`DELETE FROM tickets WHERE rowid = (SELECT max(rowid) FROM tickets WHERE ticket_id = $1)`, [id]);
    }
    expect((await refreshModels(t.wh, { full: true })).data_tests.checks).toBeGreaterThan(0);
  });

  it('a policy stored around the validation (a window ending before it opens) stops the refresh of the months it governs', async () => {
    await t.wh.run(`UPDATE policy_version SET working_window_end = TIME '08:00'`);
    try {
      const err = (await refreshModels(t.wh).catch((e: unknown) => e)) as DataTestError;
      expect(err).toBeInstanceOf(DataTestError);
      expect(err.failures.map((f) => `${f.model} · ${f.check}`)).toContain('policy_for_month · expect working_window_start < working_window_end');
      expect((await listAudit(t.wh, { action: 'data_test.failed', target: 'policy_for_month' }))[0]!.detail).toMatchObject({ check: 'expect working_window_start < working_window_end', full: false });
    } finally {
      await t.wh.run(`UPDATE policy_version SET working_window_end = TIME '17:30'`);
    }
    await refreshModels(t.wh);
  });

  it('inside a caller’s transaction (a rebuild of the bonus sheet): the entry is written on its own connection and survives the caller’s rollback', async () => {
    const who = (await t.wh.one<{ month: string; technician_id: string }>(
      `SELECT strftime(month, '%Y-%m-%d') AS month, technician_id FROM mart_bonus_person WHERE satisfaction_share <> 0 AND known_technician ORDER BY ALL LIMIT 1`,
    ))!;
    // A technician twice in the technicians table (bypassing the ingestion): twice on the sheet.
    await t.wh.run(`INSERT INTO technicians SELECT * FROM technicians WHERE technician_id = $1`, [who.technician_id]);
    const sheet = await t.wh.all(`SELECT * FROM mart_bonus_person ORDER BY ALL`);
    const n = (await listAudit(t.wh, { action: 'data_test.failed' })).length;
    try {
      const err = await t.wh.transaction(() => rebuildModelMonths(t.wh, ['mart_bonus_person'], [who.month])).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataTestError);
      expect((err as DataTestError).failures.map((f) => f.check)).toEqual(['unique month, technician_id', 'query team_split_adds_up']);
      expect((err as Error).message).toContain(`mart_bonus_person · unique month, technician_id — 1 offending row, e.g. {"month":"${who.month}","technician_id":"${who.technician_id}","duplicates":2}`);
      // The caller's transaction rolled back: the sheet is as it was …
      expect(await t.wh.all(`SELECT * FROM mart_bonus_person ORDER BY ALL`)).toEqual(sheet);
      // … and the entries, written on a connection of their own, are there.
      const audit = await listAudit(t.wh, { action: 'data_test.failed' });
      expect(audit.length).toBe(n + 2);
      expect(audit.find((a) => (a.detail as { check: string }).check === 'unique month, technician_id')).toMatchObject({
        target: 'mart_bonus_person',
        detail: { rows: 1, rebuilt: ['mart_bonus_person'], months: [who.month] },
      });
    } finally {
      await t.wh.run(`DELETE FROM technicians WHERE rowid = (SELECT max(rowid) FROM technicians WHERE technician_id = $1)`, [who.technician_id]);
    }
  });
});
