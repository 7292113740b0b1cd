/**
 * RFC 7644 §3.5.2 PATCH over a resource's JSON, with the protocol decisions of docs/contracts.md and the IdP shapes of
 * docs/idp-patterns.md. Operations run in order on a copy; any failure throws and the caller keeps the original, so a
 * PATCH is atomic. Group `members` never touch the JSON: they become a MembershipDelta for the store.
 */
import { isDeepStrictEqual } from 'node:util';
import { ScimError } from '../../errors.ts';
import { PASSWORD_MAX } from '../../schema/limits.ts';
import type { AttributeDefinition } from '../../schema/types.ts';
import { ENTERPRISE_SCHEMA, getKey, isRecord, KIND_SCHEMAS, resolvePath, sameName, splitPath, type ResolvedAttr, type ResourceKind } from '../attributes.ts';
import type { FilterNode } from '../filter/ast.ts';
import { evalElement } from '../filter/evaluate.ts';
import { asciiLower } from '../filter/typing.ts';
import { coerceManager, coerceMulti, coerceSingle } from '../values.ts';
import { MembershipChanges, type MemberRef, type MemberView, type MembershipDelta } from './members.ts';
import { parsePatchPath, type PatchPath } from './path.ts';
import { PATCH_OP_SCHEMA, parsePatchRequest, type PatchOpName, type PatchOperation } from './request.ts';

type Json = Record<string, unknown>;

/** How the engine reads and applies operations; unset, it is the behaviour of docs/contracts.md. */
export interface PatchEngineOptions {
  /** See EnvelopeOptions. */
  opCaseSensitive?: boolean;
  /** The Patcher (sub)class that applies the operations: its protected methods are the seams. */
  patcher?: new (
    resource: Json,
    ctx: PatchContext,
  ) => Patcher;
}

export interface PatchContext extends PatchEngineOptions {
  kind: ResourceKind;
  /** Lists the group's current members; called only for member filters other than `value eq "id"` (or an `or` of them). */
  loadMembers?: () => MemberView[];
}

export interface PatchResult {
  /** The resource after the operations, in the shape it was given (canonical attribute names). */
  resource: Json;
  /** Group member changes, when an operation touched `members`. */
  members?: MembershipDelta;
  /** A new password (writeOnly: never part of the resource JSON). */
  password?: string;
  /** Whether anything changed (resource JSON, members or password). */
  changed: boolean;
}

function err(code: 'invalidValue' | 'invalidPath' | 'noTarget' | 'mutability' | 'invalidSyntax', detail: string): ScimError {
  return new ScimError(code, detail);
}

/**
 * `meta` is readOnly like `id` (the caller puts the current value in the resource); `schemas` is derived from the
 * data, so a PATCH may name it only as the core schema plus extensions of this resource type (docs/hardening.md).
 */
const SCHEMAS = 'schemas';

/** Applies operations, in order, to a copy of the resource. */
export class Patcher {
  readonly res: Json;
  readonly members = new MembershipChanges();
  password: string | undefined;

  constructor(
    /** The resource as given, never modified. */
    protected readonly original: Json,
    protected readonly ctx: PatchContext,
  ) {
    this.res = structuredClone(original);
  }

  /** Checks the resource after every operation ran: required attributes are still there. */
  check(): void {
    checkRequired(this.res, this.ctx.kind);
  }

  run(op: PatchOperation, index: number): void {
    const where = `Operations[${index}]`;
    if (op.path === undefined) {
      if (op.op === 'remove') throw err('noTarget', `${where}: remove needs a path (RFC 7644 §3.5.2.2)`);
      if (!isRecord(op.value)) throw err('invalidValue', `${where}: ${op.op} without a path needs an object value`);
      this.noPath(op.op, op.value);
      return;
    }
    this.atPath(op.op, parsePatchPath(op.path, this.ctx.kind), op.value);
  }

