import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { setupServer } from 'msw/node';
import { ManualClock } from '../core/clock.ts';
import type { Exchange, Step } from '../core/types.ts';
import { createDirectory } from '../directory/directory.ts';
import { FakeScim } from '../testing/fake-scim.ts';
import { type OktaMode, type OktaOptions, OktaSimulator } from './okta.ts';

// What Okta's own pages say it sends, read from the full-lifecycle transcript (Okta: SCIM 2.0 Protocol Reference).

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

function setup(mode: OktaMode = 'oin', options: Partial<OktaOptions> = {}) {
  const fake = new FakeScim();
  server.use(...fake.handlers());
  const directory = createDirectory('okta', { seed: 42, users: 3, groups: 1 });
  const sim = new OktaSimulator({
    target: { scimUrl: fake.baseUrl, token: 'okta-fidelity-token' },
    mode,
    clock: new ManualClock(),
    directory,
    options,
    transportOptions: { timeoutMs: 200 },
  });
  return { fake, sim };
}

const line = (e: Exchange) => `${e.request.method} ${new URL(e.request.url).pathname.replace(/^\/scim\/v2/, '')}${new URL(e.request.url).search}`;
const lines = (s: Step | undefined) => (s?.exchanges ?? []).map(line);

for (const mode of ['oin', 'aiw'] as const) {
  test(`${mode}: after Unassign, assigning the user again finds the deactivated user by userName and activates it`, async () => {
    const { sim } = setup(mode);
    const result = await sim.run('full-lifecycle');
    assert.equal(result.ok, true, JSON.stringify(result.steps.filter((s) => !s.ok)));
    const p = sim.directory.people[0]!;
    const reassign = result.steps.at(-1)!;
    assert.equal(reassign.name, 'Assign');
    const [check, activate] = reassign.exchanges;
    assert.equal(line(check!), `GET /Users?filter=userName%20eq%20%22${encodeURIComponent(p.userName)}%22&startIndex=1&count=100`);
    const found = (check!.response!.body as { Resources: Array<{ id: string; active: boolean }> }).Resources;
    assert.deepEqual(
      found.map((u) => [u.id, u.active]),
      [[sim.userIds.get(p.key), false]],
      'the check returned the deactivated user',
    );
    assert.ok(!reassign.exchanges.some((e) => e.request.method === 'POST'), 'no second create');
    if (mode === 'oin') assert.deepEqual((activate!.request.body as { Operations: unknown[] }).Operations, [{ op: 'replace', value: { active: true } }]);
    else assert.equal((activate!.request.body as { active: boolean }).active, true);
    assert.deepEqual(reassign.observed, { userId: sim.userIds.get(p.key), linked: true, reactivated: true });
  });
}

test('a target whose filters hide inactive users makes the re-assign a create, which 409 stops in Okta wording', async () => {
  const { fake, sim } = setup('oin', { appName: 'Acme' });
  fake.filterHidesInactive = true;
  const result = await sim.run('full-lifecycle');
  const p = sim.directory.people[0]!;
  const last = result.steps.at(-1)!;
  assert.equal(last.ok, false);
  assert.deepEqual(
    lines(last).map((l) => l.split('?')[0]),
    ['GET /Users', 'POST /Users'],
  );
  assert.equal(
    last.message,
    `Automatic provisioning of user ${p.userName} to app Acme failed: Error while creating user ${p.displayName}: the app answered 409 userName already exists; provisioning stopped`,
  );
});

for (const mode of ['oin', 'aiw'] as const) {
  test(`${mode}: Push Groups looks the group up by displayName (startIndex=1&count=100) before the POST`, async () => {
    const { sim } = setup(mode);
    const name = sim.directory.groups[0]!.displayName;
    const result = await sim.run('push-groups');
    const push = result.steps.find((s) => s.name === 'Push Groups')!;
    const [lookup, create] = lines(push);
    assert.equal(lookup, `GET /Groups?filter=displayName%20eq%20%22${encodeURIComponent(name)}%22&startIndex=1&count=100`);
    assert.equal(create, 'POST /Groups');
    assert.equal(push.observed.created, true);
  });
}

test('Push Groups links to a group the existence check finds, instead of creating a second', async () => {
  const { fake, sim } = setup('oin');
  const g = sim.directory.groups[0]!;
  fake.groups.set('existing', { id: 'existing', displayName: g.displayName.toUpperCase(), members: [] });
  for (const p of sim.directory.people) await sim.assign(p.key);
  const push = await sim.pushGroup(g.key);
  assert.equal(push.ok, true, push.message);
  assert.equal(sim.groupIds.get(g.key), 'existing');
  assert.ok(!push.exchanges.some((e) => e.request.method === 'POST'), 'no POST /Groups');
  assert.deepEqual(
    push.exchanges.map((e) => e.request.method),
    ['GET', 'PATCH', ...(g.memberKeys.length ? ['PATCH'] : [])],
  );
  assert.match(push.message, /^Linked .* to the existing app group existing/);
});

test('failures of user tasks read as Okta words them: "Automatic provisioning of user X to app Y failed: Error while ..."', async () => {
  const { fake, sim } = setup('oin', { appName: 'Acme' });
  fake.inject('POST', /^\/Users$/, { status: 400, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', detail: 'bad email' } });
  const p = sim.directory.people[0]!;
  const step = await sim.assign(p.key);
  assert.equal(step.ok, false);
  assert.match(step.message, new RegExp(`^Automatic provisioning of user ${p.userName} to app Acme failed: Error while creating user ${p.displayName}: `));
  assert.match(step.message, /bad email/);
  // actions that are not a user's provisioning keep their own name
  fake.inject('GET', /^\/Users\?startIndex=1&count=2$/, { status: 500 });
  assert.match((await sim.testApiCredentials()).message, /^Test API Credentials failed: /);
});
