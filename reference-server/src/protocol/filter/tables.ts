/**
 * Table descriptors: how the SQLite layout of docs/decisions/0001 stores each SCIM attribute, for the filter and
 * sort compilers. Attributes listed in `columns` are read from their own (indexed) column; the rest from the `data`
 * JSON by the attribute's canonical schema name (extension attributes under their schema URN key);
 * `members` (Groups) and `groups` (Users) from the `group_members` table.
 */
import type { AttributeType } from '../../schema/types.ts';
import { resolvePath, splitPath, type ResourceKind } from '../attributes.ts';

/** How a column encodes its SCIM value. */
export type ColumnEncoding =
  /** the SCIM string / dateTime as text (dateTimes are ISO-8601 UTC with milliseconds, so text order is time order) */
  | 'text'
  /** a boolean as 0 / 1 */
  | 'bool01'
  /** meta.version `W/"n"` stored as the integer n */
  | 'etagInteger';

export interface ColumnAttribute {
  /** Canonical SCIM path: `userName`, `meta.lastModified`. */
  path: string;
  column: string;
  encoding: ColumnEncoding;
  /** From the schema: drives comparison. */
  type: AttributeType;
  caseExact: boolean;
  /** A column holding `value.toLowerCase()`, used for case-insensitive comparisons (indexed). */
  foldedColumn?: string;
}

/**
 * A side table holding, per resource, the ASCII-lowercased values of one sub-attribute of a multi-valued attribute
 * (kept by triggers, store migration 004), so `emails.value eq "x"` and `emails[type eq "work"].value eq "x"`
 * find their rows through an index instead of reading every row's JSON.
 */
export interface ValueIndex {
  /** Canonical path of the sub-attribute: `emails.value`. */
  path: string;
  table: string;
  /** The column of `lower(value)` (ASCII folding, as SQLite's lower() and the filter's `ascii` mode do). */
  valueColumn: string;
  /** The column holding the resource id. */
  idColumn: string;
}

export interface TableDescriptor {
  table: 'users' | 'groups';
  kind: ResourceKind;
  dataColumn: 'data';
  columns: readonly ColumnAttribute[];
  valueIndexes?: readonly ValueIndex[];
  /** `members` on Groups, `groups` on Users: rows of `group_members`, never part of `data`. */
  membership: 'members' | 'groups';
}

function column(kind: ResourceKind, path: string, col: string, encoding: ColumnEncoding = 'text', foldedColumn?: string): ColumnAttribute {
  const p = splitPath(path);
  const r = p && resolvePath(kind, p);
  if (!r) throw new Error(`table descriptor names an attribute the ${kind} schema lacks: ${path}`);
  const def = r.sub ?? r.def;
  const out: ColumnAttribute = { path, column: col, encoding, type: def.type, caseExact: def.caseExact };
  if (foldedColumn) out.foldedColumn = foldedColumn;
  return out;
}

export const USERS_TABLE: TableDescriptor = Object.freeze({
  table: 'users',
  kind: 'User',
  dataColumn: 'data',
  membership: 'groups',
  columns: Object.freeze([
    column('User', 'id', 'id'),
    column('User', 'userName', 'user_name', 'text', 'user_name_norm'),
    column('User', 'externalId', 'external_id'),
    column('User', 'displayName', 'display_name'),
    column('User', 'active', 'active', 'bool01'),
    column('User', 'meta.created', 'created'),
    column('User', 'meta.lastModified', 'last_modified'),
    column('User', 'meta.version', 'version', 'etagInteger'),
  ]),
  valueIndexes: Object.freeze([{ path: 'emails.value', table: 'user_emails', valueColumn: 'value_lower', idColumn: 'user_id' }]),
});

export const GROUPS_TABLE: TableDescriptor = Object.freeze({
  table: 'groups',
  kind: 'Group',
  dataColumn: 'data',
  membership: 'members',
  columns: Object.freeze([
    column('Group', 'id', 'id'),
    column('Group', 'displayName', 'display_name'),
    column('Group', 'externalId', 'external_id'),
    column('Group', 'meta.created', 'created'),
    column('Group', 'meta.lastModified', 'last_modified'),
    column('Group', 'meta.version', 'version', 'etagInteger'),
  ]),
});

export function tableFor(kind: ResourceKind): TableDescriptor {
  return kind === 'User' ? USERS_TABLE : GROUPS_TABLE;
}
