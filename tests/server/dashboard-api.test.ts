/**
 * The reads the dashboard needs beside SPEC §6: /api/meta (pickers), /api/trend/teams (heat map,
 * ranking) and /api/months/:month/changes (the "changed since close" banner), against the models.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { refreshModels } from '../../pipelines/models/refresh.ts';
import type { Role } from '../../server/roles.ts';
import type { TempWarehouse } from '../helpers.ts';
import { buildWarehouse, call, makeApp, MANAGER_TEAM, MONTH, signInAll, type Signed, type TestApp } from './fixture.ts';

let t: TempWarehouse;
let app: TestApp;
let as: Record<Role, Signed>;

beforeAll(async () => {
  t = await buildWarehouse();
  app = makeApp(t);
  as = await signInAll(app);
});
afterAll(() => t.cleanup());

describe('GET /api/meta', () => {
  it('lists the months of kpi_month newest first, the teams and regions', async () => {
    const m = await (await call(app, 'GET', '/api/meta', { as: as.supervisor })).json();
    const months = (await t.wh.all<{ m: string }>(`SELECT DISTINCT strftime(month, '%Y-%m') AS m FROM kpi_month WHERE scope = 'company' ORDER BY 1 DESC`)).map((r) => r.m);
    expect(months.length).toBe(13);
    expect(m.months).toEqual(months);
    expect(m.latest_month).toBe(MONTH);
    const teams = await t.wh.all<{ team_id: string }>('SELECT team_id FROM teams ORDER BY team_id');
    expect(m.teams.map((x: { team_id: string }) => x.team_id)).toEqual(teams.map((x) => x.team_id));
    expect(m.regions.length).toBeGreaterThan(1);
    expect(m.as_of).toMatch(/^2025-05-\d\d \d\d:\d\d:\d\d$/);
  });

  it('a manager is offered only their own team and no regions', async () => {
    const m = await (await call(app, 'GET', '/api/meta', { as: as.manager })).json();
    expect(m.teams.map((x: { team_id: string }) => x.team_id)).toEqual([MANAGER_TEAM]);
    expect(m.regions).toEqual([]);
  });
});

describe('GET /api/trend/teams', () => {
  it('serves kpi_month team rows for the N months ending at the latest month', async () => {
    const r = await (await call(app, 'GET', '/api/trend/teams?months=3', { as: as.executive })).json();
    expect(r.months).toEqual(['2025-03', '2025-04', '2025-05']);
    const expected = await t.wh.all<{ month: string; team_id: string; mean_score: number | null; timeliness_rate: number | null }>(
      `SELECT strftime(month, '%Y-%m') AS month, scope_id AS team_id, mean_score, timeliness_rate FROM kpi_month
       WHERE scope = 'team' AND scope_id <> '' AND month BETWEEN DATE '2025-03-01' AND DATE '2025-05-01' ORDER BY scope_id, month`,
    );
    expect(r.rows.length).toBe(expected.length);
    expect(r.rows.map((x: { month: string; team_id: string; mean_score: number | null; timeliness_rate: number | null }) =>
      ({ month: x.month, team_id: x.team_id, mean_score: x.mean_score, timeliness_rate: x.timeliness_rate }))).toEqual(expected);
    const t01 = r.rows.find((x: { team_id: string; month: string }) => x.team_id === MANAGER_TEAM && x.month === MONTH);
    const kpi = await (await call(app, 'GET', `/api/kpi?month=${MONTH}&team=${MANAGER_TEAM}`, { as: as.executive })).json();
    expect(t01.mean_score).toBe(kpi.mean_score);
  });

  it('ends where asked; a manager gets only their own team', async () => {
    const r = await (await call(app, 'GET', '/api/trend/teams?months=2&end=2024-12', { as: as.manager })).json();
    expect(r.months).toEqual(['2024-11', '2024-12']);
    expect(new Set(r.rows.map((x: { team_id: string }) => x.team_id))).toEqual(new Set([MANAGER_TEAM]));
    expect((await call(app, 'GET', '/api/trend/teams?months=99', { as: as.hr })).status).toBe(400);
  });
});

describe('GET /api/months/:month/changes', () => {
  it('an open month has nothing frozen; after close, a late adjustment shows as a difference', async () => {
    const m = '2025-02';
    const open = await (await call(app, 'GET', `/api/months/${m}/changes`, { as: as.hr })).json();
    expect(open).toEqual({ month: m, closed: null, differs: false, units: [], people: [] });
    expect((await call(app, 'POST', `/api/months/${m}/close`, { as: as.hr })).status).toBe(200);
    const same = await (await call(app, 'GET', `/api/months/${m}/changes`, { as: as.hr })).json();
    expect(same.differs).toBe(false);

    const tech = (await t.wh.one<{ id: string }>(`SELECT technician_id AS id FROM technicians WHERE team_id = '${MANAGER_TEAM}' ORDER BY 1 LIMIT 1`))!.id;
    const file = join(t.dir, 'late-adjustment.csv');
    writeFileSync(file, `工号,月份,金额,事由,批准人\n${tech},${m},250.00,补发安全奖,张经理\n`);
    await ingestFile(t.wh, 'adjustments', file, { uploadedBy: 'test' });
    await refreshModels(t.wh);

    const after = await (await call(app, 'GET', `/api/months/${m}/changes`, { as: as.hr })).json();
    expect(after.differs).toBe(true);
    const p = after.people.find((x: { key: string }) => x.key === tech);
    expect(p.fields).toEqual(expect.arrayContaining(['adjustments', 'total']));
    expect(p.live.adjustments - p.frozen.adjustments).toBe(250);
    // The frozen assessment itself did not move.
    const a = await (await call(app, 'GET', `/api/assessment?month=${m}`, { as: as.hr })).json();
    expect(a.people.find((x: { technician_id: string }) => x.technician_id === tech).adjustments).toBe(p.frozen.adjustments);
    // A manager of another team sees no difference of T01's people.
    const mgr = await (await call(app, 'GET', `/api/months/${m}/changes`, { as: as.manager })).json();
    expect(mgr.people.every((x: { frozen: { team_id: string } | null; live: { team_id: string } | null }) => (x.frozen ?? x.live)!.team_id === MANAGER_TEAM)).toBe(true);
    expect(mgr.people.length).toBe(1);
  });
});

describe('GET /api/assessment', () => {
  it('carries the names of the people beside their ids', async () => {
    const a = await (await call(app, 'GET', `/api/assessment?month=${MONTH}`, { as: as.hr })).json();
    const names = new Map((await t.wh.all<{ id: string; name: string }>('SELECT technician_id AS id, name FROM technicians')).map((r) => [r.id, r.name]));
    const known = a.people.filter((p: { technician_id: string }) => names.has(p.technician_id));
    expect(known.length).toBeGreaterThan(0);
    for (const p of known) expect(p.name).toBe(names.get(p.technician_id));
  });
});

describe('upload helpers', () => {
  it('GET /api/uploads/kinds gives each kind its columns; hr only adjustments', async () => {
    const k = await (await call(app, 'GET', '/api/uploads/kinds', { as: as.supervisor })).json();
    expect(k.kinds.map((x: { name: string }) => x.name)).toEqual(['teams', 'technicians', 'tickets', 'feedback', 'complaints', 'verifications', 'adjustments', 'calendar']);
    const tickets = k.kinds.find((x: { name: string }) => x.name === 'tickets');
    expect(tickets.columns.find((c: { id: string }) => c.id === 'reported_at')).toEqual({ id: 'reported_at', label: '报修时间', aliases: expect.any(Array), required: true });
    const hr = await (await call(app, 'GET', '/api/uploads/kinds', { as: as.hr })).json();
    expect(hr.kinds.map((x: { name: string }) => x.name)).toEqual(['adjustments']);
  });

  it('GET /api/batches/:id/rejects lists rejected lines with their reasons', async () => {
    const file = join(t.dir, 'bad-adjustments.csv');
    writeFileSync(file, '工号,月份,金额,事由,批准人\nE0101,2025-05,abc,奖励,张经理\nE0102,2025-13,10,奖励,张经理\nE0103,2025-05,10,奖励,张经理\n');
    const s = await ingestFile(t.wh, 'adjustments', file, { uploadedBy: 'test' });
    expect(s.rejected).toBe(2);
    const r = await (await call(app, 'GET', `/api/batches/${s.batch_id}/rejects?limit=1`, { as: as.supervisor })).json();
    expect(r.total).toBe(2);
    expect(r.rows.length).toBe(1);
    expect(r.rows[0].line_no).toBe(2);
    expect(r.rows[0].reasons[0].column).toBe('amount');
  });
});
