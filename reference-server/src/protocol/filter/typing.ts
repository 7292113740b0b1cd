/**
 * The typing rules both filter engines share (the in-memory evaluator and the SQL compiler), so they accept and
 * refuse the same filters and compare values the same way.
 */
import type { AttributeDefinition } from '../../schema/types.ts';
import {
  findSub,
  formatPath,
  GROUP_SCHEMA_URN,
  resolvePath,
  sameName,
  USER_SCHEMA_URN,
  type AttrPath,
  type ResolvedAttr,
  type ResourceKind,
} from '../attributes.ts';
import type { CompareOp, Literal } from './ast.ts';
import { invalidFilter } from './lexer.ts';

export interface FilterOptions {
  /** userName compares as if it were caseExact (RFC 7643 says it is not). */
  caseSensitiveUserName?: boolean;
  /** A Group's displayName compares as if it were caseExact (RFC 7643 says it is not). */
  caseSensitiveGroupDisplayName?: boolean;
}

/**
 * How strings compare: `none` for caseExact attributes; `unicode` for userName (the store keeps
 * `user_name_norm = userName.toLowerCase()`, which is also what uniqueness uses); `ascii` for the other
 * case-insensitive attributes, which SQLite's built-in `lower()` folds (ASCII letters only).
 */
export type Fold = 'none' | 'ascii' | 'unicode';

export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

export function fold(mode: Fold, s: string): string {
  return mode === 'none' ? s : mode === 'ascii' ? asciiLower(s) : s.toLowerCase();
}

/** A top-level attribute a filter names, with the leaf definition the comparison applies to. */
export interface FilterTarget {
  r: ResolvedAttr;
  /** The definition compared: the sub-attribute, the implied `value` of a complex attribute, or the attribute. */
  leaf: AttributeDefinition;
  /** Sub-attribute name used on each element, when there is one (written or implied `value`). */
  subName?: string;
}

function refuseNever(def: AttributeDefinition, written: string): void {
  if (def.returned === 'never') throw invalidFilter(`'${written}' is never returned and cannot be filtered on`);
}

/**
 * Resolves the attribute of a comparison or `pr`. Undefined means no schema defines it: such a filter matches
 * nothing (RFC 7644 §3.4.2.2 lets a server treat undefined attributes as having no value).
 */
export function resolveTarget(kind: ResourceKind, path: AttrPath, op: CompareOp | 'pr' | '[]'): FilterTarget | undefined {
  const r = resolvePath(kind, path);
  if (!r) return undefined;
  const written = formatPath(path);
  const forPresence = op === 'pr' || op === '[]';
  refuseNever(r.def, written);
  if (r.sub) {
    refuseNever(r.sub, written);
    return { r, leaf: r.sub, subName: r.sub.name };
  }
  if (r.def.type === 'complex' && !forPresence) {
    if (ORDERING.includes(op as CompareOp)) throw invalidFilter(`'${written}' is a complex attribute: ${op} does not apply`);
    const value = findSub(r.def, 'value');
    if (!value) throw invalidFilter(`'${written}' is a complex attribute: name one of its sub-attributes`);
    return { r, leaf: value, subName: value.name };
  }
  return { r, leaf: r.def };
}

/** Resolves a path inside a value filter (`emails[type eq "work"]`): it names a sub-attribute of `parent`. */
export function resolveInner(parent: AttributeDefinition, path: AttrPath): AttributeDefinition | undefined {
  if (path.schema !== undefined || path.sub !== undefined) {
    throw invalidFilter(`'${formatPath(path)}' inside '${parent.name}[...]' must be a sub-attribute name of ${parent.name}`);
  }
  const sub = findSub(parent, path.attr);
  if (sub) refuseNever(sub, `${parent.name}.${sub.name}`);
  return sub;
}

