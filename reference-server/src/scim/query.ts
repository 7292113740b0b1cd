import type { Defects } from '../defects.ts';
import { filterToSql, parseFilter, tableFor } from '../protocol/filter/index.ts';
import type { ListQuery } from '../store/resources.ts';
import type { ListParams } from './list.ts';
import type { ResourceKind } from './resource-types.ts';

/** RFC 7644 §3.4.2.4: 1-based startIndex (<1 means 1), count >= 0 (negative means 0), capped at maxResults. */
export function page(params: ListParams, maxResults: number): { startIndex: number; offset: number; limit: number } {
  const startIndex = Math.max(1, params.startIndex ?? 1);
  const count = Math.min(Math.max(0, params.count ?? maxResults), maxResults);
  return { startIndex, offset: startIndex - 1, limit: count };
}

/** Turns list parameters into the store's query: WHERE from the filter engine, ORDER BY from the sort engine. */
export function compileListQuery(kind: ResourceKind, params: ListParams, maxResults: number, defects: Defects): ListQuery & { startIndex: number } {
  const where =
    params.filter === undefined
      ? undefined
      : filterToSql(parseFilter(params.filter), tableFor(kind), { caseSensitiveUserName: defects.has('filter-username-case-sensitive') });
  const { startIndex, offset, limit } = page(params, maxResults);
  return { where, startIndex, offset, limit };
}
