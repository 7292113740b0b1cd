/**
 * In-memory filter evaluation over a resource's JSON. Used for PATCH value paths and as the oracle the SQL compiler
 * is tested against; list endpoints use the SQL compiler instead.
 */
import type { AttributeDefinition } from '../../schema/types.ts';
import { formatPath, getKey, isRecord, kindOf, readAttr, type ResourceKind } from '../attributes.ts';
import type { CompareOp, FilterNode, Literal } from './ast.ts';
import { invalidFilter } from './lexer.ts';
import {
  checkLiteral,
  compareScalar,
  foldFor,
  isPresent,
  presentElement,
  presentMember,
  resolveInner,
  resolveTarget,
  type FilterOptions,
  type FilterTarget,
  type Fold,
} from './typing.ts';

export interface MatchOptions extends FilterOptions {
  /** The resource kind; inferred from `schemas` / `meta.resourceType` when absent. */
  kind?: ResourceKind;
}

type Json = Record<string, unknown>;

/**
 * Whether `resource` matches. The whole filter is type-checked first, so an invalid comparison is refused even
 * where `and` / `or` would short-circuit past it (the SQL compiler refuses the same filters).
 */
export function matchesFilter(node: FilterNode, resource: Json, opts: MatchOptions = {}): boolean {
  const kind = opts.kind ?? kindOf(resource);
  validateTop(node, kind);
  return evalTop(node, resource, kind, opts);
}

function validateTop(node: FilterNode, kind: ResourceKind): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      for (const n of node.operands) validateTop(n, kind);
      return;
    case 'not':
      return validateTop(node.operand, kind);
    case 'present':
      resolveTarget(kind, node.path, 'pr');
      return;
    case 'compare': {
      const t = resolveTarget(kind, node.path, node.op);
      if (t) checkLiteral(t.leaf, node.op, node.value, formatPath(node.path));
      return;
    }
    case 'valuePath': {
      const t = resolveTarget(kind, node.path, '[]');
      if (t && t.r.def.type !== 'complex') throw invalidFilter(`'${formatPath(node.path)}[...]' needs a complex attribute`);
      if (t) validateElement(node.filter, t.r.def);
      else validateInnerShape(node.filter);
    }
  }
}

/** Type-checks a value filter against the sub-attributes of `parent`. */
export function validateElement(node: FilterNode, parent: AttributeDefinition): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      for (const n of node.operands) validateElement(n, parent);
      return;
    case 'not':
      return validateElement(node.operand, parent);
    case 'valuePath':
      throw invalidFilter('value filters cannot nest');
    case 'present':
      resolveInner(parent, node.path);
      return;
    case 'compare': {
      const sub = resolveInner(parent, node.path);
      if (sub) checkLiteral(sub, node.op, node.value, `${parent.name}.${sub.name}`);
    }
  }
}

function evalTop(node: FilterNode, res: Json, kind: ResourceKind, opts: FilterOptions): boolean {
  switch (node.kind) {
    case 'and':
      return node.operands.every((n) => evalTop(n, res, kind, opts));
    case 'or':
      return node.operands.some((n) => evalTop(n, res, kind, opts));
    case 'not':
      return !evalTop(node.operand, res, kind, opts);
    case 'present': {
      const t = resolveTarget(kind, node.path, 'pr');
      return t ? targetValues(res, t).some((v) => (t.subName ? presentMember(v) : isPresent(v))) : false;
    }
    case 'compare': {
      const t = resolveTarget(kind, node.path, node.op);
      const written = formatPath(node.path);
      if (!t) return node.op === 'ne';
      const lit = checkLiteral(t.leaf, node.op, node.value, written);
      return compareAny(t.leaf, node.op, lit, targetValues(res, t), foldFor(t, opts));
    }
    case 'valuePath': {
      const t = resolveTarget(kind, node.path, '[]');
      if (!t) {
        validateInnerShape(node.filter);
        return false;
      }
      if (t.r.def.type !== 'complex') throw invalidFilter(`'${formatPath(node.path)}[...]' needs a complex attribute`);
      const raw = readAttr(res, t.r);
      const elements = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
      return elements.some((el) => isRecord(el) && evalElement(node.filter, el, t.r.def, opts));
    }
  }
}

/** Evaluates a value filter on one element of a complex attribute. */
export function evalElement(node: FilterNode, el: Json, parent: AttributeDefinition, opts: FilterOptions = {}): boolean {
  switch (node.kind) {
    case 'and':
      return node.operands.every((n) => evalElement(n, el, parent, opts));
    case 'or':
      return node.operands.some((n) => evalElement(n, el, parent, opts));
    case 'not':
      return !evalElement(node.operand, el, parent, opts);
    case 'valuePath':
      throw invalidFilter('value filters cannot nest');
    case 'present': {
      const sub = resolveInner(parent, node.path);
      return sub ? presentElement(readKey(el, sub.name)) : false;
    }
    case 'compare': {
      const sub = resolveInner(parent, node.path);
      if (!sub) return node.op === 'ne';
      const lit = checkLiteral(sub, node.op, node.value, `${parent.name}.${sub.name}`);
      const v = readKey(el, sub.name);
      return compareAny(sub, node.op, lit, v === undefined ? [] : [v], foldFor({ leaf: sub }, opts));
    }
  }
}

function compareAny(leaf: AttributeDefinition, op: CompareOp, lit: Literal, values: unknown[], mode: Fold): boolean {
  if (lit === null) {
    const present = values.some(presentMember);
    return op === 'eq' ? !present : present;
  }
  if (op === 'ne') return !values.some((v) => compareScalar(leaf, 'eq', v, lit, mode));
  return values.some((v) => compareScalar(leaf, op, v, lit, mode));
}

function readKey(obj: Json, name: string): unknown {
  const key = getKey(obj, name);
  return key === undefined ? undefined : obj[key];
}

/** The values a filter compares: one per element for multi-valued attributes, the sub-attribute when named. */
function targetValues(res: Json, t: FilterTarget): unknown[] {
  const raw = readAttr(res, t.r);
  if (raw === undefined) return [];
  if (t.r.def.multiValued) {
    const list = Array.isArray(raw) ? raw : [raw];
    if (!t.subName) return list;
    return list.map((el) => (isRecord(el) ? readKey(el, t.subName!) : undefined));
  }
  if (t.subName) return isRecord(raw) ? [readKey(raw, t.subName)] : [];
  return [raw];
}

function validateInnerShape(node: FilterNode): void {
  if (node.kind === 'valuePath') throw invalidFilter('value filters cannot nest');
  if (node.kind === 'and' || node.kind === 'or') node.operands.forEach(validateInnerShape);
  if (node.kind === 'not') validateInnerShape(node.operand);
}
