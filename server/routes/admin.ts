/**
 * Administration (issue 4 §3; SPEC §1, §5): policy versions, the working calendar, users and roles.
 * Reading the policy is for the roles that judge figures against it (admin, hr, supervisor,
 * executive); the calendar is read by everyone; every write, and everything about users, is the
 * admin's. Every change is audited. See docs/server.md, "Administration"; logic in
 * pipelines/policy/ and sql/policy/.
 */
import type { Warehouse } from '../../pipelines/warehouse/warehouse.ts';
import { writeAudit } from '../../pipelines/assessment/audit.ts';
import type { CalendarRow } from '../../pipelines/contract/calendar.ts';
import { getCalendar, importCalendarRows } from '../../pipelines/policy/calendar.ts';
import { createPolicyVersion, listPolicyVersions, parsePolicyInput } from '../../pipelines/policy/policy.ts';
import { createUser, foldUsername, hashPassword, hashSessionId, USERNAME } from '../auth.ts';
import { ApiError, badRequest, notFound } from '../errors.ts';
import { readJson, type RouteDef } from '../http.ts';
import { ROLES, isRole } from '../roles.ts';
import { error, me, STD_ERRORS, type RouteDeps } from './kit.ts';

import { MAX_PASSWORD, MIN_PASSWORD, passwordProblem, type UserRow } from '../../pipelines/contract/users.ts';

export { MIN_PASSWORD };
const MAX_CALENDAR_ROWS = 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const json = (description: string) => ({ description, schema: { type: 'object' } });

/** 400 naming the fields: {error: {code, message, problems: [{field, message}]}}. */
function invalid(code: string, problems: { field: string; message: string }[]): ApiError {
  return new ApiError(400, code, `invalid: ${problems.map((p) => p.field).join(', ')}`, { problems });
}

