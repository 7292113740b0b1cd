/**
 * Test support: an in-memory SQLite database with the layout of docs/decisions/0001 (the columns the filter
 * compiler reads), loaded from full resource JSON the same way the store splits it into columns and `data`.
 */
import Database from 'better-sqlite3';
import { USER_EMAILS_SQL } from '../../store/migrations.ts';
import { GROUPS_TABLE, USERS_TABLE, filterToSql, type FilterNode } from './index.ts';
import type { FilterOptions } from './typing.ts';

type Json = Record<string, unknown>;

export const LAYOUT_SQL = `
  CREATE TABLE users (account_id TEXT NOT NULL, id TEXT NOT NULL, user_name TEXT NOT NULL, user_name_norm TEXT NOT NULL,
    external_id TEXT, display_name TEXT, active INTEGER, created TEXT NOT NULL, last_modified TEXT NOT NULL,
    version INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (account_id, id));
  CREATE TABLE groups (account_id TEXT NOT NULL, id TEXT NOT NULL, display_name TEXT NOT NULL, external_id TEXT,
    created TEXT NOT NULL, last_modified TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (account_id, id));
  CREATE TABLE group_members (account_id TEXT NOT NULL, group_id TEXT NOT NULL, member_id TEXT NOT NULL,
    member_type TEXT NOT NULL, PRIMARY KEY (account_id, group_id, member_id)) WITHOUT ROWID;
  CREATE INDEX users_user_name_norm ON users(account_id, user_name_norm);
  CREATE INDEX users_external_id ON users(account_id, external_id);
  ${USER_EMAILS_SQL}
`;

export const ACCOUNT = 'acct-1';

function without(obj: Json, keys: string[]): Json {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));
}

export class TestDb {
  readonly db = new Database(':memory:');

  constructor() {
    this.db.exec(LAYOUT_SQL);
  }

  insertUser(u: Json, account = ACCOUNT): void {
    const meta = (u.meta ?? {}) as Json;
    const userName = String(u.userName ?? '');
    this.db
      .prepare(`INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        account,
        u.id,
        userName,
        userName.toLowerCase(),
        typeof u.externalId === 'string' ? u.externalId : null,
        typeof u.displayName === 'string' ? u.displayName : null,
        typeof u.active === 'boolean' ? (u.active ? 1 : 0) : null,
        meta.created ?? '2020-01-01T00:00:00.000Z',
        meta.lastModified ?? '2020-01-01T00:00:00.000Z',
        Number(/\d+/.exec(String(meta.version ?? '1'))?.[0] ?? 1),
        JSON.stringify(without(u, ['id', 'meta', 'groups'])),
      );
  }

  insertGroup(g: Json, account = ACCOUNT): void {
    const meta = (g.meta ?? {}) as Json;
    this.db
      .prepare(`INSERT INTO groups VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        account,
        g.id,
        String(g.displayName ?? ''),
        typeof g.externalId === 'string' ? g.externalId : null,
        meta.created ?? '2020-01-01T00:00:00.000Z',
        meta.lastModified ?? '2020-01-01T00:00:00.000Z',
        Number(/\d+/.exec(String(meta.version ?? '1'))?.[0] ?? 1),
        JSON.stringify(without(g, ['id', 'meta', 'members'])),
      );
    const members = Array.isArray(g.members) ? (g.members as Json[]) : [];
    const ins = this.db.prepare('INSERT INTO group_members VALUES (?, ?, ?, ?)');
    for (const m of members) ins.run(account, g.id, m.value, m.type ?? 'User');
  }

  /** Ids of the rows the compiled filter selects, in id order. */
  select(table: 'users' | 'groups', node: FilterNode, opts: FilterOptions = {}, account = ACCOUNT): string[] {
    const frag = filterToSql(node, table === 'users' ? USERS_TABLE : GROUPS_TABLE, opts);
    return this.db
      .prepare(`SELECT id FROM ${table} WHERE account_id = ? AND (${frag.sql}) ORDER BY id`)
      .pluck()
      .all(account, ...frag.params) as string[];
  }

  close(): void {
    this.db.close();
  }
}
