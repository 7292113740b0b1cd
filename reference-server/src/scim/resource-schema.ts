import { z } from 'zod';
import { commonAttributes, groupSchema } from '../schema/core.ts';
import { maxLength, maxValues, PASSWORD_MAX, STRING_MAX } from '../schema/limits.ts';
import type { AttributeDefinition, SchemaDefinition } from '../schema/types.ts';
import type { Json } from '../store/resources.ts';
import type { ResourceSpec } from './resource-types.ts';

/**
 * zod schemas for POST and PUT bodies, built once from the RFC 7643 schema data (`../schema/`), so the attribute
 * characteristics drive validation: type, multiValued, required, mutability. Booleans also accept "true"/"false"
 * in any case (docs/contracts.md); sub-attribute names are case-insensitive; readOnly and null sub-attributes are
 * dropped and unknown ones ignored. Messages are completed with the attribute path by `describeIssue`.
 */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `must be …` for a wrong type, `is required` for a missing required value. */
const expect = (what: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`) });

/** Keys in their schema spelling; nulls, readOnly and unknown keys left out. Non-objects pass through for zod to refuse. */
export function canonicalKeys(defs: readonly AttributeDefinition[], value: unknown): unknown {
  if (!isObject(value)) return value;
  const byName = new Map(defs.map((d) => [d.name.toLowerCase(), d]));
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    const def = byName.get(key.toLowerCase());
    if (def && v !== null && v !== undefined && def.mutability !== 'readOnly') out[def.name] = v;
  }
  return out;
}

/** A string within the attribute's length limit (schema/limits.ts). */
const limitedString = (def: AttributeDefinition, parent: AttributeDefinition | undefined) => {
  const max = maxLength(def, parent) ?? STRING_MAX;
  return z.string(expect('a string')).max(max, `must be at most ${max} characters`);
};

function singleValue(def: AttributeDefinition, parent?: AttributeDefinition): z.ZodType {
  switch (def.type) {
    case 'string':
    case 'reference':
      return limitedString(def, parent);
    case 'boolean':
      return z.union(
        [
          z.boolean(),
          z
            .string()
            .regex(/^(true|false)$/i)
            .transform((s) => s.toLowerCase() === 'true'),
        ],
        expect('a boolean'),
      );
    case 'integer':
      return z.number(expect('an integer')).refine(Number.isSafeInteger, 'must be an integer');
    case 'decimal':
      return z.number(expect('a number'));
    case 'dateTime':
      return z
        .string(expect('an xsd:dateTime string'))
        .max(64, 'must be an xsd:dateTime string')
        .refine((s) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)), 'must be an xsd:dateTime string');
    case 'binary':
      return limitedString(def, parent).regex(BASE64, 'must be base64');
    case 'complex': {
      const subs = def.subAttributes ?? [];
      const shape = Object.fromEntries(subs.filter((s) => s.mutability !== 'readOnly').map((s) => [s.name, attributeValue(s, def).optional()]));
      return z.preprocess((v) => canonicalKeys(subs, v), z.object(shape, expect('an object')));
    }
  }
}

/** One attribute's value: multi-valued ones must be arrays (nulls inside are dropped, at most one primary). */
export function attributeValue(def: AttributeDefinition, parent?: AttributeDefinition): z.ZodType {
  const single = singleValue(def, parent);
  if (!def.multiValued) return single;
  const most = maxValues(def) ?? Number.MAX_SAFE_INTEGER;
  return z.preprocess(
    (v) => (Array.isArray(v) ? v.filter((x) => x !== null) : v),
    z
      .array(single, expect('an array (the attribute is multi-valued)'))
      .max(most, `may have at most ${most} values`)
      .refine((items) => items.filter((i) => isObject(i) && i.primary === true).length <= 1, 'may have at most one primary value'),
  );
}

/** Entra's three manager shapes (docs/idp-patterns.md §3.4 E6) as `{value}`; `$ref` is the server's to fill. */
function managerShape(value: unknown): unknown {
  let v = value;
  if (Array.isArray(v) && v.length <= 1) v = v[0];
  if (v === '' || v === null) return undefined;
  if (typeof v === 'string') return { value: v };
  if (isObject(v)) {
    const key = Object.keys(v).find((k) => k.toLowerCase() === 'value');
    const id = key === undefined ? undefined : v[key];
    return id === null || id === undefined || id === '' ? undefined : { value: id };
  }
  return v;
}

const manager = z.preprocess(
  managerShape,
  z
    .object(
      { value: z.string(expect('a string')).max(STRING_MAX, `must be at most ${STRING_MAX} characters`) },
      expect('a manager id or an object with a value'),
    )
    .optional(),
);

function extensionObject(ext: SchemaDefinition): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const def of ext.attributes) {
    if (def.mutability === 'readOnly') continue;
    shape[def.name] = def.name === 'manager' && def.type === 'complex' ? manager : attributeValue(def).optional();
  }
  return z.object(shape, expect('an object'));
}

/**
 * The stored `data` of a resource type. Keys are already canonical (see validate.ts); `password` (writeOnly) and
 * Group `members` are taken out before, readOnly attributes are not part of the schema.
 */
export function resourceDataSchema(spec: ResourceSpec): z.ZodType<Json> {
  const shape: Record<string, z.ZodType> = {};
  for (const def of [...commonAttributes, ...spec.core.attributes]) {
    if (def.mutability === 'readOnly' || def.mutability === 'writeOnly' || (spec.kind === 'Group' && def.name === 'members')) continue;
    const value = attributeValue(def);
    shape[def.name] = def.required ? value.refine((v) => v !== '', 'is required') : value.optional();
  }
  for (const ext of spec.extensions) shape[ext.id] = extensionObject(ext).optional();
  return z.object(shape) as unknown as z.ZodType<Json>;
}

export const passwordSchema = z
  .string(expect('a non-empty string'))
  .min(1, 'must be a non-empty string')
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);

const MEMBER_SUBS = groupSchema.attributes.find((a) => a.name === 'members')?.subAttributes ?? [];

/** Group members as sent: `value` and optional `type`; `display` (readOnly) and `$ref` are the server's to fill. */
export const memberSchema = z.array(
  z.preprocess(
    (m) => canonicalKeys(MEMBER_SUBS, m),
    z.object(
      {
        value: z.string(expect('a member id')).min(1, 'must be a member id').max(STRING_MAX, 'must be a member id'),
        type: z
          .string()
          .regex(/^(user|group)$/i, 'must be User or Group')
          .optional(),
      },
      expect('an object with a value'),
    ),
  ),
  expect('an array'),
);

/** `emails[0].value`, `urn:...:User:manager`: where an issue is, for the error detail. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  let where = '';
  let afterUrn = false;
  for (const part of issue.path) {
    const name = String(part);
    if (typeof part === 'number') where += `[${name}]`;
    else if (where === '') where = name;
    else where += afterUrn ? `:${name}` : `.${name}`;
    afterUrn = typeof part === 'string' && part.startsWith('urn:');
  }
  return `${where || 'the body'} ${issue.message}`;
}
