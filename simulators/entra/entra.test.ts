import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setupServer } from 'msw/node';
import { ManualClock } from '../core/clock.ts';
import { createDirectory } from '../directory/directory.ts';
import { FakeScim } from '../testing/fake-scim.ts';
import { assertCalls, directoryVars, expectedCalls, loadPayloads } from '../testing/expect-payloads.ts';
import { encodeQueryPair } from '../transport/transport.ts';
import { ENTRA_MODES, ENTRA_SCENARIOS, EntraSimulator, type EntraMode, type EntraOptions, renamedUpn } from './entra.ts';

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const payloads = loadPayloads('entra');
const GUID = '7d6b3c52-0f1e-4a8b-9c3d-2e5f6a7b8c9d';
const FLAG = 'aadOptscim062020';

function setup(mode: EntraMode = 'legacy', options: Partial<EntraOptions> = {}) {
  const fake = new FakeScim();
  server.use(...fake.handlers());
  const clock = new ManualClock();
  const directory = createDirectory('entra', { seed: 7, users: 3, groups: 1 });
  const snapshot = structuredClone({ people: directory.people, groups: directory.groups });
  const sim = new EntraSimulator({
    target: { scimUrl: fake.baseUrl, token: 'entra-secret-token-xyz' },
    mode,
    clock,
    directory,
    options: { testConnectionGuid: GUID, ...options },
    transportOptions: { timeoutMs: 200 },
  });
  const vars = {
    ...directoryVars(snapshot, { user1: 'u1', user2: 'u2', user3: 'u3', group1: 'g1' }),
    guid: GUID,
    base: fake.baseUrl,
    'user2.renamedUserName': renamedUpn(snapshot.people[1]!.userName),
  };
  return { fake, clock, sim, vars };
}

/**
 * The payload file writes queries percent-encoded (%20); Entra's default form encoding writes a space as '+': the
 * same query, re-encoded pair by pair.
 */
function formEncoded(path: string): string {
  const [base = '', query] = path.split('?');
  if (query === undefined) return path;
  const pairs = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? pair : encodeQueryPair(decodeURIComponent(pair.slice(0, eq)), decodeURIComponent(pair.slice(eq + 1)), 'form');
  });
  return `${base}?${pairs.join('&')}`;
}

/** The flag must ride first on every compliant request; the payload file lists paths without it. */
function withoutFlag(path: string): string {
  return path.replace(`?${FLAG}&`, '?').replace(`?${FLAG}`, '');
}

for (const mode of ENTRA_MODES) {
  for (const { name } of ENTRA_SCENARIOS) {
    test(`entra ${mode} ${name}: the exact requests of docs/idp-patterns.md §3`, async () => {
      const { fake, sim, vars } = setup(mode);
      const result = await sim.run(name);
      assert.equal(result.ok, true, JSON.stringify(result.steps.filter((s) => !s.ok)));
      for (const c of fake.calls) assert.equal(c.path.includes(FLAG), mode === 'compliant', `flag on ${c.path}`);
      if (mode === 'compliant') for (const c of fake.calls) assert.match(c.path, new RegExp(`\\?${FLAG}(&|$)`));
      assertCalls(
        fake.calls.map((c) => ({ ...c, path: withoutFlag(c.path) })),
        expectedCalls(payloads, name, mode, vars).map((e) => ({ ...e, path: formEncoded(e.path) })),
      );
    });
  }
}

test('queryEncoding=percent sends the queries exactly as the payload file writes them (%20)', async () => {
  const { fake, sim, vars } = setup('legacy', { queryEncoding: 'percent' });
  const result = await sim.run('full-lifecycle');
  assert.equal(result.ok, true);
  assertCalls(fake.calls, expectedCalls(payloads, 'full-lifecycle', 'legacy', vars));
});

test('entra GETs carry no Content-Type, writes do', async () => {
  const { fake, sim } = setup('legacy');
  await sim.run('initial-cycle');
  for (const c of fake.calls) assert.equal(c.headers['content-type'] !== undefined, c.method !== 'GET', `${c.method} ${c.path}`);
});

