import { accountsStore, type AccountsStore } from './accounts.ts';
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
  /** Runs `fn` in one transaction (nested calls become savepoints): a request's writes commit together or not at all. */
  tx<T>(fn: () => T): T;
  close(): void;
}

/** Opens (or creates) the database, applies the store's migrations plus any extra ones (the product's `1xx`). */
export function openStore(path: string, extraMigrations: readonly Migration[] = []): Store {
  const db = openDatabase(path);
  migrate(db, [...STORE_MIGRATIONS, ...extraMigrations]);
  return {
    db,
    accounts: accountsStore(db),
    tokens: tokensStore(db),
    users: usersStore(db),
    groups: groupsStore(db),
    tx: (fn) => db.transaction(fn)(),
    close: () => {
      if (db.open) db.close();
    },
  };
}
