import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setupServer } from 'msw/node';
import { ManualClock } from '../core/clock.ts';
import { createDirectory } from '../directory/directory.ts';
import { FakeScim } from '../testing/fake-scim.ts';
import { assertCalls, directoryVars, expectedCalls, loadPayloads } from '../testing/expect-payloads.ts';
import { OKTA_MODES, OKTA_SCENARIOS, OktaSimulator, type OktaMode, type OktaOptions } from './okta.ts';

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const payloads = loadPayloads('okta');
const TOKEN = 'okta-test-token-0123456789';

function setup(mode: OktaMode = 'oin', options: Partial<OktaOptions> = {}) {
  const fake = new FakeScim();
  server.use(...fake.handlers());
  const clock = new ManualClock();
  const directory = createDirectory('okta', { seed: 42, users: 3, groups: 1 });
  const snapshot = structuredClone({ people: directory.people, groups: directory.groups });
  const sim = new OktaSimulator({ target: { scimUrl: fake.baseUrl, token: TOKEN }, mode, clock, directory, options, transportOptions: { timeoutMs: 200 } });
  const vars = directoryVars(snapshot, { user1: 'u1', user2: 'u2', user3: 'u3', group1: 'g1' });
  return { fake, clock, sim, vars };
}

for (const mode of OKTA_MODES) {
  for (const { name } of OKTA_SCENARIOS) {
    test(`okta ${mode} ${name}: the exact requests of docs/idp-patterns.md §2`, async () => {
      const { fake, sim, vars } = setup(mode);
      const result = await sim.run(name);
      await sim.close();
      assert.equal(result.ok, true, JSON.stringify(result.steps.filter((s) => !s.ok)));
      assertCalls(fake.calls, expectedCalls(payloads, name, mode, vars));
    });
  }
}

test('okta never sends DELETE for users and uses its own step names', async () => {
  const { fake, sim } = setup('oin');
  const result = await sim.run('full-lifecycle');
  assert.ok(!fake.calls.some((c) => c.method === 'DELETE' && c.path.startsWith('/Users')));
  assert.deepEqual(
    [...new Set(result.steps.map((s) => s.name))],
    [
      'Test API Credentials',
      'Assign',
      'Update User Attributes',
      'Sync Password',
      'Push Groups',
      'Push now',
      'Unlink pushed group',
      'Deactivate',
      'Reactivate',
      'Import Now',
      'Unassign',
    ],
  );
  // unassigned everyone, then assigned user1 again: the existence check found it and Okta activated it
  assert.equal(fake.users.get('u1')?.active, true);
  assert.equal(fake.users.get('u2')?.active, false);
});

test('okta transcript redacts the token and passwords', async () => {
  const { sim } = setup('oin');
  const result = await sim.run('full-lifecycle');
  const text = JSON.stringify(result);
  assert.ok(!text.includes(TOKEN));
  for (const p of sim.directory.people) assert.ok(!text.includes(p.password), 'a password leaked');
  assert.match(text, /Bearer \[REDACTED\]/);
  assert.equal(result.steps[0]?.exchanges[0]?.request.headers['user-agent'], 'Okta SCIM Client 1.0.0');
});

test('assign links to an existing user instead of creating it, and pushes the profile', async () => {
  const { fake, sim } = setup('oin');
  const p = sim.directory.people[0]!;
  fake.users.set('x9', { id: 'x9', userName: p.userName.toUpperCase(), name: { givenName: 'Old', familyName: 'Name' }, active: true });
  const step = (await sim.run('assign')).steps[0]!;
  assert.equal(step.ok, true);
  assert.equal(step.observed.linked, true);
  assert.deepEqual(
    fake.calls.slice(0, 2).map((c) => c.method),
    ['GET', 'PUT'],
  );
  assert.equal(fake.calls[1]?.path, '/Users/x9');
});

test('429 with Retry-After: Okta waits exactly that long and retries the same request', async () => {
  const { fake, sim, clock } = setup('oin');
  fake.inject('GET', /^\/Users\?startIndex=1&count=2$/, { status: 429, headers: { 'Retry-After': '7' } });
  const result = await sim.run('connect');
  assert.equal(result.ok, true);
  assert.deepEqual(clock.sleeps, [7000]);
  assert.equal(fake.calls.length, 2);
  assert.equal(result.steps[0]?.exchanges.length, 2);
});

test('429 without Retry-After waits 60 s; after the retry budget the task fails', async () => {
  const { fake, sim, clock } = setup('oin', { maxRateLimitRetries: 2 });
  fake.inject('GET', /count=2$/, { status: 429 }, { status: 429 }, { status: 429 });
  const result = await sim.run('connect');
  assert.equal(result.ok, false);
  assert.deepEqual(clock.sleeps, [60_000, 60_000]);
  assert.match(result.steps[0]!.message, /rate limit/);
});

test('500 and 503 are not retried by default (the admin retries the task); retry_5xx=n retries', async () => {
  const a = setup('oin');
  a.fake.inject('POST', /^\/Users$/, { status: 503 });
  const failed = await a.sim.run('assign');
  assert.equal(failed.ok, false);
  assert.match(failed.steps[0]!.message, /can be retried/);
  assert.equal(a.fake.calls.filter((c) => c.method === 'POST').length, 1);
  server.resetHandlers();
  const b = setup('oin', { retry5xx: 1 });
  b.fake.inject('POST', /^\/Users$/, { status: 500 });
  const ok = await b.sim.run('assign');
  assert.equal(ok.ok, true);
  assert.equal(b.fake.calls.filter((c) => c.method === 'POST').length, 4);
});

