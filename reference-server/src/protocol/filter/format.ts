import { formatPath } from '../attributes.ts';
import type { FilterNode, Literal } from './ast.ts';

function literal(v: Literal): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Prints a filter back to RFC 7644 text (fully parenthesised); `parseFilter(formatFilter(n))` is equivalent to `n`. */
export function formatFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'compare':
      return `${formatPath(node.path)} ${node.op} ${literal(node.value)}`;
    case 'present':
      return `${formatPath(node.path)} pr`;
    case 'and':
    case 'or':
      return node.operands.map((n) => `(${formatFilter(n)})`).join(` ${node.kind} `);
    case 'not':
      return `not (${formatFilter(node.operand)})`;
    case 'valuePath':
      return `${formatPath(node.path)}[${formatFilter(node.filter)}]`;
  }
}
