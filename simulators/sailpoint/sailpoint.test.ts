import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ManualClock } from '../core/clock.ts';
import { createDirectory } from '../directory/directory.ts';
import type { AuthConfig } from '../transport/auth.ts';
import { FakeScim } from '../testing/fake-scim.ts';
import { assertCalls, directoryVars, expectedCalls, loadPayloads } from '../testing/expect-payloads.ts';
import { SAILPOINT_MODES, SAILPOINT_SCENARIOS, SailPointSimulator, type SailPointMode, type SailPointOptions } from './sailpoint.ts';

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const payloads = loadPayloads('sailpoint');

function setup(mode: SailPointMode = 'patch', options: Partial<SailPointOptions> = {}, auth?: AuthConfig) {
  const fake = new FakeScim();
  server.use(...fake.handlers());
  const clock = new ManualClock();
  const directory = createDirectory('sailpoint', { seed: 3, users: 2, groups: 1 });
  const snapshot = structuredClone({ people: directory.people, groups: directory.groups });
  const sim = new SailPointSimulator({
    target: { scimUrl: fake.baseUrl, ...(auth ? { auth } : { token: 'sp-api-token-123456' }) },
    mode,
    clock,
    directory,
    options,
    transportOptions: { timeoutMs: 200 },
  });
  const vars = { ...directoryVars(snapshot, { user1: 'u1', user2: 'u2', group1: 'g1' }), since: new Date(clock.now()).toISOString() };
  return { fake, clock, sim, vars };
}

for (const mode of SAILPOINT_MODES) {
  for (const { name } of SAILPOINT_SCENARIOS) {
    test(`sailpoint ${mode} ${name}: the requests of docs/idp-patterns.md §4`, async () => {
      const { fake, sim, vars } = setup(mode);
      const result = await sim.run(name);
      assert.equal(result.ok, true, JSON.stringify(result.steps.filter((s) => !s.ok)));
      assertCalls(fake.calls, expectedCalls(payloads, name, mode, vars));
    });
  }
}

test('Change Password never shows the password in the transcript', async () => {
  const { fake, sim } = setup('patch');
  const result = await sim.run('change-password');
  const sent = (fake.calls[1]?.body as { Operations: Array<{ value: string }> }).Operations[0]!.value;
  assert.ok(sent.length >= 16);
  assert.ok(!JSON.stringify(result).includes(sent));
});

test('sailpoint step names are its own words', async () => {
  const { sim } = setup('patch');
  const result = await sim.run('full-lifecycle');
  assert.deepEqual(
    [...new Set(result.steps.map((s) => s.name))],
    [
      'Test Connection',
      'Discover Schema',
      'Entitlement Aggregation',
      'Create Group',
      'Create Account',
      'Add Entitlement',
      'Update Account',
      'Disable Account',
      'Enable Account',
      'Remove Entitlement',
      'Account Aggregation',
      'Delta Aggregation',
      'Delete Account',
      'Delete Group',
    ],
  );
});

test('Non-Compliant Server skips discovery and reads a lower-case resources list', async () => {
  const { fake, sim } = setup('patch', { nonCompliant: true });
  fake.inject('GET', /^\/Users\?startIndex=1&count=100$/, { status: 200, body: { totalResults: 1, resources: [{ id: 'z1', userName: 'z@x.test' }] } });
  const connect = await sim.run('connect');
  assert.deepEqual(
    fake.calls.map((c) => c.path),
    ['/Users?startIndex=1&count=1'],
  );
  assert.equal(connect.ok, true);
  const agg = await sim.run('aggregate');
  assert.equal(agg.steps[0]?.observed.accounts, 1);
});

test('compliant Test Connection fails without /ServiceProviderConfig', async () => {
  const { fake, sim } = setup('patch');
  fake.inject('GET', /^\/ServiceProviderConfig$/, { status: 404 });
  const result = await sim.run('connect');
  assert.equal(result.ok, false);
  assert.match(result.steps[0]!.message, /\[ConnectorError\] Test Connection \(\/ServiceProviderConfig\) failed: HTTP 404/);
});

