/**
 * What every route group needs, and nothing that imports a route group back: the dependencies
 * `createApp` hands to each group, the session cookie's name, the signed-in user of a route, a
 * manager's team scoping and the OpenAPI response/parameter helpers.
 */
import type { Context } from 'hono';
import type { Warehouse } from '../../pipelines/warehouse/warehouse.ts';
import type { SignInLimiter } from '../auth.ts';
import type { AuthConnection } from '../auth-connection.ts';
import type { Limits } from '../config.ts';
import { ApiError, forbidden } from '../errors.ts';
import type { RwLock } from '../lock.ts';
import type { User } from '../roles.ts';

export const SESSION_COOKIE = 'aftersales_session';

export interface RouteDeps {
  wh: Warehouse;
  lock: RwLock;
  /** Sign-in and sign-out: their own connection, never behind the write lock. */
  auth: AuthConnection;
  limiter: SignInLimiter;
  now: () => Date;
  sessionTtlMs: number;
  clientIp: (c: Context) => string;
  cookieSecure: (c: Context) => boolean;
  openapi: () => Record<string, unknown>;
  /** Read at each request: the upload and export caps. */
  limits: Limits;
}

/** A month parameter (YYYY-MM), required unless told. */
export const month = (description = 'the month, YYYY-MM', required = true) => ({ type: 'month', description, required }) as const;
/** An id parameter (team, region, technician …). */
export const id = (description: string) => ({ type: 'id', description }) as const;

export const error = (description: string) => ({ description, schema: { $ref: '#/components/schemas/Error' } });
export const STD_ERRORS = { 400: error('invalid parameters'), 401: error('not signed in'), 403: error('role not allowed, or another team') };
export const json = (description: string, schema: Record<string, unknown> = { type: 'object' }) => ({ description, schema });

/** The signed-in user of a route that requires one (the access check has run). */
export function me(user: User | undefined): User {
  if (!user) throw new ApiError(401, 'unauthenticated', 'sign in first');
  return user;
}

/** A manager asking for another team is refused; otherwise the manager's own team is used. */
export function teamFor(user: User, requested: string | undefined): string | undefined {
  if (user.role !== 'manager') return requested;
  if (requested !== undefined && requested !== user.team_id) throw forbidden('a manager sees only their own team', 'other_team');
  return user.team_id!;
}
