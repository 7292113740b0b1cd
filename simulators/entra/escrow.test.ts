import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { setupServer } from 'msw/node';
import { ManualClock } from '../core/clock.ts';
import type { Failure, Step } from '../core/types.ts';
import { createDirectory } from '../directory/directory.ts';
import { FakeScim } from '../testing/fake-scim.ts';
import { EntraSimulator } from './entra.ts';
import {
  ESCROW_RETRY_PERIOD,
  EntraEscrow,
  QUARANTINE_ABSOLUTE_MAX_FAILURES,
  QUARANTINE_EVALUATION_MIN_FAILURES,
  QUARANTINE_MAX_FAILURES,
  nextRetryAfter,
  retryOffset,
} from './escrow.ts';

// Escrow and quarantine as Microsoft's "Application provisioning in quarantine status" page (ENTRA-Q) gives the
// figures, checked at their boundaries; the transcript tests read what the job did from its steps.

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const H = 3_600_000;
const FAIL: Failure = { kind: 'server_error', status: 500, message: 'HTTP 500' };

/** An escrow with `events` provisioning events of which `failures` failed, plus `reference` failed reference updates. */
function escrowWith(events: number, failures: number, reference = 0): EntraEscrow {
  const e = new EntraEscrow();
  for (let i = 0; i < events; i++) e.countEvent(false);
  for (let i = 0; i < failures; i++) e.record(`u${i}`, 'Create', FAIL, 0);
  for (let i = 0; i < reference; i++) e.record(`u${i}#manager`, 'Update', FAIL, 0, { reference: true });
  return e;
}

test('the figures are the documented ones', () => {
  assert.equal(QUARANTINE_EVALUATION_MIN_FAILURES, 5_000);
  assert.equal(QUARANTINE_MAX_FAILURES, 40_000);
  assert.equal(QUARANTINE_ABSOLUTE_MAX_FAILURES, 60_000);
  assert.equal(ESCROW_RETRY_PERIOD, 28 * 24 * H);
});

test('"a job with 4,000 failures wouldn\'t go into quarantine": nothing is evaluated below 5,000 failures', () => {
  // 4,000 of 6,000 events failed (67 %): the old count of calls quarantined this
  assert.equal(escrowWith(6_000, 4_000).quarantine, undefined);
  // every event failed, 4,999 times
  assert.equal(escrowWith(4_999, 4_999).quarantine, undefined);
  const at5000 = escrowWith(5_000, 5_000);
  assert.equal(at5000.quarantine?.reason, 'EncounteredEscrowProportionThreshold');
  assert.match(at5000.quarantine?.detail ?? '', /more than 40% of provisioning events failed \(5000 of 5000\)/);
});

test('more than 40 % of provisioning events: 5,000 of 12,500 (exactly 40 %) does not quarantine, 5,000 of 12,499 does', () => {
  assert.equal(escrowWith(12_500, 5_000).quarantine, undefined);
  assert.equal(escrowWith(12_499, 5_000).quarantine?.reason, 'EncounteredEscrowProportionThreshold');
  // "A job with 20,000 failures and 100,000 success wouldn't go into quarantine"
  assert.equal(escrowWith(120_000, 20_000).quarantine, undefined);
});

test('more than 40,000 failures quarantines whatever the proportion: 40,000 of 200,000 does not, 40,001 does', () => {
  assert.equal(escrowWith(200_000, 40_000).quarantine, undefined);
  const e = escrowWith(200_000, 40_001);
  assert.equal(e.quarantine?.reason, 'EncounteredEscrowProportionThreshold');
  assert.match(e.quarantine?.detail ?? '', /40,000 failures threshold/);
});

