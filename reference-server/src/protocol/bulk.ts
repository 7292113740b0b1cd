/**
 * Bulk planning (RFC 7644 §3.7), free of HTTP: validating a BulkRequest, finding the `bulkId:` references of each
 * operation, ordering operations so referenced resources are created first (forward references work), and
 * substituting created ids. The route executes each operation as an ordinary request.
 */
import { z } from 'zod';
import { ScimError } from '../errors.ts';

export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface BulkOperation {
  /** Position in the request. */
  index: number;
  method: string;
  path: string;
  bulkId?: string;
  version?: string;
  data?: unknown;
  /** bulkIds this operation refers to (in its path or data). */
  refs: Set<string>;
  /** Set when the operation itself is malformed; it is answered with this error and not executed. */
  error?: ScimError;
}

export interface BulkRequest {
  /** Stop after this many errors (RFC 7644 §3.7.3); undefined: run everything. */
  failOnErrors?: number;
  operations: BulkOperation[];
}

export interface BulkLimits {
  maxOperations: number;
}

const REF = /bulkId:([^\s"/\\?#]+)/g;
const PATH = /^\/(Users|Groups)(?:\/([^/?#]+))?$/i;

const envelope = z
  .object({
    schemas: z
      .array(z.string(), { error: 'schemas must be an array of URNs' })
      .refine((s) => s.some((u) => u.toLowerCase() === BULK_REQUEST_SCHEMA.toLowerCase()), { message: `schemas must include ${BULK_REQUEST_SCHEMA}` }),
    failOnErrors: z.number({ error: 'failOnErrors must be an integer' }).int().min(1).optional(),
    Operations: z.array(
      z
        .object({
          method: z.string({ error: 'method must be a string' }),
          path: z.string({ error: 'path must be a string' }),
          bulkId: z.string({ error: 'bulkId must be a string' }).min(1).optional(),
          version: z.string({ error: 'version must be a string' }).optional(),
          data: z.unknown().optional(),
        })
        .loose(),
      { error: 'Operations must be an array' },
    ),
  })
  .loose();

/** Every `bulkId:x` inside strings of `value` (path segments, member values, $refs); iterative, so depth is no limit. */
export function collectRefs(value: unknown, into = new Set<string>()): Set<string> {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      for (const m of v.matchAll(REF)) into.add(m[1]!);
    } else if (typeof v === 'object' && v !== null) {
      // One push per element: spreading a 500,000-element array into push() would itself overflow the stack.
      for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push(child);
    }
  }
  return into;
}

/** Replaces each `bulkId:x` with the id created for x, in a copy; iterative, so depth is no limit. */
export function substituteRefs<T>(value: T, ids: ReadonlyMap<string, string>): T {
  const swap = (s: string) => s.replace(REF, (whole, ref: string) => ids.get(ref) ?? whole);
  const copyOf = (v: unknown): unknown => (typeof v === 'string' ? swap(v) : Array.isArray(v) ? [] : typeof v === 'object' && v !== null ? {} : v);
  const root = copyOf(value);
  // Each entry: a source container and its (empty) copy, filled one level at a time.
  const stack: [unknown, unknown][] = [[value, root]];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    if (typeof from !== 'object' || from === null) continue;
    for (const [k, v] of Object.entries(from)) {
      const copy = copyOf(v);
      if (Array.isArray(to)) to.push(copy);
      else Object.defineProperty(to, k, { value: copy, enumerable: true, writable: true, configurable: true });
      if (typeof v === 'object' && v !== null) stack.push([v, copy]);
    }
  }
  return root as T;
}

function opError(method: string, path: string, bulkId: string | undefined, data: unknown): ScimError | undefined {
  const m = method.toUpperCase();
  if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(m)) return new ScimError('invalidSyntax', `method must be POST, PUT, PATCH or DELETE, not '${method}'`);
  const p = PATH.exec(path);
  if (!p) return new ScimError('invalidPath', `path must be /Users, /Groups, /Users/{id} or /Groups/{id}, not '${path}'`);
  if (m === 'POST') {
    if (p[2] !== undefined) return new ScimError('invalidPath', `POST goes to /Users or /Groups, not '${path}'`);
    if (!bulkId) return new ScimError('invalidSyntax', 'POST operations need a bulkId (RFC 7644 §3.7)');
  } else if (p[2] === undefined) {
    return new ScimError('invalidPath', `${m} needs a resource path such as /Users/{id}, not '${path}'`);
  }
  if (m !== 'DELETE' && (data === undefined || data === null)) return new ScimError('invalidSyntax', `${m} operations need data`);
  return undefined;
}

/**
 * Validates the BulkRequest envelope (400 invalidSyntax), the operation count (413) and bulkId uniqueness.
 * Malformed single operations are marked with their error rather than failing the whole request.
 */
export function parseBulkRequest(body: unknown, limits: BulkLimits): BulkRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ScimError('invalidSyntax', 'the Bulk body must be a JSON object');
  const raw = body as Record<string, unknown>;
  if (Array.isArray(raw.Operations) && raw.Operations.length > limits.maxOperations) {
    throw new ScimError('payloadTooLarge', `the request has ${raw.Operations.length} operations; maxOperations is ${limits.maxOperations}`);
  }
  const parsed = envelope.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ScimError('invalidSyntax', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const seen = new Set<string>();
  const operations = parsed.data.Operations.map((o, index): BulkOperation => {
    if (o.bulkId !== undefined) {
      if (seen.has(o.bulkId)) throw new ScimError('invalidSyntax', `bulkId '${o.bulkId}' is used by more than one operation`);
      seen.add(o.bulkId);
    }
    const op: BulkOperation = { index, method: o.method.toUpperCase(), path: o.path, refs: collectRefs([o.path, o.data]) };
    if (o.bulkId !== undefined) op.bulkId = o.bulkId;
    if (o.version !== undefined) op.version = o.version;
    if (o.data !== undefined) op.data = o.data;
    const error = opError(o.method, o.path, o.bulkId, o.data);
    if (error) op.error = error;
    return op;
  });
  const out: BulkRequest = { operations };
  if (parsed.data.failOnErrors !== undefined) out.failOnErrors = parsed.data.failOnErrors;
  return out;
}

/** What the planner knows about each bulkId so far. */
export type RefState = { state: 'created'; id: string } | { state: 'failed' };

/**
 * Picks the next operation to run: the first pending one whose references are all settled (created, failed, or
 * not defined in the request). When none is, the rest reference each other in a cycle.
 */
export class BulkPlanner {
  private readonly pending: BulkOperation[];
  private readonly defined: Set<string>;
  readonly refs = new Map<string, RefState>();

  constructor(request: BulkRequest) {
    this.pending = [...request.operations];
    this.defined = new Set(request.operations.flatMap((o) => (o.bulkId && !o.error && o.method === 'POST' ? [o.bulkId] : [])));
  }

  get remaining(): readonly BulkOperation[] {
    return this.pending;
  }

  next(): BulkOperation | undefined {
    const i = this.pending.findIndex((op) => op.error || [...op.refs].every((r) => !this.defined.has(r) || this.refs.has(r)));
    if (i < 0) return undefined;
    return this.pending.splice(i, 1)[0];
  }

  /** Why `op` cannot run (a reference that failed or is not defined here), or undefined when it can. */
  blocked(op: BulkOperation): ScimError | undefined {
    for (const r of op.refs) {
      if (!this.defined.has(r)) return new ScimError('invalidValue', `bulkId:${r} is not the bulkId of a POST in this request`);
      if (this.refs.get(r)?.state === 'failed') return new ScimError('conflict', `bulkId:${r} was not created, so this operation cannot run`);
    }
    return undefined;
  }

  settle(op: BulkOperation, createdId: string | undefined): void {
    if (op.bulkId && op.method === 'POST') this.refs.set(op.bulkId, createdId ? { state: 'created', id: createdId } : { state: 'failed' });
  }

  /** Created ids by bulkId, for substitution. */
  ids(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [k, v] of this.refs) if (v.state === 'created') out.set(k, v.id);
    return out;
  }
}
