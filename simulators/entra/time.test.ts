import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { setupServer } from 'msw/node';
import { ManualClock } from '../core/clock.ts';
import type { Step } from '../core/types.ts';
import { createDirectory } from '../directory/directory.ts';
import { FakeScim } from '../testing/fake-scim.ts';
import { EntraSimulator } from './entra.ts';
import { CYCLE_INTERVAL_MS, HARD_DELETE_AFTER_SOFT_DELETE_MS } from './schedule.ts';

// The Entra job on the simulators' clock: cycles 40 minutes apart, the hard delete 30 days after a soft delete, a
// quarantined job's daily cycles, all within one run once the clock is advanced. Read from the transcript: each
// provisioning-log entry carries its cycleId and activityDateTime.

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

function setup(clock: ManualClock | undefined = new ManualClock()) {
  const fake = new FakeScim();
  server.use(...fake.handlers());
  const sim = new EntraSimulator({
    target: { scimUrl: fake.baseUrl, token: 'entra-time-token' },
    ...(clock ? { clock } : {}),
    directory: createDirectory('entra', { seed: 7, users: 3, groups: 1 }),
    options: { testConnectionGuid: '8646d011-1693-4cd3-9ee6-0d7482ca2219' },
    transportOptions: { timeoutMs: 200 },
  });
  return { fake, sim };
}

const at = (s: Step) => Date.parse(s.log?.activityDateTime ?? '');
const cycles = (steps: Step[]) => [...new Set(steps.map((s) => s.log?.cycleId).filter(Boolean))];

test('the figures: cycles every 40 minutes, hard delete 30 days after a soft delete', () => {
  assert.equal(CYCLE_INTERVAL_MS, 40 * MIN);
  assert.equal(HARD_DELETE_AFTER_SOFT_DELETE_MS, 30 * DAY);
});

test('full-lifecycle: each incremental cycle starts 40 minutes after the one before, each log entry names its cycle', async () => {
  const clock = new ManualClock();
  const { sim } = setup(clock);
  const start = clock.now();
  const result = await sim.run('full-lifecycle');
  assert.equal(result.ok, true);
  const logged = result.steps.filter((s) => s.log);
  assert.deepEqual(cycles(logged), ['cycle-1', 'cycle-2', 'cycle-3', 'cycle-4', 'cycle-5']);
  const firstOf = (id: string) => at(logged.find((s) => s.log?.cycleId === id)!);
  assert.deepEqual(
    cycles(logged).map((id) => (firstOf(id as string) - start) / MIN),
    [0, 40, 80, 120, 160],
  );
  // no retry waits: the time passed is the cycles' own
  assert.deepEqual(clock.sleeps, []);
});

test('without a clock the job runs on a simulated one: 160 minutes of cycles pass in a moment of real time', async () => {
  const { sim } = setup(undefined);
  const wall = Date.now();
  const result = await sim.run('full-lifecycle');
  const logged = result.steps.filter((s) => s.log);
  const span = at(logged.at(-1)!) - at(logged[0]!);
  assert.ok(span >= 160 * MIN && span < 161 * MIN, `${span / MIN} minutes`);
  assert.ok(Date.now() - wall < 10_000);
});

test('soft-delete-30-days: Disable, then 30 days later the next cycle sends Delete (hard delete)', async () => {
  const clock = new ManualClock();
  const { sim } = setup(clock);
  const result = await sim.run('soft-delete-30-days');
  assert.equal(result.ok, true, JSON.stringify(result.steps.filter((s) => !s.ok)));
  const disable = result.steps.find((s) => s.log?.action === 'Disable')!;
  const del = result.steps.find((s) => s.log?.action === 'Delete')!;
  assert.equal(disable.name, 'Disable');
  assert.match(disable.message, /soft delete/);
  assert.equal(del.name, 'Delete');
  assert.match(del.message, /hard delete/);
  assert.equal(del.exchanges[0]?.request.method, 'DELETE');
  assert.equal(del.observed.userId, disable.observed.userId);
  assert.equal(at(del) - at(disable), 30 * DAY);
  assert.notEqual(del.log?.cycleId, disable.log?.cycleId);
});

test('the hard delete waits the full 30 days, and a restore before then cancels it', async () => {
  const clock = new ManualClock();
  const { sim } = setup(clock);
  await sim.initialCycle();
  await sim.incrementalCycle([{ type: 'disable', key: 'user1', why: 'soft-deleted' }]);
  await sim.incrementalCycle([{ type: 'disable', key: 'user2', why: 'soft-deleted' }]);
  const deletes = () => sim.session.steps.filter((s) => s.log?.action === 'Delete').map((s) => s.observed.userId);
  // the last cycle before 30 days after user1's soft delete
  clock.advance(30 * DAY - 2 * CYCLE_INTERVAL_MS);
  await sim.incrementalCycle([{ type: 'restore', key: 'user2' }]);
  assert.deepEqual(deletes(), []);
  await sim.incrementalCycle([]);
  assert.deepEqual(deletes(), ['u1']);
  clock.advance(DAY);
  await sim.incrementalCycle([]);
  assert.deepEqual(deletes(), ['u1'], 'user2 was restored: it is not hard-deleted');
});

test('a quarantined job cycles once a day; a successful retry lifts the quarantine and the job goes on', async () => {
  const clock = new ManualClock();
  const { fake, sim } = setup(clock);
  fake.inject('GET', /filter=userName/, { status: 401 });
  const start = clock.now();
  await sim.initialCycle();
  assert.equal(sim.escrow.quarantine?.reason, 'EncounteredQuarantineException');
  // the admin fixes the token; the cycles that come are once a day
  await sim.incrementalCycle([{ type: 'update', key: 'user2', changes: sim.sampleChange(sim.directory.people[1]!) }]);
  assert.equal(sim.escrow.quarantine, undefined);
  const steps = sim.session.steps;
  assert.deepEqual(
    steps.map((s) => [s.name, s.ok, (at(s) - start) / MIN || 0]),
    [
      ['Create', false, 0],
      ['Quarantine', false, 0],
      ['Create', true, 24 * 60],
      ['Update', true, 24 * 60],
    ],
  );
  assert.equal(steps[0]?.log?.cycleId, 'cycle-1');
  assert.equal(steps[2]?.log?.cycleId, 'cycle-2');
});

test('a job still in quarantine after four weeks is disabled and stops running', async () => {
  const clock = new ManualClock();
  const { fake, sim } = setup(clock);
  fake.inject('GET', /filter=userName/, ...Array.from({ length: 60 }, () => ({ status: 401 })));
  await sim.initialCycle();
  const since = sim.escrow.quarantine!.since;
  for (let day = 0; day < 30; day++) await sim.incrementalCycle([]);
  assert.equal(sim.jobDisabled, true);
  const last = sim.session.steps.at(-1)!;
  assert.equal(last.name, 'Quarantine');
  assert.match(last.message, /^Provisioning job disabled \(stops running\): in quarantine for more than four weeks/);
  // one escrow retry per daily cycle until then, none after
  const retries = sim.session.steps.filter((s) => s.name === 'Create').length - 1;
  assert.equal(retries, 28);
  assert.ok(clock.now() - since > 28 * DAY);
  const calls = fake.calls.length;
  await sim.incrementalCycle([{ type: 'hard-delete', key: 'user2' }]);
  assert.equal(fake.calls.length, calls);
});
