import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProductError } from '../errors.ts';
import type { Principal, ProductService } from '../service.ts';

export const CONSOLE_COOKIE = 'scimulator_console';
export const APP_COOKIE = 'scimulator_app';

declare module 'fastify' {
  interface FastifyRequest {
    /** The admin (console session or admin API key) this request acts as, or null. */
    adminPrincipal: Principal | null;
    /** How the principal authenticated: only cookie sessions need a CSRF token. */
    adminAuth: 'session' | 'api-key' | null;
    /** True only for an operator admin API key (`serve --demo`'s); a console session is never operator. */
    adminOperator: boolean;
    consoleSessionId: string | null;
    /** Read by @fastify/csrf-protection (its session mode): the CSRF secret of the console session. */
    session: { _csrf?: string } | null;
  }
}

/** `Authorization: Bearer <admin API key>` or the console session cookie; either yields a principal. */
export function resolvePrincipal(service: ProductService) {
  return async function onRequest(req: FastifyRequest): Promise<void> {
    const auth = req.headers.authorization;
    if (auth !== undefined && /^bearer\s/i.test(auth)) {
      const key = service.admins.apiKey(auth.slice(7).trim());
      if (!key) throw new ProductError('unauthenticated', 'The admin API key is not valid (unknown or revoked)');
      req.adminPrincipal = { accountId: key.accountId, role: key.role, actor: { kind: 'api-key', label: `${key.name} (${key.id})` } };
      req.adminAuth = 'api-key';
      req.adminOperator = key.operator;
      return;
    }
    const sid = req.cookies[CONSOLE_COOKIE];
    if (!sid) return;
    const session = service.admins.session(sid);
    if (!session) return;
    req.consoleSessionId = sid;
    req.session = { _csrf: session.csrfSecret };
    req.adminPrincipal = { accountId: session.user.accountId, role: session.user.role, actor: { kind: 'admin', label: session.user.email } };
    req.adminAuth = 'session';
  };
}

export function requirePrincipal(req: FastifyRequest): Principal {
  if (!req.adminPrincipal) throw new ProductError('unauthenticated', 'Sign in first (console session) or send an admin API key');
  return req.adminPrincipal;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF for cookie-authenticated state changes (forms send `_csrf`, scripts the `x-csrf-token` header). API keys are
 * not sent by browsers on their own, so they need no token.
 */
export function csrfGuard(check: (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void) {
  return function preHandler(req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void {
    if (SAFE_METHODS.has(req.method) || req.adminAuth === 'api-key') return done();
    // Browsers name the page a form was posted from; another site's page is refused even before a session exists
    // (this is what protects the sign-in form, which has no session to bind a token to).
    if (!sameOrigin(req)) return done(new ProductError('csrf_invalid', 'Cross-site request refused'));
    if (req.adminAuth !== 'session') return done();
    check.call(req.server, req, reply, done);
  };
}

function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (!URL.canParse(origin)) return false;
  return new URL(origin).host === req.host;
}
