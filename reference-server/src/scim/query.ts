import { type FilterNode, type FilterOptions, filterToSql, parseFilter, type SqlFragment, tableFor } from '../protocol/filter/index.ts';
import { paginate } from '../protocol/pagination.ts';
import { parseSort, sortToSql } from '../protocol/sort.ts';
import type { ListQuery, ListResult, StoredResource } from '../store/resources.ts';
import type { ScimContext } from './auth.ts';
import type { ListParams } from './list.ts';
import type { ResourceKind } from './resource-types.ts';

/** Seams of the list query: none is set in the correct service. */
export interface ListQueryOptions {
  /** Filter compiler options (attributes compared case-exactly). */
  filter?: FilterOptions;
  /** Rewrites the filter text before it is parsed. */
  filterText?: (filter: string) => string;
  /** Narrows a parsed filter's WHERE; `compile` turns more filter text into SQL for the same table. */
  narrow?: (kind: ResourceKind, parsed: FilterNode, where: SqlFragment, compile: (filter: string) => SqlFragment) => SqlFragment;
}

/**
 * Turns list parameters into the store's query through the protocol engines: WHERE from the filter compiler,
 * ORDER BY from the sort compiler (the store breaks ties by creation, then id) and RFC 7644 §3.4.2.4 paging.
 */
export function compileListQuery(kind: ResourceKind, params: ListParams, maxResults: number, seams: ListQueryOptions = {}): ListQuery & { startIndex: number } {
  const table = tableFor(kind);
  const options = seams.filter ?? {};
  const filter = params.filter !== undefined && seams.filterText ? seams.filterText(params.filter) : params.filter;
  const parsed = filter === undefined ? undefined : parseFilter(filter);
  let where = parsed === undefined ? undefined : filterToSql(parsed, table, options);
  if (where && parsed && seams.narrow) where = seams.narrow(kind, parsed, where, (more) => filterToSql(parseFilter(more), table, options));
  const sort = parseSort(kind, params.sortBy, params.sortOrder);
  const orderBy = sort && sortToSql(sort, table);
  const { startIndex, offset, limit } = paginate(params, maxResults);
  return { where, orderBy, startIndex, offset, limit };
}

/** One resource type's side of a list: fetch a page from the store and render each resource. */
export interface Lister {
  kind: ResourceKind;
  fetch(ctx: ScimContext, query: ReturnType<typeof compileListQuery>): ListResult<StoredResource>;
  render(ctx: ScimContext, stored: StoredResource, params: ListParams): Record<string, unknown>;
}
