import type { z } from 'zod';
import { ScimError } from '../errors.ts';
import type { AttributeDefinition, SchemaDefinition } from '../schema/types.ts';
import type { Json } from '../store/resources.ts';
import { describeIssue, isObject, memberSchema, passwordSchema, resourceDataSchema } from './resource-schema.ts';
import { GROUP, USER, type ResourceSpec } from './resource-types.ts';

/**
 * POST and PUT bodies (RFC 7643 §2, §7): attribute names are mapped to their schema spelling (case-insensitive,
 * URN-qualified names allowed, extension attributes under their schema URN), readOnly and unknown attributes and
 * nulls are dropped, then the zod schema built from the schema data checks and coerces the values. The writeOnly
 * password comes back separately so it is hashed and never stored in `data`.
 */
export interface ValidatedResource {
  data: Json;
  password?: string;
  /** Group members as sent (value and optional type), resolved against the account by the route. */
  members?: { value: string; type?: string }[];
}

export type WriteMode = 'create' | 'replace';

const DATA_SCHEMAS = new Map<ResourceSpec, z.ZodType<Json>>([USER, GROUP].map((spec) => [spec, resourceDataSchema(spec)]));

function invalidValue(error: z.ZodError): ScimError {
  return new ScimError('invalidValue', describeIssue(error.issues[0]!));
}

/** The body with canonical keys, plus the parts that are not stored in `data`. */
interface Canonical {
  data: Json;
  password?: unknown;
  members?: unknown;
}

function canonicalize(spec: ResourceSpec, body: Json): Canonical {
  const out: Canonical = { data: {} };
  const extensions = new Map(spec.extensions.map((e) => [e.id.toLowerCase(), e]));
  const coreUrn = spec.core.id.toLowerCase();
  const extensionData = (ext: SchemaDefinition): Json => {
    const existing = out.data[ext.id];
    if (isObject(existing)) return existing;
    const created: Json = {};
    out.data[ext.id] = created;
    return created;
  };
  const put = (def: AttributeDefinition, value: unknown, target: Json) => {
    if (value === null || value === undefined || def.mutability === 'readOnly') return;
    if (def.mutability === 'writeOnly' && def.name === 'password') out.password = value;
    else if (spec.kind === 'Group' && def.name === 'members') out.members = value;
    else if (!(def.multiValued && Array.isArray(value) && value.length === 0)) target[def.name] = value;
  };
  const find = (defs: readonly AttributeDefinition[], name: string) => defs.find((d) => d.name.toLowerCase() === name.toLowerCase());

  for (const [rawKey, value] of Object.entries(body)) {
    const key = rawKey.toLowerCase();
    if (key === 'schemas') continue;
    const ext = extensions.get(key);
    if (ext) {
      if (value === null) continue;
      if (!isObject(value)) throw new ScimError('invalidValue', `${ext.id} must be an object`);
      for (const [k, v] of Object.entries(value)) {
        const def = find(ext.attributes, k);
        if (def) put(def, v, extensionData(ext));
      }
      continue;
    }
    // URN-qualified names: "urn:...:enterprise:2.0:User:department", "urn:...:core:2.0:User:userName".
    const colon = key.lastIndexOf(':');
    if (key.startsWith('urn:') && colon > 0) {
      const urn = key.slice(0, colon);
      const name = rawKey.slice(colon + 1);
      const qualified = extensions.get(urn);
      const def = qualified ? find(qualified.attributes, name) : urn === coreUrn ? spec.attributes.get(name.toLowerCase()) : undefined;
      if (def) put(def, value, qualified ? extensionData(qualified) : out.data);
      continue;
    }
    const def = spec.attributes.get(key);
    if (def) put(def, value, out.data);
    // Unknown attributes are ignored (RFC 7644 §3.3 lets a service provider do so).
  }
  for (const ext of spec.extensions) if (isObject(out.data[ext.id]) && Object.keys(out.data[ext.id] as Json).length === 0) delete out.data[ext.id];
  return out;
}

function checkSchemas(spec: ResourceSpec, schemas: unknown): void {
  if (schemas === undefined || schemas === null) return;
  if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string')) {
    throw new ScimError('invalidSyntax', 'schemas must be an array of schema URNs');
  }
  if (!schemas.some((s) => s.toLowerCase() === spec.core.id.toLowerCase())) throw new ScimError('invalidSyntax', `schemas must include ${spec.core.id}`);
}

export function validateResource(spec: ResourceSpec, body: unknown, mode: WriteMode, current?: Json): ValidatedResource {
  if (!isObject(body)) throw new ScimError('invalidSyntax', 'the request body must be a JSON object');
  checkSchemas(spec, Object.entries(body).find(([k]) => k.toLowerCase() === 'schemas')?.[1]);
  const canonical = canonicalize(spec, body);
  const parsed = DATA_SCHEMAS.get(spec)!.safeParse(canonical.data);
  if (!parsed.success) throw invalidValue(parsed.error);
  const result: ValidatedResource = { data: parsed.data };
  // Empty multi-valued lists and emptied extension objects mean "unassigned".
  for (const [key, value] of Object.entries(result.data)) {
    if ((Array.isArray(value) && value.length === 0) || (isObject(value) && key.startsWith('urn:') && Object.keys(value).length === 0)) delete result.data[key];
  }
  if (canonical.password !== undefined) {
    const password = passwordSchema.safeParse(canonical.password);
    if (!password.success) throw new ScimError('invalidValue', `password ${password.error.issues[0]!.message}`);
    result.password = password.data;
  }
  if (canonical.members !== undefined) {
    const members = memberSchema.safeParse(Array.isArray(canonical.members) ? canonical.members.filter((m) => m !== null) : canonical.members);
    if (!members.success) throw new ScimError('invalidValue', `members${describeIssue(members.error.issues[0]!).replace(/^the body/, '')}`);
    result.members = members.data;
  }
  if (mode === 'replace' && current) checkImmutable(spec, result.data, current);
  return result;
}

/** PUT may not change an immutable attribute that already has a value (RFC 7643 §2.2). */
function checkImmutable(spec: ResourceSpec, next: Json, current: Json): void {
  for (const def of spec.core.attributes) {
    if (def.mutability !== 'immutable') continue;
    const before = current[def.name];
    if (before !== undefined && JSON.stringify(before) !== JSON.stringify(next[def.name])) {
      throw new ScimError('mutability', `${def.name} is immutable and cannot be changed`);
    }
  }
}