test('entra step names are its own words; the legacy transcript shows "Replace" and "False"', async () => {
  const { sim } = setup('legacy');
  const result = await sim.run('full-lifecycle');
  assert.deepEqual([...new Set(result.steps.map((s) => s.name))], ['Test Connection', 'Create', 'Update', 'Disable', 'Delete']);
  const disable = result.steps.find((s) => s.name === 'Disable');
  assert.deepEqual((disable?.exchanges.at(-1)?.request.body as { Operations: unknown[] }).Operations, [{ op: 'Replace', path: 'active', value: 'False' }]);
  assert.ok(!JSON.stringify(result).includes('entra-secret-token-xyz'));
});

test('the other manager shapes: bare id on the URN path, and a plain string in POST', async () => {
  const a = setup('compliant', { managerShape: 'urn-string' });
  await a.sim.run('initial-cycle');
  const patch = a.fake.calls.find((c) => c.method === 'PATCH' && c.path.startsWith('/Users/u2'));
  assert.deepEqual(patch?.body, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', value: 'u1' }],
  });
  server.resetHandlers();
  const b = setup('legacy', { managerShape: 'post-string' });
  await b.sim.run('initial-cycle');
  const post = b.fake.calls.filter((c) => c.method === 'POST' && c.path === '/Users')[1];
  assert.equal((post?.body as Record<string, { manager?: string }>)['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']?.manager, 'u1');
  assert.ok(!b.fake.calls.some((c) => c.method === 'PATCH' && c.path.startsWith('/Users/')));
});

test('lower-case string booleans (Switch() mapping) and the partial members replace are options', async () => {
  const { fake, sim } = setup('legacy', { activeValue: 'string-lower', partialMemberReplace: true });
  await sim.run('full-lifecycle');
  assert.ok(fake.calls.some((c) => JSON.stringify(c.body).includes('{"op":"Replace","path":"active","value":"false"}')));
  assert.ok(fake.calls.some((c) => JSON.stringify(c.body).includes('{"op":"Replace","path":"members","value":[{"value":"u3"}]}')));
});

test('matching on externalId and the manager pre-check query', async () => {
  const { fake, sim } = setup('legacy', { matchOn: 'externalId', checkManagerFirst: true });
  await sim.run('initial-cycle');
  // form encoding: '+' is a space
  const decoded = (path: string) => decodeURIComponent(path.replaceAll('+', ' '));
  assert.match(decoded(fake.calls[0]!.path), /^\/Users\?filter=externalId eq "[a-z.]+"$/);
  assert.ok(fake.calls.some((c) => decoded(c.path) === '/Users?attributes=id&filter=id eq "u2" and manager eq "u1"'));
});

test('429 honor_retry_after waits Retry-After and retries in the cycle', async () => {
  const { fake, sim, clock } = setup('legacy');
  fake.inject('POST', /^\/Users$/, { status: 429, headers: { 'Retry-After': '3' } });
  const result = await sim.run('initial-cycle');
  assert.equal(result.ok, true);
  assert.deepEqual(clock.sleeps, [3000]);
});

test('429 escrow_next_cycle escrows the user and retries it on the next cycle', async () => {
  const { fake, sim, clock } = setup('legacy', { on429: 'escrow_next_cycle' });
  fake.inject('POST', /^\/Users$/, { status: 429 });
  const result = await sim.run('initial-cycle');
  assert.equal(result.ok, false);
  assert.deepEqual(clock.sleeps, []);
  const failed = result.steps.find((s) => !s.ok)!;
  assert.equal(failed.observed.escrowed, true);
  assert.match(failed.message, /Throttled/);
  assert.equal(sim.escrow.entries.size > 0, true);
  await sim.incrementalCycle([]);
  assert.equal(sim.escrow.entries.has('user1'), false);
  assert.equal(fake.users.size, 3);
});

