import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProductError } from '../errors.ts';
import { INLINE_SCRIPT_HASH } from './layout.ts';

/** Password sign-ins (console form and admin API) per client address and email per minute (docs/hardening.md). */
export const SIGNIN_ATTEMPTS_PER_MINUTE = 30;
const SIGNIN_ROUTES = new Set(['/console/signin', '/api/v1/session']);

function signinEmail(req: FastifyRequest): string {
  const body = req.body as { email?: unknown } | undefined;
  return typeof body?.email === 'string' ? body.email.trim().toLowerCase().slice(0, 320) : '';
}

/**
 * Security headers for the console, sign-in and admin API (helmet), and a sign-in rate limit. The CSP allows the
 * pages' own inline styles and their one inline script by hash; no `form-action`, since SSO sign-in is a form whose
 * answer redirects to the account's identity provider. HSTS and upgrade-insecure-requests only over https.
 */
export async function productSecurity(scope: FastifyInstance, opts: { https: boolean }): Promise<void> {
  await scope.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", INLINE_SCRIPT_HASH],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        ...(opts.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: opts.https ? { maxAge: 15_552_000, includeSubDomains: false } : false,
    // Same-origin pages only; the OIDC redirect to the IdP is a top-level navigation, which these do not restrict.
    crossOriginEmbedderPolicy: false,
  });
  await scope.register(fastifyRateLimit, {
    global: true,
    max: SIGNIN_ATTEMPTS_PER_MINUTE,
    timeWindow: 60_000,
    // The limit is for password guessing: every other route is exempt.
    allowList: (req) => !(req.method === 'POST' && SIGNIN_ROUTES.has(req.url.split('?')[0]!)),
    hook: 'preHandler',
    keyGenerator: (req) => `${req.ip}|${signinEmail(req)}`,
    errorResponseBuilder: (_req, ctx) => new ProductError('rate_limited', `Too many sign-in attempts: try again in ${ctx.after}`),
  });
}