test('reference failures count toward the 5,000 minimum and the 60,000 absolute threshold only', () => {
  // 4,000 user failures of 100,000 events plus 1,000 manager failures: evaluated (5,000), 4 % failed, no quarantine
  assert.equal(escrowWith(100_000, 4_000, 1_000).quarantine, undefined);
  // 1,000 user failures of 1,000 events (100 %) and 4,000 reference failures: evaluated, and the proportion counts users only
  assert.equal(escrowWith(1_000, 1_000, 4_000).quarantine?.reason, 'EncounteredEscrowProportionThreshold');
  // "40,000 users failed to be provisioned and 21,000 manager updates failed. The total is 61,000": 60,000 is not exceeded, 60,001 is
  assert.equal(escrowWith(200_000, 39_000, 21_000).quarantine, undefined);
  const over = escrowWith(200_000, 39_000, 21_001);
  assert.match(over.quarantine?.detail ?? '', /60001 failures exceed the absolute threshold of 60,000/);
});

test('retries come 6 h, 12 h and 24 h after the first failure, then every 24 h, for 28 days', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(retryOffset), [6 * H, 12 * H, 24 * H, 48 * H, 72 * H]);
  const e = new EntraEscrow();
  const t0 = 1_000_000;
  assert.equal(e.record('u', 'Create', FAIL, t0).nextRetryAt, t0 + 6 * H);
  // the retry at 6 h fails: the next one is 12 h after the first failure, not 12 h after this one
  assert.equal(e.record('u', 'Create', FAIL, t0 + 6 * H).nextRetryAt, t0 + 12 * H);
  // a retry that ran late (a cycle at 13 h) is followed by the next slot of the schedule
  assert.equal(e.record('u', 'Create', FAIL, t0 + 13 * H).nextRetryAt, t0 + 24 * H);
  assert.equal(e.record('u', 'Create', FAIL, t0 + 24 * H).nextRetryAt, t0 + 48 * H);
  assert.equal(nextRetryAfter(t0, t0 + 28 * 24 * H - 1), t0 + 28 * 24 * H);
  assert.equal(nextRetryAfter(t0, t0 + 28 * 24 * H), undefined);
  e.record('u', 'Create', FAIL, t0 + 28 * 24 * H);
  assert.equal(e.entries.has('u'), false, '"after which the escrow entry is removed"');
});

// ---- read from the transcript of a run against a small in-memory target ----

function setup() {
  const fake = new FakeScim();
  server.use(...fake.handlers());
  const clock = new ManualClock();
  const sim = new EntraSimulator({
    target: { scimUrl: fake.baseUrl, token: 'entra-escrow-token' },
    clock,
    directory: createDirectory('entra', { seed: 7, users: 3, groups: 1 }),
    options: { testConnectionGuid: '8646d011-1693-4cd3-9ee6-0d7482ca2219' },
    transportOptions: { timeoutMs: 200 },
  });
  return { fake, clock, sim };
}

const quarantines = (steps: Step[]) => steps.filter((s) => s.name === 'Quarantine');

