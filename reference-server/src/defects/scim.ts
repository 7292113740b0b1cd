/**
 * The SCIM defects that are not plain HTTP hooks: list filters, listers, the user delete, and a Patcher subclass
 * for the PATCH engine. `scimSeams` turns a set of defects into the ScimSeams the SCIM plugin takes.
 */
import { ScimError } from '../errors.ts';
import type { FilterNode } from '../protocol/filter/index.ts';
import { attributeName, Patcher, type PatchOpName, type PatchPath } from '../protocol/patch/index.ts';
import type { MemberRef } from '../protocol/patch/members.ts';
import type { ResolvedAttr } from '../protocol/attributes.ts';
import type { ScimSeams } from '../scim/deps.ts';
import type { Lister } from '../scim/search.ts';
import { httpDefects } from './http.ts';
import type { Defects } from './index.ts';

type Json = Record<string, unknown>;

export function scimSeams(defects: Defects): ScimSeams {
  if (defects.size === 0) return {};
  return {
    hooks: (scope) => httpDefects(scope, defects),
    listQuery: {
      filter: {
        caseSensitiveUserName: defects.has('filter-username-case-sensitive'),
        caseSensitiveGroupDisplayName: defects.has('group-filter-displayname-case-sensitive'),
      },
      ...(defects.has('filter-datetime-ignores-offset') ? { filterText: dropUtcOffsets } : {}),
      ...(defects.has('filter-hides-inactive-users')
        ? {
            narrow: (kind, parsed, where, compile) => {
              if (kind !== 'User' || !isUserLookup(parsed)) return where;
              const inactive = compile('active eq false');
              return { sql: `(${where.sql}) AND NOT (${inactive.sql})`, params: [...where.params, ...inactive.params] };
            },
          }
        : {}),
    },
    patch: {
      opCaseSensitive: defects.has('patch-op-case-sensitive'),
      patcher: class extends DefectivePatcher {
        protected override readonly defects = defects;
      },
    },
    lister: (lister) => (lister.kind === 'Group' && defects.has('ignores-excluded-members') ? membersAlwaysReturned(lister) : lister),
    userDeleteKeepsMemberships: defects.has('delete-user-keeps-memberships'),
  };
}

/**
 * `filter-hides-inactive-users` applies to the lookups IdPs send, one `eq` on userName or externalId, as a
 * "find the active user by name" query would.
 */
function isUserLookup(node: FilterNode): boolean {
  return node.kind === 'compare' && node.op === 'eq' && ['username', 'externalid'].includes(node.path.attr.toLowerCase());
}

/** `filter-datetime-ignores-offset`: "2026-01-01T01:00:00+01:00" is read as "2026-01-01T01:00:00Z". */
function dropUtcOffsets(filter: string): string {
  return filter.replace(/("\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)[+-]\d{2}:?\d{2}"/g, '$1Z"');
}

/** `ignores-excluded-members`: a Group render never honours excludedAttributes=members. */
function membersAlwaysReturned(lister: Lister): Lister {
  return {
    ...lister,
    render: (ctx, stored, asked) =>
      lister.render(ctx, stored, { ...asked, excludedAttributes: asked.excludedAttributes?.filter((a) => a.toLowerCase() !== 'members') }),
  };
}

/** The PATCH defects, each an override of one Patcher seam. */
abstract class DefectivePatcher extends Patcher {
  protected abstract readonly defects: Defects;

  /** `nopath-dotted-keys-ignored` */
  protected override noPathTarget(key: string): ResolvedAttr | undefined {
    if (this.defects.has('nopath-dotted-keys-ignored') && !key.toLowerCase().startsWith('urn:') && key.includes('.')) return undefined;
    return super.noPathTarget(key);
  }

  /** `patch-rejects-string-booleans` */
  protected override set(op: PatchOpName, path: PatchPath, value: unknown): void {
    const leaf = path.subAfter ?? path.r.sub ?? path.r.def;
    if (this.defects.has('patch-rejects-string-booleans') && leaf.type === 'boolean' && typeof value === 'string') {
      throw new ScimError('invalidValue', `'${path.text}' must be a boolean`);
    }
    super.set(op, path, value);
  }

  /** `valuepath-add-notarget` */
  protected override addUnmatched(path: PatchPath, value: unknown): Json {
    if (this.defects.has('valuepath-add-notarget')) throw new ScimError('noTarget', `'${path.text}' matches no value (RFC 7644 §3.5.2.3)`);
    return super.addUnmatched(path, value);
  }

  /** `group-replace-rejects-id` */
  protected override readOnlyOp(op: PatchOpName, path: PatchPath, value: unknown): void {
    if (this.defects.has('group-replace-rejects-id') && this.ctx.kind === 'Group') {
      throw new ScimError('mutability', `'${path.text}': ${attributeName(path)} is readOnly`);
    }
    super.readOnlyOp(op, path, value);
  }

  /** `patch-members-filter-remove-ignored` */
  protected override removeMatchingMembers(filter: FilterNode): void {
    if (!this.defects.has('patch-members-filter-remove-ignored')) super.removeMatchingMembers(filter);
  }

  /** `patch-remove-value-list-removes-all` */
  protected override removeListedMembers(value: unknown, text: string): void {
    if (this.defects.has('patch-remove-value-list-removes-all')) this.members.replace([]);
    else super.removeListedMembers(value, text);
  }

  /** `patch-add-members-replaces` */
  protected override addMembers(refs: MemberRef[]): void {
    if (this.defects.has('patch-add-members-replaces')) this.members.replace(refs);
    else super.addMembers(refs);
  }

  /** `username-patch-immutable` */
  override check(): void {
    super.check();
    if (this.defects.has('username-patch-immutable') && this.ctx.kind === 'User' && this.res.userName !== this.original.userName) {
      throw new ScimError('mutability', 'userName cannot be changed');
    }
  }
}
