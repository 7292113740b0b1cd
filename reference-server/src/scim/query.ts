import type { Defects } from '../defects.ts';
import { filterToSql, parseFilter, tableFor } from '../protocol/filter/index.ts';
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
  const where =
    params.filter === undefined
      ? undefined
      : filterToSql(parseFilter(params.filter), table, { caseSensitiveUserName: defects.has('filter-username-case-sensitive') });
  const sort = parseSort(kind, params.sortBy, params.sortOrder);
  const orderBy = sort && sortToSql(sort, table);
  const { startIndex, offset, limit } = paginate(params, maxResults);
  return { where, orderBy, startIndex, offset, limit };
}
