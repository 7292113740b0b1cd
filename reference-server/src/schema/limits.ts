import type { AttributeDefinition } from './types.ts';

/**
 * Size limits of attribute values (docs/hardening.md). RFC 7643 sets none, so a service provider states its own;
 * they are advertised in each attribute's description in /Schemas (RFC 7643 §7 has no characteristic for them)
 * and enforced on POST, PUT and PATCH with 400 invalidValue.
 */
export const SHORT_STRING_MAX = 256;
export const STRING_MAX = 2048;
/** Base64 of an X.509 certificate runs to a few KB. */
export const BINARY_MAX = 16_384;
export const PASSWORD_MAX = 1024;
/** Values of a multi-valued attribute; Group members are bounded only by the body size. */
export const MAX_VALUES = 100;

/** Names people read: short. Sub-attributes as `parent.sub`. */
const SHORT = new Set([
  'username',
  'displayname',
  'nickname',
  'name.formatted',
  'name.familyname',
  'name.givenname',
  'name.middlename',
  'name.honorificprefix',
  'name.honorificsuffix',
]);

/** Longest accepted string value of an attribute, or undefined for types that are not strings. */
export function maxLength(def: AttributeDefinition, parent?: AttributeDefinition): number | undefined {
  switch (def.type) {
    case 'string':
    case 'reference': {
      if (def.name === 'password' && !parent) return PASSWORD_MAX;
      const key = (parent ? `${parent.name}.${def.name}` : def.name).toLowerCase();
      return SHORT.has(key) ? SHORT_STRING_MAX : STRING_MAX;
    }
    case 'binary':
      return BINARY_MAX;
    default:
      return undefined;
  }
}

export function maxValues(def: AttributeDefinition): number | undefined {
  return def.multiValued && def.name !== 'members' ? MAX_VALUES : undefined;
}

/** Appends the limits to the descriptions (schema data, a few levels deep: built once at load). */
export function describeLimits(attributes: AttributeDefinition[], parent?: AttributeDefinition): void {
  for (const def of attributes) {
    if (def.mutability !== 'readOnly') {
      const chars = maxLength(def, parent);
      const values = maxValues(def);
      const notes = [values ? `At most ${values} values.` : '', chars ? `At most ${chars} characters${def.multiValued ? ' each' : ''}.` : ''].filter(Boolean);
      if (notes.length > 0) def.description = [def.description, ...notes].filter(Boolean).join(' ');
    }
    if (def.subAttributes) describeLimits(def.subAttributes, def);
  }
}