  /** A no-path value: each key is an attribute, a dotted or URN-qualified path, or an extension object. */
  private noPath(op: PatchOpName, value: Json): void {
    for (const [key, v] of Object.entries(value)) {
      if (key.toLowerCase() === SCHEMAS) {
        this.schemasOp(op, v);
        continue;
      }
      const ext = KIND_SCHEMAS[this.ctx.kind].extensions.find((e) => sameName(e.id, key));
      if (ext) {
        if (v === null) continue;
        if (!isRecord(v)) throw err('invalidValue', `${ext.id} must be an object`);
        for (const [k2, v2] of Object.entries(v)) {
          const p = splitPath(k2);
          const r = p && !p.schema ? resolvePath(this.ctx.kind, { ...p, schema: ext.id }) : undefined;
          if (r) this.atPath(op, { text: `${ext.id}:${k2}`, r }, v2);
        }
        continue;
      }
      const r = this.noPathTarget(key);
      // Unknown attributes are ignored, as POST and PUT ignore them.
      if (r) this.atPath(op, { text: key, r }, v);
    }
  }

  /** The attribute a no-path key names: Entra sends `{"name.givenName": "x", "urn:...:User:department": "y"}` (docs/idp-patterns.md §3.4 E5). */
  protected noPathTarget(key: string): ResolvedAttr | undefined {
    const p = splitPath(key);
    return p && resolvePath(this.ctx.kind, p);
  }

  private atPath(op: PatchOpName, path: PatchPath, value: unknown): void {
    const { r } = path;
    if (!r.extension && r.def.name.toLowerCase() === SCHEMAS) return this.schemasOp(op, value);
    if (this.ctx.kind === 'Group' && !r.extension && r.def.name === 'members') return this.membersOp(op, path, value);
    if (r.def.mutability === 'writeOnly' && r.def.name === 'password') return this.passwordOp(op, path, value);
    const leaf = path.subAfter ?? r.sub ?? r.def;
    if (r.def.mutability === 'readOnly' || leaf.mutability === 'readOnly') return this.readOnlyOp(op, path, value);
    if (op === 'remove') return this.remove(path, value);
    return this.set(op, path, value);
  }

  // ---- containers -------------------------------------------------------------------------------------------

  private box(r: ResolvedAttr, create: boolean): Json | undefined {
    if (!r.extension) return this.res;
    const key = getKey(this.res, r.extension);
    const existing = key === undefined ? undefined : this.res[key];
    if (isRecord(existing)) return existing;
    if (!create) return undefined;
    const fresh: Json = {};
    this.res[r.extension] = fresh;
    return fresh;
  }

  private read(r: ResolvedAttr): unknown {
    const box = this.box(r, false);
    const key = box && getKey(box, r.def.name);
    return box && key !== undefined ? box[key] : undefined;
  }

  private write(r: ResolvedAttr, value: unknown): void {
    const box = this.box(r, true)!;
    const key = getKey(box, r.def.name);
    if (key !== undefined && key !== r.def.name) delete box[key];
    box[r.def.name] = value;
  }

  private erase(r: ResolvedAttr): void {
    const box = this.box(r, false);
    const key = box && getKey(box, r.def.name);
    if (!box || key === undefined) return;
    delete box[key];
    if (r.extension && Object.keys(box).length === 0) {
      const extKey = getKey(this.res, r.extension);
      if (extKey !== undefined) delete this.res[extKey];
    }
  }

  private elements(r: ResolvedAttr): Json[] {
    const v = this.read(r);
    if (Array.isArray(v)) return v.filter(isRecord);
    return isRecord(v) ? [v] : [];
  }

  // ---- add / replace ----------------------------------------------------------------------------------------

