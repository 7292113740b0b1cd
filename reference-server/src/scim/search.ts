import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ScimError } from '../errors.ts';
import type { ScimContext } from './auth.ts';
import type { ScimDeps } from './deps.ts';
import { queryParam } from './http.ts';
import { intParam, listParam, listResponse, SEARCH_REQUEST_SCHEMA, type ListParams } from './list.ts';
import { compileListQuery, type Lister } from './query.ts';

export type { Lister } from './query.ts';

/** List parameters from the query string of GET /Users, GET /Groups; unknown parameters are ignored. */
export function readListQuery(request: FastifyRequest): ListParams {
  return {
    filter: queryParam(request, 'filter'),
    startIndex: intParam('startIndex', queryParam(request, 'startIndex')),
    count: intParam('count', queryParam(request, 'count')),
    sortBy: queryParam(request, 'sortBy'),
    sortOrder: queryParam(request, 'sortOrder'),
    attributes: listParam(queryParam(request, 'attributes')),
    excludedAttributes: listParam(queryParam(request, 'excludedAttributes')),
  };
}

const attributeList = z.union([z.array(z.string()), z.string().transform((s) => listParam(s) ?? [])]);

/** RFC 7644 §3.4.3 SearchRequest body of POST .search. */
const searchRequest = z.object({
  schemas: z.array(z.string()).refine((s) => s.includes(SEARCH_REQUEST_SCHEMA), `schemas must include ${SEARCH_REQUEST_SCHEMA}`),
  filter: z.string().optional(),
  startIndex: z.number().int().optional(),
  count: z.number().int().optional(),
  sortBy: z.string().optional(),
  sortOrder: z.string().optional(),
  attributes: attributeList.optional(),
  excludedAttributes: attributeList.optional(),
});

export function readSearchBody(body: unknown): ListParams {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ScimError('invalidSyntax', 'the request body must be a SearchRequest object');
  }
  const parsed = searchRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || 'body';
    throw new ScimError(where === 'schemas' ? 'invalidSyntax' : 'invalidValue', `${where}: ${issue.message}`);
  }
  return parsed.data;
}

export function runList(deps: ScimDeps, lister: Lister, ctx: ScimContext, params: ListParams) {
  const query = compileListQuery(lister.kind, params, deps.options.maxResults, deps.seams.listQuery);
  const result = lister.fetch(ctx, query);
  return listResponse(
    result.total,
    query.startIndex,
    result.items.map((r) => lister.render(ctx, r, params)),
  );
}

/**
 * POST /.search at the root (RFC 7644 §3.4.3): Users, then Groups, paged as one list. A filter naming attributes
 * only one type has matches nothing of the other type; it is an error only if no type can evaluate it.
 */
export function runRootSearch(deps: ScimDeps, listers: Lister[], ctx: ScimContext, params: ListParams) {
  const compiled: { lister: Lister; query: ReturnType<typeof compileListQuery> }[] = [];
  let firstError: unknown;
  for (const lister of listers) {
    try {
      compiled.push({ lister, query: compileListQuery(lister.kind, params, deps.options.maxResults, deps.seams.listQuery) });
    } catch (err) {
      if (!(err instanceof ScimError) || err.scimType !== 'invalidFilter') throw err;
      firstError ??= err;
    }
  }
  if (compiled.length === 0) throw firstError;
  const startIndex = compiled[0]!.query.startIndex;
  let skip = compiled[0]!.query.offset;
  let room = compiled[0]!.query.limit;
  let total = 0;
  const resources: Record<string, unknown>[] = [];
  for (const { lister, query } of compiled) {
    const result = lister.fetch(ctx, { ...query, offset: skip, limit: room });
    total += result.total;
    resources.push(...result.items.map((r) => lister.render(ctx, r, params)));
    skip = Math.max(0, skip - result.total);
    room -= result.items.length;
  }
  return listResponse(total, startIndex, resources);
}
