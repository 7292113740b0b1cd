/**
 * The attributes IdPs match on before they create (userName, externalId, emails value, group displayName) must be
 * answered from an index. EXPLAIN QUERY PLAN of the two queries a filtered list runs (paging.ts: the COUNT and the
 * page in the default order) shows which index SQLite picks, so an index cannot silently stop being used. No
 * ANALYZE here, as on a live server: the plans rest on the fixed statistics of migration 004.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { filterToSql, GROUPS_TABLE, parseFilter, USERS_TABLE } from '../protocol/filter/index.ts';
import { openStore, type Store } from './index.ts';

let s: Store;
let account: string;
before(() => {
  s = openStore(':memory:');
  account = s.accounts.create({ name: 'plans' }).id;
  const other = s.accounts.create({ name: 'other' }).id;
  s.tx(() => {
    for (let i = 0; i < 2000; i++) {
      for (const a of [account, other]) {
        s.users.insert(a, `u${i}`, { userName: `user${i}@x.test`, externalId: `ext${i}`, emails: [{ value: `User${i}@X.test`, type: 'work' }] });
      }
      if (i % 10 === 0) s.groups.insert(account, `g${i}`, { displayName: `Group ${i}`, externalId: `gext${i}` }, []);
    }
  });
});
after(() => s.close());

function plans(table: 'users' | 'groups', filter: string): string[] {
  const where = filterToSql(parseFilter(filter), table === 'users' ? USERS_TABLE : GROUPS_TABLE);
  const explain = (sql: string, params: unknown[]) =>
    (s.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
  const base = `FROM ${table} WHERE account_id = ? AND (${where.sql})`;
  return [
    explain(`SELECT COUNT(*) ${base}`, [account, ...where.params]),
    explain(`SELECT id, created, last_modified, version, data ${base} ORDER BY created, id LIMIT ? OFFSET ?`, [account, ...where.params, 100, 0]),
  ];
}

const CASES: [table: 'users' | 'groups', filter: string, index: string][] = [
  ['users', 'userName eq "USER7@x.test"', 'users_user_name_norm'],
  ['users', 'externalId eq "ext7"', 'users_external_id'],
  ['users', 'emails[type eq "work"].value eq "user7@x.test"', 'user_emails_value'],
  ['users', 'emails.value eq "USER7@x.test"', 'user_emails_value'],
  ['users', 'emails[value eq "user7@x.test" and type eq "work"]', 'user_emails_value'],
  ['groups', 'displayName eq "group 70"', 'groups_display_name_lower'],
  ['groups', 'externalId eq "gext70"', 'groups_external_id'],
];

for (const [table, filter, index] of CASES) {
  test(`${table}?filter=${filter} is answered from ${index}, with no scan of the account`, () => {
    for (const plan of plans(table, filter)) {
      assert.match(plan, new RegExp(`USING (COVERING )?INDEX ${index}\\b`), plan);
      assert.doesNotMatch(plan, new RegExp(`SCAN ${table}\\b|SEARCH ${table} USING (COVERING )?INDEX ${table}_(account|created)\\b`), plan);
    }
  });
}

test('the indexed filters still give exactly the matching rows of the account', () => {
  const ids = (table: 'users' | 'groups', filter: string) => {
    const where = filterToSql(parseFilter(filter), table === 'users' ? USERS_TABLE : GROUPS_TABLE);
    return s.db
      .prepare(`SELECT id FROM ${table} WHERE account_id = ? AND (${where.sql}) ORDER BY id`)
      .pluck()
      .all(account, ...where.params);
  };
  assert.deepEqual(ids('users', 'emails[type eq "work"].value eq "USER7@x.test"'), ['u7']);
  assert.deepEqual(ids('users', 'emails[type eq "home"].value eq "user7@x.test"'), [], 'the exact comparison still applies');
  assert.deepEqual(ids('groups', 'displayName eq "GROUP 70"'), ['g70']);
  // Kept by the triggers: a changed email is found by its new value only, a deleted user not at all.
  s.tx(() => s.users.update(account, 'u8', { userName: 'user8@x.test', emails: [{ value: 'new8@x.test', type: 'work' }] }));
  assert.deepEqual(ids('users', 'emails.value eq "user8@x.test"'), []);
  assert.deepEqual(ids('users', 'emails.value eq "new8@x.test"'), ['u8']);
  s.tx(() => s.users.delete(account, 'u8'));
  assert.deepEqual(ids('users', 'emails.value eq "new8@x.test"'), []);
  assert.equal(s.db.prepare('SELECT COUNT(*) FROM user_emails WHERE user_id = ?').pluck().get('u8'), 1, 'only the other account keeps its u8');
});
