import type { Db } from '../store/db.ts';

/** One row of the Users tab: what the app shows about a person, whatever created them. */
export interface DirectoryUser {
  id: string;
  userName: string;
  name: string;
  email: string | null;
  status: 'Active' | 'Disabled';
  regions: string[];
  source: 'SCIM' | 'manual';
}

export interface Region {
  id: string;
  name: string;
  members: number;
}

interface Row {
  id: string;
  user_name: string;
  display_name: string | null;
  active: number | null;
  data: string;
  manual: number;
}

type Email = { value?: unknown; primary?: unknown };
type Name = { formatted?: unknown; givenName?: unknown; familyName?: unknown };

/** The address the app writes to: the primary email, else the first, else a userName that looks like an address. */
export function preferredEmail(data: Record<string, unknown>): string | null {
  const emails = Array.isArray(data.emails) ? (data.emails as Email[]) : [];
  const pick = emails.find((e) => e?.primary === true && typeof e.value === 'string') ?? emails.find((e) => typeof e?.value === 'string');
  if (pick) return pick.value as string;
  return typeof data.userName === 'string' && data.userName.includes('@') ? data.userName : null;
}

export function personName(data: Record<string, unknown>, userName: string): string {
  if (typeof data.displayName === 'string' && data.displayName.trim()) return data.displayName;
  const name = (data.name ?? {}) as Name;
  if (typeof name.formatted === 'string' && name.formatted.trim()) return name.formatted;
  const parts = [name.givenName, name.familyName].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return parts.length ? parts.join(' ') : userName;
}

/**
 * A userName prefix search as a range of the (account_id, user_name_norm) index: the names that start with the
 * lowercased prefix are those >= it and below the next string after all of them. (A LIKE on this BINARY column
 * cannot use the index: every page and its total scanned all of the account's users.) Wildcards are plain text.
 */
function userNamePrefix(search: string | undefined): { sql: string; params: string[] } {
  if (!search) return { sql: '', params: [] };
  const low = search.toLowerCase();
  const above = nextAfterPrefix(low);
  return above === undefined
    ? { sql: ' AND user_name_norm >= ?', params: [low] }
    : { sql: ' AND user_name_norm >= ? AND user_name_norm < ?', params: [low, above] };
}

/**
 * The least string above every string that starts with `prefix`, in code point order (SQLite's BINARY order of
 * UTF-8): the prefix with its last code point below U+10FFFF raised by one, or undefined if there is none.
 */
function nextAfterPrefix(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    // the surrogate range holds no code point a stored string can contain
    if (last < 0x10ffff) return String.fromCodePoint(...points, last === 0xd7ff ? 0xe000 : last + 1);
  }
  return undefined;
}

/** Read side of the Users and Regions tabs, straight from the store's tables. Regions are SCIM Groups. */
export class Directory {
  constructor(private readonly db: Db) {}

  /** One page of the Users tab in userName order; `search` matches the start of the userName (case-insensitive). */
  users(accountId: string, page: { offset: number; limit: number; search?: string | undefined }): { total: number; users: DirectoryUser[] } {
    const prefix = userNamePrefix(page.search);
    const total = this.db
      .prepare(`SELECT count(*) FROM users WHERE account_id = ?${prefix.sql}`)
      .pluck()
      .get(accountId, ...prefix.params) as number;
    const rows = this.db
      .prepare(
        `SELECT u.id, u.user_name, u.display_name, u.active, u.data,
                EXISTS (SELECT 1 FROM manual_users m WHERE m.account_id = u.account_id AND m.user_id = u.id) AS manual
         FROM users u WHERE u.account_id = ?${prefix.sql}
         ORDER BY u.user_name_norm LIMIT ? OFFSET ?`,
      )
      .all(accountId, ...prefix.params, page.limit, page.offset) as Row[];
    const regions = this.regionNamesByUser(
      accountId,
      rows.map((r) => r.id),
    );
    return { total, users: rows.map((r) => this.toUser(r, regions.get(r.id) ?? [])) };
  }

  user(accountId: string, id: string): DirectoryUser | undefined {
    const row = this.db
      .prepare(
        `SELECT u.id, u.user_name, u.display_name, u.active, u.data,
                EXISTS (SELECT 1 FROM manual_users m WHERE m.account_id = u.account_id AND m.user_id = u.id) AS manual
         FROM users u WHERE u.account_id = ? AND u.id = ?`,
      )
      .get(accountId, id) as Row | undefined;
    return row && this.toUser(row, this.regionNamesByUser(accountId, [id]).get(id) ?? []);
  }

  /** userName is not case-exact (RFC 7643 §4.1.1), so the lookup is not either. */
  userByUserName(accountId: string, userName: string): DirectoryUser | undefined {
    const id = this.db.prepare('SELECT id FROM users WHERE account_id = ? AND user_name_norm = ?').pluck().get(accountId, userName.toLowerCase()) as
      | string
      | undefined;
    return id === undefined ? undefined : this.user(accountId, id);
  }

  /** Finds the person an IdP's ID token names: by userName, then by any email address. */
  userForSignIn(accountId: string, identifiers: string[]): DirectoryUser | undefined {
    for (const ident of identifiers) {
      const byName = this.userByUserName(accountId, ident);
      if (byName) return byName;
    }
    for (const ident of identifiers) {
      const id = this.db
        .prepare(
          `SELECT u.id FROM users u, json_each(u.data, '$.emails') e
           WHERE u.account_id = ? AND lower(json_extract(e.value, '$.value')) = lower(?) LIMIT 1`,
        )
        .pluck()
        .get(accountId, ident) as string | undefined;
      if (id !== undefined) return this.user(accountId, id);
    }
    return undefined;
  }

  regions(accountId: string): Region[] {
    const rows = this.db
      .prepare(
        `SELECT g.id, g.display_name AS name,
                (SELECT count(*) FROM group_members m WHERE m.account_id = g.account_id AND m.group_id = g.id) AS members
         FROM groups g WHERE g.account_id = ? ORDER BY g.display_name, g.id`,
      )
      .all(accountId) as Region[];
    return rows;
  }

  private toUser(r: Row, regions: string[]): DirectoryUser {
    const data = JSON.parse(r.data) as Record<string, unknown>;
    return {
      id: r.id,
      userName: r.user_name,
      name: personName(data, r.user_name),
      email: preferredEmail(data),
      // SCIM's `active` absent means the IdP never said otherwise: the user is Active.
      status: r.active === 0 ? 'Disabled' : 'Active',
      regions,
      source: r.manual ? 'manual' : 'SCIM',
    };
  }

  /** Region names of these users, in one query for a whole page of the Users tab (not one per row). */
  private regionNamesByUser(accountId: string, userIds: string[]): Map<string, string[]> {
    const rows = this.db
      .prepare(
        `SELECT m.member_id, g.display_name FROM group_members m JOIN groups g ON g.account_id = m.account_id AND g.id = m.group_id
         WHERE m.account_id = ? AND m.member_id IN (SELECT value FROM json_each(?)) ORDER BY g.display_name`,
      )
      .all(accountId, JSON.stringify(userIds)) as { member_id: string; display_name: string }[];
    const map = new Map<string, string[]>();
    for (const r of rows) map.set(r.member_id, [...(map.get(r.member_id) ?? []), r.display_name]);
    return map;
  }
}
