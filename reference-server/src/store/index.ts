import { accountsStore, type AccountsStore } from './accounts.ts';
import { groupCommit } from './commit.ts';
import { migrate, openDatabase, type Db, type Migration } from './db.ts';
import { groupsStore, type GroupsStore } from './groups.ts';
import { STORE_MIGRATIONS } from './migrations.ts';
import { tokensStore, type TokensStore } from './tokens.ts';
import { usersStore, type UsersStore } from './users.ts';

export type { Db, Migration } from './db.ts';
export type { Account, SsoState } from './accounts.ts';

export interface Store {
  db: Db;
  accounts: AccountsStore;
  tokens: TokensStore;
  users: UsersStore;
  groups: GroupsStore;
  /**
   * Runs `fn` in one transaction (nested calls become savepoints): a request's writes commit together or not at all.
   * With group commit (commit.ts) it is a savepoint of the turn's shared transaction, committed at the turn's end.
   */
  tx<T>(fn: () => T): T;
  /** Resolves once every write so far is committed; undefined when nothing is pending. Answers wait for it. */
  durable(): Promise<void> | undefined;
  /** Keeps the shared transaction open across `fn`'s awaits (Bulk: one commit for many operations). */
  held<T>(fn: () => Promise<T>): Promise<T>;
  /** Inside `held`: commits what is pending if it has waited long enough (other clients' answers wait on it). */
  commitIfOld(): void;
  /** Shared transactions committed so far (group commit only; 0 without it). */
  commitCount(): number;
  close(): void;
}

export interface StoreOptions {
  /** Share one transaction among the writes of an event-loop turn (commit.ts). Off: each `tx` commits itself. */
  groupCommit?: boolean;
}

/** Opens (or creates) the database, applies the store's migrations plus any extra ones (the product's `1xx`). */
export function openStore(path: string, extraMigrations: readonly Migration[] = [], options: StoreOptions = {}): Store {
  const db = openDatabase(path);
  migrate(db, [...STORE_MIGRATIONS, ...extraMigrations]);
  db.exec('ANALYZE sqlite_schema'); // (re)loads the planner statistics of migration 004
  const commits = options.groupCommit ? groupCommit(db) : undefined;
  return {
    db,
    accounts: accountsStore(db),
    tokens: tokensStore(db),
    users: usersStore(db),
    groups: groupsStore(db),
    tx: commits ? (fn) => commits.tx(fn) : (fn) => db.transaction(fn)(),
    durable: () => commits?.durable(),
    held: commits ? (fn) => commits.held(fn) : (fn) => fn(),
    commitIfOld: () => commits?.commitIfOld(),
    commitCount: () => commits?.commits ?? 0,
    close: () => {
      if (!db.open) return;
      commits?.flush();
      db.close();
    },
  };
}
