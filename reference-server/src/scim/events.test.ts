import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScimEvents } from './events.ts';

test('listeners run inside the given wrapper (the store transaction); an async listener neither breaks it nor SCIM', async () => {
  const wrapped: string[] = [];
  const errors: unknown[] = [];
  const log = { error: (obj: unknown) => errors.push(obj) } as never;
  // Like better-sqlite3's db.transaction: refuses a function that returns a promise.
  const events = new ScimEvents(log, (fn) => {
    wrapped.push('begin');
    const r = fn();
    if (r instanceof Promise) throw new TypeError('Transaction function cannot return a promise');
    wrapped.push('commit');
    return r;
  });
  const seen: string[] = [];
  events.on('user.created', () => seen.push('sync'));
  events.on('user.created', async () => {
    seen.push('async');
    throw new Error('later failure');
  });
  events.publish('user.created', { accountId: 'a', id: 'u', resource: {} });
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, ['sync', 'async']);
  assert.deepEqual(wrapped, ['begin', 'commit', 'begin', 'commit'], 'each listener in its own unit, none refused');
  assert.equal(errors.length, 1, 'the rejection is logged');
});