test('aggregation: page size, filters, explicit attributes and paging off', async () => {
  const a = setup('patch', { pageSize: 2, accountFilter: 'userName sw "S"', explicitAttributes: ['userName', 'active'] });
  for (let i = 0; i < 5; i++) a.fake.users.set(`p${i}`, { id: `p${i}`, userName: `p${i}@x.test` });
  await a.sim.aggregateAccounts();
  assert.deepEqual(
    a.fake.calls.map((c) => decodeURIComponent(c.path)),
    [1, 3, 5].map((s) => `/Users?filter=userName sw "S"&attributes=userName,active&startIndex=${s}&count=2`),
  );
  await a.sim.deltaAggregation();
  assert.equal(
    decodeURIComponent(a.fake.calls.at(-3)!.path),
    `/Users?filter=meta.lastModified gt "2026-01-01T00:00:00.000Z" and userName sw "S"&attributes=userName,active&startIndex=1&count=2`,
  );
  server.resetHandlers();
  const b = setup('patch', { pageSize: null });
  await b.sim.aggregateEntitlements();
  assert.deepEqual(
    b.fake.calls.map((c) => c.path),
    ['/Groups'],
  );
});

test('updateGroupsViaUsers and the legacy value-list remove', async () => {
  const a = setup('patch', { updateGroupsViaUsers: true });
  await a.sim.run('entitlements');
  const userPatches = a.fake.calls.filter((c) => c.method === 'PATCH').map((c) => [c.path, c.body]);
  assert.deepEqual(userPatches, [
    ['/Users/u1', { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'groups', value: [{ value: 'g1' }] }] }],
    ['/Users/u1', { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'remove', path: 'groups[value eq "g1"]' }] }],
  ]);
  server.resetHandlers();
  const b = setup('patch', { legacyMemberRemove: true });
  await b.sim.run('entitlements');
  assert.deepEqual(b.fake.calls.filter((c) => c.method === 'PATCH')[1]?.body, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'remove', path: 'members', value: [{ value: 'u1' }] }],
  });
});

test('entitlements for several accounts go out in parallel', async () => {
  const { fake, sim } = setup('patch');
  await sim.createAccount('user1');
  await sim.createAccount('user2');
  await sim.ensureEntitlement('group1');
  const steps = await sim.addEntitlementsInParallel([
    { key: 'user1', groupKey: 'group1' },
    { key: 'user2', groupKey: 'group1' },
  ]);
  assert.ok(steps.every((s) => s.ok));
  assert.deepEqual(fake.groups.get('g1')?.members, [{ value: 'u1' }, { value: 'u2' }]);
});

test('429: waits x-rate-limit-retry-after-seconds, else Retry-After; ignore429 gives up', async () => {
  const a = setup('patch');
  a.fake.inject(
    'POST',
    /^\/Users$/,
    { status: 429, headers: { 'x-rate-limit-retry-after-seconds': '4', 'Retry-After': '9' } },
    { status: 429, headers: { 'Retry-After': '9' } },
  );
  assert.equal((await a.sim.run('create-account')).ok, true);
  assert.deepEqual(a.clock.sleeps, [4000, 9000]);
  server.resetHandlers();
  const b = setup('patch', { ignore429: true });
  b.fake.inject('POST', /^\/Users$/, { status: 429 });
  const r = await b.sim.run('create-account');
  assert.equal(r.ok, false);
  assert.deepEqual(b.clock.sleeps, []);
});

test('rate-limit headers: once the limit is used up, pause until the reset', async () => {
  const { fake, sim, clock } = setup('patch');
  const reset = String(Math.floor(clock.now() / 1000) + 30);
  fake.inject('GET', /^\/ServiceProviderConfig$/, {
    status: 200,
    body: {},
    headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-limit': '100', 'x-rate-limit-reset': reset },
  });
  await sim.run('connect');
  assert.deepEqual(clock.sleeps, [30_000]);
});

