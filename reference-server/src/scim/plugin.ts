import type { FastifyInstance } from 'fastify';
import { ScimError } from '../errors.ts';
import { authenticate } from './auth.ts';
import type { ScimDeps } from './deps.ts';
import { CAPABILITIES, discoveryRoutes } from './discovery.ts';
import { groupRoutes, groupsLister } from './groups.ts';
import { methodNotAllowed, registerScimBodyParsers, SCIM_CONTENT_TYPE, sendScimError, toScimError } from './http.ts';
import { patchRoutes } from './patch.ts';
import { bulkRoutes } from './bulk.ts';
import { readListQuery, readSearchBody, runRootSearch } from './search.ts';
import { scimRateLimit } from './rate-limit.ts';
import { userRoutes, usersLister } from './users.ts';

/** Routes of one account's SCIM base and the methods each answers; everything else on them is 405. */
const ROUTES: [string, string[]][] = [
  ['/Users', ['GET', 'POST']],
  ['/Users/.search', ['POST']],
  ['/Users/:id', ['GET', 'PUT', 'PATCH', 'DELETE']],
  ['/Groups', ['GET', 'POST']],
  ['/Groups/.search', ['POST']],
  ['/Groups/:id', ['GET', 'PUT', 'PATCH', 'DELETE']],
  ['/ServiceProviderConfig', ['GET']],
  ['/ResourceTypes', ['GET']],
  ['/ResourceTypes/:name', ['GET']],
  ['/Schemas', ['GET']],
  ['/Schemas/:urn', ['GET']],
  ['/.search', ['POST']],
  ['/Bulk', ['POST']],
];

const WRITES = new Set(['POST', 'PUT', 'PATCH']);
const RESOURCE_ROUTE = /\/(Users|Groups)(\/:id)?$/;

/**
 * The SCIM service, registered under `/scim/v2`: every route lives below `/:accountId`, every request is
 * authenticated first (unknown routes too), and every answer is `application/scim+json`, errors included.
 */
export async function scimPlugin(scope: FastifyInstance, deps: ScimDeps): Promise<void> {
  registerScimBodyParsers(scope);
  if (deps.options.scimRateLimit) await scimRateLimit(scope, deps.options.scimRateLimit);
  scope.decorateRequest('scim', null);

  scope.addHook('onRequest', async (request) => {
    request.scim = authenticate(deps.store, deps.options.publicUrl, request);
  });
  deps.seams.hooks?.(scope);
  // Writes answer with the resource projected by ?attributes= (RFC 7644 §3.9): a bad query is refused before the
  // write, or the request would answer 400 after creating or changing the resource.
  scope.addHook('preHandler', async (request) => {
    if (WRITES.has(request.method) && RESOURCE_ROUTE.test(request.routeOptions.url ?? '')) readListQuery(request);
  });
  scope.addHook('onSend', async (_request, reply, payload) => {
    if (payload !== null && payload !== undefined && reply.statusCode !== 204 && reply.statusCode !== 304) reply.type(SCIM_CONTENT_TYPE);
    return payload;
  });
  scope.setErrorHandler(async (err, request, reply) => {
    const scimErr = toScimError(err);
    // Only our own faults are errors worth a stack; answers a client caused (and /Me's expected 501) are debug lines.
    if (scimErr.status >= 500 && scimErr.code !== 'notImplemented') request.log.error({ err }, 'SCIM request failed');
    else request.log.debug({ status: scimErr.status, scimType: scimErr.scimType, detail: scimErr.message }, 'SCIM error answered');
    return sendScimError(reply, scimErr);
  });
  scope.setNotFoundHandler(async (request) => {
    throw new ScimError('notFound', `no SCIM endpoint ${request.method} ${request.url.split('?')[0]}`);
  });

  await scope.register(
    async (account) => {
      userRoutes(account, deps);
      groupRoutes(account, deps);
      patchRoutes(account, deps);
      bulkRoutes(account, deps);
      discoveryRoutes(account, deps, CAPABILITIES);
      const listers = [usersLister(deps), groupsLister(deps)];
      account.post('/.search', async (request) => runRootSearch(deps, listers, request.scim!, readSearchBody(request.body)));
      account.all('/Me', async () => {
        throw new ScimError('notImplemented', '/Me is not supported: SCIM tokens belong to an account, not to a person');
      });
      for (const [url, methods] of ROUTES) methodNotAllowed(account, url, methods);
    },
    { prefix: '/:accountId' },
  );
}
