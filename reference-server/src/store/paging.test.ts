import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { migrate, openDatabase, type Db } from './db.ts';
import { openStore, type Store } from './index.ts';
import { STORE_MIGRATIONS } from './migrations.ts';
import { resourceLister, type ListTable } from './paging.ts';

const ACCOUNTS = ['acct-a', 'acct-b'];

/** Rows with a chosen `created`, so tests decide which inserts append and which land among existing keys. */
function insertRaw(db: Db, table: ListTable, accountId: string, id: string, created: string): void {
  if (table === 'users') {
    db.prepare(`INSERT INTO users (account_id, id, user_name, user_name_norm, created, last_modified, version, data)
      VALUES (?, ?, ?, ?, ?, ?, 1, '{}')`).run(accountId, id, id, id, created, created);
  } else {
    db.prepare(`INSERT INTO groups (account_id, id, display_name, created, last_modified, version, data)
      VALUES (?, ?, ?, ?, ?, 1, '{}')`).run(accountId, id, id, created, created);
  }
}

/** The plain answer the anchors must reproduce: COUNT(*) and ORDER BY created, id with LIMIT/OFFSET. */
function reference(db: Db, table: ListTable, accountId: string, offset: number, limit: number) {
  const total = db.prepare(`SELECT COUNT(*) FROM ${table} WHERE account_id = ?`).pluck().get(accountId) as number;
  const ids = db.prepare(`SELECT id FROM ${table} WHERE account_id = ? ORDER BY created, id LIMIT ? OFFSET ?`).pluck().all(accountId, limit, offset);
  return { total, ids };
}

function withAccounts(): Store {
  const s = openStore(':memory:');
  for (const id of ACCOUNTS) s.accounts.create({ name: id, id });
  return s;
}

const ms = (n: number) => new Date(Date.UTC(2026, 0, 1) + n).toISOString();

type Op =
  | { kind: 'append'; account: number; id: string }
  | { kind: 'insertAt'; account: number; id: string; at: number }
  | { kind: 'delete'; account: number; pick: number }
  | { kind: 'list'; account: number; offset: number; limit: number; inTx: 'none' | 'commit' | 'rollback' };

const idArb = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'), minLength: 6, maxLength: 6 });
const accountArb = fc.integer({ min: 0, max: ACCOUNTS.length - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('append' as const), account: accountArb, id: idArb }) },
  // `at` in a small range of milliseconds: lands before, among or on the same millisecond as existing rows.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('insertAt' as const), account: accountArb, id: idArb, at: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), account: accountArb, pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('list' as const),
      account: accountArb,
      offset: fc.nat({ max: 70 }),
      limit: fc.integer({ min: 0, max: 30 }),
      inTx: fc.constantFrom('none' as const, 'none' as const, 'commit' as const, 'rollback' as const),
    }),
  },
);

for (const table of ['users', 'groups'] as const) {
  test(`${table}: pages through anchors equal plain OFFSET pages across appends, out-of-order and same-millisecond inserts, deletes, transactions and accounts`, () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 20, maxLength: 200, size: 'max' }), fc.integer({ min: 1, max: 7 }), (ops, stride) => {
        const s = withAccounts();
        const lister = resourceLister(s.db, table, stride);
        const clock = [100, 100];
        const seen = new Set<string>();
        try {
          for (const op of ops) {
            const account = ACCOUNTS[op.account]!;
            if (op.kind === 'append' || op.kind === 'insertAt') {
              const id = `${op.id}-${seen.size}`;
              seen.add(id);
              // Appends advance the account's clock by 0 or 1 ms, so ties with the previous row are common.
              const created = op.kind === 'append' ? ms((clock[op.account] = clock[op.account]! + (op.id.charCodeAt(0) % 2))) : ms(60 + op.at);
              insertRaw(s.db, table, account, id, created);
            } else if (op.kind === 'delete') {
              const ids = s.db.prepare(`SELECT id FROM ${table} WHERE account_id = ? ORDER BY id`).pluck().all(account) as string[];
              if (ids.length > 0) s.db.prepare(`DELETE FROM ${table} WHERE account_id = ? AND id = ?`).run(account, ids[op.pick % ids.length]);
            } else {
              const check = () => {
                const got = lister.list(account, { offset: op.offset, limit: op.limit });
                assert.deepEqual({ total: got.total, ids: got.items.map((r) => r.id) }, reference(s.db, table, account, op.offset, op.limit));
              };
              if (op.inTx === 'none') check();
              else {
                // A list inside a write transaction sees its uncommitted row; if the transaction rolls back, no anchor
                // read from that row may survive. No list follows here, so a later write meets whatever was cached.
                const extra = `tx-${seen.size}`;
                seen.add(extra);
                const created = op.offset % 2 === 0 ? ms(70) : ms((clock[op.account] = clock[op.account]! + 1));
                try {
                  s.tx(() => {
                    insertRaw(s.db, table, account, extra, created);
                    check();
                    if (op.inTx === 'rollback') throw new Error('rollback');
                  });
                } catch (err) {
                  if (!(err instanceof Error) || err.message !== 'rollback') throw err;
                }
              }
            }
          }
          // Every account, every offset, at the end.
          for (const account of ACCOUNTS) {
            const { total } = reference(s.db, table, account, 0, 0);
            for (let offset = 0; offset <= total; offset++) {
              const got = lister.list(account, { offset, limit: 3 });
              assert.deepEqual({ total: got.total, ids: got.items.map((r) => r.id) }, reference(s.db, table, account, offset, 3));
            }
          }
        } finally {
          s.close();
        }
      }),
      { numRuns: 40 },
    );
  });
}

