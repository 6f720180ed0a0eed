/**
 * Every error the API answers is JSON `{error: {code, message}}` (plus `problems` when a request is
 * refused for several reasons). Handlers throw ApiError; pipeline errors are mapped here.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AssessmentError } from '../pipelines/assessment/index.ts';
import { IngestError } from '../pipelines/ingest/errors.ts';

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

// AssessmentError codes that describe the request itself (400) or the month's state (409);
// the rest are rule violations of an otherwise well-formed request (422).
const ASSESSMENT_400 = new Set(['bad_month', 'no_parts', 'reason_required', 'by_required', 'team_id_required']);
const ASSESSMENT_409 = new Set(['month_closed', 'already_closed', 'not_closed', 'models_stale', 'no_models']);
const ASSESSMENT_404 = new Set(['no_assessment', 'no_unit', 'no_override']);

export function toResponse(err: unknown, c: Context): Response {
  if (err instanceof ApiError) {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json(errorBody(err.code, err.message, err.extra), err.status);
  }
  if (err instanceof AssessmentError) {
    const status = ASSESSMENT_400.has(err.code) ? 400 : ASSESSMENT_409.has(err.code) ? 409 : ASSESSMENT_404.has(err.code) ? 404 : 422;
    return c.json(errorBody(err.code, err.message, { problems: err.problems }), status);
  }
  if (err instanceof IngestError && /does not exist/.test(err.message)) {
    return c.json(errorBody('not_found', err.message), 404);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code = status === 413 ? 'payload_too_large' : status === 400 ? 'bad_request' : `http_${status}`;
    return c.json(errorBody(code, status === 413 ? 'request body too large' : err.message || 'request refused'), status);
  }
  // Unexpected: log it on the server, tell the client nothing about the internals.
  console.error(`[server] ${c.req.method} ${c.req.path}:`, err);
  return c.json(errorBody('internal', 'internal server error'), 500);
}
