import type { Defects } from '../defects/index.ts';
import { type FilterNode, filterToSql, parseFilter, tableFor } from '../protocol/filter/index.ts';
import { paginate } from '../protocol/pagination.ts';
import { parseSort, sortToSql } from '../protocol/sort.ts';
import type { ListQuery } from '../store/resources.ts';
import type { ListParams } from './list.ts';
import type { ResourceKind } from './resource-types.ts';

/**
 * Turns list parameters into the store's query through the protocol engines: WHERE from the filter compiler,
 * ORDER BY from the sort compiler (the store breaks ties by creation, then id) and RFC 7644 §3.4.2.4 paging.
 */
export function compileListQuery(kind: ResourceKind, params: ListParams, maxResults: number, defects: Defects): ListQuery & { startIndex: number } {
  const table = tableFor(kind);
  const options = {
    caseSensitiveUserName: defects.has('filter-username-case-sensitive'),
    caseSensitiveGroupDisplayName: defects.has('group-filter-displayname-case-sensitive'),
  };
  const filter = params.filter !== undefined && defects.has('filter-datetime-ignores-offset') ? dropUtcOffsets(params.filter) : params.filter;
  const parsed = filter === undefined ? undefined : parseFilter(filter);
  let where = parsed === undefined ? undefined : filterToSql(parsed, table, options);
  if (where && parsed && kind === 'User' && defects.has('filter-hides-inactive-users') && isUserLookup(parsed)) {
    const inactive = filterToSql(parseFilter('active eq false'), table, options);
    where = { sql: `(${where.sql}) AND NOT (${inactive.sql})`, params: [...where.params, ...inactive.params] };
  }
  const sort = parseSort(kind, params.sortBy, params.sortOrder);
  const orderBy = sort && sortToSql(sort, table);
  const { startIndex, offset, limit } = paginate(params, maxResults);
  return { where, orderBy, startIndex, offset, limit };
}

/**
 * The `filter-hides-inactive-users` defect applies to the lookups IdPs send, one `eq` on userName or externalId, as a
 * "find the active user by name" query would.
 */
function isUserLookup(node: FilterNode): boolean {
  return node.kind === 'compare' && node.op === 'eq' && ['username', 'externalid'].includes(node.path.attr.toLowerCase());
}

/** The `filter-datetime-ignores-offset` defect: "2026-01-01T01:00:00+01:00" is read as "2026-01-01T01:00:00Z". */
function dropUtcOffsets(filter: string): string {
  return filter.replace(/("\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)[+-]\d{2}:?\d{2}"/g, '$1Z"');
}
