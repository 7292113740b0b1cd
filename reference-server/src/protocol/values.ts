/**
 * Schema-driven coercion of attribute values sent in PATCH operations: the same rules POST and PUT follow
 * (docs/contracts.md "Protocol decisions"): "true"/"false" strings in any case become booleans, any other wrong type is
 * 400 invalidValue, null sub-attributes and readOnly sub-attributes are dropped, unknown sub-attributes ignored.
 */
import { ScimError } from '../errors.ts';
import type { AttributeDefinition } from '../schema/types.ts';
import { isRecord } from './attributes.ts';

type Json = Record<string, unknown>;

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function invalid(detail: string): ScimError {
  return new ScimError('invalidValue', detail);
}

/** One (non-array) value of `def`; `where` names it in errors. */
export function coerceSingle(def: AttributeDefinition, value: unknown, where: string): unknown {
  switch (def.type) {
    case 'string':
    case 'reference':
      if (typeof value !== 'string') throw invalid(`${where} must be a string`);
      return value;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw invalid(`${where} must be a boolean`);
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid(`${where} must be an integer`);
      return value;
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${where} must be a number`);
      return value;
    case 'dateTime':
      if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) throw invalid(`${where} must be an xsd:dateTime string`);
      return value;
    case 'binary':
      if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) throw invalid(`${where} must be base64`);
      return value;
    case 'complex': {
      if (!isRecord(value)) throw invalid(`${where} must be an object`);
      const out: Json = {};
      for (const [key, v] of Object.entries(value)) {
        const sub = def.subAttributes?.find((s) => s.name.toLowerCase() === key.toLowerCase());
        if (!sub || v === null || v === undefined || sub.mutability === 'readOnly') continue;
        out[sub.name] = coerceSingle(sub, v, `${where}.${sub.name}`);
      }
      return out;
    }
  }
}

/**
 * The elements of a multi-valued attribute. A single value is accepted as a one-element list, and a bare scalar
 * for a complex attribute with a `value` sub-attribute as `{value}` (clients differ on both).
 */
export function coerceMulti(def: AttributeDefinition, value: unknown, where: string): Json[] | unknown[] {
  const list = Array.isArray(value) ? value : [value];
  const valueSub = def.type === 'complex' ? def.subAttributes?.find((s) => s.name === 'value') : undefined;
  return list.filter((v) => v !== null && v !== undefined).map((v, i) => coerceSingle(def, valueSub && !isRecord(v) ? { value: v } : v, `${where}[${i}]`));
}

/** Entra sends the manager as `[{value,$ref}]`, `{value,$ref}` or a bare id (docs/idp-patterns.md §3.4 E6); stored as `{value}`. */
export function coerceManager(value: unknown, where: string): Json | undefined {
  let v = value;
  if (Array.isArray(v)) {
    if (v.length > 1) throw invalid(`${where} takes one manager`);
    v = v[0];
  }
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'string') return { value: v };
  if (isRecord(v)) {
    const key = Object.keys(v).find((k) => k.toLowerCase() === 'value');
    const id = key === undefined ? undefined : v[key];
    if (id === null || id === undefined || id === '') return undefined;
    if (typeof id !== 'string') throw invalid(`${where}.value must be a string`);
    return { value: id };
  }
  throw invalid(`${where} must be a manager id or an object with a value`);
}
