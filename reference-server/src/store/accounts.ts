import { randomUUID } from 'node:crypto';
import { now, type Db } from './db.ts';

export type SsoState = 'unconfigured' | 'configured' | 'active';

export interface Account {
  id: string;
  name: string;
  ssoState: SsoState;
  created: string;
}

interface AccountRow {
  id: string;
  name: string;
  sso_state: SsoState;
  created: string;
}

const toAccount = (r: AccountRow): Account => ({ id: r.id, name: r.name, ssoState: r.sso_state, created: r.created });

export interface AccountsStore {
  create(input: { name: string; ssoState?: SsoState; id?: string }): Account;
  get(id: string): Account | undefined;
  findByName(name: string): Account | undefined;
  list(): Account[];
  setSsoState(id: string, state: SsoState): Account | undefined;
}

export function accountsStore(db: Db): AccountsStore {
  const insert = db.prepare('INSERT INTO accounts (id, name, sso_state, created) VALUES (?, ?, ?, ?)');
  const byId = db.prepare('SELECT * FROM accounts WHERE id = ?');
  const byName = db.prepare('SELECT * FROM accounts WHERE name = ? ORDER BY created LIMIT 1');
  const all = db.prepare('SELECT * FROM accounts ORDER BY created, id');
  const setState = db.prepare('UPDATE accounts SET sso_state = ? WHERE id = ?');
  return {
    create({ name, ssoState = 'unconfigured', id = randomUUID() }) {
      const created = now();
      insert.run(id, name, ssoState, created);
      return { id, name, ssoState, created };
    },
    get(id) {
      const row = byId.get(id) as AccountRow | undefined;
      return row && toAccount(row);
    },
    findByName(name) {
      const row = byName.get(name) as AccountRow | undefined;
      return row && toAccount(row);
    },
    list() {
      return (all.all() as AccountRow[]).map(toAccount);
    },
    setSsoState(id, state) {
      setState.run(state, id);
      return this.get(id);
    },
  };
}
