import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ScimError } from '../errors.ts';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from '../protocol/json-depth.ts';

/** Every SCIM answer, errors included, carries this media type (RFC 7644 §8.1; Entra insists on it). */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

const FASTIFY_CODES: Record<string, (err: FastifyError) => ScimError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => new ScimError('invalidSyntax', 'the request body is not valid JSON (or uses a forbidden key such as __proto__)'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new ScimError('invalidSyntax', 'the request body is empty'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => new ScimError('payloadTooLarge', 'the request body is larger than this server accepts'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new ScimError('unsupportedMediaType', 'send application/scim+json or application/json (charset utf-8)'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new ScimError('invalidSyntax', 'the body size does not match Content-Length'),
  FST_ERR_VALIDATION: (err) => new ScimError('invalidValue', err.message),
};

/** Turns anything thrown while serving a SCIM request into a SCIM error; only our own faults become 5xx. */
export function toScimError(err: unknown): ScimError {
  if (err instanceof ScimError) return err;
  const fe = err as FastifyError;
  const mapped = fe?.code ? FASTIFY_CODES[fe.code] : undefined;
  if (mapped) return mapped(fe);
  // A row this request writes lost its parent meanwhile: the account (operator API) or a group was deleted while the
  // request waited (a password hash, say). Not our fault and not a retryable 5xx: the thing is gone.
  if (fe?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
    return new ScimError('notFound', 'the account or resource this request writes to was deleted while it was being served');
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  if (status === 413) return new ScimError('payloadTooLarge', 'the request body is too large');
  if (status === 415) return new ScimError('unsupportedMediaType', 'unsupported media type');
  if (status >= 400 && status < 500) return new ScimError('invalidSyntax', fe.message || 'bad request');
  return new ScimError('internal', 'internal server error');
}

export function sendScimError(reply: FastifyReply, err: ScimError): FastifyReply {
  return reply.code(err.status).headers(err.headers).type(SCIM_CONTENT_TYPE).send(err.toBody());
}

/**
 * JSON bodies under both SCIM media types, with or without `charset=utf-8`; prototype-poisoning keys are refused.
 * Other media types get 415 from Fastify; requests without a body need no Content-Type.
 */
const BODILESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

export function registerScimBodyParsers(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  const json = scope.getDefaultJsonParser('error', 'error');
  scope.addContentTypeParser(['application/scim+json', 'application/json'], { parseAs: 'string' }, (req, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^;"\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
    if (charset && !/^utf-?8$/i.test(charset)) {
      done(new ScimError('unsupportedMediaType', `charset ${charset} is not supported; send utf-8`), undefined);
      return;
    }
    // Some clients label bodiless GETs and DELETEs with a JSON Content-Type (SailPoint-style connectors do):
    // there is nothing to parse, so that is not a syntax error.
    if (body === '' && BODILESS_METHODS.has(req.method)) {
      done(null, undefined);
      return;
    }
    // The one depth check for every SCIM JSON body (Bulk operations come back through here too), before any handler.
    if (jsonNestsDeeperThan(body as string)) {
      done(new ScimError('invalidSyntax', `the request body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    json(req, body as string, done);
  });
}

export const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Known routes answer other methods with 405 and an Allow header instead of a bare 404. */
export function methodNotAllowed(scope: FastifyInstance, url: string, allowed: readonly string[]): void {
  const others = ALL_METHODS.filter((m) => !allowed.includes(m) && !(m === 'OPTIONS' && allowed.includes('OPTIONS')));
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])].join(', ');
  scope.route({
    method: others,
    url,
    handler: async () => {
      throw new ScimError('methodNotAllowed', `this endpoint supports ${allow}`, { allow });
    },
  });
}

/** One string query parameter, or undefined; a repeated parameter is a client error. */
export function queryParam(request: FastifyRequest, name: string): string | undefined {
  const query = request.query as Record<string, unknown> | undefined;
  if (!query) return undefined;
  const key = Object.keys(query).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) return undefined;
  const value = query[key];
  if (typeof value === 'string') return value;
  throw new ScimError('invalidValue', `query parameter ${name} was given more than once`);
}
