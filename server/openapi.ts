/** The OpenAPI 3.1 description, generated from the same route declarations that serve requests. */
import { openApiPath, type ParamSpec, type RouteDef } from './http.ts';

function schemaOf(p: ParamSpec): Record<string, unknown> {
  switch (p.type) {
    case 'month': return { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', examples: ['2025-05'] };
    case 'id': return { type: 'string', pattern: '^[\\p{L}\\p{N}_.-]{1,64}$' };
    case 'int': return { type: 'integer', ...(p.min !== undefined ? { minimum: p.min } : {}), ...(p.max !== undefined ? { maximum: p.max } : {}), ...(p.default !== undefined ? { default: p.default } : {}) };
    case 'enum': return { type: 'string', enum: p.values, ...(p.default !== undefined ? { default: p.default } : {}) };
    case 'text': return { type: 'string', maxLength: p.max ?? 200 };
  }
}

export function buildOpenApi(routes: RouteDef[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const access = r.access === 'public' ? 'anyone' : r.access === 'signed_in' ? 'any signed-in user' : r.access.join(', ');
    const parameters = [
      ...Object.entries(r.params ?? {}).map(([name, p]) => ({ name, in: 'path', required: true, description: p.description, schema: schemaOf(p) })),
      ...Object.entries(r.query ?? {}).map(([name, p]) => ({ name, in: 'query', required: !!p.required, description: p.description, schema: schemaOf(p) })),
    ];
    const mutating = r.method !== 'GET' && !(r.method === 'POST' && r.path === '/api/session');
    if (mutating) parameters.push({ name: 'X-CSRF-Token', in: 'header', required: true, description: 'the csrf token of the session', schema: { type: 'string' } });
    const op: Record<string, unknown> = {
      operationId: `${r.method.toLowerCase()}${openApiPath(r.path).replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
      summary: r.summary,
      description: `Allowed: ${access}.${r.notes ? ` ${r.notes}` : ''}`,
      tags: [r.tag],
      'x-roles': r.access,
      parameters,
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([status, doc]) => [
          status,
          doc.schema || doc.contentType
            ? { description: doc.description, content: { [doc.contentType ?? 'application/json']: { schema: doc.schema ?? { type: 'string' } } } }
            : { description: doc.description },
        ]),
      ),
      security: r.access === 'public' ? [] : [{ session: [] }],
    };
    if (r.body) op.requestBody = { required: r.body.required ?? true, content: { [r.body.contentType ?? 'application/json']: { schema: r.body.schema } } };
    (paths[openApiPath(r.path)] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '售后服务质量监督与考核 · After-sales service quality supervision API',
      version: '0.1.0',
      description: 'Figures carry the names of SPEC §6. Errors are {error: {code, message}}. See docs/server.md.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'aftersales_session' } },
      schemas: {
        Error: {
          type: 'object', required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, problems: { type: 'array' } } } },
        },
      },
    },
  };
}
