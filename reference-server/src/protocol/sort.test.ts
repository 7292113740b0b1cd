import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ScimError } from '../errors.ts';
import { GROUPS, USERS } from './filter/filter-fixtures.ts';
import { GROUPS_TABLE, USERS_TABLE } from './filter/index.ts';
import { TestDb } from './filter/test-db.ts';
import { parseSort, sortToSql } from './sort.ts';

const db = new TestDb();
for (const u of USERS) db.insertUser(u);
for (const g of GROUPS) db.insertGroup(g);
after(() => db.close());

function order(table: 'users' | 'groups', sortBy: string, sortOrder?: string): string[] {
  const spec = parseSort(table === 'users' ? 'User' : 'Group', sortBy, sortOrder)!;
  const frag = sortToSql(spec, table === 'users' ? USERS_TABLE : GROUPS_TABLE);
  const by = frag ? `${frag.sql}, id` : 'id';
  return db.db
    .prepare(`SELECT id FROM ${table} WHERE account_id = 'acct-1' ORDER BY ${by}`)
    .pluck()
    .all(...(frag?.params ?? [])) as string[];
}

test('sortBy userName ascending is caseless (userName is caseExact=false)', () => {
  // bjensen, Jane.Doe@Example.com, JSmith, ÉMILE (folded é sorts after ASCII letters)
  assert.deepEqual(order('users', 'userName'), ['u1', 'u3', 'u2', 'u4']);
});

test('sortOrder descending; missing values still last', () => {
  assert.deepEqual(order('users', 'title', 'descending'), ['u1', 'u3', 'u2', 'u4']);
  assert.deepEqual(order('users', 'title', 'ascending'), ['u3', 'u1', 'u2', 'u4']);
});

test('sortOrder is case-insensitive', () => {
  assert.deepEqual(order('users', 'meta.lastModified', 'DESCENDING'), ['u4', 'u2', 'u1', 'u3']);
});

test('a multi-valued attribute sorts by its primary value, else the first', () => {
  // u1 primary bjensen@…, u2 jsmith@…, u3 primary jane@home.test, u4 none
  assert.deepEqual(order('users', 'emails'), ['u1', 'u3', 'u2', 'u4']);
  assert.deepEqual(order('users', 'emails.type'), ['u3', 'u1', 'u2', 'u4']);
});

test('extension and sub-attribute paths sort', () => {
  assert.deepEqual(order('users', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber'), ['u1', 'u2', 'u3', 'u4']);
  assert.deepEqual(order('users', 'name.familyName'), ['u1', 'u2', 'u3', 'u4']);
});

test('groups sort by displayName caselessly', () => {
  assert.deepEqual(order('groups', 'displayName', 'descending'), ['g1', 'g2', 'g3']);
});

test('no sortBy means no ORDER BY from the engine', () => {
  assert.equal(parseSort('User', undefined), undefined);
});

const isInvalidValue = (e: unknown) => e instanceof ScimError && e.scimType === 'invalidValue';

test('unknown sortBy, bad sortOrder, password, members are 400 invalidValue', () => {
  assert.throws(() => parseSort('User', 'nope'), isInvalidValue);
  assert.throws(() => parseSort('User', 'userName', 'sideways'), isInvalidValue);
  assert.throws(() => parseSort('User', 'password'), isInvalidValue);
  assert.throws(() => parseSort('User', 'name'), isInvalidValue);
  assert.throws(() => sortToSql(parseSort('Group', 'members')!, GROUPS_TABLE), isInvalidValue);
});