test('500/503 are not retried unless listed in retryableErrors', async () => {
  const a = setup('patch');
  a.fake.inject('POST', /^\/Users$/, { status: 503 });
  const failed = await a.sim.run('create-account');
  assert.equal(failed.ok, false);
  assert.match(failed.steps[0]!.message, /\[ConnectorError\] Create Account .* failed: HTTP 503/);
  server.resetHandlers();
  const b = setup('patch', { retryableErrors: [500, 'temporarily'] });
  b.fake.inject('POST', /^\/Users$/, { status: 500 }, { status: 503, body: { detail: 'temporarily unavailable' } });
  assert.equal((await b.sim.run('create-account')).ok, true);
  assert.deepEqual(b.clock.sleeps, [1000, 1000]);
});

test('timeout, 409 on create and 404 on a cached id are connector errors', async () => {
  const a = setup('patch');
  a.fake.inject('POST', /^\/Users$/, { delayMs: 'forever' });
  assert.match((await a.sim.run('create-account')).steps[0]!.message, /no response within 200 ms/);
  server.resetHandlers();
  const b = setup('patch');
  b.fake.inject('POST', /^\/Users$/, {
    status: 409,
    body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness', detail: 'userName exists' },
  });
  assert.match((await b.sim.run('create-account')).steps[0]!.message, /HTTP 409 \(uniqueness: userName exists\)/);
  server.resetHandlers();
  const c = setup('patch');
  c.fake.inject('DELETE', /^\/Users\/u1$/, { status: 404 });
  const del = await c.sim.run('delete-account');
  assert.equal(del.steps[1]?.ok, false);
  assert.match(del.steps[1]!.message, /HTTP 404/);
});

test('basic authentication', async () => {
  const { fake, sim } = setup('patch', {}, { type: 'basic', username: 'svc', password: 'pa55word!' });
  await sim.run('connect');
  assert.equal(fake.calls[0]?.headers.authorization, `Basic ${Buffer.from('svc:pa55word!').toString('base64')}`);
  assert.ok(!JSON.stringify(sim.transport.log).includes('pa55word!'));
});

for (const clientAuth of ['basic', 'body'] as const) {
  test(`OAuth 2.0 client credentials (${clientAuth} client auth): token fetched once, refreshed on 401 and on expiry`, async () => {
    const tokenRequests: Array<{ auth: string | null; form: URLSearchParams }> = [];
    let n = 0;
    server.use(
      http.post('http://idp.test/oauth/token', async ({ request }) => {
        tokenRequests.push({ auth: request.headers.get('authorization'), form: new URLSearchParams(await request.text()) });
        n++;
        return HttpResponse.json({ access_token: `at-${n}-secretvalue`, token_type: 'Bearer', expires_in: 3600 });
      }),
    );
    const { fake, sim, clock } = setup(
      'patch',
      {},
      { type: 'oauth2-client-credentials', tokenUrl: 'http://idp.test/oauth/token', clientId: 'sp-client', clientSecret: 'sp-secret-xyz', clientAuth },
    );
    fake.inject('GET', /^\/ResourceTypes$/, { status: 401 });
    const result = await sim.run('connect');
    assert.equal(result.ok, true);
    assert.equal(tokenRequests.length, 2);
    assert.equal(tokenRequests[0]?.form.get('grant_type'), 'client_credentials');
    if (clientAuth === 'basic') assert.equal(tokenRequests[0]?.auth, `Basic ${Buffer.from('sp-client:sp-secret-xyz').toString('base64')}`);
    else assert.equal(tokenRequests[0]?.form.get('client_secret'), 'sp-secret-xyz');
    assert.deepEqual(
      fake.calls.map((c) => c.headers.authorization),
      // SPC, ResourceTypes refused, then again with a new token; the rest of the discovery reads and the user read
      ['Bearer at-1-secretvalue', 'Bearer at-1-secretvalue', ...Array<string>(6).fill('Bearer at-2-secretvalue')],
    );
    clock.advance(3600_000);
    await sim.run('connect');
    assert.equal(tokenRequests.length, 3);
    const transcript = JSON.stringify(result);
    assert.ok(!transcript.includes('sp-secret-xyz') && !transcript.includes('at-1-secretvalue'), 'a secret leaked into the transcript');
  });
}
