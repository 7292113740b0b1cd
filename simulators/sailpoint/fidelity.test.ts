import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { setupServer } from 'msw/node';
import { createSimulator } from '../create.ts';
import { ManualClock } from '../core/clock.ts';
import { createDirectory } from '../directory/directory.ts';
import { FakeScim } from '../testing/fake-scim.ts';
import { type SailPointOptions, SailPointSimulator } from './sailpoint.ts';
import { formatTimestamp, ISO_MILLIS, offsetMinutes } from './timestamp.ts';

// What SailPoint's connector pages say it needs and does, read from the full-lifecycle transcript.

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function setup(options: Partial<SailPointOptions> = {}) {
  const fake = new FakeScim();
  server.use(...fake.handlers());
  const clock = new ManualClock(T0);
  const sim = new SailPointSimulator({
    target: { scimUrl: fake.baseUrl, token: 'sp-fidelity-token' },
    mode: 'patch',
    clock,
    directory: createDirectory('sailpoint', { seed: 3, users: 2, groups: 1 }),
    options,
    transportOptions: { timeoutMs: 200 },
  });
  return { fake, sim, clock };
}

test('Test Connection reads /ResourceTypes/User, /ResourceTypes/Group and the core User schema by its URI', async () => {
  const { sim } = setup();
  const result = await sim.run('full-lifecycle');
  const connect = result.steps[0]!;
  assert.equal(connect.name, 'Test Connection');
  assert.deepEqual(
    connect.exchanges.map((e) => new URL(e.request.url).pathname.replace(/^\/scim\/v2/, '')),
    [
      '/ServiceProviderConfig',
      '/ResourceTypes',
      '/Schemas',
      '/ResourceTypes/User',
      '/ResourceTypes/Group',
      '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User',
      '/Users',
    ],
  );
});

test('a 404 on /ResourceTypes/User fails Test Connection; Non-Compliant skips the discovery reads', async () => {
  const a = setup();
  a.fake.inject('GET', /^\/ResourceTypes\/User$/, { status: 404 });
  const failed = await a.sim.run('connect');
  assert.equal(failed.ok, false);
  assert.match(failed.steps[0]!.message, /Test Connection \(\/ResourceTypes\/User\) failed/);
  server.resetHandlers();
  const b = setup({ nonCompliant: true });
  await b.sim.run('connect');
  assert.deepEqual(
    b.fake.calls.map((c) => c.path),
    ['/Users?startIndex=1&count=1'],
  );
});

test('the delta aggregation follows a real change made after the account aggregation, by meta.lastModified gt', async () => {
  const { sim, clock } = setup();
  const steps: string[] = [];
  const original = sim.updateAccount.bind(sim);
  sim.updateAccount = (key, changes) => {
    clock.advance(1500);
    steps.push(key);
    return original(key, changes);
  };
  const result = await sim.run('full-lifecycle');
  assert.equal(result.ok, true, JSON.stringify(result.steps.filter((s) => !s.ok)));
  const names = result.steps.map((s) => s.name);
  const agg = names.lastIndexOf('Account Aggregation');
  assert.deepEqual(names.slice(agg, agg + 3), ['Account Aggregation', 'Update Account', 'Delta Aggregation']);
  const aggregatedAt = T0 + 1500; // the one Update Account before the aggregation advanced the clock once
  const delta = result.steps[agg + 2]!;
  const url = new URL(delta.exchanges[0]!.request.url);
  assert.equal(url.searchParams.get('filter'), `meta.lastModified gt "${new Date(aggregatedAt).toISOString()}"`);
  assert.equal(delta.observed.since, new Date(aggregatedAt).toISOString());
  assert.ok(Array.isArray(delta.observed.accounts));
});

test('the server time zone and timestamp format options write the delta bound as the SCIM server expects it', async () => {
  const { sim } = setup({ serverTimeZone: 'Europe/Paris', serverTimestampFormat: "yyyy-MM-dd'T'HH:mm:ssXXX" });
  await sim.run('aggregate');
  const delta = sim.session.steps.find((s) => s.name === 'Delta Aggregation')!;
  assert.equal(new URL(delta.exchanges[0]!.request.url).searchParams.get('filter'), 'meta.lastModified gt "2026-01-01T01:00:00+01:00"');
});

test('formatTimestamp: Java patterns, zones by name, abbreviation and offset', () => {
  const ms = Date.parse('2026-07-04T23:05:09.042Z');
  assert.equal(formatTimestamp(ms, ISO_MILLIS, 'UTC'), '2026-07-04T23:05:09.042Z');
  assert.equal(formatTimestamp(ms, ISO_MILLIS, 'PST'), '2026-07-04T16:05:09.042-07:00');
  assert.equal(formatTimestamp(ms, "YYYY-MM-dd'T'kk:mm:ss'Z'", 'GMT'), '2026-07-04T23:05:09Z');
  assert.equal(formatTimestamp(Date.parse('2026-07-04T00:30:00Z'), 'kk:mm', 'UTC'), '24:30');
  assert.equal(formatTimestamp(ms, 'yyyyMMddHHmmssZ', '+05:30'), '20260705043509+0530');
  assert.equal(offsetMinutes('Asia/Kolkata', ms), 330);
  assert.throws(() => offsetMinutes('Mars/Olympus', ms), RangeError);
});

test('an unknown server time zone is refused when the simulator is created', () => {
  assert.throws(
    () => createSimulator('sailpoint', { target: { scimUrl: 'http://x.test', token: 'tok-12345' }, options: { serverTimeZone: 'Mars/Olympus' } }),
    /invalid sailpoint options: serverTimeZone/,
  );
});
