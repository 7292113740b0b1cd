import { nextModified, now, statementCache, type Db } from './db.ts';
import { resourceLister } from './paging.ts';
import { chunks, fromRow, placeholders, type Json, type ListQuery, type ListResult, type ResourceRow, type StoredResource } from './resources.ts';
import { touchGroups } from './users.ts';

export type MemberType = 'User' | 'Group';

export interface Member {
  id: string;
  type: MemberType;
}

export interface MemberView extends Member {
  /** The member's displayName (userName for users without one). */
  display: string | null;
}

/** Member changes as rows: applied in the order removeAll/replaceAll, remove, add. */
export interface MemberChange {
  removeAll?: boolean;
  replaceAll?: Member[];
  remove?: string[];
  add?: Member[];
}

export interface GroupsStore {
  insert(accountId: string, id: string, data: Json, members: readonly Member[]): StoredResource;
  get(accountId: string, id: string): StoredResource | undefined;
  /** Replaces `data` and bumps the version; member rows are changed only through `changeMembers`. */
  update(accountId: string, id: string, data: Json): StoredResource;
  /** Applies a member change; returns the ids whose membership actually changed. Bumps the version if any did. */
  changeMembers(accountId: string, id: string, change: MemberChange): { added: string[]; removed: string[] };
  delete(accountId: string, id: string): boolean;
  list(accountId: string, query: ListQuery): ListResult<StoredResource>;
  members(accountId: string, id: string): MemberView[];
  /** Only the member ids: no joins, for deletes of large groups. */
  memberIds(accountId: string, id: string): string[];
  /** Resolves which of `ids` are users or groups of the account. */
  memberTypes(accountId: string, ids: readonly string[]): Map<string, MemberType>;
}

export function groupsStore(db: Db): GroupsStore {
  const insert = db.prepare(`INSERT INTO groups (account_id, id, display_name, external_id, created, last_modified, version, data)
    VALUES (?, ?, ?, ?, ?, ?, 1, ?)`);
  const update = db.prepare(`UPDATE groups SET display_name = ?, external_id = ?, last_modified = ${nextModified('?')}, version = version + 1, data = ?
    WHERE account_id = ? AND id = ?`);
  const bump = db.prepare(`UPDATE groups SET last_modified = ${nextModified('?')}, version = version + 1 WHERE account_id = ? AND id = ?`);
  const get = db.prepare('SELECT id, created, last_modified, version, data FROM groups WHERE account_id = ? AND id = ?');
  const lister = resourceLister(db, 'groups');
  const del = db.prepare('DELETE FROM groups WHERE account_id = ? AND id = ?');
  const addMember = db.prepare('INSERT OR IGNORE INTO group_members (account_id, group_id, member_id, member_type) VALUES (?, ?, ?, ?)');
  const removeMember = db.prepare('DELETE FROM group_members WHERE account_id = ? AND group_id = ? AND member_id = ?');
  const memberIds = db.prepare('SELECT member_id FROM group_members WHERE account_id = ? AND group_id = ?').pluck();
  const removeAll = db.prepare('DELETE FROM group_members WHERE account_id = ? AND group_id = ?');
  const asMember = db.prepare('DELETE FROM group_members WHERE account_id = ? AND member_id = ?');
  const parentsOf = db.prepare('SELECT group_id FROM group_members WHERE account_id = ? AND member_id = ?').pluck();
  const prepared = statementCache(db, 64);
  const members = db.prepare(`SELECT m.member_id AS id, m.member_type AS type, COALESCE(u.display_name, u.user_name, g.display_name) AS display
    FROM group_members m
    LEFT JOIN users u ON m.member_type = 'User' AND u.account_id = m.account_id AND u.id = m.member_id
    LEFT JOIN groups g ON m.member_type = 'Group' AND g.account_id = m.account_id AND g.id = m.member_id
    WHERE m.account_id = ? AND m.group_id = ? ORDER BY m.member_id`);

  const columns = (data: Json) => [typeof data.displayName === 'string' ? data.displayName : '', typeof data.externalId === 'string' ? data.externalId : null];

  const store: GroupsStore = {
    insert(accountId, id, data, initial) {
      const ts = now();
      insert.run(accountId, id, ...columns(data), ts, ts, JSON.stringify(data));
      for (const m of initial) addMember.run(accountId, id, m.id, m.type);
      return { id, created: ts, lastModified: ts, version: 1, data };
    },
    get(accountId, id) {
      const row = get.get(accountId, id) as ResourceRow | undefined;
      return row && fromRow(row);
    },
    update(accountId, id, data) {
      update.run(...columns(data), now(), JSON.stringify(data), accountId, id);
      return store.get(accountId, id)!;
    },
    changeMembers(accountId, id, change) {
      const added: string[] = [];
      const removed: string[] = [];
      if (change.removeAll || change.replaceAll) {
        const before = new Set(memberIds.all(accountId, id) as string[]);
        const keep = new Set((change.replaceAll ?? []).map((m) => m.id));
        for (const old of before) if (!keep.has(old)) removed.push(old);
        removeAll.run(accountId, id);
        for (const m of change.replaceAll ?? []) {
          addMember.run(accountId, id, m.id, m.type);
          if (!before.has(m.id)) added.push(m.id);
        }
      }
      for (const memberId of change.remove ?? []) if (removeMember.run(accountId, id, memberId).changes > 0) removed.push(memberId);
      for (const m of change.add ?? []) if (addMember.run(accountId, id, m.id, m.type).changes > 0) added.push(m.id);
      if (added.length > 0 || removed.length > 0) bump.run(now(), accountId, id);
      return { added, removed };
    },
    delete(accountId, id) {
      // Nested groups: the deleted group leaves every parent group as well.
      const parents = parentsOf.all(accountId, id) as string[];
      asMember.run(accountId, id);
      touchGroups(prepared, accountId, parents);
      return del.run(accountId, id).changes > 0;
    },
    list: (accountId, query) => lister.list(accountId, query),
    members(accountId, id) {
      return members.all(accountId, id) as MemberView[];
    },
    memberIds(accountId, id) {
      return memberIds.all(accountId, id) as string[];
    },
    memberTypes(accountId, ids) {
      const found = new Map<string, MemberType>();
      for (const part of chunks(ids)) {
        const ph = placeholders(part.length);
        const rows = prepared(`SELECT id, 'User' AS type FROM users WHERE account_id = ? AND id IN (${ph})
                    UNION ALL SELECT id, 'Group' AS type FROM groups WHERE account_id = ? AND id IN (${ph})`).all(
          accountId,
          ...part,
          accountId,
          ...part,
        ) as Member[];
        for (const r of rows) found.set(r.id, r.type);
      }
      return found;
    },
  };
  return store;
}
