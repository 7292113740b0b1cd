/**
 * Index-based paging (RFC 7644 §3.4.2.4): `startIndex` is 1-based and values below 1 mean 1; a negative `count`
 * means 0; `count` is capped at the server's `filter.maxResults` (and defaults to it); `count=0` asks for
 * `totalResults` only.
 */
export interface PageRequest {
  startIndex?: number | undefined;
  count?: number | undefined;
}

export interface Page {
  /** The startIndex to echo in the ListResponse. */
  startIndex: number;
  /** 0-based row offset and row limit for the store. */
  offset: number;
  limit: number;
}

export function paginate(req: PageRequest, maxResults: number): Page {
  const start = req.startIndex === undefined || !Number.isFinite(req.startIndex) ? 1 : Math.max(1, Math.trunc(req.startIndex));
  const wanted = req.count === undefined || !Number.isFinite(req.count) ? maxResults : Math.max(0, Math.trunc(req.count));
  return { startIndex: start, offset: start - 1, limit: Math.min(wanted, maxResults) };
}