  /** add or replace at a path that is neither readOnly nor special (schemas, members, password). */
  protected set(op: PatchOpName, path: PatchPath, value: unknown): void {
    const { r } = path;
    const def = r.def;
    // Replacing with null (or a multi-valued attribute with []) clears the target; adding null adds nothing.
    if (value === null) return op === 'add' ? undefined : this.remove(path, undefined);
    if (op === 'replace' && !path.filter && !r.sub && def.multiValued && isEmptyList(value)) return this.erase(r);
    if (isManager(r)) {
      if (path.filter) throw err('invalidPath', `'${path.text}': manager is single-valued`);
      // The server derives `$ref` and `displayName` from the id; only `value` is stored.
      if (r.sub && !sameName(r.sub.name, 'value')) return;
      const next = coerceManager(value, path.text);
      return next ? this.write(r, next) : this.erase(r);
    }
    if (path.filter) return this.setFiltered(op, path, value);
    if (r.sub) return this.setSub(r, r.sub, value, path.text);
    if (!def.multiValued) {
      const coerced = coerceSingle(def, value, path.text);
      if (def.type === 'complex') {
        // RFC 7644 §3.5.2.1 / §3.5.2.3: sub-attributes in the value are merged; the others stay.
        const cur = this.read(r);
        return this.write(r, { ...(isRecord(cur) ? cur : {}), ...(coerced as Json) });
      }
      this.checkImmutable(r, coerced, path.text);
      return this.write(r, coerced);
    }
    const incoming = coerceMulti(def, value, path.text);
    const current = this.read(r);
    const list = op === 'add' && Array.isArray(current) ? [...current] : [];
    const touched = incoming.map((item) => mergeInto(def, list, item));
    enforceSinglePrimary(list, touched, path.text);
    this.write(r, list);
  }

  /** `name.givenName` or, on a multi-valued attribute without a filter, `emails.value` on every element. */
  private setSub(r: ResolvedAttr, sub: AttributeDefinition, value: unknown, text: string): void {
    const coerced = coerceSingle(sub, value, text);
    const cur = this.read(r);
    if (!r.def.multiValued) return this.write(r, { ...(isRecord(cur) ? cur : {}), [sub.name]: coerced });
    const list = Array.isArray(cur) ? cur.filter(isRecord) : [];
    if (list.length === 0) return this.write(r, [{ [sub.name]: coerced }]);
    const next = list.map((el) => ({ ...el, [sub.name]: coerced }));
    if (sameName(sub.name, 'primary') && coerced === true && next.length > 1) {
      throw err('invalidValue', `'${text}': only one ${r.def.name} value can be primary`);
    }
    this.write(r, next);
  }

  private setFiltered(op: PatchOpName, path: PatchPath, value: unknown): void {
    const { r, filter, subAfter } = path;
    const def = r.def;
    const list = this.elements(r);
    const matching = list.filter((el) => evalElement(filter!, el, def));
    const touched: Json[] = [];
    let next: Json[];
    if (matching.length === 0) {
      if (op === 'replace') throw err('noTarget', `'${path.text}' matches no value (RFC 7644 §3.5.2.3)`);
      const created = this.addUnmatched(path, value);
      touched.push(created);
      next = [...list, created];
    } else {
      const patchFor = subAfter
        ? (el: Json) => ({ ...el, [subAfter.name]: coerceSingle(subAfter, value, path.text) })
        : op === 'replace'
          ? () => coerceSingle(def, value, path.text) as Json
          : (el: Json) => ({ ...el, ...(coerceSingle(def, value, path.text) as Json) });
      next = list.map((el) => {
        if (!matching.includes(el)) return el;
        const updated = patchFor(el);
        touched.push(updated);
        return updated;
      });
    }
    enforceSinglePrimary(next, touched, path.text);
    this.write(r, def.multiValued ? next : next[0]);
  }

  /** An add whose filter matches nothing creates the element the filter describes. */
  protected addUnmatched(path: PatchPath, value: unknown): Json {
    const { r, filter, subAfter } = path;
    // Entra adds `emails[type eq "work"].value` to a user without a work email (docs/idp-patterns.md §3.6).
    const seed = seedFromFilter(filter!, r.def);
    if (!seed) throw err('noTarget', `'${path.text}' matches no value, and its filter does not describe a new one`);
    return subAfter ? { ...seed, [subAfter.name]: coerceSingle(subAfter, value, path.text) } : { ...seed, ...(coerceSingle(r.def, value, path.text) as Json) };
  }

  private checkImmutable(r: ResolvedAttr, next: unknown, text: string): void {
    if (r.def.mutability !== 'immutable') return;
    const cur = this.read(r);
    if (cur !== undefined && !isDeepStrictEqual(cur, next)) throw err('mutability', `'${text}' is immutable`);
  }

  // ---- remove -----------------------------------------------------------------------------------------------