export function adminRoutes(d: RouteDeps): RouteDef[] {
  const listUsers = (wh: Warehouse) => wh.all<UserRow>(
    `SELECT u.username, u.role, u.team_id, u.disabled, strftime(u.created_at, '%Y-%m-%d %H:%M:%S') AS created_at,
            (SELECT count(*) FROM sessions s WHERE s.username = u.username AND s.expires_at > CAST($1 AS TIMESTAMP)) AS sessions
     FROM users u ORDER BY u.username`,
    [d.now().toISOString().replace('T', ' ').replace('Z', '')],
  );
  // Usernames are case-insensitive: `Admin` finds `admin`.
  const oneUser = async (wh: Warehouse, username: string) => {
    const all = await listUsers(wh);
    return all.find((u) => u.username === username) ?? all.find((u) => foldUsername(u.username) === foldUsername(username));
  };
  const teamExists = async (wh: Warehouse, team: string) => !!(await wh.one('SELECT 1 AS x FROM teams WHERE team_id = $1', [team]));

  const userSchema = {
    type: 'object',
    properties: {
      username: { type: 'string' }, role: { enum: [...ROLES] }, team_id: { type: ['string', 'null'] },
      disabled: { type: 'boolean' }, created_at: { type: 'string' }, sessions: { type: 'integer', description: 'live sessions' },
    },
  };

  return [
    // ---------------------------------------------------------------- policy
    {
      method: 'GET', path: '/api/policy', tag: 'administration', access: ['admin', 'hr', 'supervisor', 'executive'],
      summary: 'Policy versions (SPEC §5), oldest first, each with its grade points and SLA rules',
      notes: 'Targets, amounts and rules are read by the roles that judge or pay against them; managers see their figures, not the policy tables.',
      responses: { 200: json('{versions: [{effective_from, created_at, created_by, note, …fields, grade_points: {A..E}, sla_rules: [...]}]}'), ...STD_ERRORS },
      async handler(c, { wh }) {
        return c.json({ versions: await listPolicyVersions(wh) });
      },
    },
    {
      method: 'POST', path: '/api/policy', tag: 'administration', access: ['admin'],
      summary: 'Create a policy version effective from a month (needs X-CSRF-Token); the models are rebuilt from that month on',
      notes:
        'The version starts as a copy of the version in force for effective_from; the fields given replace its values (grade_points and sla_rules, when given, replace the whole set). ' +
        'Every field is validated (400 invalid_policy with problems [{field, message}]). Refused with 409 month_closed when a closed month lies at or after effective_from, ' +
        'and 409 version_exists when a version already starts that month. Months before effective_from keep their policy and figures. Audited (policy.create).',
      body: {
        required: true,
        schema: {
          type: 'object', required: ['effective_from'],
          properties: {
            effective_from: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }, note: { type: 'string', maxLength: 500 },
            grade_points: { type: 'object', properties: Object.fromEntries(['A', 'B', 'C', 'D', 'E'].map((g) => [g, { type: 'integer' }])) },
            sla_rules: { type: 'array', items: { type: 'object', required: ['priority', 'name'] } },
          },
          additionalProperties: true,
        },
      },
      responses: {
        200: json('{version, refresh: {full, months, seconds}}'),
        ...STD_ERRORS, 409: error('a closed month at or after effective_from, or a version already starts that month'),
      },
      async handler(c, { user, wh }) {
        const u = me(user);
        const body = await readJson(c);
        const input = await parsePolicyInput(wh, body);
        return c.json(await createPolicyVersion(wh, input, u.username));
      },
    },

    // ---------------------------------------------------------------- calendar
    {
      method: 'GET', path: '/api/calendar', tag: 'administration', access: [...ROLES],
      summary: 'The working calendar of a year: the listed holidays and make-up working days, and working days per month',
      query: { year: { type: 'int', description: 'the year', min: 2000, max: 2100, required: true } },
      responses: { 200: json('{year, days: [{date, day_type, name, batch_id}], months: [{month, days, working_days, rest_days, holidays, makeup_workdays}]}'), ...STD_ERRORS },
      async handler(c, { q, wh }) {
        return c.json(await getCalendar(wh, q.year as number));
      },
    },
    {
      method: 'POST', path: '/api/calendar', tag: 'administration', access: ['admin'],
      summary: 'Add or change calendar dates (needs X-CSRF-Token): ingested as a calendar batch, then the models are rebuilt',
      notes:
        'rows: 1–1000 of {date YYYY-MM-DD, day_type holiday|workday (or 节假日|调休上班), name?}. Written to a CSV and ingested through the pipeline, ' +
        'so its validation, rejects and history apply: a date already listed is replaced. Rows the pipeline refuses come back in rejects (line_no − 2 = row index). Audited (calendar.import).',
      body: {
        required: true,
        schema: {
          type: 'object', required: ['rows'],
          properties: {
            rows: {
              type: 'array', minItems: 1, maxItems: MAX_CALENDAR_ROWS,
              items: { type: 'object', required: ['date', 'day_type'], properties: { date: { type: 'string', format: 'date' }, day_type: { type: 'string' }, name: { type: ['string', 'null'] } } },
            },
          },
        },
      },
      responses: { 200: json('{batch, rejects, refreshed_months}'), ...STD_ERRORS },
      async handler(c, { user, wh }) {
        const u = me(user);
        const body = await readJson(c);
        const problems: { field: string; message: string }[] = [];
        for (const k of Object.keys(body)) if (k !== 'rows') problems.push({ field: k, message: `${k} is not allowed; send {rows: [...]}` });
        const rows = body.rows;
        if (!Array.isArray(rows) || rows.length === 0 || rows.length > MAX_CALENDAR_ROWS) {
          problems.push({ field: 'rows', message: `rows must be a list of 1 to ${MAX_CALENDAR_ROWS} days` });
          throw invalid('invalid_calendar', problems);
        }
        // Only the shape is checked here; dates and day types are the pipeline's to judge.
        const clean: CalendarRow[] = rows.map((r: unknown, i) => {
          const at = `rows[${i}]`;
          if (r === null || typeof r !== 'object' || Array.isArray(r)) {
            problems.push({ field: at, message: `${at} must be an object {date, day_type, name}` });
            return { date: '', day_type: '' };
          }
          const o = r as Record<string, unknown>;
          for (const k of Object.keys(o)) if (!['date', 'day_type', 'name'].includes(k)) problems.push({ field: `${at}.${k}`, message: `${at}.${k} is not a calendar field` });
          if (typeof o.date !== 'string' || !DATE.test(o.date)) problems.push({ field: `${at}.date`, message: `${at}.date must be a date YYYY-MM-DD` });
          if (typeof o.day_type !== 'string' || o.day_type.length === 0 || o.day_type.length > 20) problems.push({ field: `${at}.day_type`, message: `${at}.day_type must be holiday or workday (节假日 or 调休上班)` });
          const name = o.name ?? null;
          if (name !== null && (typeof name !== 'string' || name.length > 100 || /[\r\n\t]/.test(name))) problems.push({ field: `${at}.name`, message: `${at}.name must be a single-line text of at most 100 characters` });
          return { date: o.date as string, day_type: o.day_type as string, name: name as string | null };
        });
        if (problems.length) throw invalid('invalid_calendar', problems);
        return c.json(await importCalendarRows(wh, clean, u.username));
      },
    },

    // ---------------------------------------------------------------- users
    {
      method: 'GET', path: '/api/users', tag: 'administration', access: ['admin'],
      summary: 'Users with their role, team, state and number of live sessions (never password hashes)',
      responses: { 200: { description: '{users: [...]}', schema: { type: 'object', properties: { users: { type: 'array', items: userSchema } } } }, ...STD_ERRORS },
      async handler(c, { wh }) {
        return c.json({ users: await listUsers(wh) });
      },
    },
    {
      method: 'POST', path: '/api/users', tag: 'administration', access: ['admin'],
      summary: 'Create a user (needs X-CSRF-Token)',
      notes: `team_id is required for a manager (an existing team) and refused for other roles. Passwords: ${MIN_PASSWORD}–${MAX_PASSWORD} characters, not only blanks, no control characters, not a common password or one character repeated, not the username; stored as scrypt hashes. 409 when the username is taken, letter case ignored (Admin and admin are one name). Audited (user.create).`,
      body: {
        required: true,
        schema: {
          type: 'object', required: ['username', 'role', 'password'],
          properties: { username: { type: 'string', pattern: USERNAME.source }, role: { enum: [...ROLES] }, team_id: { type: ['string', 'null'] }, password: { type: 'string', minLength: MIN_PASSWORD } },
        },
      },
      responses: { 201: { description: 'the user', schema: userSchema }, ...STD_ERRORS, 409: error('username taken') },
      async handler(c, { user, wh }) {
        const u = me(user);
        const b = await readJson(c);
        const problems: { field: string; message: string }[] = [];
        for (const k of Object.keys(b)) if (!['username', 'role', 'team_id', 'password'].includes(k)) problems.push({ field: k, message: `${k} is not a user field` });
        if (typeof b.username !== 'string' || !USERNAME.test(b.username)) problems.push({ field: 'username', message: 'username must be 1–64 of A–Z a–z 0–9 _ . @ -' });
        if (!isRole(b.role)) problems.push({ field: 'role', message: `role must be one of ${ROLES.join(', ')}` });
        const team = b.team_id ?? null;
        if (b.role === 'manager') {
          if (typeof team !== 'string' || !(await teamExists(wh, team))) problems.push({ field: 'team_id', message: 'a manager needs the team_id of an existing team' });
        } else if (team !== null) {
          problems.push({ field: 'team_id', message: 'team_id is only for a manager' });
        }
        checkPassword(b.password, problems, b.username);
        if (problems.length) throw invalid('invalid_user', problems);
        const username = b.username as string;
        const taken = await oneUser(wh, username);
        if (taken) throw new ApiError(409, 'user_exists', taken.username === username ? `user ${username} already exists` : `user ${taken.username} already exists (usernames ignore letter case)`);
        await wh.transaction(async () => {
          await createUser(wh, { username, role: b.role as never, team_id: team as string | null, password: b.password as string });
          await writeAudit(wh, { actor: u.username, action: 'user.create', target: username, detail: { role: b.role, team_id: team } });
        });
        return c.json((await oneUser(wh, username))!, 201);
      },
    },
    {
      method: 'PATCH', path: '/api/users/:username', tag: 'administration', access: ['admin'],
      summary: 'Change a user\'s role, team, password or disabled state (needs X-CSRF-Token)',
      notes:
        'Any of role, team_id (manager only; required when the user becomes a manager), disabled, password. An admin cannot disable or demote themself (409 self_protection). ' +
        'Disabling ends every session of the user; a new password ends their sessions except the caller\'s own. Audited (user.update; a password is recorded only as changed).',
      params: { username: { type: 'text', description: 'the username', max: 64 } },
      body: {
        required: true,
        schema: {
          type: 'object',
          properties: { role: { enum: [...ROLES] }, team_id: { type: ['string', 'null'] }, disabled: { type: 'boolean' }, password: { type: 'string', minLength: MIN_PASSWORD } },
        },
      },
      responses: { 200: { description: 'the user', schema: userSchema }, ...STD_ERRORS, 404: error('no such user'), 409: error('an admin disabling or demoting themself') },
      async handler(c, { p, user, wh }) {
        const u = me(user);
        const asked = p.username as string;
        if (!USERNAME.test(asked)) throw badRequest('path parameter "username" must be 1–64 of A–Z a–z 0–9 _ . @ -', 'bad_parameter');
        const b = await readJson(c);
        const problems: { field: string; message: string }[] = [];
        for (const k of Object.keys(b)) if (!['role', 'team_id', 'disabled', 'password'].includes(k)) problems.push({ field: k, message: `${k} is not a user field` });
        if (Object.keys(b).length === 0) problems.push({ field: 'body', message: 'give at least one of role, team_id, disabled, password' });
        if ('role' in b && !isRole(b.role)) problems.push({ field: 'role', message: `role must be one of ${ROLES.join(', ')}` });
        if ('disabled' in b && typeof b.disabled !== 'boolean') problems.push({ field: 'disabled', message: 'disabled must be true or false' });
        if ('password' in b) checkPassword(b.password, problems, asked);
        if (problems.length) throw invalid('invalid_user', problems);

        const cur = await oneUser(wh, asked);
        if (!cur) throw notFound(`no user ${asked}`);
        const username = cur.username; // as stored
        const role = (b.role as string | undefined) ?? cur.role;
        let team = 'team_id' in b ? ((b.team_id ?? null) as string | null) : cur.team_id;
        if (role === 'manager') {
          if (typeof team !== 'string' || !(await teamExists(wh, team))) problems.push({ field: 'team_id', message: 'a manager needs the team_id of an existing team' });
        } else if ('team_id' in b && b.team_id !== null) {
          problems.push({ field: 'team_id', message: 'team_id is only for a manager' });
        } else {
          team = null;
        }
        if (problems.length) throw invalid('invalid_user', problems);
        if (username === u.username && (b.disabled === true || role !== 'admin')) {
          throw new ApiError(409, 'self_protection', 'an admin cannot disable or demote themself; ask another admin');
        }

        const disabled = (b.disabled as boolean | undefined) ?? cur.disabled;
        const hash = typeof b.password === 'string' ? await hashPassword(b.password) : null;
        const mySession = c.get('session')?.id;
        await wh.transaction(async () => {
          await wh.run(
            `UPDATE users SET role = $2, team_id = $3, disabled = $4, password_hash = coalesce($5, password_hash) WHERE username = $1`,
            [username, role, team, disabled, hash],
          );
          if (disabled) {
            await wh.run('DELETE FROM sessions WHERE username = $1', [username]);
          } else if (hash) {
            await wh.run('DELETE FROM sessions WHERE username = $1 AND session_hash <> $2', [username, mySession ? hashSessionId(mySession) : '']);
          }
          const changed: Record<string, unknown> = {};
          if (role !== cur.role) changed.role = { from: cur.role, to: role };
          if (team !== cur.team_id) changed.team_id = { from: cur.team_id, to: team };
          if (disabled !== cur.disabled) changed.disabled = { from: cur.disabled, to: disabled };
          if (hash) changed.password = 'changed';
          await writeAudit(wh, { actor: u.username, action: 'user.update', target: username, detail: changed });
        });
        return c.json((await oneUser(wh, username))!);
      },
    },
  ];
}

/** The password policy (pipelines/contract/users.ts passwordProblem), as a field problem. */
function checkPassword(v: unknown, problems: { field: string; message: string }[], username: unknown): void {
  if (typeof v !== 'string') {
    problems.push({ field: 'password', message: `password must be a text of ${MIN_PASSWORD} to ${MAX_PASSWORD} characters` });
    return;
  }
  const why = passwordProblem(v, typeof username === 'string' ? username : undefined);
  if (why) problems.push({ field: 'password', message: `password ${why}` });
}
