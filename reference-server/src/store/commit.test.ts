import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ScimError } from '../errors.ts';
import { openStore, type Store } from './index.ts';

/** A store with group commit on a temporary file, and a second connection that sees only committed rows. */
function withStores(fn: (s: Store, committed: (id: string) => boolean, accountId: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scimulator-commit-'));
    const path = join(dir, 'data.db');
    const s = openStore(path, [], { groupCommit: true });
    const other = new Database(path, { readonly: true });
    const has = other.prepare('SELECT 1 FROM users WHERE id = ?').pluck();
    try {
      const account = s.accounts.create({ name: 'a' });
      await s.durable();
      await fn(s, (id) => has.get(id) === 1, account.id);
    } finally {
      other.close();
      s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'writes of one turn share a commit: invisible to other connections until durable() resolves, then all there',
  withStores(async (s, committed, a) => {
    assert.equal(s.durable(), undefined, 'nothing pending, nothing to wait for');
    s.tx(() => s.users.insert(a, 'u1', { userName: 'one@x.test' }));
    s.tx(() => s.users.insert(a, 'u2', { userName: 'two@x.test' }));
    const pending = s.durable();
    assert.ok(pending, 'a write is pending');
    assert.equal(s.users.get(a, 'u1')?.data.userName, 'one@x.test', 'this connection reads its own open transaction');
    assert.equal(committed('u1'), false, 'not committed yet: an answer must not go out now');
    await pending;
    assert.ok(committed('u1') && committed('u2'), 'one commit carried both');
    assert.equal(s.durable(), undefined);
  }),
);

test(
  'a failing write in a shared transaction rolls back only itself',
  withStores(async (s, committed, a) => {
    s.tx(() => s.users.insert(a, 'u1', { userName: 'one@x.test' }));
    assert.throws(
      () =>
        s.tx(() => {
          s.users.insert(a, 'u2', { userName: 'two@x.test' });
          s.users.insert(a, 'u3', { userName: 'ONE@x.test' }); // taken: the whole unit (u2 too) must go
        }),
      (e: unknown) => e instanceof ScimError && e.scimType === 'uniqueness',
    );
    s.tx(() => s.users.insert(a, 'u4', { userName: 'four@x.test' }));
    await s.durable();
    assert.deepEqual([committed('u1'), committed('u2'), committed('u3'), committed('u4')], [true, false, false, true]);
  }),
);

test(
  'held() keeps one transaction open across awaits and resolves only after its commit',
  withStores(async (s, committed, a) => {
    const out = await s.held(async () => {
      for (let i = 0; i < 5; i++) {
        s.tx(() => s.users.insert(a, `h${i}`, { userName: `h${i}@x.test` }));
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setTimeout(r, 1));
      }
      assert.equal(committed('h0'), false, 'still open: the turn-end commit waits for the holder');
      assert.equal(s.durable(), undefined, 'inside the holder nothing waits (its sub-requests would deadlock)');
      return 'done';
    });
    assert.equal(out, 'done');
    assert.ok([0, 1, 2, 3, 4].every((i) => committed(`h${i}`)));
  }),
);

test(
  'close() commits what is pending',
  withStores(async (s, committed, a) => {
    s.tx(() => s.users.insert(a, 'c1', { userName: 'c1@x.test' }));
    assert.equal(committed('c1'), false);
    s.close();
    assert.equal(committed('c1'), true);
  }),
);

test(
  'a shared transaction SQLite rolled back (I/O error, full disk) fails the answers waiting on it, not later writes',
  withStores(async (s, committed, a) => {
    s.tx(() => s.users.insert(a, 'lost', { userName: 'lost@x.test' }));
    const waiting = s.durable();
    s.db.exec('ROLLBACK'); // what SQLite does on its own after SQLITE_IOERR or SQLITE_FULL
    s.tx(() => s.users.insert(a, 'next', { userName: 'next@x.test' }));
    await assert.rejects(waiting!, /rolled the shared transaction back/);
    await s.durable();
    assert.deepEqual([committed('lost'), committed('next')], [false, true]);
  }),
);