  private remove(path: PatchPath, value: unknown): void {
    const { r, filter, subAfter } = path;
    const def = r.def;
    if (def.required && !r.sub && !filter) throw err('invalidValue', `'${path.text}' is required and cannot be removed`);
    if (filter) {
      const list = this.elements(r);
      const matching = new Set(list.filter((el) => evalElement(filter, el, def)));
      if (matching.size === 0) return;
      if (subAfter) {
        return this.write(r, def.multiValued ? list.map((el) => (matching.has(el) ? without(el, subAfter.name) : el)) : without(list[0]!, subAfter.name));
      }
      const rest = list.filter((el) => !matching.has(el));
      if (rest.length === 0 || !def.multiValued) return this.erase(r);
      return this.write(r, rest);
    }
    if (r.sub) {
      const cur = this.read(r);
      if (def.multiValued) {
        if (Array.isArray(cur))
          this.write(
            r,
            cur.map((el) => (isRecord(el) ? without(el, r.sub!.name) : el)),
          );
        return;
      }
      if (!isRecord(cur)) return;
      const next = without(cur, r.sub.name);
      if (Object.keys(next).length === 0) return this.erase(r);
      return this.write(r, next);
    }
    if (def.multiValued && value !== undefined && value !== null) {
      // Entra's legacy form: remove with a value list removes exactly those values (docs/idp-patterns.md §3.4 E11).
      const drop = coerceMulti(def, value, path.text);
      const rest = this.elements(r).filter((el) => !drop.some((d) => sameElement(def, el, d)));
      if (rest.length === 0) return this.erase(r);
      return this.write(r, rest);
    }
    this.erase(r);
  }

  // ---- special attributes -----------------------------------------------------------------------------------

  /** PATCH may repeat a readOnly value (Okta's `id` in a group replace); changing it is 400 mutability. */
  protected readOnlyOp(op: PatchOpName, path: PatchPath, value: unknown): void {
    const name = attributeName(path);
    if (op === 'remove') throw err('mutability', `'${path.text}': ${name} is readOnly`);
    if (path.filter) throw err('mutability', `'${path.text}': ${name} is readOnly`);
    const whole = this.read(path.r);
    const cur = path.r.sub ? subValue(whole, path.r.sub.name) : whole;
    if (isDeepStrictEqual(cur, value) || (isEmptyList(value) && (cur === undefined || isEmptyList(cur)))) return;
    // A complex value replaces only the sub-attributes it names (RFC 7644 §3.5.2.3): equal ones change nothing.
    if (!path.r.sub && isRecord(cur) && isRecord(value) && Object.entries(value).every(([k, v]) => isDeepStrictEqual(subValue(cur, k), v))) return;
    throw err('mutability', `'${path.text}': ${name} is readOnly and cannot be changed`);
  }

  /** `schemas`: an array naming the core schema and only schemas of this resource type changes nothing; else 400. */
  private schemasOp(op: PatchOpName, value: unknown): void {
    const { core, extensions } = KIND_SCHEMAS[this.ctx.kind];
    const known = [core.id, ...extensions.map((e) => e.id)];
    if (op === 'remove') throw err('invalidValue', 'schemas is set by the server and cannot be removed');
    const ok =
      Array.isArray(value) &&
      value.every((u) => typeof u === 'string' && known.some((k) => sameName(k, u))) &&
      value.some((u) => sameName(core.id, u as string));
    if (!ok) throw err('invalidValue', `schemas must list ${core.id} and only schemas of a ${this.ctx.kind} (${known.join(', ')})`);
  }

  private passwordOp(op: PatchOpName, path: PatchPath, value: unknown): void {
    if (op === 'remove' || path.r.sub || path.filter) throw err('mutability', `'${path.text}': the password can only be set`);
    if (typeof value !== 'string' || value.length === 0) throw err('invalidValue', 'password must be a non-empty string');
    if (value.length > PASSWORD_MAX) throw err('invalidValue', `password must be at most ${PASSWORD_MAX} characters`);
    this.password = value;
  }

