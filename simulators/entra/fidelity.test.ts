import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { setupServer } from 'msw/node';
import { ManualClock } from '../core/clock.ts';
import type { Exchange, Step } from '../core/types.ts';
import { createDirectory } from '../directory/directory.ts';
import { FakeScim } from '../testing/fake-scim.ts';
import { type EntraMode, type EntraOptions, EntraSimulator, renamedUpn } from './entra.ts';

// What Microsoft's pages say Entra sends, read from the full-lifecycle transcript.

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

function setup(mode: EntraMode = 'legacy', options: Partial<EntraOptions> = {}) {
  const fake = new FakeScim();
  server.use(...fake.handlers());
  const directory = createDirectory('entra', { seed: 7, users: 3, groups: 1 });
  const sim = new EntraSimulator({
    target: { scimUrl: fake.baseUrl, token: 'entra-fidelity-token' },
    mode,
    clock: new ManualClock(),
    directory,
    options: { testConnectionGuid: '8646d011-1693-4cd3-9ee6-0d7482ca2219', ...options },
    transportOptions: { timeoutMs: 200 },
  });
  return { fake, sim };
}

/** The raw query string the target received, flag removed. */
const rawQuery = (e: Exchange) => new URL(e.request.url).search.replace(/^\?aadOptscim062020&?/, '?');

test('queries go out as Entra encodes them: a space is "+", quotes %22 (Entra\'s logs: Users?filter=PLACEHOLDER+eq+"...")', async () => {
  const { fake, sim } = setup('legacy');
  const result = await sim.run('full-lifecycle');
  const connect = result.steps[0]!;
  assert.equal(rawQuery(connect.exchanges[0]!), '?filter=userName+eq+%228646d011-1693-4cd3-9ee6-0d7482ca2219%22');
  const queries = fake.calls.filter((c) => c.path.includes('filter='));
  assert.ok(queries.length >= 5);
  for (const c of queries) assert.ok(!c.path.includes('%20') && c.path.includes('+eq+'), c.path);
  const group = fake.calls.find((c) => c.path.startsWith('/Groups?'))!;
  assert.match(group.path, /^\/Groups\?excludedAttributes=members&filter=displayName\+eq\+%22[^%]+(\+[^%]+)*%22$/);
});

test('queryEncoding=percent keeps %20', async () => {
  const { fake, sim } = setup('compliant', { queryEncoding: 'percent' });
  await sim.run('connect');
  assert.equal(fake.calls[0]!.path, '/Users?aadOptscim062020&filter=userName%20eq%20%228646d011-1693-4cd3-9ee6-0d7482ca2219%22');
});

for (const mode of ['legacy', 'compliant'] as const) {
  test(`${mode}: a user assigned again is matched again by userName, and the query returns the disabled user`, async () => {
    const { sim } = setup(mode);
    const u2 = sim.directory.people[1]!;
    const result = await sim.run('full-lifecycle');
    assert.equal(result.ok, true, JSON.stringify(result.steps.filter((s) => !s.ok)));
    const unassigned = result.steps.findIndex((s) => s.name === 'Disable' && s.observed.userId === 'u2');
    assert.match(result.steps[unassigned]!.message, /unassigned/);
    const reassign = result.steps.slice(unassigned + 1).find((s) => s.observed.userId === 'u2')!;
    assert.equal(reassign.name, 'Update');
    const [match, patch] = reassign.exchanges;
    // matched by the UPN it has since its rename
    assert.equal(decodeURIComponent(rawQuery(match!).replaceAll('+', ' ')), `?filter=userName eq "${u2.userName}"`);
    assert.equal(u2.userName, renamedUpn(sim.directory.people[1]!.userName.replace('.renamed@', '@')));
    const found = (match!.response!.body as { Resources: Array<{ id: string; active: unknown }> }).Resources;
    assert.deepEqual(
      found.map((u) => [u.id, u.active]),
      [['u2', false]],
    );
    assert.equal(patch!.request.method, 'PATCH');
    assert.equal(reassign.log?.action, 'Update');
    // the soft-deleted user restored in the same cycle is updated through its stored id, no query
    const restored = result.steps.slice(unassigned + 1).find((s) => s.observed.userId === 'u1')!;
    assert.deepEqual(
      restored.exchanges.map((e) => e.request.method),
      ['GET', 'PATCH'],
    );
    assert.ok(!new URL(restored.exchanges[0]!.request.url).searchParams.has('filter'));
  });
}

test('a target whose filters hide disabled users turns the restore into a create that fails on the conflict (escrowed)', async () => {
  const { fake, sim } = setup('legacy');
  fake.filterHidesInactive = true;
  await sim.run('full-lifecycle');
  const restore = sim.session.steps.find((s) => s.name === 'Update' && s.exchanges.some((e) => e.request.method === 'POST'))!;
  assert.equal(restore.ok, false);
  assert.match(restore.message, /SystemForCrossDomainIdentityManagementServiceConflict/);
  assert.equal(restore.observed.escrowed, true);
  assert.equal(restore.log?.action, 'Create');
  assert.equal(restore.log?.steps.find((s) => s.name === 'export')?.status, 'failure');
});

for (const mode of ['legacy', 'compliant'] as const) {
  test(`${mode}: a UPN change is one Replace on path userName (the tutorial's single-valued update)`, async () => {
    const { sim } = setup(mode);
    const u2 = sim.directory.people[1]!;
    const before = u2.userName;
    const result = await sim.run('full-lifecycle');
    const rename = result.steps.find((s) => s.message.startsWith('Renamed'))!;
    assert.equal(rename.name, 'Update');
    const patch = rename.exchanges.find((e) => e.request.method === 'PATCH')!;
    assert.deepEqual((patch.request.body as { Operations: unknown[] }).Operations, [
      { op: mode === 'legacy' ? 'Replace' : 'replace', path: 'userName', value: renamedUpn(before) },
    ]);
    assert.equal(u2.userName, renamedUpn(before), 'Entra now knows the user by the new UPN');
  });
}

test('every object step carries its provisioning-log action and the steps import, scoping, matching, processing, export', async () => {
  const { sim } = setup('legacy');
  const result = await sim.run('full-lifecycle');
  const objectSteps = result.steps.filter((s) => s.name !== 'Test Connection');
  const actions = (s: Step) => s.log?.action;
  assert.ok(objectSteps.every((s) => s.log !== undefined));
  assert.deepEqual([...new Set(objectSteps.map(actions))].sort(), ['Create', 'Delete', 'Disable', 'Update']);
  for (const s of objectSteps) {
    const names = s.log!.steps.map((x) => x.name);
    assert.deepEqual(
      names.filter((n) => n !== 'matching' && n !== 'referenceResolution'),
      ['import', 'scoping', 'processing', 'export'],
      s.message,
    );
    assert.equal(names.length, 5);
  }
  const created = objectSteps.find((s) => s.log?.action === 'Create')!;
  assert.deepEqual(
    created.log!.steps.map((x) => [x.name, x.status]),
    [
      ['import', 'success'],
      ['scoping', 'success'],
      ['matching', 'success'],
      ['processing', 'success'],
      ['export', 'success'],
    ],
  );
  const unassigned = objectSteps.find((s) => s.name === 'Disable' && s.message.includes('unassigned'))!;
  assert.match(unassigned.log!.steps[1]!.description, /out of scope/);
  assert.equal(unassigned.log!.steps[2]!.status, 'skipped', 'a disable uses the stored target id');
  // no step is named "Enable": a re-enable is an Update in Entra's logs
  assert.ok(!result.steps.some((s) => /Enable|soft delete|hard delete/.test(s.name)));
});