test('500 and 503 are escrowed: retried 6 h, 12 h and 24 h after the first failure (ENTRA-Q)', async () => {
  const { fake, sim, clock } = setup('legacy');
  const H = 3600_000;
  fake.inject('POST', /^\/Users$/, { status: 500 });
  await sim.run('initial-cycle');
  const first = sim.escrow.entries.get('user1')!.firstFailureAt;
  assert.equal(sim.escrow.entries.get('user1')!.nextRetryAt - first, 6 * H);
  fake.inject('GET', /^\/Users\?filter=/, { status: 503 });
  clock.advance(6 * H);
  await sim.incrementalCycle([]);
  assert.equal(sim.escrow.entries.get('user1')?.attempts, 2);
  // anchored on the first failure: 12 h after it, not 12 h after this retry
  assert.equal(sim.escrow.entries.get('user1')!.nextRetryAt - first, 12 * H);
  clock.advance(12 * H - (clock.now() - first));
  await sim.incrementalCycle([]);
  assert.equal(sim.escrow.entries.has('user1'), false);
  assert.equal(fake.users.size, 3);
});

test('a timeout is escrowed as service unavailable', async () => {
  const { fake, sim } = setup('legacy');
  fake.inject('GET', /filter=userName/, { delayMs: 'forever' });
  const result = await sim.run('initial-cycle');
  const failed = result.steps.find((s) => !s.ok)!;
  assert.match(failed.message, /ServiceUnavailable.*no response within 200 ms/);
});

test('409 on create is a failure for that user, escrowed; the cycle goes on', async () => {
  const { fake, sim } = setup('legacy');
  fake.inject('POST', /^\/Users$/, {
    status: 409,
    body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness', detail: 'exists' },
  });
  const result = await sim.run('initial-cycle');
  assert.equal(result.steps.filter((s) => !s.ok).length, 1);
  assert.match(result.steps[0]!.message, /Conflict/);
  assert.ok(result.steps.length > 3);
});

test('404 on a cached id re-runs the matching query and creates the user again', async () => {
  const { fake, sim } = setup('legacy');
  await sim.run('initial-cycle');
  fake.users.delete('u1');
  const before = fake.calls.length;
  await sim.incrementalCycle([{ type: 'disable', key: 'user1', why: 'soft-deleted' }]);
  assert.deepEqual(
    fake.calls.slice(before).map((c) => `${c.method} ${decodeURIComponent(c.path).split('?')[0]}`),
    ['GET /Users/u1', 'GET /Users', 'POST /Users', 'PATCH /Users/u4'],
  );
});

test('401 quarantines the job (EncounteredQuarantineException) and stops the cycle', async () => {
  const { fake, sim } = setup('legacy');
  fake.inject('GET', /filter=userName/, { status: 401 });
  const result = await sim.run('initial-cycle');
  assert.equal(sim.escrow.quarantine?.reason, 'EncounteredQuarantineException');
  assert.equal(result.steps.at(-1)?.name, 'Quarantine');
  assert.equal(result.steps.length, 2);
});

test('schema discovery (gallery apps) reads /Schemas after Test Connection', async () => {
  const { fake, sim } = setup('compliant', { schemaDiscovery: true });
  const result = await sim.run('connect');
  assert.equal(result.ok, true);
  assert.deepEqual(
    fake.calls.map((c) => c.path.split('?')[0]),
    ['/Users', '/Groups', '/Schemas'],
  );
  assert.equal(result.steps[1]?.name, 'Schema discovery');
  assert.equal(result.steps.length, 2);
});

test('a quarantined job called cycle by cycle stops and says so without throwing; its next cycle is a day later', async () => {
  const { fake, sim, clock } = setup('legacy');
  fake.inject('GET', /filter=userName/, { status: 401 }, { status: 401 });
  const start = clock.now();
  await sim.initialCycle();
  await sim.incrementalCycle([{ type: 'hard-delete', key: 'user2' }]);
  assert.deepEqual(
    sim.session.steps.map((s) => s.name),
    ['Create', 'Quarantine', 'Create', 'Quarantine'],
  );
  // the escrowed user was retried once, on the daily cycle of a quarantined job, and failed again
  assert.equal(clock.now() - start, 24 * 3600_000);
  assert.equal(fake.calls.length, 2);
  assert.match(sim.session.steps[3]!.message, /quarantined \(EncounteredQuarantineException: Invalid credentials\)/);
});
