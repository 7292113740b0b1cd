/**
 * Defects at the HTTP level: Fastify hooks on the SCIM scope that change a request before the correct route sees
 * it, or its answer after. Added right after authentication's hook (ScimSeams.hooks).
 */
import type { FastifyInstance } from 'fastify';
import { ScimError } from '../errors.ts';
import { USER } from '../scim/resource-types.ts';
import { validateResource } from '../scim/validate.ts';
import type { Defects } from './index.ts';

export function httpDefects(scope: FastifyInstance, defects: Defects): void {
  const route = (request: { routeOptions: { url?: string } }) => request.routeOptions.url ?? '';

  if (defects.has('filter-plus-not-decoded')) {
    scope.addHook('onRequest', async (request) => {
      request.query = queryWithLiteralPlus(request.raw.url ?? '');
    });
  }

  if (defects.has('create-returns-200')) {
    scope.addHook('onSend', async (request, reply, payload) => {
      if (request.method === 'POST' && reply.statusCode === 201 && /\/(Users|Groups)$/.test(route(request))) reply.code(200);
      return payload;
    });
  }

  if (defects.has('schema-by-urn-404')) {
    // The same 404 the route gives for an unknown schema.
    scope.addHook('preHandler', async (request) => {
      if ((request.method === 'GET' || request.method === 'HEAD') && route(request).endsWith('/Schemas/:urn')) {
        throw new ScimError('notFound', `no schema ${(request.params as { urn: string }).urn}`);
      }
    });
  }

  if (defects.has('put-defaults-active-false')) {
    // A valid PUT body without `active` (absent or null) gets `active: false`; an invalid one is left for the route to refuse.
    scope.addHook('preHandler', async (request) => {
      if (request.method !== 'PUT' || !route(request).endsWith('/Users/:id')) return;
      let active: unknown;
      try {
        active = validateResource(USER, request.body, 'replace').data.active;
      } catch {
        return;
      }
      if (active === undefined) request.body = { ...(request.body as Record<string, unknown>), active: false };
    });
  }
}

/**
 * `filter-plus-not-decoded`: the query string decoded with decodeURIComponent alone, so a '+' (a space in
 * application/x-www-form-urlencoded, which is how Entra writes its filters) stays a plus sign.
 */
function queryWithLiteralPlus(url: string): Record<string, string> {
  const query: Record<string, string> = {};
  const raw = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  for (const pair of raw.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    query[decode(eq < 0 ? pair : pair.slice(0, eq))] = decode(eq < 0 ? '' : pair.slice(eq + 1));
  }
  return query;
}
