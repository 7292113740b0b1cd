import { ScimError } from '../errors.ts';
import { coerceManager, coerceSingle } from '../protocol/values.ts';
import { enterpriseSchema } from '../schema/core.ts';
import type { AttributeDefinition, SchemaDefinition } from '../schema/types.ts';
import type { Json } from '../store/resources.ts';
import type { ResourceSpec } from './resource-types.ts';

/**
 * Schema-driven checks for POST and PUT bodies (RFC 7643 §2, §7). Single values are coerced by the same rules as
 * PATCH (`protocol/values.ts`); a multi-valued attribute must be sent as an array here. The result is the
 * resource's `data` as stored: attribute names in their schema spelling, extension attributes under their schema
 * URN, readOnly attributes and nulls dropped, "true"/"false" strings turned into booleans; the writeOnly password
 * comes back separately so it can be hashed and never stored in `data`.
 */
export interface ValidatedResource {
  data: Json;
  password?: string;
  /** Group members as sent (value and optional type), resolved against the account by the route. */
  members?: { value: string; type?: string }[];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Entra's three manager shapes are normalised by the protocol engine's `coerceManager` (stored as `{value}`). */
const ENTERPRISE_MANAGER = enterpriseSchema.attributes.find((a) => a.name === 'manager');

function checkAttribute(def: AttributeDefinition, value: unknown, path: string): unknown {
  if (!def.multiValued) {
    if (Array.isArray(value)) throw new ScimError('invalidValue', `${path} is single-valued; got an array`);
    return coerceSingle(def, value, path);
  }
  if (!Array.isArray(value)) throw new ScimError('invalidValue', `${path} is multi-valued; expected an array`);
  const items = value.filter((v) => v !== null).map((v, i) => coerceSingle(def, v, `${path}[${i}]`));
  if (items.filter((v) => isObject(v) && v.primary === true).length > 1) {
    throw new ScimError('invalidValue', `${path}: at most one value may be primary`);
  }
  return items;
}

/** Checks one schema's attributes of `input` into `out` (same key spelling rules as the core). */
function checkSchemaObject(schema: SchemaDefinition, input: Json, out: Json, prefix: string): void {
  const defs = new Map(schema.attributes.map((a) => [a.name.toLowerCase(), a]));
  for (const [key, value] of Object.entries(input)) {
    const def = defs.get(key.toLowerCase());
    if (!def) continue;
    assign(def, value, out, `${prefix}${def.name}`);
  }
}

function assign(def: AttributeDefinition, value: unknown, out: Json, path: string): void {
  if (value === null || value === undefined || def.mutability === 'readOnly') return;
  if (def === ENTERPRISE_MANAGER) {
    const manager = coerceManager(value, path);
    if (manager) out[def.name] = manager;
    return;
  }
  if (def.multiValued && Array.isArray(value) && value.length === 0) return;
  out[def.name] = checkAttribute(def, value, path);
}

export type WriteMode = 'create' | 'replace';

export function validateResource(spec: ResourceSpec, body: unknown, mode: WriteMode, current?: Json): ValidatedResource {
  if (!isObject(body)) throw new ScimError('invalidSyntax', 'the request body must be a JSON object');
  const result: ValidatedResource = { data: {} };
  const data = result.data;
  const extensionData = new Map<SchemaDefinition, Json>();
  const extensionsByUrn = new Map(spec.extensions.map((e) => [e.id.toLowerCase(), e]));
  const coreUrn = spec.core.id.toLowerCase();

  if ('schemas' in body && body.schemas !== null) {
    const schemas = body.schemas;
    if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string')) {
      throw new ScimError('invalidSyntax', 'schemas must be an array of schema URNs');
    }
    if (!schemas.some((s) => s.toLowerCase() === coreUrn)) {
      throw new ScimError('invalidSyntax', `schemas must include ${spec.core.id}`);
    }
  }

  for (const [rawKey, value] of Object.entries(body)) {
    const key = rawKey.toLowerCase();
    if (key === 'schemas') continue;
    const ext = extensionsByUrn.get(key);
    if (ext) {
      if (value === null) continue;
      if (!isObject(value)) throw new ScimError('invalidValue', `${ext.id} must be an object`);
      const target = extensionData.get(ext) ?? {};
      checkSchemaObject(ext, value, target, `${ext.id}:`);
      extensionData.set(ext, target);
      continue;
    }
    // URN-qualified attribute names ("urn:...:User:userName", "urn:...:enterprise:2.0:User:department").
    const colon = key.lastIndexOf(':');
    if (key.startsWith('urn:') && colon > 0) {
      const urn = key.slice(0, colon);
      const attrName = rawKey.slice(colon + 1);
      const qualifiedExt = extensionsByUrn.get(urn);
      if (qualifiedExt) {
        const target = extensionData.get(qualifiedExt) ?? {};
        checkSchemaObject(qualifiedExt, { [attrName]: value }, target, `${qualifiedExt.id}:`);
        extensionData.set(qualifiedExt, target);
        continue;
      }
      if (urn === coreUrn) {
        const def = spec.attributes.get(attrName.toLowerCase());
        if (def) assignCore(spec, def, value, result);
      }
      continue;
    }
    const def = spec.attributes.get(key);
    if (def) assignCore(spec, def, value, result);
    // Unknown attributes are ignored (RFC 7644 §3.3 lets a service provider do so).
  }

  for (const [ext, values] of extensionData) if (Object.keys(values).length > 0) data[ext.id] = values;

  for (const def of spec.core.attributes) {
    if (!def.required) continue;
    const v = data[def.name];
    if (v === undefined || v === '') throw new ScimError('invalidValue', `${def.name} is required`);
  }
  if (mode === 'replace' && current) checkImmutable(spec, data, current);
  return result;
}

function assignCore(spec: ResourceSpec, def: AttributeDefinition, value: unknown, result: ValidatedResource): void {
  if (def.mutability === 'writeOnly' && def.name === 'password') {
    if (value === null || value === undefined) return;
    if (typeof value !== 'string' || value.length === 0) throw new ScimError('invalidValue', 'password must be a non-empty string');
    result.password = value;
    return;
  }
  if (spec.kind === 'Group' && def.name === 'members') {
    result.members = checkMembers(value);
    return;
  }
  assign(def, value, result.data, def.name);
}

/** Members as sent; `display` and `$ref` are the server's to fill, `type` is checked against the member's kind. */
function checkMembers(value: unknown): { value: string; type?: string }[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new ScimError('invalidValue', 'members must be an array');
  return value
    .filter((m) => m !== null)
    .map((m, i) => {
      if (!isObject(m) || typeof m.value !== 'string' || m.value === '') {
        throw new ScimError('invalidValue', `members[${i}].value must be a member id`);
      }
      if (m.type !== undefined && m.type !== null && (typeof m.type !== 'string' || !/^(user|group)$/i.test(m.type))) {
        throw new ScimError('invalidValue', `members[${i}].type must be User or Group`);
      }
      return typeof m.type === 'string' ? { value: m.value, type: m.type } : { value: m.value };
    });
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