test('totals from list_stats equal COUNT(*) after mixed writes through the store, including deletes of a whole account', () => {
  const s = withAccounts();
  const [a, b] = ACCOUNTS as [string, string];
  for (let i = 0; i < 30; i++) s.users.insert(i % 3 === 0 ? b : a, `u${i}`, { userName: `u${i}@x.test` });
  for (let i = 0; i < 10; i++) s.groups.insert(a, `g${i}`, { displayName: `G${i}` }, [{ id: 'u1', type: 'User' }]);
  for (let i = 0; i < 30; i += 4) s.users.delete(i % 3 === 0 ? b : a, `u${i}`);
  s.groups.delete(a, 'g3');
  s.users.update(a, 'u1', { userName: 'renamed@x.test' });
  assert.throws(() => s.users.insert(a, 'dup', { userName: 'RENAMED@x.test' }));
  assert.throws(() =>
    s.tx(() => {
      s.users.insert(a, 'gone', { userName: 'gone@x.test' });
      throw new Error('abort');
    }),
  );
  const count = (table: ListTable, account: string) => s.db.prepare(`SELECT COUNT(*) FROM ${table} WHERE account_id = ?`).pluck().get(account);
  for (const account of ACCOUNTS) {
    assert.equal(s.users.count(account), count('users', account));
    assert.equal(s.users.list(account, { offset: 0, limit: 0 }).total, count('users', account));
    assert.equal(s.groups.list(account, { offset: 0, limit: 0 }).total, count('groups', account));
  }
  assert.equal(s.users.count(a), 15);
  assert.equal(s.groups.list(a, { offset: 0, limit: 100 }).total, 9);
  // Deleting the account cascades to its rows; the triggers see the cascaded deletes.
  s.db.prepare('DELETE FROM accounts WHERE id = ?').run(b);
  assert.equal(s.users.count(b), 0);
  assert.equal(s.users.list(b, { offset: 0, limit: 10 }).items.length, 0);
  s.close();
});

test('generation: ordinary appends keep it, an insert among existing keys, a tie that sorts first, and a delete change it', () => {
  const s = withAccounts();
  const [a] = ACCOUNTS as [string];
  const generation = () => s.db.prepare("SELECT generation FROM list_stats WHERE account_id = ? AND tbl = 'users'").pluck().get(a) as number;
  insertRaw(s.db, 'users', a, 'm', ms(10));
  insertRaw(s.db, 'users', a, 'n', ms(10));
  insertRaw(s.db, 'users', a, 'p', ms(11));
  assert.equal(generation(), 0, 'appends, including a same-millisecond tie that sorts last');
  insertRaw(s.db, 'users', a, 'a', ms(11));
  assert.equal(generation(), 1, 'same millisecond as the last row but a smaller id');
  insertRaw(s.db, 'users', a, 'z', ms(5));
  assert.equal(generation(), 2, 'an earlier created');
  s.users.update(a, 'z', { userName: 'z2' });
  assert.equal(generation(), 2, 'an update moves nothing');
  s.db.prepare("UPDATE users SET created = ? WHERE account_id = ? AND id = 'z'").run(ms(50), a);
  const moved = generation();
  assert.ok(moved > 2, 'a changed created moves the row');
  s.users.delete(a, 'm');
  assert.ok(generation() > moved, 'a delete moves every later row');
  s.close();
});

