import type { AddressInfo } from 'node:net';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ScimError } from '../errors.ts';
import { migrate } from '../store/db.ts';
import { seedDemo } from './demo.ts';
import { EndUserSessions } from './end-users.ts';
import { ProductError } from './errors.ts';
import { MailSender } from './mail/sender.ts';
import { PRODUCT_MIGRATIONS } from './migrations.ts';
import { Operator } from './operator.ts';
import { listenToScim } from './scim-listeners.ts';
import { ProductService, type ServiceConfig } from './service.ts';
import { adminApi } from './web/api.ts';
import { csrfGuard, resolvePrincipal } from './web/auth.ts';
import { productSecurity } from './web/headers.ts';
import { consoleErrorPage, consoleRoutes } from './web/console.ts';
import { signinRoutes } from './web/signin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The product's service layer (accounts, admins, SSO, tokens, users, outbox, audit). */
    product: ProductService;
    /** End-user sessions of the app (sign-in through SSO). */
    endUserSessions: EndUserSessions;
    /** Background delivery of the outbox (to each account's relay, else to `--smtp`). */
    mailSender: MailSender;
  }
}

/**
 * Adds the SaaS app around SCIM to a built app: the product's tables, its service (decorated on the root, so
 * `serve --demo` and tests reach it), and an encapsulated plugin with the console, the admin API and the sign-in.
 */
export function registerProduct(
  app: FastifyInstance,
  createService: (store: FastifyInstance['store'], config: ServiceConfig) => ProductService = (store, config) => new ProductService(store, config),
): void {
  const options = app.serverOptions;
  migrate(app.store.db, PRODUCT_MIGRATIONS);

  const baseUrl = (): string => {
    if (options.publicUrl) return options.publicUrl.replace(/\/+$/, '');
    const address = app.server.address() as AddressInfo | null;
    if (address && typeof address === 'object') {
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${host}:${address.port}`;
    }
    return 'http://localhost';
  };
  const secureCookies = () => baseUrl().startsWith('https:');

  const service = createService(app.store, { productName: options.productName, baseUrl });
  const sessions = new EndUserSessions(app.store.db);
  const operator = new Operator(service);
  // Always there: an account may have a relay of its own (operator API) even when the server has no `--smtp`.
  const sender = new MailSender(service.outbox, {
    smtp: options.smtp,
    relayFor: (accountId) => operator.relays.get(accountId),
    from: `"${options.productName}" <no-reply@scimulator.invalid>`,
    log: app.log,
  });
  service.onMailQueued = () => sender.kick();
  service.onUserLockedOut = (accountId, userId) => sessions.endAllFor(accountId, userId);

  app.decorate('product', service);
  app.decorate('endUserSessions', sessions);
  app.decorate('mailSender', sender);
  app.demoExtensions.push((demo) =>
    seedDemo(service, demo, { ssoIssuer: options.ssoIssuer, ssoClientId: options.ssoClientId, ssoClientSecret: options.ssoClientSecret }),
  );

  listenToScim(app.scimEvents, service, sessions, app.log);
  app.addHook('onReady', async () => sender.start());
  app.addHook('onClose', async () => sender.stop());

  app.register(async (scope) => {
    await productSecurity(scope, { https: (options.publicUrl ?? '').startsWith('https:') });
    await scope.register(fastifyCookie);
    await scope.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
    await scope.register(fastifyCsrf, { sessionPlugin: '@fastify/session', logLevel: 'debug' });
    scope.decorateRequest('adminPrincipal', null);
    scope.decorateRequest('adminAuth', null);
    scope.decorateRequest('adminOperator', false);
    scope.decorateRequest('consoleSessionId', null);
    scope.decorateRequest('session', null);
    scope.addHook('onRequest', resolvePrincipal(service));
    scope.addHook('preHandler', csrfGuard(scope.csrfProtection));

    scope.setErrorHandler((error: FastifyError | ProductError | ScimError, req, reply) => {
      const { status, code, message } = describeError(error);
      if (status >= 500) req.log.error({ err: error }, 'product request failed');
      const wantsHtml = req.url.startsWith('/console') || req.url.startsWith('/signin') || req.url.startsWith('/app');
      reply.header('cache-control', 'no-store');
      if (wantsHtml)
        return reply
          .code(status)
          .type('text/html; charset=utf-8')
          .send(consoleErrorPage(options.productName, status, message).value);
      return reply.code(status).send({ error: code, message });
    });

    await scope.register(adminApi, { service, operator, secureCookies });
    await scope.register(consoleRoutes, { service, secureCookies, smtpConfigured: (accountId) => sender.destination(accountId) !== undefined });
    await scope.register(signinRoutes, { service, sessions, secureCookies });
  });
}

/** Maps anything thrown in a product route to the API's `{error, message}` (never a stack, never a secret). */
function describeError(error: FastifyError | ProductError | ScimError): { status: number; code: string; message: string } {
  if (error instanceof ProductError) return { status: error.status, code: error.code, message: error.message };
  // The store speaks SCIM errors (a userName taken by a concurrent SCIM create, a user deleted meanwhile).
  if (error instanceof ScimError) {
    if (error.status >= 500) return { status: 500, code: 'internal_error', message: 'The server could not complete the request' };
    const code = error.status === 409 ? 'conflict' : error.status === 404 ? 'not_found' : 'invalid_request';
    return { status: error.status, code, message: error.message };
  }
  if (error.code?.startsWith('FST_CSRF_')) {
    return {
      status: 403,
      code: 'csrf_invalid',
      message: 'Missing or invalid CSRF token: reload the page, or send the x-csrf-token header from POST /api/v1/session',
    };
  }
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 413) return { status, code: 'payload_too_large', message: 'The request body is too large' };
  if (status === 415) return { status, code: 'unsupported_media_type', message: 'Send JSON (application/json) or a form' };
  if (status < 500) return { status, code: 'invalid_request', message: error.message };
  return { status, code: 'internal_error', message: 'The server could not complete the request' };
}
