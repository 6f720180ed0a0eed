/**
 * Route declarations and request parsing. A route declares its method, path, who may call it,
 * its query and path parameters and its body; the same declaration validates requests (clear
 * 400s, unknown parameters refused) and generates the OpenAPI description (server/openapi.ts).
 */
import type { Warehouse } from '../pipelines/warehouse/warehouse.ts';
import type { Context } from 'hono';
import { ApiError, badRequest } from './errors.ts';
import type { Role, User } from './roles.ts';
import type { Session } from './auth.ts';
import { ID_RE as ID, MONTH_RE as MONTH } from '../pipelines/contract/months.ts';
export { ID_RE as ID, MONTH_RE as MONTH } from '../pipelines/contract/months.ts';

export type AppEnv = {
  Variables: {
    user: User | undefined;
    session: (Session & { id: string }) | undefined;
  };
};

/** Who may call a route: listed roles, any signed-in user, or anyone. */
export type Access = readonly Role[] | 'signed_in' | 'public';

export interface ParamSpec {
  type: 'month' | 'id' | 'int' | 'enum' | 'text';
  description: string;
  required?: boolean;
  min?: number;
  max?: number;
  default?: number | string;
  values?: readonly string[];
}

export type Params = Record<string, string | number | undefined>;

export interface ResponseDoc {
  description: string;
  contentType?: string;
  schema?: Record<string, unknown>;
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Hono syntax: /api/months/:month/close */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  /** Role-specific behaviour (scoping, masking), for the docs. */
  notes?: string;
  query?: Record<string, ParamSpec>;
  params?: Record<string, ParamSpec>;
  /** false: never answered from the response cache (the answer is the user's own). */
  cache?: boolean;
  /** A write route whose failed answers wrote nothing the reads show (a failed sign-in): kept answers stay. */
  keepsCacheOnFailure?: boolean;
  /** The request body, for the OpenAPI document (JSON unless contentType says otherwise). */
  body?: { schema: Record<string, unknown>; required?: boolean; contentType?: 'application/json' | 'multipart/form-data' };
  responses: Record<number, ResponseDoc>;
  /** How the route holds the warehouse lock; default: GET reads, others write. */
  lock?: 'read' | 'write' | 'none';
  /**
   * `wh` is the connection this request must use: a pooled read connection for `read` routes (no
   * lock: its own snapshot), the main connection under the write lock for `write` routes, the main
   * connection unlocked for `none` routes (which take the lock themselves).
   */
  handler: (c: Context<AppEnv>, x: { q: Params; p: Params; user: User | undefined; wh: Warehouse }) => Promise<Response>;
}


function parseOne(name: string, raw: string, spec: ParamSpec, where: string): string | number {
  switch (spec.type) {
    case 'month':
      if (!MONTH.test(raw)) throw badRequest(`${where} "${name}" must be a month YYYY-MM`, 'bad_parameter');
      return raw;
    case 'id':
      if (!ID.test(raw)) throw badRequest(`${where} "${name}" must be an id of letters, digits, _ . - (at most 64)`, 'bad_parameter');
      return raw;
    case 'int': {
      if (!/^-?\d{1,9}$/.test(raw)) throw badRequest(`${where} "${name}" must be a whole number`, 'bad_parameter');
      const n = Number(raw);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        throw badRequest(`${where} "${name}" must be between ${spec.min ?? '…'} and ${spec.max ?? '…'}`, 'bad_parameter');
      }
      return n;
    }
    case 'enum':
      if (!spec.values!.includes(raw)) throw badRequest(`${where} "${name}" must be one of ${spec.values!.join(', ')}`, 'bad_parameter');
      return raw;
    case 'text':
      if (raw.length > (spec.max ?? 200)) throw badRequest(`${where} "${name}" is too long`, 'bad_parameter');
      return raw;
  }
}

export function parseQuery(c: Context, specs: Record<string, ParamSpec> = {}): Params {
  const url = new URL(c.req.url);
  const out: Params = {};
  for (const name of new Set(url.searchParams.keys())) {
    if (!(name in specs)) throw badRequest(`unknown query parameter "${name}"; allowed: ${Object.keys(specs).join(', ') || 'none'}`, 'bad_parameter');
    if (url.searchParams.getAll(name).length > 1) throw badRequest(`query parameter "${name}" given more than once`, 'bad_parameter');
  }
  for (const [name, spec] of Object.entries(specs)) {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === '') {
      if (spec.required) throw badRequest(`query parameter "${name}" is required`, 'missing_parameter');
      out[name] = spec.default;
      continue;
    }
    out[name] = parseOne(name, raw, spec, 'query parameter');
  }
  return out;
}

export function parsePathParams(c: Context, specs: Record<string, ParamSpec> = {}): Params {
  const out: Params = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = parseOne(name, c.req.param(name) ?? '', spec, 'path parameter');
  return out;
}

/** The JSON object of a request body: 415 without a JSON content type, 400 when malformed. */
export async function readJson(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as JSON with Content-Type: application/json');
  }
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('the request body is not valid JSON', 'malformed_json');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the request body must be a JSON object', 'bad_body');
  return body as Record<string, unknown>;
}

/** Hono path → OpenAPI path: /api/months/:month/close → /api/months/{month}/close */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}