test('a write committed by another connection between two lists is seen: anchors follow the database, not the process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-paging-'));
  try {
    const path = join(dir, 'data.db');
    const one = openStore(path);
    const two = openStore(path);
    const a = one.accounts.create({ name: 'a' }).id;
    one.tx(() => {
      for (let i = 0; i < 40; i++) insertRaw(one.db, 'users', a, `u${String(i).padStart(3, '0')}`, ms(100 + i));
    });
    const lister = resourceLister(one.db, 'users', 4);
    assert.deepEqual(
      lister.list(a, { offset: 30, limit: 3 }).items.map((r) => r.id),
      ['u030', 'u031', 'u032'],
    );
    insertRaw(two.db, 'users', a, 'early', ms(1));
    two.users.delete(a, 'u031');
    assert.deepEqual(
      lister.list(a, { offset: 30, limit: 3 }).items.map((r) => r.id),
      ['u029', 'u030', 'u032'],
    );
    assert.equal(lister.list(a, { offset: 0, limit: 0 }).total, 40);
    one.close();
    two.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('migration 003 backfills list_stats from the rows already there', () => {
  const db = openDatabase(':memory:');
  migrate(
    db,
    STORE_MIGRATIONS.filter((m) => m.id < '003'),
  );
  const upTo003 = STORE_MIGRATIONS.filter((m) => m.id < '004');
  for (const id of ACCOUNTS) db.prepare("INSERT INTO accounts (id, name, created) VALUES (?, ?, '2026-01-01T00:00:00.000Z')").run(id, id);
  for (let i = 0; i < 25; i++) insertRaw(db, 'users', ACCOUNTS[i % 2]!, `u${i}`, ms(i));
  for (let i = 0; i < 7; i++) insertRaw(db, 'groups', ACCOUNTS[1]!, `g${i}`, ms(i));
  assert.deepEqual(migrate(db, upTo003), ['003-list-stats']);
  const rows = db.prepare('SELECT account_id, tbl, total, generation FROM list_stats ORDER BY account_id, tbl').all();
  assert.deepEqual(rows, [
    { account_id: 'acct-a', tbl: 'users', total: 13, generation: 0 },
    { account_id: 'acct-b', tbl: 'groups', total: 7, generation: 0 },
    { account_id: 'acct-b', tbl: 'users', total: 12, generation: 0 },
  ]);
  const lister = resourceLister(db, 'users', 3);
  assert.deepEqual(
    lister.list('acct-a', { offset: 10, limit: 5 }).items.map((r) => r.id),
    ['u20', 'u22', 'u24'],
  );
  insertRaw(db, 'users', 'acct-a', 'u99', ms(99));
  assert.equal(lister.list('acct-a', { offset: 0, limit: 0 }).total, 14);
  db.close();
});

test('filtered and sorted lists keep their own total and order', () => {
  const s = withAccounts();
  const [a] = ACCOUNTS as [string];
  for (let i = 0; i < 20; i++) s.users.insert(a, `u${String(i).padStart(2, '0')}`, { userName: `n${19 - i}@x.test`, active: i % 2 === 0 });
  const filtered = s.users.list(a, { where: { sql: 'active = ?', params: [1] }, offset: 2, limit: 3 });
  assert.equal(filtered.total, 10);
  assert.deepEqual(
    filtered.items.map((r) => r.id),
    ['u04', 'u06', 'u08'],
  );
  const sorted = s.users.list(a, { orderBy: { sql: 'user_name_norm DESC', params: [] }, offset: 0, limit: 2 });
  assert.equal(sorted.total, 20);
  assert.deepEqual(
    sorted.items.map((r) => r.data.userName),
    ['n9@x.test', 'n8@x.test'],
  );
  assert.throws(() => resourceLister(s.db, 'users', 0), /positive integer/);
  s.close();
});
