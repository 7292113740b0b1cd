/**
 * POST /Bulk (RFC 7644 §3.7). Each operation runs through the same routes as a single request (an in-process
 * `inject` to the same account base with the caller's Authorization header), so Bulk can never behave differently
 * from the endpoints it batches. Operations are ordered so that `bulkId:` references, forward ones included,
 * resolve to ids created earlier in the same request; a cycle answers 409 for the operations in it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ScimError } from '../errors.ts';
import { BULK_RESPONSE_SCHEMA, BulkPlanner, parseBulkRequest, substituteRefs, type BulkOperation } from '../protocol/bulk.ts';
import type { ScimDeps } from './deps.ts';

/** Advertised in /ServiceProviderConfig and enforced here (more operations: 413). */
export const BULK_MAX_OPERATIONS = 1000;

interface OperationResult {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: unknown;
}

function errorResult(op: BulkOperation, err: ScimError): OperationResult {
  const out: OperationResult = { method: op.method, status: String(err.status), response: err.toBody() };
  if (op.bulkId !== undefined) out.bulkId = op.bulkId;
  return out;
}

function parseJson(raw: string): unknown {
  try {
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

/** The account base the Bulk request was sent to (`/scim/v2/{accountId}`), without the query string. */
function accountBase(request: FastifyRequest): string {
  return request.url.split('?')[0]!.replace(/\/Bulk\/?$/i, '');
}

export function bulkRoutes(scope: FastifyInstance, deps: ScimDeps): void {
  const maxPayloadSize = deps.options.bodyLimit;
  deps.capabilities.bulk = { supported: true, maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize };

  scope.post('/Bulk', { bodyLimit: maxPayloadSize }, async (request, reply) => {
    const bulk = parseBulkRequest(request.body, { maxOperations: BULK_MAX_OPERATIONS });
    const base = accountBase(request);
    const publicBase = request.scim!.base;
    const planner = new BulkPlanner(bulk);
    const results = new Map<number, OperationResult>();
    let errors = 0;

    const run = async (op: BulkOperation): Promise<OperationResult> => {
      const problem = op.error ?? planner.blocked(op);
      if (problem) return errorResult(op, problem);
      const ids = planner.ids();
      const path = substituteRefs(op.path, ids);
      const headers: Record<string, string> = { authorization: request.headers.authorization ?? '' };
      if (request.headers.host) headers.host = request.headers.host;
      if (op.version) headers['if-match'] = op.version;
      let payload: string | undefined;
      if (op.method !== 'DELETE') {
        payload = JSON.stringify(substituteRefs(op.data, ids));
        headers['content-type'] = 'application/scim+json';
      }
      const res = await scope.inject({ method: op.method as 'POST', url: `${base}${path}`, headers, ...(payload === undefined ? {} : { payload }) });
      const body = parseJson(res.body) as Record<string, unknown> | undefined;
      const out: OperationResult = { method: op.method, status: String(res.statusCode) };
      if (op.bulkId !== undefined) out.bulkId = op.bulkId;
      if (res.statusCode >= 400) {
        out.response = body ?? new ScimError('internal', 'the operation failed without a SCIM error body').toBody();
        return out;
      }
      const meta = body?.meta as Record<string, unknown> | undefined;
      const location = (res.headers.location as string | undefined) ?? (typeof meta?.location === 'string' ? meta.location : `${publicBase}${path}`);
      out.location = location;
      const etag = res.headers.etag;
      if (typeof etag === 'string') out.version = etag;
      if (op.method === 'POST' && typeof body?.id === 'string') planner.settle(op, body.id);
      return out;
    };

    // One shared transaction for the whole request (store/commit.ts): each operation is still its own savepoint,
    // so a failing one rolls back alone and the results are those of separate requests, but there is one fsync,
    // not one per operation. The answer leaves after the commit; a long Bulk commits every MAX_HOLD_MS so other
    // clients' answers do not wait for all of it.
    await deps.store.held(async () => {
      for (let op = planner.next(); op; op = planner.next()) {
        const result = await run(op);
        if (Number(result.status) >= 400) {
          planner.settle(op, undefined);
          errors++;
        }
        results.set(op.index, result);
        deps.store.commitIfOld();
        if (bulk.failOnErrors !== undefined && errors >= bulk.failOnErrors) break;
      }
    });
    const stopped = bulk.failOnErrors !== undefined && errors >= bulk.failOnErrors;
    if (!stopped) {
      // What is left references itself in a cycle (RFC 7644 §3.7.1 allows 409 for that).
      for (const op of planner.remaining) {
        results.set(op.index, errorResult(op, new ScimError('conflict', `circular bulkId references: ${[...op.refs].map((r) => `bulkId:${r}`).join(', ')}`)));
      }
    }
    const Operations = [...results.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
    return reply.code(200).send({ schemas: [BULK_RESPONSE_SCHEMA], Operations });
  });
}