test('a timeout fails the task with a timeout message', async () => {
  const { fake, sim } = setup('oin');
  fake.inject('GET', /count=2$/, { delayMs: 'forever' });
  const result = await sim.run('connect');
  assert.equal(result.ok, false);
  assert.match(result.steps[0]!.message, /no response within 200 ms/);
  assert.equal(result.steps[0]!.exchanges[0]?.response, null);
});

test('409 on create stops provisioning with the server detail', async () => {
  const { fake, sim } = setup('oin');
  fake.inject('POST', /^\/Users$/, {
    status: 409,
    body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: 409, scimType: 'uniqueness', detail: 'userName taken' },
  });
  const result = await sim.run('assign');
  assert.equal(result.ok, false);
  assert.equal(result.steps.length, 1);
  assert.match(result.steps[0]!.message, /409 userName taken; provisioning stopped/);
});

test('404 on the cached id fails Update User Attributes as an error task', async () => {
  const { fake, sim } = setup('oin');
  fake.inject('GET', /^\/Users\/u1$/, { status: 404 });
  const result = await sim.run('update-profile');
  assert.equal(result.ok, false);
  assert.equal(result.steps[1]?.name, 'Update User Attributes');
  assert.match(result.steps[1]!.message, /HTTP 404/);
});

test('paging fields sent as strings break the import, as in Okta', async () => {
  const { fake, sim } = setup('oin');
  fake.inject('GET', /^\/Users\?startIndex=1&count=100$/, { status: 200, body: { schemas: [], totalResults: '1', Resources: [] } });
  const result = await sim.run('import');
  assert.equal(result.ok, false);
  assert.match(result.steps[0]!.message, /totalResults/);
});

test('import pages by 100 until totalResults', async () => {
  const { fake, sim } = setup('oin');
  for (let i = 0; i < 230; i++) fake.users.set(`p${i}`, { id: `p${i}`, userName: `p${i}@x.test` });
  const result = await sim.run('import');
  assert.equal(result.steps[0]?.observed.users, 230);
  assert.deepEqual(
    fake.calls.map((c) => c.path),
    ['/Users?startIndex=1&count=100', '/Users?startIndex=101&count=100', '/Users?startIndex=201&count=100', '/Groups?startIndex=1&count=100'],
  );
});

test('the application/json option and suspend_sends_deactivate change only what they say', async () => {
  const { fake, sim } = setup('oin', { jsonContentType: true, suspendSendsDeactivate: true });
  await sim.run('suspend');
  assert.equal(fake.calls[1]?.headers['content-type'], 'application/json');
  assert.deepEqual(fake.calls[2]?.body, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', value: { active: false } }],
  });
});

test('an empty 2xx answer to the create is Okta\'s "Create new user returned empty user"', async () => {
  const { fake, sim } = setup('oin');
  fake.inject('POST', /^\/Users$/, { status: 201, body: '' });
  const result = await sim.run('assign');
  assert.equal(result.ok, false);
  const p = sim.directory.people[0]!;
  assert.equal(
    result.steps[0]!.message,
    `Automatic provisioning of user ${p.userName} to app SCIM 2.0 Test App failed: Error while creating user ${p.displayName}: Create new user returned empty user.`,
  );
});

test('oin_patch_profile sends profile updates as one no-path PATCH', async () => {
  const { fake, sim } = setup('oin', { oinPatchProfile: true });
  await sim.run('update-profile');
  const patch = fake.calls.at(-1)!;
  assert.equal(patch.method, 'PATCH');
  assert.deepEqual(
    (patch.body as { Operations: Array<{ op: string; path?: string }> }).Operations.map((o) => [o.op, o.path]),
    [['replace', undefined]],
  );
});

test('createSimulator refuses unknown or mistyped options', async () => {
  const { createSimulator } = await import('../create.ts');
  assert.throws(
    () => createSimulator('okta', { target: { scimUrl: 'http://x.test', token: 'tok-12345' }, options: { retry5xx: 'two' } }),
    /invalid okta options: retry5xx/,
  );
  assert.throws(() => createSimulator('okta', { target: { scimUrl: 'http://x.test', token: 'tok-12345' }, options: { bogus: true } }), /invalid okta options/);
  assert.throws(() => createSimulator('okta', { target: { scimUrl: 'http://x.test', token: 'tok-12345' }, mode: 'legacy' }), /unknown okta mode/);
});

test('a 404 Error on the existence check counts as "not found": Okta creates the user', async () => {
  const { fake, sim } = setup('oin');
  fake.inject('GET', /^\/Users\?filter=/, { status: 404 });
  const step = (await sim.run('assign')).steps[0]!;
  assert.equal(step.ok, true);
  assert.equal(step.observed.created, true);
  assert.deepEqual(
    fake.calls.slice(0, 2).map((c) => c.method),
    ['GET', 'POST'],
  );
});

test('an action called on its own returns its failed step instead of throwing', async () => {
  const { fake, sim } = setup('oin');
  fake.inject('POST', /^\/Users$/, { status: 500 });
  const step = await sim.assign('user1');
  assert.equal(step.ok, false);
  assert.equal(step.name, 'Assign');
  assert.equal((await sim.assign('user2')).ok, true);
});
