import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { setupServer } from 'msw/node';
import { ManualClock } from '../core/clock.ts';
import type { Exchange, Step } from '../core/types.ts';
import { createDirectory } from '../directory/directory.ts';
import { FakeScim } from '../testing/fake-scim.ts';
import { type EntraMode, EntraSimulator } from './entra.ts';

// Provision on demand as Microsoft describes it ("On-demand provisioning in Microsoft Entra ID"): one user through
// Test connection, Import user, Determine if user is in scope, Match user between source and target, Perform
// action; and, because "this feature flag currently doesn't work with on-demand provisioning" (ENTRA-COMPAT), the
// request shapes of a job without aadOptscim062020 even when the flag is on the Tenant URL.

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const GUID = '8646d011-1693-4cd3-9ee6-0d7482ca2219';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function setup(mode: EntraMode = 'compliant') {
  const fake = new FakeScim();
  server.use(...fake.handlers());
  const sim = new EntraSimulator({
    target: { scimUrl: fake.baseUrl, token: 'entra-pod-token' },
    mode,
    clock: new ManualClock(),
    directory: createDirectory('entra', { seed: 7, users: 3, groups: 1 }),
    options: { testConnectionGuid: GUID },
    transportOptions: { timeoutMs: 200 },
  });
  return { fake, sim };
}

const ops = (e: Exchange | undefined) => (e?.request.body as { Operations?: unknown[] } | null)?.Operations;
const patchOf = (s: Step) => s.exchanges.find((e) => e.request.method === 'PATCH');
const filterOf = (e: Exchange | undefined) => (e ? new URL(e.request.url).searchParams.get('filter') : null);

test('compliant job (flag on the URL): Provision on demand still sends the shapes without the flag', async () => {
  const { sim } = setup('compliant');
  const u1 = sim.directory.people[0]!;
  const result = await sim.run('provision-on-demand');
  assert.equal(result.ok, true, JSON.stringify(result.steps.filter((s) => !s.ok)));
  assert.deepEqual(
    result.steps.map((s) => [s.name, s.log?.action]),
    [
      ['Provision on demand', 'Create'],
      ['Provision on demand', 'Update'],
      ['Provision on demand', 'Disable'],
    ],
  );
  for (const s of result.steps) {
    // the flag rides on every request, and changes nothing
    for (const e of s.exchanges) assert.match(e.request.url, /\?aadOptscim062020(&|$)/);
    // Test connection first: a request for a "test user", the random GUID on the matching attribute
    assert.equal(filterOf(s.exchanges[0]), `userName eq "${GUID}"`);
    assert.equal(filterOf(s.exchanges[1]), `userName eq "${u1.userName}"`);
    assert.equal(s.log?.cycleId, undefined, 'on demand is not part of a cycle');
  }
  // update: "Replace", one op per path (the compliant job sends one no-path op with dotted keys)
  assert.deepEqual(ops(patchOf(result.steps[1]!)), [
    { op: 'Replace', path: 'emails[type eq "work"].value', value: u1.email },
    { op: 'Replace', path: 'name.familyName', value: u1.familyName },
    { op: 'Replace', path: 'name.formatted', value: `${u1.givenName} ${u1.familyName}` },
    { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Legal Operations' },
  ]);
  // disable after unassignment: "Replace" with the string "False"
  assert.deepEqual(ops(patchOf(result.steps[2]!)), [{ op: 'Replace', path: 'active', value: 'False' }]);
  assert.match(result.steps[2]!.message, /Disabled .* on demand \(unassigned\)/);
  // the same job's own cycle sends the compliant shapes
  const cycled = await sim.updateUser(u1.key, { familyName: u1.familyName });
  assert.deepEqual(ops(patchOf(cycled))?.[0], {
    op: 'replace',
    value: { 'name.familyName': u1.familyName, 'name.formatted': `${u1.givenName} ${u1.familyName}` },
  });
});

test('the on-demand log has the five steps: import, scoping, matching, processing, export', async () => {
  const { sim } = setup('legacy');
  const result = await sim.run('provision-on-demand');
  const [create, update, disable] = result.steps;
  assert.deepEqual(
    create!.log!.steps.map((x) => [x.name, x.status]),
    [
      ['import', 'success'],
      ['scoping', 'success'],
      ['matching', 'success'],
      ['processing', 'success'],
      ['export', 'success'],
    ],
  );
  assert.match(create!.log!.steps[2]!.description, /^No User in the target matches/, 'matched by the user, not by the test-user GUID');
  assert.match(update!.log!.steps[2]!.description, /^Found a User in the target matching/);
  assert.match(disable!.log!.steps[1]!.description, /out of scope \(unassigned\)/);
  assert.match(disable!.log!.steps[3]!.description, /is to be disabled/);
});

test('a user needing no change is skipped (Other); an attribute the target does not hold is sent as "Add"', async () => {
  const { fake, sim } = setup('compliant');
  const u1 = sim.directory.people[0]!;
  await sim.provisionOnDemand(u1.key);
  const same = await sim.provisionOnDemand(u1.key);
  assert.equal(same.ok, true);
  assert.equal(same.log?.action, 'Other');
  assert.equal(same.log?.steps.at(-1)?.status, 'skipped');
  assert.equal(patchOf(same), undefined);
  const stored = fake.users.get('u1')!;
  delete (stored[ENTERPRISE] as Record<string, unknown>).department;
  const added = await sim.provisionOnDemand(u1.key);
  assert.deepEqual(ops(patchOf(added)), [{ op: 'Add', path: `${ENTERPRISE}:department`, value: u1.department }]);
  assert.equal(added.log?.action, 'Update');
});

test('a failed Test connection fails the on-demand run, and nothing is escrowed', async () => {
  const { fake, sim } = setup('legacy');
  fake.inject('GET', /filter=userName/, { status: 500 });
  const step = await sim.provisionOnDemand(sim.directory.people[0]!.key);
  assert.equal(step.ok, false);
  assert.match(step.message, /^Test connection failed/);
  assert.equal(step.exchanges.length, 1);
  assert.equal(sim.escrow.entries.size, 0);
});
