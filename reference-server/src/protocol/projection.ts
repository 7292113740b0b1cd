/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) over a rendered resource, honouring the schema's
 * `returned` characteristic (RFC 7643 §7): `always` is returned whatever the lists say, `never` never,
 * `request` only when named in `attributes`, `default` unless excluded or left out of `attributes`.
 * Names are case-insensitive, may be URN-qualified or name a sub-attribute, and names the schemas do not define
 * are ignored. When both lists are given, `attributes` selects and `excludedAttributes` then removes.
 */
import type { AttributeDefinition } from '../schema/types.ts';
import { findSub, isRecord, KIND_SCHEMAS, resolvePath, sameName, SCHEMAS_ATTRIBUTE, splitPath, type ResourceKind } from './attributes.ts';
import { commonAttributes } from '../schema/core.ts';

type Json = Record<string, unknown>;

export interface ProjectionParams {
  attributes?: readonly string[] | undefined;
  excludedAttributes?: readonly string[] | undefined;
}

/** Per attribute (keyed `extension|name`): the whole attribute, or some of its sub-attributes. */
type Selection = Map<string, { whole: boolean; subs: Set<string> }>;

interface Parsed {
  attrs: Selection;
  /** Extension URNs named on their own: every attribute of the extension. */
  extensions: Set<string>;
}

const keyOf = (extension: string | undefined, name: string) => `${(extension ?? '').toLowerCase()}|${name.toLowerCase()}`;

function parseList(kind: ResourceKind, names: readonly string[] | undefined): Parsed | undefined {
  if (!names) return undefined;
  const out: Parsed = { attrs: new Map(), extensions: new Set() };
  for (const raw of names) {
    const name = raw.trim();
    const ext = KIND_SCHEMAS[kind].extensions.find((e) => sameName(e.id, name));
    if (ext) {
      out.extensions.add(ext.id.toLowerCase());
      continue;
    }
    const p = splitPath(name);
    const r = p && resolvePath(kind, p);
    if (!r) continue;
    const key = keyOf(r.extension, r.def.name);
    const entry = out.attrs.get(key) ?? { whole: false, subs: new Set<string>() };
    if (r.sub) entry.subs.add(r.sub.name.toLowerCase());
    else entry.whole = true;
    out.attrs.set(key, entry);
  }
  return out;
}

function named(list: Parsed | undefined, extension: string | undefined, def: AttributeDefinition) {
  if (!list) return undefined;
  if (extension && list.extensions.has(extension.toLowerCase())) return { whole: true, subs: new Set<string>() };
  return list.attrs.get(keyOf(extension, def.name));
}

/** Sub-attributes of one complex value: `never` dropped, `request` only if named, the selection applied. */
function projectComplex(def: AttributeDefinition, value: Json, keep: Set<string> | undefined, drop: Set<string> | undefined, requested: Set<string>): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const sub = findSub(def, k);
    if (!sub) {
      if (!keep) out[k] = v;
      continue;
    }
    const n = sub.name.toLowerCase();
    if (sub.returned === 'never') continue;
    if (sub.returned !== 'always') {
      if (keep && !keep.has(n)) continue;
      if (sub.returned === 'request' && !requested.has(n)) continue;
      if (drop?.has(n)) continue;
    }
    out[k] = v;
  }
  return out;
}

function projectAttr(
  def: AttributeDefinition,
  extension: string | undefined,
  value: unknown,
  incl: Parsed | undefined,
  excl: Parsed | undefined,
): { keep: boolean; value?: unknown } {
  if (def.returned === 'never') return { keep: false };
  const sel = named(incl, extension, def);
  const ex = named(excl, extension, def);
  if (def.returned !== 'always') {
    if (incl && !sel) return { keep: false };
    if (def.returned === 'request' && !sel) return { keep: false };
    if (ex?.whole) return { keep: false };
  }
  if (def.type !== 'complex') return { keep: true, value };
  const keep = sel && !sel.whole && sel.subs.size > 0 ? sel.subs : undefined;
  const requested = sel?.subs ?? new Set<string>();
  const drop = def.returned === 'always' ? undefined : ex?.subs;
  const one = (v: unknown) => (isRecord(v) ? projectComplex(def, v, keep, drop, requested) : v);
  const projected = Array.isArray(value) ? value.map(one).filter((v) => !isRecord(v) || Object.keys(v).length > 0) : one(value);
  if (isRecord(projected) && Object.keys(projected).length === 0) return { keep: false };
  if (Array.isArray(projected) && projected.length === 0 && Array.isArray(value) && value.length > 0) return { keep: false };
  return { keep: true, value: projected };
}

const TOP_LEVEL: Record<ResourceKind, AttributeDefinition[]> = {
  User: [SCHEMAS_ATTRIBUTE, ...commonAttributes, ...KIND_SCHEMAS.User.core.attributes],
  Group: [SCHEMAS_ATTRIBUTE, ...commonAttributes, ...KIND_SCHEMAS.Group.core.attributes],
};

/** Applies the lists to a rendered resource; the input is not modified. Keys the schemas do not know are kept unless `attributes` is given. */
export function project(resource: Json, kind: ResourceKind, params: ProjectionParams): Json {
  const incl = parseList(kind, params.attributes);
  const excl = parseList(kind, params.excludedAttributes);
  const out: Json = {};
  for (const [key, value] of Object.entries(resource)) {
    const ext = KIND_SCHEMAS[kind].extensions.find((e) => sameName(e.id, key));
    if (ext) {
      if (!isRecord(value)) continue;
      const inner: Json = {};
      for (const [k, v] of Object.entries(value)) {
        const def = ext.attributes.find((a) => sameName(a.name, k));
        if (!def) {
          if (!incl) inner[k] = v;
          continue;
        }
        const res = projectAttr(def, ext.id, v, incl, excl);
        if (res.keep) inner[k] = res.value;
      }
      if (Object.keys(inner).length > 0) out[key] = inner;
      continue;
    }
    const def = TOP_LEVEL[kind].find((a) => sameName(a.name, key));
    if (!def) {
      if (!incl) out[key] = value;
      continue;
    }
    const res = projectAttr(def, undefined, value, incl, excl);
    if (res.keep) out[key] = res.value;
  }
  return out;
}

/**
 * Whether a projection returns `name` (a top-level attribute) at all, so a route can skip loading it: a group read
 * with `excludedAttributes=members` never loads its members.
 */
export function isReturned(kind: ResourceKind, params: ProjectionParams, name: string): boolean {
  const def = TOP_LEVEL[kind].find((a) => sameName(a.name, name));
  if (!def) return false;
  if (def.returned === 'never') return false;
  if (def.returned === 'always') return true;
  const incl = parseList(kind, params.attributes);
  const excl = parseList(kind, params.excludedAttributes);
  const sel = named(incl, undefined, def);
  if (incl && !sel) return false;
  if (def.returned === 'request' && !sel) return false;
  return !named(excl, undefined, def)?.whole;
}
