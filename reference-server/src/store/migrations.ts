import type { Migration } from './db.ts';

/**
 * `user_emails`: every user's email values, ASCII-lowercased (SQLite's lower(), the filter's folding for
 * caseExact=false), kept by triggers from the `emails` of `data`, for the filter compiler's `valueIndexes`
 * (protocol/filter/tables.ts). Also used by the filter compiler's test database.
 */
export const USER_EMAILS_SQL = `
      CREATE TABLE user_emails (
        account_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        value_lower TEXT NOT NULL,
        PRIMARY KEY (account_id, user_id, value_lower)
      ) WITHOUT ROWID;
      CREATE INDEX user_emails_value ON user_emails(value_lower);
      CREATE TRIGGER users_emails_insert AFTER INSERT ON users BEGIN
        INSERT OR IGNORE INTO user_emails (account_id, user_id, value_lower)
          SELECT NEW.account_id, NEW.id, lower(json_extract(e.value, '$.value')) FROM json_each(NEW.data, '$.emails') e
          WHERE e.type = 'object' AND json_type(e.value, '$.value') = 'text';
      END;
      CREATE TRIGGER users_emails_update AFTER UPDATE OF data, account_id, id ON users BEGIN
        DELETE FROM user_emails WHERE account_id = OLD.account_id AND user_id = OLD.id;
        INSERT OR IGNORE INTO user_emails (account_id, user_id, value_lower)
          SELECT NEW.account_id, NEW.id, lower(json_extract(e.value, '$.value')) FROM json_each(NEW.data, '$.emails') e
          WHERE e.type = 'object' AND json_type(e.value, '$.value') = 'text';
      END;
      CREATE TRIGGER users_emails_delete AFTER DELETE ON users BEGIN
        DELETE FROM user_emails WHERE account_id = OLD.account_id AND user_id = OLD.id;
      END;
`;

/**
 * Fixed planner statistics (https://www.sqlite.org/optoverview.html, "Manual Control Of Query Plans Using SQLITE_STAT
 * Tables"). Without any, SQLite guesses that `external_id = ?` may match many rows and pages a filtered list by
 * walking the (account_id, created, id) index to skip the sort: a scan of the whole account. These figures describe
 * the shape of the data, not its size (an account holds many rows; userName, externalId, an email, a group's
 * displayName and created pick about one), so they stay true as the tables grow. openStore loads them.
 */
const PLANNER_STATS_SQL = `
      ANALYZE sqlite_schema;
      DELETE FROM sqlite_stat1 WHERE tbl IN ('users', 'groups', 'group_members', 'user_emails');
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('users', 'sqlite_autoindex_users_1', '100000 10000 1'),
        ('users', 'users_user_name_norm', '100000 10000 1'),
        ('users', 'users_external_id', '100000 10000 2'),
        ('users', 'users_created', '100000 10000 2 1'),
        ('users', 'users_account', '100000 10000'),
        ('user_emails', 'user_emails', '100000 10000 1 1'),
        ('user_emails', 'user_emails_value', '100000 2'),
        ('groups', 'sqlite_autoindex_groups_1', '10000 1000 1'),
        ('groups', 'groups_display_name', '10000 1000 2'),
        ('groups', 'groups_display_name_lower', '10000 1000 2'),
        ('groups', 'groups_external_id', '10000 1000 2'),
        ('groups', 'groups_created', '10000 1000 2 1'),
        ('groups', 'groups_account', '10000 1000'),
        ('group_members', 'group_members', '1000000 100000 100 1'),
        ('group_members', 'group_members_member', '1000000 100000 3');
`;

/**
 * The store's own schema (ids `0xx`; the product adds `1xx`). Layout per docs/decisions/0001: resources keep their
 * indexed attributes in columns and the rest as JSON in `data`; membership is a table of its own so member changes
 * are row inserts and deletes. `password_hash` keeps the writeOnly password out of `data`, so it can never be
 * returned or filtered on.
 */
