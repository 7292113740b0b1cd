import { statementCache, type Db } from './db.ts';
import { fromRow, type ListQuery, type ListResult, type ResourceRow, type StoredResource } from './resources.ts';

/**
 * Lists of users and groups (docs/decisions/0005-deep-paging). Unfiltered totals come from `list_stats` (kept by
 * triggers, migration 003) instead of COUNT(*). Pages in the default order (no filter, no sortBy: how IdPs page an
 * import) start from a keyset anchor instead of OFFSET: the `(created, id)` key at every `stride`-th position,
 * cached per account and found lazily, so a page at any offset costs one index seek plus fewer than `stride`
 * skipped index entries. Filtered or sorted lists keep COUNT(*) and LIMIT/OFFSET.
 */

export type ListTable = 'users' | 'groups';

/** Rows between anchors: small enough that skipping within a block is cheap, large enough that anchors are few. */
export const ANCHOR_STRIDE = 256;
/** Accounts whose anchors are kept per table; the least recently listed are forgotten first. */
const CACHED_ACCOUNTS = 1000;

type Key = [created: string, id: string];

interface Anchors {
  /** The `list_stats.generation` the keys were read at; any other generation means positions may have moved. */
  generation: number;
  /** `keys[b - 1]` is the key at 0-based position `b * stride - 1`: the last row before block `b`. */
  keys: Key[];
}

export interface ResourceLister {
  list(accountId: string, query: ListQuery): ListResult<StoredResource>;
  /** Rows of the account, from list_stats. */
  total(accountId: string): number;
}

const COLUMNS = 'id, created, last_modified, version, data';

export function resourceLister(db: Db, table: ListTable, stride = ANCHOR_STRIDE): ResourceLister {
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`anchor stride must be a positive integer, got ${stride}`);
  // `table` is a closed union, never client input; INDEXED BY pins the (account_id, created, id) index.
  const byKey = `${table} INDEXED BY ${table}_created`;
  const stats = db.prepare('SELECT total, generation FROM list_stats WHERE account_id = ? AND tbl = ?');
  const firstAnchor = db.prepare(`SELECT created, id FROM ${byKey} WHERE account_id = ? ORDER BY created, id LIMIT 1 OFFSET ?`).raw();
  const nextAnchor = db.prepare(`SELECT created, id FROM ${byKey} WHERE account_id = ? AND (created, id) > (?, ?) ORDER BY created, id LIMIT 1 OFFSET ?`).raw();
  const pageFromStart = db.prepare(`SELECT ${COLUMNS} FROM ${byKey} WHERE account_id = ? ORDER BY created, id LIMIT ? OFFSET ?`);
  const pageAfter = db.prepare(`SELECT ${COLUMNS} FROM ${byKey} WHERE account_id = ? AND (created, id) > (?, ?) ORDER BY created, id LIMIT ? OFFSET ?`);
  const cache = new Map<string, Anchors>();
  const prepared = statementCache(db);

  const readStats = (accountId: string) => (stats.get(accountId, table) as { total: number; generation: number } | undefined) ?? { total: 0, generation: 0 };

  /** The anchor before block `b` (b >= 1), extending the cached keys as far as needed. */
  function anchor(accountId: string, generation: number, b: number, cacheable: boolean): Key | undefined {
    const cached = cache.get(accountId);
    const valid = cached?.generation === generation ? cached : undefined;
    // Inside a caller's transaction the rows may include uncommitted writes that could roll back: read the
    // committed anchors if they are still valid, but keep whatever is found beyond them to this call.
    const entry: Anchors = valid && cacheable ? valid : { generation, keys: valid ? valid.keys.slice(0, b) : [] };
    while (entry.keys.length < b) {
      const prev = entry.keys.at(-1);
      const key = (prev ? nextAnchor.get(accountId, prev[0], prev[1], stride - 1) : firstAnchor.get(accountId, stride - 1)) as Key | undefined;
      if (!key) break;
      entry.keys.push(key);
    }
    if (cacheable) {
      cache.delete(accountId);
      cache.set(accountId, entry);
      if (cache.size > CACHED_ACCOUNTS) cache.delete(cache.keys().next().value!);
    }
    return entry.keys.length >= b ? entry.keys[b - 1] : undefined;
  }

  function defaultOrderPage(accountId: string, generation: number, offset: number, limit: number, cacheable: boolean): ResourceRow[] {
    const b = Math.floor(offset / stride);
    const key = b > 0 ? anchor(accountId, generation, b, cacheable) : undefined;
    if (!key) return pageFromStart.all(accountId, limit, offset) as ResourceRow[];
    return pageAfter.all(accountId, key[0], key[1], limit, offset - b * stride) as ResourceRow[];
  }

  function list(accountId: string, query: ListQuery, cacheable: boolean): ListResult<StoredResource> {
    const where = query.where ? ` AND (${query.where.sql})` : '';
    const whereParams = query.where?.params ?? [];
    const { total: unfiltered, generation } = readStats(accountId);
    const total = query.where
      ? (prepared(`SELECT COUNT(*) FROM ${table} WHERE account_id = ?${where}`, 'pluck').get(accountId, ...whereParams) as number)
      : unfiltered;
    if (query.limit <= 0 || query.offset >= total) return { total, items: [] };
    if (!query.where && !query.orderBy) {
      return { total, items: defaultOrderPage(accountId, generation, query.offset, query.limit, cacheable).map(fromRow) };
    }
    const order = query.orderBy ? `${query.orderBy.sql}, created, id` : 'created, id';
    const rows = prepared(`SELECT ${COLUMNS} FROM ${table} WHERE account_id = ?${where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(
      accountId,
      ...whereParams,
      ...(query.orderBy?.params ?? []),
      query.limit,
      query.offset,
    ) as ResourceRow[];
    return { total, items: rows.map(fromRow) };
  }

  // Outside a caller's transaction, one read transaction makes the generation, the anchors and the page a single
  // snapshot: a write committed by another connection in between cannot slip under the generation just read.
  const snapshotList = db.transaction((accountId: string, query: ListQuery) => list(accountId, query, true));

  return {
    list: (accountId, query) => (db.inTransaction ? list(accountId, query, false) : snapshotList(accountId, query)),
    total: (accountId) => readStats(accountId).total,
  };
}
