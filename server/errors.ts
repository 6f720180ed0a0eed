/**
 * Every error the API answers is JSON `{error: {code, message}}` (plus `problems` when a request is
 * refused for several reasons). The server's own refusals (sign-in, roles, parameters, sizes) are
 * ApiErrors with their status; a pipeline's refusal is a DomainError, whose kind is mapped to a
 * status here and only here (KIND_STATUS).
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type ErrorKind } from '../pipelines/errors.ts';
import { WarehouseClosingError } from '../pipelines/warehouse/warehouse.ts';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'bad_request') => new ApiError(400, code, message);
export const forbidden = (message = 'your role may not do this', code = 'forbidden') => new ApiError(403, code, message);
export const notFound = (message = 'not found') => new ApiError(404, 'not_found', message);

export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

/** The HTTP status of each kind of pipeline refusal (pipelines/errors.ts). */
export const KIND_STATUS: Record<ErrorKind, ContentfulStatusCode> = {
  invalid: 400, // the request itself is malformed
  not_found: 404, // it names something that is not there
  conflict: 409, // the state does not allow it now (a closed month, a concurrent write …)
  refused: 422, // well-formed, but against a rule (a split that does not add up, a file the ingestion refuses)
};

export function toResponse(err: unknown, c: Context): Response {
  if (err instanceof ApiError) {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json(errorBody(err.code, err.message, err.extra), err.status);
  }
  if (err instanceof DomainError) {
    const extra = { ...err.details, ...(err.problems && { problems: err.problems }) };
    return c.json(errorBody(err.code, err.message, extra), KIND_STATUS[err.kind]);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code = status === 413 ? 'payload_too_large' : status === 400 ? 'bad_request' : `http_${status}`;
    return c.json(errorBody(code, status === 413 ? 'request body too large' : err.message || 'request refused'), status);
  }
  // A shutdown cancelled the request's queries (server/main.ts): nothing of it was stored.
  if (err instanceof WarehouseClosingError || (err instanceof Error && /^INTERRUPT Error/.test(err.message))) {
    c.header('Retry-After', '10');
    return c.json(errorBody('shutting_down', 'the server is restarting; nothing of this request was stored — send it again in a moment'), 503);
  }
  // Unexpected: log it on the server, tell the client nothing about the internals.
  console.error(`[server] ${c.req.method} ${c.req.path}:`, err);
  return c.json(errorBody('internal', 'internal server error'), 500);
}
