/** This API's own description (OpenAPI 3.1), built once from the route table by createApp. */
import type { RouteDef } from '../http.ts';
import { json, type RouteDeps } from './kit.ts';

export function metaRoutes(d: RouteDeps): RouteDef[] {
  return [
    {
      method: 'GET', path: '/api/openapi.json', tag: 'meta', access: 'public', lock: 'none',
      summary: 'This API as OpenAPI 3.1',
      responses: { 200: json('the OpenAPI document') },
      async handler(c, { wh }) {
        return c.json(d.openapi());
      },
    },
  ];
}
