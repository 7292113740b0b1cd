/**
 * PATCH paths (RFC 7644 §3.5.2 PATH = attrPath / valuePath [subAttr]): `title`, `name.familyName`,
 * `emails[type eq "work"]`, `emails[type eq "work"].value`, `urn:...:enterprise:2.0:User:manager`,
 * `members[value eq "id"]`. Malformed or unknown paths are 400 invalidPath.
 */
import { ScimError } from '../../errors.ts';
import type { AttributeDefinition } from '../../schema/types.ts';
import { findSub, resolvePath, splitPath, type ResolvedAttr, type ResourceKind } from '../attributes.ts';
import type { FilterNode } from '../filter/ast.ts';
import { validateElement } from '../filter/evaluate.ts';
import { parseFilter } from '../filter/parser.ts';

export interface PatchPath {
  text: string;
  /** The attribute; `r.sub` is set for `attr.sub` (no filter). */
  r: ResolvedAttr;
  /** The value filter of `attr[filter]`. */
  filter?: FilterNode;
  /** The sub-attribute after `attr[filter].sub`. */
  subAfter?: AttributeDefinition;
}

function invalidPath(detail: string): ScimError {
  return new ScimError('invalidPath', detail);
}

/** Index of the `]` closing the `[` at `open`, skipping brackets inside string literals. */
function closingBracket(text: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ']') return i;
  }
  return -1;
}

function wrapFilterError(text: string, fn: () => FilterNode): FilterNode {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ScimError) throw invalidPath(`'${text}': ${e.message}`);
    throw e;
  }
}

export function parsePatchPath(text: string, kind: ResourceKind): PatchPath {
  const open = text.indexOf('[');
  const attrText = open < 0 ? text : text.slice(0, open);
  const ap = splitPath(attrText.trim());
  if (!ap) throw invalidPath(`'${text}' is not a valid attribute path`);
  const r = resolvePath(kind, ap);
  if (!r) throw invalidPath(`'${text}': no attribute '${attrText}' in the ${kind} schemas`);
  if (open < 0) return { text, r };

  if (r.sub) throw invalidPath(`'${text}': a value filter applies to an attribute, not to a sub-attribute`);
  if (r.def.type !== 'complex') throw invalidPath(`'${text}': a value filter needs a complex attribute`);
  const close = closingBracket(text, open);
  if (close < 0) throw invalidPath(`'${text}': missing ']'`);
  const filterText = text.slice(open + 1, close);
  const filter = wrapFilterError(text, () => {
    const node = parseFilter(filterText);
    validateElement(node, r.def);
    return node;
  });
  const rest = text.slice(close + 1);
  if (rest === '') return { text, r, filter };
  const m = /^\.([A-Za-z$][A-Za-z0-9_$-]*)$/.exec(rest);
  if (!m) throw invalidPath(`'${text}': unexpected '${rest}' after the value filter`);
  const subAfter = findSub(r.def, m[1]!);
  if (!subAfter) throw invalidPath(`'${text}': ${r.def.name} has no sub-attribute '${m[1]}'`);
  return { text, r, filter, subAfter };
}