  private membersOp(op: PatchOpName, path: PatchPath, value: unknown): void {
    if (path.r.sub || path.subAfter) throw err('invalidPath', `'${path.text}': members are added, replaced and removed as a whole`);
    if (path.filter) {
      if (op !== 'remove') throw err('invalidPath', `'${path.text}': a member filter only works with remove`);
      return this.removeMatchingMembers(path.filter);
    }
    if (op === 'remove') {
      if (value === undefined || value === null) return this.members.replace([]);
      return this.removeListedMembers(value, path.text);
    }
    const refs = memberRefs(value, path.text);
    if (op === 'replace') return this.members.replace(refs);
    this.addMembers(refs);
  }

  /** `remove members[value eq "id"]`: the members the filter selects. */
  protected removeMatchingMembers(filter: FilterNode): void {
    this.members.remove(this.matchingMembers(filter));
  }

  /** Entra's legacy form `{op: remove, path: members, value: [{value}]}` removes exactly those (docs/contracts.md). */
  protected removeListedMembers(value: unknown, text: string): void {
    this.members.remove(memberRefs(value, text).map((m) => m.value));
  }

  /** `add members`: these join the current members. */
  protected addMembers(refs: MemberRef[]): void {
    this.members.add(refs);
  }

  /** Ids a member filter selects: read off `value eq "id"` terms, or evaluated over the current members. */
  private matchingMembers(filter: FilterNode): string[] {
    const direct = idsFromFilter(filter);
    if (direct) return direct;
    if (!this.ctx.loadMembers) throw err('invalidPath', 'this member filter needs the current members, which are not available');
    const membersDef = KIND_SCHEMAS.Group.core.attributes.find((a) => a.name === 'members')!;
    return this.members
      .effective(this.ctx.loadMembers())
      .filter((m) => evalElement(filter, m as unknown as Json, membersDef))
      .map((m) => m.value);
  }
}

/** The attribute a path names, for messages: `name.givenName`, `emails.value`, `id`. */
export function attributeName(path: PatchPath): string {
  return path.subAfter ? `${path.r.def.name}.${path.subAfter.name}` : path.r.sub ? `${path.r.def.name}.${path.r.sub.name}` : path.r.def.name;
}

function isManager(r: ResolvedAttr): boolean {
  return r.extension === ENTERPRISE_SCHEMA && r.def.name === 'manager';
}

function isEmptyList(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0;
}

function without(el: Json, name: string): Json {
  const key = getKey(el, name);
  if (key === undefined) return el;
  const { [key]: _dropped, ...rest } = el;
  return rest;
}

/** Two values of a multi-valued attribute are the same when their `value` (and `type`, if both have one) agree. */
function sameElement(def: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (!isRecord(a) || !isRecord(b)) return isDeepStrictEqual(a, b);
  const valueDef = def.subAttributes?.find((s) => s.name === 'value');
  if (!valueDef || a.value === undefined || b.value === undefined) return isDeepStrictEqual(a, b);
  const norm = (v: unknown) => (typeof v === 'string' && !valueDef.caseExact ? asciiLower(v) : v);
  if (norm(a.value) !== norm(b.value)) return false;
  const ta = typeof a.type === 'string' ? a.type.toLowerCase() : undefined;
  const tb = typeof b.type === 'string' ? b.type.toLowerCase() : undefined;
  return ta === undefined || tb === undefined || ta === tb;
}

/**
 * Adds `item` to `list` unless the same value is already there, in which case its sub-attributes merge in (a
 * multi-valued add never duplicates). Returns the element now in the list.
 */
function mergeInto(def: AttributeDefinition, list: unknown[], item: unknown): unknown {
  const i = list.findIndex((el) => sameElement(def, el, item));
  if (i < 0) {
    list.push(item);
    return item;
  }
  const merged = isRecord(list[i]) && isRecord(item) ? { ...(list[i] as Json), ...item } : list[i];
  list[i] = merged;
  return merged;
}

/** At most one `primary: true` (RFC 7643 §2.4): a value this operation marks primary clears the flag on the others. */
function enforceSinglePrimary(list: unknown[], touched: unknown[], text: string): void {
  const isPrimary = (el: unknown) => isRecord(el) && el.primary === true;
  const marked = [...new Set(touched.filter(isPrimary))];
  if (marked.length > 1) throw err('invalidValue', `'${text}': only one value can be primary`);
  if (marked.length === 0) return;
  for (let i = 0; i < list.length; i++) {
    if (isPrimary(list[i]) && list[i] !== marked[0]) list[i] = without(list[i] as Json, 'primary');
  }
}

