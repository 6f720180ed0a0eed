/**
 * Sign-in, the current session and sign-out (issue 4 §2): scrypt check, rate limit, audit, the
 * HTTP-only session cookie and the CSRF token the client sends back on every mutation.
 */
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { writeAudit } from '../../pipelines/assessment/index.ts';
import { createSession, deleteSession, dummyPasswordHash, findUser, foldUsername, verifyPassword } from '../auth.ts';
import { ApiError, badRequest } from '../errors.ts';
import { readJson, type RouteDef } from '../http.ts';
import { ROLES, type User } from '../roles.ts';
import { error, json, SESSION_COOKIE, type RouteDeps } from './kit.ts';

/** Not HttpOnly, carries only '1': tells the dashboard a session cookie was set. */
export const SESSION_HINT_COOKIE = 'aftersales_signed_in';

/** Repeated failures of one unknown name within this time are audited as one row. */
const FOLD_MS = 60_000;

export function sessionRoutes(d: RouteDeps): RouteDef[] {

  const sessionJson = (user: User, csrf: string, expires: Date) => ({
    username: user.username, role: user.role, team_id: user.team_id, csrf, expires_at: expires.toISOString(),
  });
  const sessionSchema = {
    type: 'object',
    properties: {
      username: { type: 'string' }, role: { enum: [...ROLES] }, team_id: { type: ['string', 'null'] },
      csrf: { type: 'string', description: 'send back as X-CSRF-Token on every POST/PUT/PATCH/DELETE' },
      expires_at: { type: 'string', format: 'date-time' },
    },
  };

  /**
   * Failures of an unknown name, and refusals by the limiter, are audited once per name (letter case
   * ignored), address and result per minute: the first writes a row, the rest of that minute are only
   * counted, and the next row of that name, address and result carries the count as `folded`. So a
   * flood of guesses cannot fill the audit log. A known name's wrong password is a row per attempt.
   */
  const folded = new Map<string, { since: number; count: number }>();
  const shouldAudit = (result: string, username: string, ip: string, at: number): { write: boolean; folded: number } => {
    const key = `${result}\u0000${foldUsername(username)}\u0000${ip}`;
    const seen = folded.get(key);
    if (seen && at - seen.since < FOLD_MS) {
      seen.count++;
      return { write: false, folded: 0 };
    }
    folded.delete(key);
    folded.set(key, { since: at, count: 0 });
    if (folded.size > 10_000) folded.delete(folded.keys().next().value!);
    return { write: true, folded: seen?.count ?? 0 };
  };

  const signIn: RouteDef = {
    method: 'POST', path: '/api/session', tag: 'session', access: 'public', lock: 'none', keepsCacheOnFailure: true,
    summary: 'Sign in; sets the session cookie (HTTP-only, SameSite=Strict)',
    notes: 'Rate limited: 5 failures per username (letter case ignored) and client address within 15 minutes, each attempt counted before the password check → 429 with Retry-After. Usernames match without letter case. Every attempt is audited (action login); failures of an unknown name and 429s are one row per name, address and minute (detail.folded counts the ones folded into the previous row). A failed sign-in does not empty the response cache.',
    body: { required: true, schema: { type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string' } } } },
    responses: { 200: json('signed in', sessionSchema), 400: error('malformed body'), 401: error('wrong username or password'), 429: error('too many failures') },
    async handler(c) {
      const body = await readJson(c);
      const { username, password } = body;
      if (typeof username !== 'string' || typeof password !== 'string' || username.length === 0 || username.length > 64 || password.length > 1024) {
        throw badRequest('username and password are required strings (username at most 64, password at most 1024 characters)', 'bad_body');
      }
      const ip = d.clientIp(c);
      const now = d.now();
      const audit = async (result: string) => {
        const a = result === 'unknown_user' || result === 'rate_limited' ? shouldAudit(result, username, ip, now.getTime()) : { write: true, folded: 0 };
        if (!a.write) return;
        const detail = a.folded ? { result, ip, folded: a.folded } : { result, ip };
        await d.auth.use((a) => writeAudit(a, { actor: username, action: 'login', target: username, detail }));
      };
      // Counted before the slow hash check, so parallel guesses cannot overtake the limit.
      const wait = d.limiter.reserve(username, ip, now.getTime());
      if (wait > 0) {
        await audit('rate_limited');
        throw new ApiError(429, 'too_many_attempts', `too many failed sign-ins; try again in ${wait} s`, {}, { 'Retry-After': String(wait) });
      }
      const user = await d.auth.use((a) => findUser(a, username));
      // The password is checked even for an unknown user, so timing does not tell names apart.
      const ok = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()));
      if (!user || !ok || user.disabled) {
        // The reservation made above stays: it is this failure.
        await audit(!user ? 'unknown_user' : user.disabled ? 'disabled' : 'bad_password');
        throw new ApiError(401, 'invalid_credentials', 'wrong username or password');
      }
      d.limiter.succeed(username, ip);
      const old = getCookie(c, SESSION_COOKIE);
      const s = await d.auth.use(async (a) => {
        if (old) await deleteSession(a, old);
        const created = await createSession(a, user.username, now, d.sessionTtlMs);
        await writeAudit(a, { actor: user.username, action: 'login', target: user.username, detail: { result: 'ok', ip } });
        return created;
      });
      setCookie(c, SESSION_COOKIE, s.id, {
        httpOnly: true, sameSite: 'Strict', path: '/', secure: d.cookieSecure(c), maxAge: Math.floor(d.sessionTtlMs / 1000),
      });
      // A readable hint (no secret in it) so the dashboard only asks GET /api/session when a
      // session may exist, instead of provoking a 401 on every signed-out page load.
      setCookie(c, SESSION_HINT_COOKIE, '1', { sameSite: 'Strict', path: '/', secure: d.cookieSecure(c), maxAge: Math.floor(d.sessionTtlMs / 1000) });
      const u: User = { username: user.username, role: user.role, team_id: user.role === 'manager' ? user.team_id : null };
      return c.json(sessionJson(u, s.csrf, s.expires_at));
    },
  };

  return [
    // ---------------------------------------------------------------- session
    // A failed sign-in writes only an audit row: it keeps the response cache (server/app.ts).
    signIn,
    {
      method: 'GET', path: '/api/session', tag: 'session', access: 'signed_in', cache: false,
      summary: 'The signed-in user and the CSRF token',
      responses: { 200: json('the session', sessionSchema), 401: error('not signed in') },
      async handler(c) {
        const s = c.get('session')!;
        return c.json(sessionJson(s.user, s.csrf, s.expires_at));
      },
    },
    {
      method: 'DELETE', path: '/api/session', tag: 'session', access: 'signed_in', lock: 'none',
      summary: 'Sign out (needs X-CSRF-Token)',
      responses: { 204: { description: 'signed out' }, 401: error('not signed in'), 403: error('CSRF token missing or wrong') },
      async handler(c) {
        const s = c.get('session')!;
        await d.auth.use(async (a) => {
          await deleteSession(a, s.id);
          await writeAudit(a, { actor: s.user.username, action: 'logout', target: s.user.username, detail: { ip: d.clientIp(c) } });
        });
        deleteCookie(c, SESSION_COOKIE, { path: '/', secure: d.cookieSecure(c), httpOnly: true, sameSite: 'Strict' });
        deleteCookie(c, SESSION_HINT_COOKIE, { path: '/', secure: d.cookieSecure(c), sameSite: 'Strict' });
        return c.body(null, 204);
      },
    },
  ];
}
