import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setupServer } from 'msw/node';
import { ManualClock } from '../core/clock.ts';
import { FakeScim } from '../testing/fake-scim.ts';
import { pct, runLoad } from './load.ts';

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

function fake() {
  const f = new FakeScim();
  server.use(...f.handlers());
  return f;
}

test('okta load: existence check and create per user, then Push Groups with members', async () => {
  const f = fake();
  const progress: number[] = [];
  const r = await runLoad({
    idp: 'okta',
    users: 40,
    groups: 2,
    seed: 5,
    target: { scimUrl: f.baseUrl, auth: { type: 'bearer', token: 't0ken-okta' } },
    onProgress: (d) => progress.push(d),
  });
  assert.equal(r.errors.total, 0);
  assert.equal(f.users.size, 40);
  assert.equal(r.concurrency, 4);
  // 2 per user; per group the displayName existence check, POST, rename op and member add
  assert.equal(r.requests, 80 + 2 * 4);
  assert.equal(progress.at(-1), 42);
  assert.ok(r.latencyMs.p50 <= r.latencyMs.p95 && r.latencyMs.p95 <= r.latencyMs.p99);
  const members = [...f.groups.values()].map((g) => (g.members as unknown[]).length);
  assert.equal(
    members.reduce((a, b) => a + b, 0),
    39,
  );
});

test('entra and sailpoint load use their own shapes and concurrency', async () => {
  const e = fake();
  const er = await runLoad({ idp: 'entra', users: 30, groups: 1, seed: 6, target: { scimUrl: e.baseUrl, auth: { type: 'bearer', token: 't0ken-entra' } } });
  assert.equal(er.errors.total, 0);
  assert.equal(er.concurrency, 8);
  assert.equal(er.requests, 60 + 2 + 1);
  server.resetHandlers();
  const s = fake();
  const sr = await runLoad({
    idp: 'sailpoint',
    users: 30,
    groups: 1,
    seed: 7,
    concurrency: 3,
    target: { scimUrl: s.baseUrl, auth: { type: 'bearer', token: 't0ken-sp' } },
  });
  assert.equal(sr.errors.total, 0);
  assert.equal(sr.concurrency, 3);
  assert.equal(sr.requests, 30 + 1 + 29);
});

test('load counts failures by kind and retries on the injectable clock', async () => {
  const f = fake();
  f.inject('POST', /^\/Users$/, { status: 409 }, { status: 500 }, { status: 429, headers: { 'Retry-After': '2' } });
  const clock = new ManualClock();
  const r = await runLoad({ idp: 'okta', users: 10, seed: 8, clock, target: { scimUrl: f.baseUrl, auth: { type: 'bearer', token: 't0ken-okta' } } });
  assert.equal(r.errors.total, 2);
  assert.deepEqual(r.errors.byKind, { conflict: 1, server_error: 1 });
  assert.equal(r.retries, 1);
  assert.deepEqual(clock.sleeps, [2000]);
  assert.equal(r.errors.samples.length, 2);
});

test('nearest-rank percentiles', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(pct(xs, 50), 50);
  assert.equal(pct(xs, 95), 95);
  assert.equal(pct(xs, 99), 99);
  assert.equal(pct([], 50), 0);
  assert.equal(pct([7], 99), 7);
});
