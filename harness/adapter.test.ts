import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capabilityGap, hasCapabilities, withCapabilities, type TargetAdapter } from './adapter.ts';
import { NotAssessed } from './outcomes.ts';

const adapter: TargetAdapter = {
  name: 'vendor',
  userStatus: async () => 'Active',
  unavailable: { signIn: 'the app has no SSO in this environment' },
};

test('capabilityGap names the first capability missing, with the reason the adapter gives for it', () => {
  assert.equal(capabilityGap(adapter, ['userStatus']), undefined);
  assert.equal(capabilityGap(adapter, ['userStatus', 'userRegions', 'signIn']), 'the target adapter (vendor) does not provide userRegions()');
  assert.equal(capabilityGap(adapter, ['signIn']), 'the target adapter (vendor) cannot provide signIn(): the app has no SSO in this environment');
  // a run may lack what the adapter has (the shared main tenant of a running reference server, for one)
  assert.equal(
    capabilityGap(adapter, ['userStatus'], () => 'not in this mode'),
    'not in this mode',
  );
});

test('hasCapabilities and withCapabilities answer from the same gap; a missing one is not assessed, not a TypeError', async () => {
  assert.equal(hasCapabilities(adapter, 'userStatus'), true);
  assert.equal(hasCapabilities(adapter, 'userStatus', 'userRegions'), false);
  assert.equal(await withCapabilities(adapter, 'userStatus').userStatus('a'), 'Active');
  assert.throws(
    () => withCapabilities(adapter, 'userRegions'),
    (err: unknown) => err instanceof NotAssessed && /does not provide userRegions\(\)/.test(err.message),
  );
});
