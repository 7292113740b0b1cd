/** The PatchOp envelope (RFC 7644 §3.5.2), validated with zod at the edge into typed operations. */
import { z } from 'zod';
import { ScimError } from '../../errors.ts';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export type PatchOpName = 'add' | 'replace' | 'remove';

export interface PatchOperation {
  op: PatchOpName;
  path?: string;
  value?: unknown;
}

export interface EnvelopeOptions {
  /** Match `op` values case-sensitively, so only lower-case ones are understood (RFC 7644 does not say; Entra sends "Replace"). */
  opCaseSensitive?: boolean;
}

const operationSchema = z
  .object({
    op: z.string({ error: 'op must be a string: add, replace or remove' }),
    path: z.string({ error: 'path must be a string' }).nullish(),
    value: z.unknown().optional(),
  })
  .loose();

const envelopeSchema = z
  .object({
    schemas: z
      .array(z.string(), { error: 'schemas must be an array of URNs' })
      .refine((s) => s.some((u) => u.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase()), { message: `schemas must include ${PATCH_OP_SCHEMA}` }),
    Operations: z.array(z.unknown(), { error: 'Operations must be an array' }).min(1, { message: 'Operations must not be empty' }),
  })
  .loose();

function syntax(detail: string): ScimError {
  return new ScimError('invalidSyntax', detail);
}

function firstIssue(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0]!;
  const at = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  const where = at ? `${at}: ` : '';
  return `${where}${issue.message}`;
}

/** Reads `Operations` whatever its case (`operations` is seen in the wild), then validates the envelope. */
export function parsePatchRequest(body: unknown, opts: EnvelopeOptions = {}): PatchOperation[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw syntax('the PATCH body must be a JSON object');
  const raw = body as Record<string, unknown>;
  const opsKey = Object.keys(raw).find((k) => k.toLowerCase() === 'operations');
  const normalized = opsKey && opsKey !== 'Operations' ? { ...raw, Operations: raw[opsKey] } : raw;
  const parsed = envelopeSchema.safeParse(normalized);
  if (!parsed.success) throw syntax(firstIssue(parsed.error));
  return parsed.data.Operations.map((item, i) => {
    const op = operationSchema.safeParse(item);
    if (!op.success) throw syntax(firstIssue(op.error, `Operations[${i}]`));
    const name = opts.opCaseSensitive ? op.data.op : op.data.op.toLowerCase();
    if (name !== 'add' && name !== 'replace' && name !== 'remove') {
      throw syntax(`Operations[${i}].op must be add, replace or remove; got ${JSON.stringify(op.data.op)}`);
    }
    const out: PatchOperation = { op: name };
    if (typeof op.data.path === 'string' && op.data.path.trim() !== '') out.path = op.data.path.trim();
    if (name !== 'remove' && !('value' in (item as object))) throw syntax(`Operations[${i}]: ${name} needs a value`);
    if ('value' in (item as object)) out.value = op.data.value;
    return out;
  });
}
