import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { harness, user } from '../src/scim/testing.ts';
import { serve } from './serve-process.ts';

/**
 * Group commit (src/store/commit.ts) defers COMMIT to the end of the event-loop turn; an answer must still leave
 * only after it. Deterministic where the SIGKILL race below is not: at the moment a 201 (or any answer) arrives,
 * another connection must already see the row.
 */
test('an answer leaves only after the commit of the writes before it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-ack-'));
  const db = join(dir, 'data.db');
  const h = await harness({ db });
  const other = new Database(db, { readonly: true });
  try {
    const committed = other.prepare('SELECT COUNT(*) FROM users WHERE account_id = ?').pluck();
    const answers = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const res = await h.req('POST', 'Users', user(`ack-${i}@x.test`));
        return { status: res.status, seen: committed.get(h.accountId) as number };
      }),
    );
    for (const a of answers) {
      assert.equal(a.status, 201);
      assert.ok(a.seen >= 1, 'a 201 arrived before its row was committed');
    }
    assert.equal(committed.get(h.accountId), 8);
    // A read answered while a write is still open waits for it too (it may have seen the uncommitted row).
    const [, list] = await Promise.all([h.req('POST', 'Users', user('ack-read@x.test')), h.req('GET', 'Users?count=0')]);
    assert.equal(list.status, 200);
    assert.equal(committed.get(h.accountId), 9);
  } finally {
    other.close();
    await h.app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Writes race a SIGKILL: every POST that got a 2xx must be in the database after a restart, because the server
 * answers only after the transaction committed with synchronous=FULL.
 */
test('every acknowledged write survives a SIGKILL during concurrent writes', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-durability-'));
  const db = join(dir, 'data.db');
  try {
    const first = await serve(['--db', db, '--demo', '--port', '0']);
    const { scimUrl, token } = first.ready;
    assert.ok(scimUrl && token);
    const acknowledged: string[] = [];
    let failedAfterKill = 0;
    let killed = false;
    const worker = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const userName = `durable-${w}-${i}@x.test`;
        try {
          const res: Response = await fetch(`${scimUrl}/Users`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
            body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, active: true }),
          });
          if (res.status === 201) acknowledged.push(userName);
          else assert.fail(`unexpected status ${res.status}`);
          await res.arrayBuffer();
        } catch (err) {
          if (!killed) throw err;
          failedAfterKill++;
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // Kill mid-stream: once a good number of writes were acknowledged, while others are in flight.
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    first.child.kill('SIGKILL');
    await Promise.all(workers);
    assert.equal(await first.exited, null, 'the process died by the signal');

    const second = await serve(['--db', db, '--demo', '--port', '0']);
    try {
      const res = await fetch(`${second.ready.scimUrl}/Users?count=1000&filter=${encodeURIComponent('userName sw "durable-"')}`, {
        headers: { authorization: `Bearer ${second.ready.token}` },
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { totalResults: number; Resources: { userName: string }[] };
      const present = new Set(body.Resources.map((u) => u.userName));
      const missing = acknowledged.filter((u) => !present.has(u));
      assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged writes were lost`);
      assert.ok(body.totalResults >= acknowledged.length);
      t.diagnostic(`acknowledged ${acknowledged.length}, present ${body.totalResults}, in flight at kill ${failedAfterKill}`);
    } finally {
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0, 'SIGTERM closes cleanly with exit code 0');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
