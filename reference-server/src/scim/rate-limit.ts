import { createHash } from 'node:crypto';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { ScimError } from '../errors.ts';

/**
 * Optional SCIM rate limit (`serve --scim-rate-limit N`): N requests per minute per bearer credential (per client
 * address without one), beyond that 429 Too Many Requests (RFC 6585 §4) with Retry-After and a SCIM error body. Requests the server makes to itself (each Bulk operation runs as one) are not counted:
 * the Bulk request was.
 */
export async function scimRateLimit(scope: FastifyInstance, perMinute: number): Promise<void> {
  await scope.register(fastifyRateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    hook: 'onRequest',
    // light-my-request marks in-process requests; real clients come over a socket.
    allowList: (req) => req.raw.socket?.constructor?.name === 'MockSocket',
    // The key is a digest: the store never holds a usable token.
    keyGenerator: (req) => {
      const auth = req.headers.authorization;
      return auth ? `t:${createHash('sha256').update(auth).digest('base64url')}` : `ip:${req.ip}`;
    },
    errorResponseBuilder: (_req, ctx) =>
      new ScimError('tooManyRequests', `more than ${ctx.max} requests a minute with this token: retry in ${ctx.after}`, {
        'retry-after': String(Math.max(1, Math.ceil(ctx.ttl / 1000))),
      }),
  });
}
