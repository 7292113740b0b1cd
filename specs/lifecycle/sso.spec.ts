import { expect, given, req, test, verify, type LifecycleTenant } from '../../fixtures/lifecycle.ts';
import type { SsoState, WithCapabilities } from '../../harness/adapter.ts';
import { expectEveryManagerRefused, issueExpectingToken } from './tokens.ts';

/**
 * Seed: "SCIM is available for accounts where SSO is both configured and activated." In every SSO state: can an
 * admin generate a token, and does the SCIM API answer a valid token?
 */

/**
 * "SCIM is available for accounts where SSO is both configured and activated": elsewhere a valid token is refused
 * (401 or 403; the guide asks for no particular status or wording).
 */
async function expectScimRefusedForSso(tenant: LifecycleTenant) {
  const res = await tenant.probe();
  expect([401, 403], `SCIM with a valid token while SSO is not active answered ${res.status}`).toContain(res.status);
}

/** Puts the tenant's SSO in a state as the set-up of a check: a failure there blocks the check. */
async function ssoState(adapter: WithCapabilities<'setSso'>, ...states: SsoState[]) {
  await given(`setting SSO to ${states.join(', then ')}`, async () => {
    for (const s of states) await adapter.setSso(s);
  });
}

test('without SSO configured, Generate is refused and SCIM refuses the token', req('LC-SSO-GATE-UNCONFIGURED'), async ({ tenant, needs }) => {
  await ssoState(needs('setSso', 'issueToken'), 'unconfigured');
  await verify('LC-SSO-GATE-UNCONFIGURED', async () => {
    // every token manager: a refusal of one role alone could be the role's, not the SSO gate's
    await expectEveryManagerRefused(tenant, 'Generate must be refused while SSO is not active');
    await expectScimRefusedForSso(tenant);
  });
});

test('with SSO configured but not activated, Generate is refused and SCIM refuses the token', req('LC-SSO-GATE-CONFIGURED'), async ({ tenant, needs }) => {
  await ssoState(needs('setSso', 'issueToken'), 'unconfigured', 'configured');
  await verify('LC-SSO-GATE-CONFIGURED', async () => {
    // every token manager: a refusal of one role alone could be the role's, not the SSO gate's
    await expectEveryManagerRefused(tenant, 'Generate must be refused while SSO is not active');
    await expectScimRefusedForSso(tenant);
  });
});

test('once SSO is configured and activated, Generate works and SCIM answers', req('LC-SSO-GATE-ACTIVE'), async ({ tenant, needs }) => {
  const adapter = needs('setSso', 'issueToken');
  await ssoState(adapter, 'unconfigured', 'configured');
  await verify('LC-SSO-GATE-ACTIVE', async () => {
    await adapter.setSso('active');
    const issued = await issueExpectingToken(tenant, 'a token manager', 'Generate with SSO active was refused');
    if (!issued) return;
    expect((await tenant.probe(issued.token)).status, 'SCIM with SSO active').toBe(200);
  });
});

test('when SSO is deactivated later, SCIM requests are refused', req('LC-SSO-DEACTIVATED-REFUSED'), async ({ tenant, needs }) => {
  const adapter = needs('setSso');
  await given('SCIM answers while SSO is active', async () => expect((await tenant.probe()).status).toBe(200));
  await verify('LC-SSO-DEACTIVATED-REFUSED', async () => {
    await adapter.setSso('configured');
    await expectScimRefusedForSso(tenant);
    await adapter.setSso('active');
    expect((await tenant.probe()).status, 'SCIM again once SSO is active again').toBe(200);
  });
});