for (const [before, quarantined] of [
  [4_998, false],
  [4_999, true],
] as const) {
  test(`a job with ${before} failures escrowed, one more failed Create: ${quarantined ? 'the 5,000th quarantines it' : 'no quarantine'}`, async () => {
    const { fake, sim } = setup();
    // the failures of earlier cycles, all of them (no success yet): 100 % failed
    for (let i = 0; i < before; i++) sim.escrow.countEvent(false);
    sim.escrow.failures = before;
    fake.inject('POST', /^\/Users$/, { status: 500 });
    const result = await sim.run('initial-cycle');
    const failed = result.steps.find((s) => s.name === 'Create' && !s.ok);
    assert.match(failed?.message ?? '', /SystemForCrossDomainIdentityManagementBadResponse/);
    assert.equal(failed?.observed.escrowed, true);
    const q = quarantines(result.steps);
    if (!quarantined) {
      assert.deepEqual(q, []);
      assert.equal(result.steps.filter((s) => s.name === 'Create' && s.ok).length, 3, 'the cycle goes on: the 2 other users and the group are created');
      return;
    }
    assert.equal(q.length, 1);
    assert.equal(result.steps.at(-1)?.name, 'Quarantine');
    assert.equal(q[0]?.observed.reason, 'EncounteredEscrowProportionThreshold');
    assert.match(q[0]?.message ?? '', /Provisioning job quarantined \(EncounteredEscrowProportionThreshold: more than 40% of provisioning events failed/);
    assert.equal(fake.calls.filter((c) => c.method === 'POST').length, 1, 'nothing more is sent');
  });
}

test('a 404 where a 200 was expected (the matching query) quarantines the job at once: SCIM Compliance issue', async () => {
  const { fake, sim } = setup();
  fake.inject('GET', /^\/Users\?filter=/, { status: 404 });
  const result = await sim.run('initial-cycle');
  assert.deepEqual(
    result.steps.map((s) => s.name),
    ['Create', 'Quarantine'],
  );
  assert.equal(result.steps[0]?.log?.steps.find((s) => s.name === 'matching')?.status, 'failure');
  const q = result.steps[1]!;
  assert.equal(q.observed.reason, 'EncounteredQuarantineException');
  assert.match(q.message, /SCIM Compliance issue: An HTTP\/404 Not Found response was returned rather than the expected HTTP\/200 OK response/);
});

test('a 404 on a stored id is not a compliance issue: the link broke, Entra matches again', async () => {
  const { fake, sim } = setup();
  await sim.initialCycle();
  fake.users.delete('u1');
  await sim.incrementalCycle([{ type: 'disable', key: 'user1', why: 'soft-deleted' }]);
  assert.deepEqual(quarantines(sim.session.steps), []);
});

test('an escrowed object is retried on the cycles 6 h, 12 h and 24 h after its first failure (read from the log times)', async () => {
  const { fake, sim, clock } = setup();
  const u1 = sim.directory.people[0]!;
  fake.inject('POST', /^\/Users$/, { status: 500 });
  const start = clock.now();
  await sim.initialCycle();
  // the retries at 6 h and 12 h fail too (their matching query answers 503), the one at 24 h succeeds
  fake.inject('GET', /^\/Users\?filter=/, { status: 503 }, { status: 503 });
  while (clock.now() - start < 30 * H) await sim.incrementalCycle([]);
  const attempts = sim.session.steps.filter((s) => s.name === 'Create' && s.log?.steps[0]?.description.includes(u1.userName));
  assert.deepEqual(
    attempts.map((s) => [(Date.parse(s.log?.activityDateTime ?? '') - start) / H, s.ok]),
    [
      [0, false],
      [6, false],
      [12, false],
      [24, true],
    ],
  );
  // the failed matching queries wrote nothing (the log's Other); the last retry created the user
  assert.deepEqual(
    attempts.map((s) => s.log?.action),
    ['Create', 'Other', 'Other', 'Create'],
  );
});

test('Test Connection fetches a random user and a random group: each a filter on the random GUID, each an empty list', async () => {
  const { sim } = setup();
  const result = await sim.run('connect');
  const step = result.steps[0]!;
  assert.equal(step.name, 'Test Connection');
  assert.deepEqual(
    step.exchanges.map((e) => {
      const url = new URL(e.request.url);
      return [e.request.method, url.pathname.replace(/^.*\/scim\/v2/, ''), url.searchParams.get('filter'), e.response?.status];
    }),
    [
      ['GET', '/Users', 'userName eq "8646d011-1693-4cd3-9ee6-0d7482ca2219"', 200],
      ['GET', '/Groups', 'displayName eq "8646d011-1693-4cd3-9ee6-0d7482ca2219"', 200],
    ],
  );
  assert.equal(new URL(step.exchanges[1]!.request.url).searchParams.get('excludedAttributes'), 'members');
});

test('Test Connection fails when the group query does not answer an empty ListResponse', async () => {
  const { fake, sim } = setup();
  fake.inject('GET', /^\/Groups\?/, { status: 400 });
  const result = await sim.run('connect');
  assert.equal(result.ok, false);
  assert.match(result.steps[0]!.message, /^Test Connection failed/);
});
