/** Shapes shared by the users and groups stores. */
export type Json = Record<string, unknown>;

/** A stored resource: `data` is the resource JSON without `id`, `meta` and the derived `groups` / `members`. */
export interface StoredResource {
  id: string;
  created: string;
  lastModified: string;
  version: number;
  data: Json;
}

/** A WHERE fragment (from the filter compiler) appended to `account_id = ?`; always parameterised. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

export interface ListQuery {
  where?: SqlFragment | undefined;
  /** An ORDER BY body from the sort compiler; the store appends `created, id` so the order is total and stable. */
  orderBy?: SqlFragment | undefined;
  /** 0-based offset and page size; `limit` 0 asks for the total only. */
  offset: number;
  limit: number;
}

export interface ListResult<T> {
  total: number;
  items: T[];
}

export interface ResourceRow {
  id: string;
  created: string;
  last_modified: string;
  version: number;
  data: string;
}

export function fromRow(row: ResourceRow): StoredResource {
  return {
    id: row.id,
    created: row.created,
    lastModified: row.last_modified,
    version: row.version,
    data: JSON.parse(row.data) as Json,
  };
}

/** SQLite's bound-parameter limit is 32766; stay well below it when expanding `IN (...)` lists. */
export const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
