/**
 * Administration: policy versions (a change from a month on leaves earlier months' figures as they
 * were), field validation, refusal in a closed month; the working calendar through the ingestion
 * pipeline (a holiday moves a complaint's resolution deadline); users (create, disable, self
 * protection, a disabled user's session refused). The role matrix lives in api.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMonth, getAssessment, listAudit } from '../../pipelines/assessment/index.ts';
import { getKpi } from '../../pipelines/reads/kpi.ts';
import { ROLES, type Role } from '../../server/roles.ts';
import type { TempWarehouse } from '../helpers.ts';
import { buildWarehouse, call, makeApp, signIn, USERS, type Signed, type TestApp, signInAll } from './fixture.ts';

let t: TempWarehouse;
let app: TestApp;
let as: Record<Role, Signed>;

beforeAll(async () => {
  t = await buildWarehouse();
  app = makeApp(t);
  as = await signInAll(app);
});
afterAll(() => t.cleanup());

const fields = (res: { error: { problems?: { field: string }[] } }) => (res.error.problems ?? []).map((p) => p.field);

describe('policy', () => {
  it('GET /api/policy lists the versions with grade points and SLA rules', async () => {
    const res = await call(app, 'GET', '/api/policy', { as: as.hr });
    expect(res.status).toBe(200);
    const { versions } = await res.json();
    expect(versions[0].effective_from).toBe('2000-01');
    expect(versions[0].grade_points).toEqual({ A: 2, B: 1, C: 0, D: -1, E: -2 });
    expect(versions[0].sla_rules.map((r: { priority: number }) => r.priority)).toEqual([1, 2, 3, 4, 5]);
    expect(versions[0].target_timeliness_rate).toBe(0.9);
    expect(versions[0].mom_penalty_amount).toBe(-1000);
  });

  it('POST /api/policy refuses invalid fields with 400 naming each field', async () => {
    const res = await call(app, 'POST', '/api/policy', {
      as: as.admin,
      body: {
        effective_from: '2025-05',
        target_satisfaction_rate: 1.5,
        mom_penalty_amount: 200,
        mom_reward_amount: -5,
        mom_mode: 'weekly',
        complaint_response_hours: 0,
        grade_points: { A: 2, B: 1, C: 0, D: -1 },
        sla_rules: [
          { priority: 1, name: 'a', arrival_hours: 0 },
          { priority: 1, name: 'b', first_response_hours: 12 },
        ],
        colour: 'red',
      },
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_policy');
    expect(fields(body)).toEqual(expect.arrayContaining([
      'target_satisfaction_rate', 'mom_penalty_amount', 'mom_reward_amount', 'mom_mode', 'complaint_response_hours',
      'grade_points.E', 'sla_rules[0].arrival_hours', 'sla_rules[1].priority', 'colour',
    ]));
    const month = await call(app, 'POST', '/api/policy', { as: as.admin, body: { effective_from: '2025-5' } });
    expect(month.status).toBe(400);
    expect(fields(await month.json())).toEqual(['effective_from']);
    // The maximum form score is 3 × the best grade's points, no setting of its own: with A = 1 it
    // is 3, so a satisfied threshold of 4 could never be reached; max_form_score is not a field.
    const max = await call(app, 'POST', '/api/policy', {
      as: as.admin, body: { effective_from: '2025-05', grade_points: { A: 1, B: 1, C: 0, D: -1, E: -1 }, satisfied_min_score: 4, max_form_score: 6 },
    });
    expect(max.status).toBe(400);
    const maxBody = await max.json();
    expect(fields(maxBody).sort()).toEqual(['max_form_score', 'satisfied_min_score']);
    expect(JSON.stringify(maxBody)).toContain('3 × grade_points.A = 3');
    // Nothing was stored.
    expect((await (await call(app, 'GET', '/api/policy', { as: as.admin })).json()).versions).toHaveLength(1);
  });

  it('a version from 2025-05 changes 2025-05 and leaves earlier months as they were', async () => {
    const before = {
      k3: await getKpi(t.wh, '2025-03'), k4: await getKpi(t.wh, '2025-04'), a4: await getAssessment(t.wh, '2025-04'),
      k5: await getKpi(t.wh, '2025-05'), a5: await getAssessment(t.wh, '2025-05'),
    };
    const res = await call(app, 'POST', '/api/policy', {
      as: as.admin,
      body: {
        effective_from: '2025-05', note: 'stricter SLA, steeper grade points',
        grade_points: { A: 5, B: 2, C: 0, D: -2, E: -5 },
        satisfied_min_score: 6,
        mom_reward_amount: 2000,
        sla_rules: [
          { priority: 1, name: 'everything: reply within 1 h, on site within 2 h', first_response_hours: 1, arrival_hours: 2 },
        ],
      },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const out = await res.json();
    expect(out.version.effective_from).toBe('2025-05');
    expect(out.version.created_by).toBe(USERS.admin);
    expect(out.version.target_timeliness_rate).toBe(0.9); // carried over from the version in force
    expect(out.version.grade_points.A).toBe(5);
    expect(out.refresh.months).toContain('2025-05');

    expect(await getKpi(t.wh, '2025-03')).toEqual(before.k3);
    expect(await getKpi(t.wh, '2025-04')).toEqual(before.k4);
    expect(await getAssessment(t.wh, '2025-04')).toEqual(before.a4);
    const k5 = await getKpi(t.wh, '2025-05');
    expect(k5.timeliness_rate).not.toBe(before.k5.timeliness_rate);
    expect(k5.timeliness_rate!).toBeLessThan(before.k5.timeliness_rate!);
    expect(k5.feedback.mean_score).not.toBe(before.k5.feedback.mean_score);
    expect(await getAssessment(t.wh, '2025-05')).not.toEqual(before.a5);

    const versions = (await (await call(app, 'GET', '/api/policy', { as: as.executive })).json()).versions;
    expect(versions.map((v: { effective_from: string }) => v.effective_from)).toEqual(['2000-01', '2025-05']);
    const audit = await listAudit(t.wh, { action: 'policy.create' });
    expect(audit[0]).toMatchObject({ actor: USERS.admin, target: '2025-05' });

    const again = await call(app, 'POST', '/api/policy', { as: as.admin, body: { effective_from: '2025-05' } });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('version_exists');
  });

  it('refuses a version effective in or before a closed month (409)', async () => {
    await closeMonth(t.wh, { month: '2025-02', by: USERS.hr });
    for (const m of ['2025-02', '2024-12']) {
      const res = await call(app, 'POST', '/api/policy', { as: as.admin, body: { effective_from: m, spot_check_rate: 0.1 } });
      expect(res.status, m).toBe(409);
      const body = await res.json();
      expect(body.error.code).toBe('month_closed');
      expect(body.error.message).toContain('2025-02');
    }
    const after = await call(app, 'POST', '/api/policy', { as: as.admin, body: { effective_from: '2025-03', spot_check_rate: 0.1 } });
    expect(after.status).toBe(200);
  });
});

describe('calendar', () => {
  it('a holiday added through POST /api/calendar moves a complaint resolution deadline and the working-day count', async () => {
    const c = (await t.wh.one<{ complaint_id: string; day: string; deadline: string }>(
      `SELECT complaint_id, strftime(CAST(received_at AS DATE), '%Y-%m-%d') AS day, strftime(resolution_deadline, '%Y-%m-%d %H:%M:%S') AS deadline
       FROM fct_complaints WHERE received_at >= TIMESTAMP '2025-04-01' AND received_at < TIMESTAMP '2025-05-01' AND resolution_deadline IS NOT NULL ORDER BY complaint_id LIMIT 1`,
    ))!;
    const next = (await t.wh.one<{ d: string }>(
      `SELECT strftime(min(date), '%Y-%m-%d') AS d FROM dim_date WHERE date > CAST($1 AS DATE) AND is_working_day`, [c.day],
    ))!.d;
    const year = Number(next.slice(0, 4));
    const monthOf = (cal: { months: { month: string; working_days: number }[] }) => cal.months.find((m) => m.month === next.slice(0, 7))!.working_days;
    const before = await (await call(app, 'GET', `/api/calendar?year=${year}`, { as: as.manager })).json();

    const res = await call(app, 'POST', '/api/calendar', { as: as.admin, body: { rows: [{ date: next, day_type: '节假日', name: '测试假日' }] } });
    expect(res.status, await res.clone().text()).toBe(200);
    const out = await res.json();
    expect(out.batch).toMatchObject({ kind: 'calendar', accepted: 1, rejected: 0, duplicate: false });

    const moved = (await t.wh.one<{ deadline: string }>(
      `SELECT strftime(resolution_deadline, '%Y-%m-%d %H:%M:%S') AS deadline FROM fct_complaints WHERE complaint_id = $1`, [c.complaint_id],
    ))!.deadline;
    expect(moved > c.deadline).toBe(true);

    const after = await (await call(app, 'GET', `/api/calendar?year=${year}`, { as: as.manager })).json();
    expect(monthOf(after)).toBe(monthOf(before) - 1);
    expect(after.days).toContainEqual(expect.objectContaining({ date: next, day_type: 'holiday', name: '测试假日' }));
    expect((await listAudit(t.wh, { action: 'calendar.import' }))[0]).toMatchObject({ actor: USERS.admin });

    // Back to a working day, then the same holiday row again: not mistaken for a duplicate batch.
    await call(app, 'POST', '/api/calendar', { as: as.admin, body: { rows: [{ date: next, day_type: 'workday', name: '撤销' }] } });
    const again = await (await call(app, 'POST', '/api/calendar', { as: as.admin, body: { rows: [{ date: next, day_type: '节假日', name: '测试假日' }] } })).json();
    expect(again.batch.duplicate).toBe(false);
    expect(monthOf(await (await call(app, 'GET', `/api/calendar?year=${year}`, { as: as.hr })).json())).toBe(monthOf(before) - 1);
  });

  it('the pipeline judges dates and day types; malformed bodies are refused with 400', async () => {
    const res = await call(app, 'POST', '/api/calendar', { as: as.admin, body: { rows: [{ date: '2026-02-30', day_type: 'holiday' }, { date: '2026-10-01', day_type: 'party' }] } });
    expect(res.status).toBe(200);
    const out = await res.json();
    expect(out.batch.rejected).toBe(2);
    expect(out.rejects.map((r: { line_no: number }) => r.line_no)).toEqual([2, 3]);

    const bad = await call(app, 'POST', '/api/calendar', { as: as.admin, body: { rows: [{ date: 'tomorrow', name: 1, x: 1 }] } });
    expect(bad.status).toBe(400);
    expect(fields(await bad.json())).toEqual(expect.arrayContaining(['rows[0].date', 'rows[0].day_type', 'rows[0].name', 'rows[0].x']));
    expect((await call(app, 'GET', '/api/calendar', { as: as.admin })).status).toBe(400);
  });
});

describe('users', () => {
  const PW = 'a long enough password';

  it('creates users with validation; lists them without password hashes', async () => {
    const bad = await call(app, 'POST', '/api/users', { as: as.admin, body: { username: 'bad name', role: 'boss', password: 'short' } });
    expect(bad.status).toBe(400);
    expect(fields(await bad.json())).toEqual(expect.arrayContaining(['username', 'role', 'password']));
    const noTeam = await call(app, 'POST', '/api/users', { as: as.admin, body: { username: 'mgr2', role: 'manager', password: PW } });
    expect(noTeam.status).toBe(400);
    expect(fields(await noTeam.json())).toEqual(['team_id']);

    const ok = await call(app, 'POST', '/api/users', { as: as.admin, body: { username: 'mgr2', role: 'manager', team_id: 'T02', password: PW } });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ username: 'mgr2', role: 'manager', team_id: 'T02', disabled: false });
    expect((await call(app, 'POST', '/api/users', { as: as.admin, body: { username: 'mgr2', role: 'hr', password: PW } })).status).toBe(409);

    const list = await (await call(app, 'GET', '/api/users', { as: as.admin })).json();
    expect(list.users.map((u: { username: string }) => u.username)).toContain('mgr2');
    expect(JSON.stringify(list)).not.toContain('scrypt');
    expect((await listAudit(t.wh, { action: 'user.create' }))[0]).toMatchObject({ actor: USERS.admin, target: 'mgr2' });
  });

  it('disabling a user ends their sessions; an admin cannot disable or demote themself', async () => {
    const s = await signIn(app, 'mgr2', PW);
    expect((await call(app, 'GET', '/api/kpi?month=2025-05', { as: s })).status).toBe(200);

    const res = await call(app, 'PATCH', '/api/users/mgr2', { as: as.admin, body: { disabled: true } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ disabled: true, sessions: 0 });
    expect((await call(app, 'GET', '/api/session', { as: s })).status).toBe(401);
    await expect(signIn(app, 'mgr2', PW)).rejects.toThrow(/401/);

    for (const body of [{ disabled: true }, { role: 'hr' }]) {
      const self = await call(app, 'PATCH', `/api/users/${USERS.admin}`, { as: as.admin, body });
      expect(self.status).toBe(409);
      expect((await self.json()).error.code).toBe('self_protection');
    }
    expect((await call(app, 'GET', '/api/session', { as: as.admin })).status).toBe(200);
    expect((await call(app, 'PATCH', '/api/users/nobody', { as: as.admin, body: { disabled: true } })).status).toBe(404);
    const audit = await listAudit(t.wh, { action: 'user.update', target: 'mgr2' });
    expect(audit[0]!.detail).toEqual({ disabled: { from: false, to: true } });
  });

  it('changes role, team and password; a new password ends the old sessions', async () => {
    await call(app, 'PATCH', '/api/users/mgr2', { as: as.admin, body: { disabled: false } });
    const old = await signIn(app, 'mgr2', PW);
    const toHr = await call(app, 'PATCH', '/api/users/mgr2', { as: as.admin, body: { role: 'hr' } });
    expect(await toHr.json()).toMatchObject({ role: 'hr', team_id: null });
    const back = await call(app, 'PATCH', '/api/users/mgr2', { as: as.admin, body: { role: 'manager' } });
    expect(back.status).toBe(400);
    expect(fields(await back.json())).toEqual(['team_id']);

    const pw = await call(app, 'PATCH', '/api/users/mgr2', { as: as.admin, body: { password: 'another long password' } });
    expect(pw.status).toBe(200);
    expect((await call(app, 'GET', '/api/session', { as: old })).status).toBe(401);
    await expect(signIn(app, 'mgr2', PW)).rejects.toThrow(/401/);
    await signIn(app, 'mgr2', 'another long password');
    const audit = await listAudit(t.wh, { action: 'user.update', target: 'mgr2' });
    expect(audit[0]!.detail).toEqual({ password: 'changed' });
    expect(JSON.stringify(audit)).not.toContain('another long password');
  });
});
