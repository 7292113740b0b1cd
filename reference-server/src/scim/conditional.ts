import type { FastifyRequest } from 'fastify';
import { ScimError } from '../errors.ts';
import { etagOf } from './representation.ts';

/** Entity tags of an If-Match / If-None-Match header; `*` matches any existing version. Weak comparison (RFC 9110 §8.8.3.2). */
function tags(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => t.replace(/^W\//, ''));
}

function matches(header: string, version: number): boolean {
  const current = etagOf(version).replace(/^W\//, '');
  return tags(header).some((t) => t === '*' || t === current);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** PUT, PATCH and DELETE: a stale If-Match is 412 and nothing changes (RFC 7644 §3.14). */
export function checkIfMatch(request: FastifyRequest, version: number): void {
  const ifMatch = header(request, 'if-match');
  if (ifMatch === undefined) return;
  if (tags(ifMatch).length === 0) throw new ScimError('invalidSyntax', 'If-Match must list entity tags or *');
  if (!matches(ifMatch, version)) {
    throw new ScimError('preconditionFailed', `If-Match does not match the current version ${etagOf(version)}`);
  }
}

/** GET: true when the client's copy is current, so the answer is 304 without a body. */
export function notModified(request: FastifyRequest, version: number): boolean {
  const ifNoneMatch = header(request, 'if-none-match');
  return ifNoneMatch !== undefined && matches(ifNoneMatch, version);
}
