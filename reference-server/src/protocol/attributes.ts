/**
 * Attribute paths resolved against the RFC 7643 schemas in `../schema/`. Filters, PATCH, projection and sorting all
 * resolve names here, so they agree on case-insensitivity, URN prefixes and where an attribute lives in the JSON.
 */
import { commonAttributes, ENTERPRISE_SCHEMA, enterpriseSchema, GROUP_SCHEMA, groupSchema, USER_SCHEMA, userSchema } from '../schema/core.ts';
import { str, type AttributeDefinition, type SchemaDefinition } from '../schema/types.ts';

export type ResourceKind = 'User' | 'Group';

/** An attribute path as written: optional schema URN prefix, attribute name, optional sub-attribute. */
export interface AttrPath {
  schema?: string;
  attr: string;
  sub?: string;
}

/** Where an attribute lives: `extension` is the URN key of the extension object, absent for core and common. */
export interface ResolvedAttr {
  def: AttributeDefinition;
  sub?: AttributeDefinition;
  extension?: string;
  /** The schema URN that owns the attribute (core schema URN for common attributes). */
  schemaUrn: string;
}

/** `schemas` is a common attribute (RFC 7643 §3) that the schema tables leave out; filters name it (§3.4.2.2). */
export const SCHEMAS_ATTRIBUTE: AttributeDefinition = str('schemas', {
  multiValued: true,
  caseExact: false,
  mutability: 'readOnly',
  returned: 'always',
  description: 'The schema URIs of the resource.',
});

interface KindSchemas {
  core: SchemaDefinition;
  extensions: SchemaDefinition[];
}

export const KIND_SCHEMAS: Record<ResourceKind, KindSchemas> = {
  User: { core: userSchema, extensions: [enterpriseSchema] },
  Group: { core: groupSchema, extensions: [] },
};

export const CORE_URN: Record<ResourceKind, string> = { User: USER_SCHEMA, Group: GROUP_SCHEMA };
export { ENTERPRISE_SCHEMA };
export const USER_SCHEMA_URN = USER_SCHEMA;
export const GROUP_SCHEMA_URN = GROUP_SCHEMA;

const ATTR_NAME = /^[A-Za-z$][A-Za-z0-9_$-]*$/;

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function findAttr(list: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  return list.find((a) => sameName(a.name, name));
}

export function findSub(def: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return def.subAttributes ? findAttr(def.subAttributes, name) : undefined;
}

/**
 * Splits `urn:...:User:name.givenName` or `name.givenName` into an AttrPath; undefined when the text is not a
 * well-formed path (more than one dot after the name, characters outside RFC 7643 ATTRNAME).
 */
export function splitPath(text: string): AttrPath | undefined {
  let schema: string | undefined;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const cut = text.lastIndexOf(':');
    schema = text.slice(0, cut);
    rest = text.slice(cut + 1);
    // A bare schema URN (`urn:...:User`) has no attribute part that looks like a name with a dot-free URN tail.
    if (!rest || !schema) return undefined;
  }
  const parts = rest.split('.');
  if (parts.length > 2 || !parts.every((p) => ATTR_NAME.test(p))) return undefined;
  const path: AttrPath = { attr: parts[0]! };
  if (schema !== undefined) path.schema = schema;
  if (parts[1] !== undefined) path.sub = parts[1];
  return path;
}

export function formatPath(p: AttrPath): string {
  return `${p.schema ? `${p.schema}:` : ''}${p.attr}${p.sub ? `.${p.sub}` : ''}`;
}

/**
 * Resolves a path for a resource kind: core and common attributes first, then extension attributes by their short
 * name (Entra writes `manager` for the enterprise one). Undefined when no schema defines it.
 */
export function resolvePath(kind: ResourceKind, path: AttrPath): ResolvedAttr | undefined {
  const { core, extensions } = KIND_SCHEMAS[kind];
  let found: { def: AttributeDefinition; extension?: string; schemaUrn: string } | undefined;
  if (path.schema !== undefined) {
    if (sameName(path.schema, core.id)) {
      const def = findAttr(core.attributes, path.attr) ?? findAttr(commonAttributes, path.attr) ?? schemasAttr(path.attr);
      if (def) found = { def, schemaUrn: core.id };
    } else {
      const ext = extensions.find((e) => sameName(e.id, path.schema!));
      const def = ext && findAttr(ext.attributes, path.attr);
      if (ext && def) found = { def, extension: ext.id, schemaUrn: ext.id };
    }
  } else {
    const def = findAttr(core.attributes, path.attr) ?? findAttr(commonAttributes, path.attr) ?? schemasAttr(path.attr);
    if (def) found = { def, schemaUrn: core.id };
    else {
      for (const ext of extensions) {
        const d = findAttr(ext.attributes, path.attr);
        if (d) {
          found = { def: d, extension: ext.id, schemaUrn: ext.id };
          break;
        }
      }
    }
  }
  if (!found) return undefined;
  if (path.sub === undefined) return found;
  const sub = findSub(found.def, path.sub);
  return sub ? { ...found, sub } : undefined;
}

function schemasAttr(name: string): AttributeDefinition | undefined {
  return sameName(name, 'schemas') ? SCHEMAS_ATTRIBUTE : undefined;
}

/** Looks a key up case-insensitively (exact spelling first): clients and stored JSON may differ in case. */
export function getKey(obj: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The container object holding a resolved attribute: the resource itself, or its extension object. */
export function container(resource: Record<string, unknown>, r: ResolvedAttr): Record<string, unknown> | undefined {
  if (!r.extension) return resource;
  const key = getKey(resource, r.extension);
  const ext = key === undefined ? undefined : resource[key];
  return isRecord(ext) ? ext : undefined;
}

/** The raw value of a resolved top-level attribute (no sub-attribute step). */
export function readAttr(resource: Record<string, unknown>, r: ResolvedAttr): unknown {
  const box = container(resource, r);
  if (!box) return undefined;
  const key = getKey(box, r.def.name);
  return key === undefined ? undefined : box[key];
}

/** Which kind a resource JSON is, from its `schemas` or `meta.resourceType`; defaults to User. */
export function kindOf(resource: Record<string, unknown>): ResourceKind {
  const schemas = resource.schemas;
  if (Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && sameName(s, GROUP_SCHEMA))) return 'Group';
  const meta = resource.meta;
  if (isRecord(meta) && meta.resourceType === 'Group') return 'Group';
  return 'User';
}
