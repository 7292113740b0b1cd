import { ScimError } from '../errors.ts';
import { nextModified, now, statementCache, type Db, type Statement } from './db.ts';
import { resourceLister } from './paging.ts';
import { chunks, fromRow, placeholders, type Json, type ListQuery, type ListResult, type ResourceRow, type StoredResource } from './resources.ts';

export interface UserGroupRef {
  id: string;
  displayName: string;
}

export interface UsersStore {
  insert(accountId: string, id: string, data: Json, passwordHash?: string): StoredResource;
  get(accountId: string, id: string): StoredResource | undefined;
  /** Replaces `data`; `passwordHash` undefined keeps the stored one. Bumps the version. */
  update(accountId: string, id: string, data: Json, passwordHash?: string): StoredResource;
  delete(accountId: string, id: string, opts?: { keepMemberships?: boolean }): boolean;
  list(accountId: string, query: ListQuery): ListResult<StoredResource>;
  groupsOf(accountId: string, userId: string): UserGroupRef[];
  /** `groupsOf` for many users in one query (a page of a list); users in no group are absent from the map. */
  groupsOfMany(accountId: string, userIds: readonly string[]): Map<string, UserGroupRef[]>;
  /** Marks users changed because their derived `groups` changed (new version and lastModified). */
  touch(accountId: string, ids: readonly string[], at?: string): void;
  existing(accountId: string, ids: readonly string[]): Set<string>;
  count(accountId: string): number;
}

/** Columns mirrored from `data` so filters, sorting and uniqueness can use indexes. */
function columns(data: Json) {
  const userName = typeof data.userName === 'string' ? data.userName : '';
  return {
    user_name: userName,
    user_name_norm: userName.toLowerCase(),
    external_id: typeof data.externalId === 'string' ? data.externalId : null,
    display_name: typeof data.displayName === 'string' ? data.displayName : null,
    active: typeof data.active === 'boolean' ? (data.active ? 1 : 0) : null,
  };
}

function uniqueness(err: unknown, userName: unknown): never {
  if (err instanceof Error && (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
    throw new ScimError('uniqueness', `userName '${String(userName)}' is already taken in this account`);
  }
  throw err;
}

export function usersStore(db: Db): UsersStore {
  const insert = db.prepare(`INSERT INTO users (account_id, id, user_name, user_name_norm, external_id, display_name, active,
      created, last_modified, version, data, password_hash)
    VALUES (@account_id, @id, @user_name, @user_name_norm, @external_id, @display_name, @active, @ts, @ts, 1, @data, @password_hash)`);
  const update = db.prepare(`UPDATE users SET user_name = @user_name, user_name_norm = @user_name_norm, external_id = @external_id,
      display_name = @display_name, active = @active, last_modified = ${nextModified('@ts')}, version = version + 1, data = @data,
      password_hash = COALESCE(@password_hash, password_hash)
    WHERE account_id = @account_id AND id = @id`);
  const get = db.prepare('SELECT id, created, last_modified, version, data FROM users WHERE account_id = ? AND id = ?');
  const lister = resourceLister(db, 'users');
  const del = db.prepare('DELETE FROM users WHERE account_id = ? AND id = ?');
  const delMemberships = db.prepare('DELETE FROM group_members WHERE account_id = ? AND member_id = ?');
  const prepared = statementCache(db, 64);
  const groupsOfUser = db.prepare(`SELECT g.id, g.display_name FROM group_members m
      JOIN groups g ON g.account_id = m.account_id AND g.id = m.group_id
    WHERE m.account_id = ? AND m.member_id = ? ORDER BY g.display_name, g.id`);

  const store: UsersStore = {
    insert(accountId, id, data, passwordHash) {
      const ts = now();
      try {
        insert.run({ account_id: accountId, id, ...columns(data), ts, data: JSON.stringify(data), password_hash: passwordHash ?? null });
      } catch (err) {
        uniqueness(err, data.userName);
      }
      return { id, created: ts, lastModified: ts, version: 1, data };
    },
    get(accountId, id) {
      const row = get.get(accountId, id) as ResourceRow | undefined;
      return row && fromRow(row);
    },
    update(accountId, id, data, passwordHash) {
      try {
        const params = { account_id: accountId, id, ...columns(data), ts: now(), data: JSON.stringify(data), password_hash: passwordHash ?? null };
        if (update.run(params).changes === 0) throw new ScimError('notFound', `User ${id} not found`);
      } catch (err) {
        uniqueness(err, data.userName);
      }
      return store.get(accountId, id)!;
    },
    delete(accountId, id, opts = {}) {
      if (!opts.keepMemberships) {
        const groups = groupsOfUser.all(accountId, id) as { id: string }[];
        delMemberships.run(accountId, id);
        touchGroups(
          prepared,
          accountId,
          groups.map((g) => g.id),
        );
      }
      return del.run(accountId, id).changes > 0;
    },
    list: (accountId, query) => lister.list(accountId, query),
    groupsOf(accountId, userId) {
      return (groupsOfUser.all(accountId, userId) as { id: string; display_name: string }[]).map((g) => ({ id: g.id, displayName: g.display_name }));
    },
    groupsOfMany(accountId, userIds) {
      const out = new Map<string, UserGroupRef[]>();
      for (const part of chunks(userIds)) {
        const rows = prepared(`SELECT m.member_id, g.id, g.display_name FROM group_members m
            JOIN groups g ON g.account_id = m.account_id AND g.id = m.group_id
          WHERE m.account_id = ? AND m.member_id IN (${placeholders(part.length)}) ORDER BY g.display_name, g.id`).all(accountId, ...part) as {
          member_id: string;
          id: string;
          display_name: string;
        }[];
        for (const r of rows) {
          const refs = out.get(r.member_id) ?? [];
          refs.push({ id: r.id, displayName: r.display_name });
          out.set(r.member_id, refs);
        }
      }
      return out;
    },
    touch(accountId, ids, at = now()) {
      for (const part of chunks(ids)) {
        prepared(
          `UPDATE users SET version = version + 1, last_modified = ${nextModified('?')} WHERE account_id = ? AND id IN (${placeholders(part.length)})`,
        ).run(at, accountId, ...part);
      }
    },
    existing(accountId, ids) {
      const found = new Set<string>();
      for (const part of chunks(ids)) {
        const rows = prepared(`SELECT id FROM users WHERE account_id = ? AND id IN (${placeholders(part.length)})`, 'pluck').all(
          accountId,
          ...part,
        ) as string[];
        for (const r of rows) found.add(r);
      }
      return found;
    },
    count: (accountId) => lister.total(accountId),
  };
  return store;
}

/** A group's representation includes its members, so a member leaving changes the group's version too. */
export function touchGroups(prepared: (sql: string) => Statement, accountId: string, ids: readonly string[], at = now()): void {
  for (const part of chunks(ids)) {
    prepared(`UPDATE groups SET version = version + 1, last_modified = ${nextModified('?')} WHERE account_id = ? AND id IN (${placeholders(part.length)})`).run(
      at,
      accountId,
      ...part,
    );
  }
}
