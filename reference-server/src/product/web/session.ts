import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleUser } from '../admins.ts';
import type { ProductService } from '../service.ts';
import { CONSOLE_COOKIE } from './auth.ts';

/**
 * Signs an admin in: a fresh CSRF secret (made by @fastify/csrf-protection into `req.session`), a session row keyed by
 * the hash of a random id, and an httpOnly SameSite=Strict cookie carrying that id. Returns a CSRF token for scripts.
 */
export function startConsoleSession(
  service: ProductService,
  req: FastifyRequest,
  reply: FastifyReply,
  admin: ConsoleUser,
  secure: boolean,
): { csrfToken: string } {
  if (req.consoleSessionId) service.admins.endSession(req.consoleSessionId);
  req.session = {};
  const csrfToken = reply.generateCsrf();
  const { sessionId, expires } = service.admins.startSession(admin.id, req.session._csrf!);
  reply.setCookie(CONSOLE_COOKIE, sessionId, { path: '/', httpOnly: true, sameSite: 'strict', secure, expires });
  service.audit.record(admin.accountId, { kind: 'admin', label: admin.email }, 'console.signed-in');
  return { csrfToken };
}