/** `type eq "work" and ...` → `{type: "work"}`: the element an `add` creates when its filter matches nothing. */
function seedFromFilter(filter: FilterNode, def: AttributeDefinition): Json | undefined {
  const terms = filter.kind === 'and' ? filter.operands : [filter];
  const seed: Json = {};
  for (const t of terms) {
    if (t.kind !== 'compare' || t.op !== 'eq' || t.value === null) return undefined;
    const sub = def.subAttributes?.find((s) => sameName(s.name, t.path.attr));
    if (!sub) return undefined;
    seed[sub.name] = coerceSingle(sub, t.value, `${def.name}.${sub.name}`);
  }
  return seed;
}

/** A sub-attribute of a complex value, its name matched case-insensitively. */
function subValue(value: unknown, name: string): unknown {
  if (!isRecord(value)) return undefined;
  const key = getKey(value, name);
  return key === undefined ? undefined : value[key];
}

/** `value eq "a"` or `value eq "a" or value eq "b"`: the ids, without loading any member. */
function idsFromFilter(filter: FilterNode): string[] | undefined {
  const terms = filter.kind === 'or' ? filter.operands : [filter];
  const ids: string[] = [];
  for (const t of terms) {
    if (t.kind !== 'compare' || t.op !== 'eq' || !sameName(t.path.attr, 'value') || typeof t.value !== 'string') return undefined;
    ids.push(t.value);
  }
  return ids;
}

/** Members as sent (Okta: `{value, display}`; Entra: `{value, $ref: null}`); `type` if given must be User or Group. */
function memberRefs(value: unknown, text: string): MemberRef[] {
  const list = Array.isArray(value) ? value : [value];
  return list
    .filter((m) => m !== null && m !== undefined)
    .map((m, i) => {
      const obj = isRecord(m) ? m : typeof m === 'string' ? { value: m } : undefined;
      const idKey = obj && getKey(obj, 'value');
      const id = obj && idKey !== undefined ? obj[idKey] : undefined;
      if (typeof id !== 'string' || id === '') throw err('invalidValue', `'${text}'[${i}].value must be a member id`);
      const typeKey = obj && getKey(obj, 'type');
      const type = obj && typeKey !== undefined ? obj[typeKey] : undefined;
      if (type === undefined || type === null) return { value: id };
      if (typeof type !== 'string' || !/^(user|group)$/i.test(type)) throw err('invalidValue', `'${text}'[${i}].type must be User or Group`);
      return { value: id, type: type.toLowerCase() === 'user' ? 'User' : 'Group' };
    });
}

function checkRequired(res: Json, kind: ResourceKind): void {
  for (const def of KIND_SCHEMAS[kind].core.attributes) {
    if (!def.required) continue;
    const key = getKey(res, def.name);
    const v = key === undefined ? undefined : res[key];
    if (v === undefined || v === null || v === '') throw err('invalidValue', `${def.name} is required`);
  }
}

/**
 * Applies a PATCH request body (the PatchOp envelope is validated here) or a bare Operations array to
 * `resource`, which is not modified. Throws ScimError (400 invalidSyntax / invalidPath / invalidValue / noTarget /
 * mutability) and then nothing is applied.
 */
export function applyPatch(resource: Json, operations: PatchOperation[] | unknown, ctx: PatchContext): PatchResult {
  const opts = { opCaseSensitive: ctx.opCaseSensitive ?? false };
  const ops = parsePatchRequest(Array.isArray(operations) ? { schemas: [PATCH_OP_SCHEMA], Operations: operations } : operations, opts);
  const p = new (ctx.patcher ?? Patcher)(resource, ctx);
  for (const [i, op] of ops.entries()) p.run(op, i);
  p.check();
  const members = p.members.delta();
  const result: PatchResult = {
    resource: p.res,
    changed: !isDeepStrictEqual(p.res, resource) || members !== undefined || p.password !== undefined,
  };
  if (members) result.members = members;
  if (p.password !== undefined) result.password = p.password;
  return result;
}
