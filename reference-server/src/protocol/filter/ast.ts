import type { AttrPath } from '../attributes.ts';

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type Literal = string | number | boolean | null;

/**
 * A parsed RFC 7644 §3.4.2.2 filter. `and` / `or` are n-ary (flattened), so long chains never make deep trees.
 * Inside a `valuePath`, paths are relative to one element of the multi-valued attribute. The Entra form
 * `emails[type eq "work"].value eq "x"` parses to `valuePath(emails, and(type eq "work", value eq "x"))`:
 * both conditions hold on the same element.
 */
export type FilterNode =
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: Literal }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'and'; operands: FilterNode[] }
  | { kind: 'or'; operands: FilterNode[] }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'valuePath'; path: AttrPath; filter: FilterNode };

export const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
