import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planRun, type PlanOptions } from './plan.ts';

const ALL = ['rfc', 'security', 'okta', 'entra', 'sailpoint', 'lifecycle'];
const opts = (o: Partial<PlanOptions> = {}): PlanOptions => ({ profiles: ALL, only: [], readOnly: false, workers: 2, ...o });

test('one Playwright start with every profile when the adapter makes fresh tenants (or there is none)', () => {
  for (const target of [
    { adapter: 'reference', freshTenants: true },
    { adapter: 'none', freshTenants: false },
  ] as const) {
    const plan = planRun(opts(), target);
    assert.deepEqual(plan.phases, [{ name: 'all', projects: ALL, workers: 2, sharedTenant: false }]);
    assert.deepEqual(plan.args, ['--retries', '0', '--pass-with-no-tests']);
  }
});

test('an adapter without freshTenant(): every other profile in parallel, then lifecycle alone with one worker on the main tenant', () => {
  const plan = planRun(opts({ workers: 4 }), { adapter: 'module', freshTenants: false });
  assert.deepEqual(plan.phases, [
    { name: 'parallel', projects: ['rfc', 'security', 'okta', 'entra', 'sailpoint'], workers: 4, sharedTenant: false },
    { name: 'serial', projects: ['lifecycle'], workers: 1, sharedTenant: true },
  ]);
});

test('--only selecting lifecycle ids alone starts no parallel phase; selecting none keeps one start', () => {
  const target = { adapter: 'module', freshTenants: false } as const;
  assert.deepEqual(
    planRun(opts({ only: ['LC-TOKEN-ROLE-MASTER'] }), target).phases.map((p) => p.name),
    ['serial'],
  );
  assert.deepEqual(
    planRun(opts({ only: ['RFC-USER-GET'] }), target).phases.map((p) => p.name),
    ['all'],
  );
  assert.match(planRun(opts({ only: ['RFC-USER-GET'] }), target).args.join(' '), /--grep \^\(\?=\.\*@\(\?:RFC-USER-GET\)/);
});

test('--read-only and --shard never run destructive checks on the main tenant; a shard is passed on', () => {
  const target = { adapter: 'module', freshTenants: false } as const;
  assert.equal(planRun(opts({ readOnly: true }), target).phases.length, 1);
  const sharded = planRun(opts({ shard: { current: 2, total: 3 } }), target);
  assert.equal(sharded.phases.length, 1);
  assert.deepEqual(sharded.args.slice(0, 2), ['--shard', '2/3']);
});
