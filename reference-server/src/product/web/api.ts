import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ProductError } from '../errors.ts';
import type { Operator } from '../operator.ts';
import type { ProductService } from '../service.ts';
import { CONSOLE_COOKIE, requirePrincipal } from './auth.ts';
import { startConsoleSession } from './session.ts';

const credentials = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }).strict();
const idParam = z.object({ id: z.string().min(1).max(200) });

function params(input: unknown): { id: string } {
  const r = idParam.safeParse(input);
  if (!r.success) throw new ProductError('invalid_request', 'a resource id is required in the path');
  return r.data;
}

/**
 * The admin JSON API (`/api/v1/`): one route per console action, each a thin call into the service, so the console
 * and scripts obey the same rules. Authentication: the console session cookie plus `x-csrf-token`, or an API key.
 */
export async function adminApi(app: FastifyInstance, opts: { service: ProductService; operator: Operator; secureCookies: () => boolean }): Promise<void> {
  const { service, operator } = opts;

  app.post('/api/v1/session', async (req, reply) => {
    const parsed = credentials.safeParse(req.body ?? {});
    if (!parsed.success) throw new ProductError('invalid_request', 'send {"email": "...", "password": "..."}');
    const admin = await service.admins.authenticate(parsed.data.email, parsed.data.password);
    if (!admin) {
      service.recordFailedSignIn(parsed.data.email);
      throw new ProductError('unauthenticated', 'Email or password is incorrect');
    }
    const { csrfToken } = startConsoleSession(service, req, reply, admin, opts.secureCookies());
    return { csrfToken, admin: { email: admin.email, name: admin.name, role: admin.role, accountId: admin.accountId } };
  });

  app.get('/api/v1/session', async (req, reply) => {
    const p = requirePrincipal(req);
    const csrfToken = req.adminAuth === 'session' ? reply.generateCsrf() : null;
    return { accountId: p.accountId, role: p.role, actor: p.actor.label, csrfToken };
  });

  app.delete('/api/v1/session', async (req, reply) => {
    requirePrincipal(req);
    if (req.consoleSessionId) service.admins.endSession(req.consoleSessionId);
    reply.clearCookie(CONSOLE_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/v1/whoami', async (req) => {
    const p = requirePrincipal(req);
    return { accountId: p.accountId, principal: req.adminAuth, role: p.role, operator: req.adminOperator };
  });

  // Operator API (operator.ts): whole accounts, for harnesses against `serve --demo`.
  app.get('/api/v1/accounts', async (req) => operator.listAccounts({ principal: requirePrincipal(req), operator: req.adminOperator }, req.query));
  app.post('/api/v1/accounts', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return reply.code(201).send(operator.createAccount({ principal: requirePrincipal(req), operator: req.adminOperator }, req.body));
  });
  app.delete('/api/v1/accounts/:id', async (req, reply) => {
    operator.deleteAccount({ principal: requirePrincipal(req), operator: req.adminOperator }, params(req.params).id);
    return reply.code(204).send();
  });

  app.get('/api/v1/account', async (req) => service.overview(requirePrincipal(req)));

  app.get('/api/v1/sso', async (req) => {
    const o = service.overview(requirePrincipal(req));
    return { state: o.ssoState, settings: o.sso };
  });
  app.put('/api/v1/sso', async (req) => service.saveSso(requirePrincipal(req), req.body));
  app.delete('/api/v1/sso', async (req) => service.clearSso(requirePrincipal(req)));
  app.post('/api/v1/sso/activate', async (req) => service.activateSso(requirePrincipal(req)));
  app.post('/api/v1/sso/deactivate', async (req) => service.deactivateSso(requirePrincipal(req)));
  app.put('/api/v1/sso/state', async (req) => service.setSsoState(requirePrincipal(req), req.body));

  app.post('/api/v1/scim-token', async (req, reply) => {
    const issued = service.generateScimToken(requirePrincipal(req));
    reply.header('cache-control', 'no-store');
    return reply.code(201).send(issued);
  });
  app.delete('/api/v1/scim-token', async (req, reply) => {
    service.revokeScimToken(requirePrincipal(req));
    return reply.code(204).send();
  });

  app.get('/api/v1/users', async (req) => {
    const p = requirePrincipal(req);
    const { userName, ...page } = (req.query ?? {}) as Record<string, unknown>;
    // A lookup by userName is a filter: no match is an empty list (the Users tab simply does not show them).
    if (typeof userName === 'string' && userName !== '') return { users: service.usersNamed(p, userName) };
    return { ...service.users(p, page), warning: service.manualChangeWarning(p.accountId) };
  });
  app.get('/api/v1/users/:id', async (req) => service.user(requirePrincipal(req), params(req.params).id));
  app.post('/api/v1/users', async (req, reply) => reply.code(201).send(service.addUser(requirePrincipal(req), req.body)));
  app.post('/api/v1/users/:id/disable', async (req) => service.setUserActive(requirePrincipal(req), params(req.params).id, false));
  app.post('/api/v1/users/:id/enable', async (req) => service.setUserActive(requirePrincipal(req), params(req.params).id, true));
  app.delete('/api/v1/users/:id', async (req) => service.deleteUser(requirePrincipal(req), params(req.params).id));

  app.get('/api/v1/regions', async (req) => ({ regions: service.regions(requirePrincipal(req)) }));
  app.get('/api/v1/outbox', async (req) => ({ messages: service.outboxMessages(requirePrincipal(req)) }));
  app.get('/api/v1/audit', async (req) => ({ entries: service.auditEntries(requirePrincipal(req)) }));

  app.get('/api/v1/admins', async (req) => ({ admins: service.consoleAdmins(requirePrincipal(req)) }));
  app.post('/api/v1/admins', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return reply.code(201).send(await service.addAdmin(requirePrincipal(req), req.body));
  });
  app.get('/api/v1/api-keys', async (req) => ({ apiKeys: service.apiKeys(requirePrincipal(req)) }));
  app.post('/api/v1/api-keys', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return reply.code(201).send(service.createApiKey(requirePrincipal(req), req.body));
  });
  app.delete('/api/v1/api-keys/:id', async (req, reply) => {
    service.revokeApiKey(requirePrincipal(req), params(req.params).id);
    return reply.code(204).send();
  });
}
