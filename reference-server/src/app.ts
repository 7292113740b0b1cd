import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { DestinationStream } from 'pino';
import { parseServerOptions, type ServerOptions, type ServerOptionsInput } from './config.ts';
import type { Defects } from './defects/index.ts';
import { productService } from './defects/product.ts';
import { scimSeams } from './defects/scim.ts';
import { ScimError } from './errors.ts';
import { createLogger } from './logger.ts';
import type { ScimDeps } from './scim/deps.ts';
import { ScimEvents } from './scim/events.ts';
import { scimClientErrorHandler } from './scim/client-errors.ts';
import { sendScimError } from './scim/http.ts';
import { scimPlugin } from './scim/plugin.ts';
import { openStore, type Db, type Store } from './store/index.ts';
import { registerProduct } from './product/plugin.ts';

/** Extra ready-line fields `serve --demo` adds (the product adds its admins here); called by cli/commands/serve.ts. */
export type DemoExtension = (demo: { accountId: string; url: string }) => Record<string, unknown> | Promise<Record<string, unknown>>;

declare module 'fastify' {
  interface FastifyInstance {
    serverOptions: ServerOptions;
    store: Store;
    db: Db;
    scimEvents: ScimEvents;
    defects: Defects;
    demoExtensions: DemoExtension[];
  }
}

/**
 * Builds the reference server and never listens: tests use `app.inject()`, `scimulator serve` listens.
 * The product plugin registers here and reaches the store, token functions and SCIM events through the decorations.
 */
export function buildApp(input: ServerOptionsInput = {}, runtime: { logDestination?: DestinationStream } = {}): FastifyInstance {
  const options = parseServerOptions(input);
  const logger = createLogger(options.logLevel, runtime.logDestination) as FastifyBaseLogger;
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the app typed as a plain FastifyInstance for plugins.
    loggerInstance: logger,
    bodyLimit: options.bodyLimit,
    return503OnClosing: true,
    // Bounded in time (docs/hardening.md): Node checks the request and headers timeouts every second.
    requestTimeout: options.requestTimeoutMs,
    connectionTimeout: options.connectionTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    http: { headersTimeout: options.headersTimeoutMs, requestTimeout: options.requestTimeoutMs, connectionsCheckingInterval: 1000 },
    clientErrorHandler: scimClientErrorHandler(logger),
    // Errors the router raises before any route or hook runs: SCIM clients still get SCIM errors, never Fastify's.
    frameworkErrors: (error, request, reply) => {
      const err =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new ScimError('notFound', 'no resource at this path: the id is longer than any this server issues')
          : new ScimError('badRequest', 'the request URL is malformed (bad percent-encoding)');
      const out = reply as unknown as FastifyReply;
      if (request.url.startsWith('/scim/')) return void sendScimError(out, err);
      void out.code(err.status).send({ error: err.status === 404 ? 'not_found' : 'bad_request', message: err.message });
    },
  });
  const store = openStore(options.db, [], { groupCommit: true });
  const defects: Defects = new Set(options.defects);
  const scimEvents = new ScimEvents(app.log, (fn) => store.tx(fn));
  if (defects.size > 0) app.log.warn({ defects: [...defects] }, 'deliberate defects are switched on');

  app.decorate('serverOptions', options);
  app.decorate('store', store);
  app.decorate('db', store.db);
  app.decorate('scimEvents', scimEvents);
  app.decorate('defects', defects);
  app.decorate('demoExtensions', [] as DemoExtension[]);
  app.addHook('onClose', async () => store.close());
  // Group commit (store/commit.ts): no answer leaves before the writes it may reflect are committed.
  app.addHook('onSend', (_request, _reply, payload, done) => {
    const pending = store.durable();
    if (!pending) return done(null, payload);
    pending.then(() => done(null, payload), done);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  const deps: ScimDeps = {
    store,
    events: scimEvents,
    seams: scimSeams(defects),
    options,
    capabilities: { bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 } },
  };
  app.register(scimPlugin, { prefix: '/scim/v2', ...deps });
  // The SaaS app around SCIM: console, admin API, SSO sign-in, emails, audit (reference-server/src/product).
  registerProduct(app, productService(defects, scimEvents));

  app.setNotFoundHandler(async (request, reply) => {
    const message = `no route ${request.method} ${request.url.split('?')[0]}`;
    // Below /scim/ but outside an account's base (`/scim/v2`, `/scim/v1/...`): still a SCIM client, still a SCIM error.
    if (request.url === '/scim' || request.url.startsWith('/scim/')) return sendScimError(reply, new ScimError('notFound', message));
    return reply.code(404).send({ error: 'not_found', message });
  });
  return app;
}