export function foldFor(target: { r?: ResolvedAttr; leaf: AttributeDefinition }, opts: FilterOptions): Fold {
  const { r, leaf } = target;
  const isUserName = r !== undefined && !r.sub && r.schemaUrn === USER_SCHEMA_URN && !r.extension && sameName(leaf.name, 'userName');
  if (isUserName) return opts.caseSensitiveUserName ? 'none' : 'unicode';
  const isGroupName = r !== undefined && !r.sub && r.schemaUrn === GROUP_SCHEMA_URN && !r.extension && sameName(leaf.name, 'displayName');
  if (isGroupName && opts.caseSensitiveGroupDisplayName) return 'none';
  return leaf.caseExact ? 'none' : 'ascii';
}

const ORDERING: readonly CompareOp[] = ['gt', 'ge', 'lt', 'le'];
const SUBSTRING: readonly CompareOp[] = ['co', 'sw', 'ew'];

/**
 * Checks that `op value` suits the attribute's type and returns the value in comparable form (booleans from
 * "true"/"false", dates as ISO-8601 UTC with milliseconds). Throws `invalidFilter` otherwise.
 */
export function checkLiteral(leaf: AttributeDefinition, op: CompareOp, value: Literal, written: string): Literal {
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') throw invalidFilter(`'${written} ${op} null': null only works with eq and ne`);
    return null;
  }
  switch (leaf.type) {
    case 'boolean': {
      if (op !== 'eq' && op !== 'ne') throw invalidFilter(`'${written}' is a boolean: only eq, ne and pr apply, not ${op}`);
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw invalidFilter(`'${written}' is a boolean: compare it with true or false`);
    }
    case 'complex':
      throw invalidFilter(`'${written}' is a complex attribute: name one of its sub-attributes`);
    case 'dateTime': {
      if (SUBSTRING.includes(op)) throw invalidFilter(`'${written}' is a dateTime: ${op} does not apply`);
      const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(ms)) throw invalidFilter(`'${written}' is a dateTime: ${JSON.stringify(value)} is not an ISO-8601 date`);
      return new Date(ms).toISOString();
    }
    case 'integer':
    case 'decimal':
      if (SUBSTRING.includes(op)) throw invalidFilter(`'${written}' is a number: ${op} does not apply`);
      if (typeof value !== 'number') throw invalidFilter(`'${written}' is a number: compare it with a number`);
      return value;
    case 'binary':
      if (ORDERING.includes(op)) throw invalidFilter(`'${written}' is binary: ${op} does not apply`);
      if (typeof value !== 'string') throw invalidFilter(`'${written}' is binary: compare it with a string`);
      return value;
    case 'string':
    case 'reference':
      if (typeof value !== 'string') throw invalidFilter(`'${written}' is a string: compare it with a quoted string`);
      return value;
  }
}

/** Compares one stored value with a checked literal; `ne` is handled by callers as "not eq". */
export function compareScalar(leaf: AttributeDefinition, op: CompareOp, actual: unknown, lit: Literal, mode: Fold): boolean {
  if (lit === null || actual === null || actual === undefined) return false;
  switch (leaf.type) {
    case 'boolean':
      return actual === lit;
    case 'integer':
    case 'decimal':
      return typeof actual === 'number' && ordered(op, actual, lit as number);
    case 'dateTime': {
      const ms = typeof actual === 'string' ? Date.parse(actual) : Number.NaN;
      return !Number.isNaN(ms) && ordered(op, ms, Date.parse(lit as string));
    }
    default: {
      if (typeof actual !== 'string') return false;
      const a = fold(mode, actual);
      const b = fold(mode, lit as string);
      if (op === 'co') return a.includes(b);
      if (op === 'sw') return a.startsWith(b);
      if (op === 'ew') return a.endsWith(b);
      return ordered(op, a, b);
    }
  }
}

function ordered<T extends number | string>(op: CompareOp, a: T, b: T): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      return false;
  }
}

/** RFC 7644 §3.4.2.2 `pr`: a value that is not null, not an empty string, and for complex values has such a member. */
export function presentMember(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

export function presentElement(v: unknown): boolean {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return Object.values(v).some(presentMember);
  return presentMember(v);
}

export function isPresent(v: unknown): boolean {
  return Array.isArray(v) ? v.some(presentElement) : presentElement(v);
}
