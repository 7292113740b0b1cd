import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ScimError } from '../errors.ts';
import { openStore } from './index.ts';

test('a file database opens in WAL mode with synchronous=FULL; migrations run once and survive a reopen', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-store-'));
  try {
    const path = join(dir, 'sub', 'data.db');
    const first = openStore(path, [{ id: '150-extra', sql: 'CREATE TABLE extra (x INTEGER)' }]);
    assert.equal(first.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(first.db.pragma('synchronous', { simple: true }), 2, 'FULL');
    const ids = () => first.db.prepare('SELECT id FROM migrations ORDER BY id').pluck().all();
    assert.deepEqual(ids(), ['001-core', '002-count-indexes', '003-list-stats', '004-match-indexes', '150-extra']);
    const acct = first.accounts.create({ name: 'keep' });
    first.users.insert(acct.id, 'u1', { userName: 'Keep@x.test' });
    first.close();
    const second = openStore(path, [{ id: '150-extra', sql: 'CREATE TABLE extra (x INTEGER)' }]);
    assert.equal(second.users.get(acct.id, 'u1')?.data.userName, 'Keep@x.test');
    second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('users: userName unique per account case-insensitively, mirrored columns, versions', () => {
  const s = openStore(':memory:');
  const a = s.accounts.create({ name: 'a' });
  const b = s.accounts.create({ name: 'b' });
  const u = s.users.insert(a.id, 'u1', { userName: 'Ann@X.test', externalId: 'E', displayName: 'Ann', active: false });
  assert.equal(u.version, 1);
  const row = s.db.prepare('SELECT user_name, user_name_norm, external_id, display_name, active FROM users WHERE id = ?').get('u1');
  assert.deepEqual(row, { user_name: 'Ann@X.test', user_name_norm: 'ann@x.test', external_id: 'E', display_name: 'Ann', active: 0 });
  assert.throws(
    () => s.users.insert(a.id, 'u2', { userName: 'ANN@x.TEST' }),
    (e: unknown) => e instanceof ScimError && e.scimType === 'uniqueness',
  );
  s.users.insert(b.id, 'u2', { userName: 'ann@x.test' });
  const updated = s.users.update(a.id, 'u1', { userName: 'Ann@X.test', title: 'T' });
  assert.equal(updated.version, 2);
  assert.equal(s.users.list(a.id, { offset: 0, limit: 10 }).total, 1);
  s.close();
});

test('tokens: at most one active per account; revocation and reissue', () => {
  const s = openStore(':memory:');
  const a = s.accounts.create({ name: 'a' });
  assert.equal(s.tokens.verifyScimToken(a.id, 'scim_x'), false);
  const t1 = s.tokens.issueScimToken(a.id);
  const t2 = s.tokens.issueScimToken(a.id);
  assert.equal(s.tokens.verifyScimToken(a.id, t1.token), false);
  assert.equal(s.tokens.verifyScimToken(a.id, t2.token), true);
  assert.equal(s.tokens.activeScimToken(a.id)?.id, t2.id);
  assert.equal(s.db.prepare('SELECT COUNT(*) FROM scim_tokens WHERE account_id = ? AND revoked IS NULL').pluck().get(a.id), 1);
  assert.equal(s.tokens.revokeScimToken(a.id), true);
  assert.equal(s.tokens.revokeScimToken(a.id), false);
  assert.equal(s.tokens.verifyScimToken(a.id, t2.token), false);
  s.close();
});

test('group members are rows: deltas touch only the rows named; replaceAll reports who joined and left', () => {
  const s = openStore(':memory:');
  const a = s.accounts.create({ name: 'a' });
  for (const id of ['u1', 'u2', 'u3']) s.users.insert(a.id, id, { userName: `${id}@x.test` });
  s.groups.insert(a.id, 'g1', { displayName: 'G' }, [{ id: 'u1', type: 'User' }]);
  assert.deepEqual(
    s.groups.changeMembers(a.id, 'g1', {
      add: [
        { id: 'u1', type: 'User' },
        { id: 'u2', type: 'User' },
      ],
    }),
    { added: ['u2'], removed: [] },
  );
  assert.equal(s.groups.get(a.id, 'g1')!.version, 2);
  assert.deepEqual(s.groups.changeMembers(a.id, 'g1', { remove: ['u3'] }), { added: [], removed: [] });
  assert.equal(s.groups.get(a.id, 'g1')!.version, 2, 'no change, no new version');
  assert.deepEqual(
    s.groups.changeMembers(a.id, 'g1', {
      replaceAll: [
        { id: 'u2', type: 'User' },
        { id: 'u3', type: 'User' },
      ],
    }),
    { added: ['u3'], removed: ['u1'] },
  );
  assert.deepEqual(
    s.groups.members(a.id, 'g1').map((m) => m.id),
    ['u2', 'u3'],
  );
  assert.deepEqual([...s.groups.memberTypes(a.id, ['u1', 'g1', 'zz']).entries()].sort(), [
    ['g1', 'Group'],
    ['u1', 'User'],
  ]);
  s.users.delete(a.id, 'u2');
  assert.deepEqual(
    s.groups.members(a.id, 'g1').map((m) => m.id),
    ['u3'],
  );
  s.groups.delete(a.id, 'g1');
  assert.equal(s.db.prepare('SELECT COUNT(*) FROM group_members').pluck().get(), 0);
  s.close();
});

test('a transaction rolls back every write of a failed request', () => {
  const s = openStore(':memory:');
  const a = s.accounts.create({ name: 'a' });
  assert.throws(() =>
    s.tx(() => {
      s.users.insert(a.id, 'u1', { userName: 'one@x.test' });
      s.users.insert(a.id, 'u2', { userName: 'ONE@x.test' });
    }),
  );
  assert.equal(s.users.count(a.id), 0);
  s.close();
});

test('every new version has a strictly later lastModified, even within one millisecond', () => {
  const s = openStore(':memory:');
  const a = s.accounts.create({ name: 'a' });
  const created = s.users.insert(a.id, 'u1', { userName: 'fast@x.test' });
  s.groups.insert(a.id, 'g1', { displayName: 'G' }, []);
  let last = created.lastModified;
  for (let i = 0; i < 5; i++) {
    const next = s.users.update(a.id, 'u1', { userName: 'fast@x.test', title: String(i) }).lastModified;
    assert.ok(next > last, `${next} > ${last}`);
    assert.match(next, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    last = next;
  }
  s.users.touch(a.id, ['u1']);
  assert.ok(s.users.get(a.id, 'u1')!.lastModified > last);
  const g1 = s.groups.update(a.id, 'g1', { displayName: 'G2' }).lastModified;
  s.groups.changeMembers(a.id, 'g1', { add: [{ id: 'u1', type: 'User' }] });
  assert.ok(s.groups.get(a.id, 'g1')!.lastModified > g1);
  s.close();
});

test('groupsOfMany answers groupsOf for a whole page in one query, same order', () => {
  const s = openStore(':memory:');
  const a = s.accounts.create({ name: 'a' });
  for (const id of ['u1', 'u2', 'u3']) s.users.insert(a.id, id, { userName: `${id}@x.test` });
  s.groups.insert(a.id, 'gb', { displayName: 'Beta' }, [
    { id: 'u1', type: 'User' },
    { id: 'u2', type: 'User' },
  ]);
  s.groups.insert(a.id, 'ga', { displayName: 'Alpha' }, [{ id: 'u1', type: 'User' }]);
  const many = s.users.groupsOfMany(a.id, ['u1', 'u2', 'u3']);
  for (const id of ['u1', 'u2', 'u3']) assert.deepEqual(many.get(id) ?? [], s.users.groupsOf(a.id, id), id);
  assert.deepEqual(
    many.get('u1')?.map((g) => g.displayName),
    ['Alpha', 'Beta'],
  );
  assert.equal(many.has('u3'), false);
  s.close();
});