export const STORE_MIGRATIONS: readonly Migration[] = [
  {
    id: '001-core',
    sql: `
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        sso_state TEXT NOT NULL DEFAULT 'unconfigured' CHECK (sso_state IN ('unconfigured', 'configured', 'active')),
        created TEXT NOT NULL
      );
      CREATE TABLE scim_tokens (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL,
        revoked TEXT
      );
      CREATE UNIQUE INDEX scim_tokens_one_active ON scim_tokens(account_id) WHERE revoked IS NULL;
      CREATE TABLE users (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        user_name TEXT NOT NULL,
        user_name_norm TEXT NOT NULL,
        external_id TEXT,
        display_name TEXT,
        active INTEGER,
        created TEXT NOT NULL,
        last_modified TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        password_hash TEXT,
        PRIMARY KEY (account_id, id)
      );
      CREATE UNIQUE INDEX users_user_name_norm ON users(account_id, user_name_norm);
      CREATE INDEX users_external_id ON users(account_id, external_id);
      CREATE INDEX users_created ON users(account_id, created, id);
      CREATE TABLE groups (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        external_id TEXT,
        created TEXT NOT NULL,
        last_modified TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (account_id, id)
      );
      CREATE INDEX groups_display_name ON groups(account_id, display_name);
      CREATE INDEX groups_external_id ON groups(account_id, external_id);
      CREATE INDEX groups_created ON groups(account_id, created, id);
      CREATE TABLE group_members (
        account_id TEXT NOT NULL,
        group_id TEXT NOT NULL,
        member_id TEXT NOT NULL,
        member_type TEXT NOT NULL CHECK (member_type IN ('User', 'Group')),
        PRIMARY KEY (account_id, group_id, member_id),
        FOREIGN KEY (account_id, group_id) REFERENCES groups(account_id, id) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE INDEX group_members_member ON group_members(account_id, member_id);
    `,
  },
  {
    // COUNT(*) for totalResults walks the narrowest index of the account: 4x faster at 100,000 users than the wider ones.
    id: '002-count-indexes',
    sql: `
      CREATE INDEX users_account ON users(account_id);
      CREATE INDEX groups_account ON groups(account_id);
    `,
  },
  {
    id: '003-list-stats',
    sql: `${listStatsSql('users')}${listStatsSql('groups')}`,
  },
  {
    // What IdPs match on before they create: Entra `emails[type eq "work"].value eq`, and `displayName eq` on
    // groups (caseExact false, so the filter compares lower(display_name): the plain index cannot answer it).
    // userName and externalId have theirs since 001. store/indexes.test.ts checks every plan.
    id: '004-match-indexes',
    sql: `${USER_EMAILS_SQL}
      INSERT OR IGNORE INTO user_emails (account_id, user_id, value_lower)
        SELECT u.account_id, u.id, lower(json_extract(e.value, '$.value')) FROM users u, json_each(u.data, '$.emails') e
        WHERE e.type = 'object' AND json_type(e.value, '$.value') = 'text';
      CREATE INDEX groups_display_name_lower ON groups(account_id, lower(display_name));
      ${PLANNER_STATS_SQL}
    `,
  },
];

/**
 * docs/decisions/0005: per account and table, the row count (totalResults of an unfiltered list without COUNT(*))
 * and a generation that changes whenever rows may have moved position in the default order (created, id), which is
 * what invalidates the keyset anchors of paging.ts. An insert that sorts after every existing row (an ordinary
 * append, created = now) moves nothing, so an initial sync keeps the anchors. Rows are never deleted from
 * list_stats, so a generation never repeats for a key (a cache built at it cannot be confused with a later state).
 */
function listStatsSql(table: 'users' | 'groups'): string {
  return `
      CREATE TABLE IF NOT EXISTS list_stats (
        account_id TEXT NOT NULL,
        tbl TEXT NOT NULL CHECK (tbl IN ('users', 'groups')),
        total INTEGER NOT NULL,
        generation INTEGER NOT NULL,
        PRIMARY KEY (account_id, tbl)
      ) WITHOUT ROWID;
      INSERT INTO list_stats (account_id, tbl, total, generation)
        SELECT account_id, '${table}', COUNT(*), 0 FROM ${table} GROUP BY account_id;
      CREATE TRIGGER ${table}_list_stats_insert AFTER INSERT ON ${table} BEGIN
        INSERT INTO list_stats (account_id, tbl, total, generation) VALUES (NEW.account_id, '${table}', 1, 0)
          ON CONFLICT (account_id, tbl) DO UPDATE SET total = total + 1, generation = generation + EXISTS (
            SELECT 1 FROM ${table} WHERE account_id = NEW.account_id AND (created, id) > (NEW.created, NEW.id));
      END;
      CREATE TRIGGER ${table}_list_stats_delete AFTER DELETE ON ${table} BEGIN
        UPDATE list_stats SET total = total - 1, generation = generation + 1 WHERE account_id = OLD.account_id AND tbl = '${table}';
      END;
      CREATE TRIGGER ${table}_list_stats_move AFTER UPDATE OF account_id, created, id ON ${table}
        WHEN OLD.account_id IS NOT NEW.account_id OR OLD.created IS NOT NEW.created OR OLD.id IS NOT NEW.id BEGIN
        UPDATE list_stats SET total = total - 1, generation = generation + 1 WHERE account_id = OLD.account_id AND tbl = '${table}';
        INSERT INTO list_stats (account_id, tbl, total, generation) VALUES (NEW.account_id, '${table}', 1, 1)
          ON CONFLICT (account_id, tbl) DO UPDATE SET total = total + 1, generation = generation + 1;
      END;
`;
}
