import { expect, given, req, test, verify } from '../../fixtures/lifecycle.ts';
import type { Step } from '../../simulators/index.ts';
import { asTokenManager, isRefused, issueExpectingToken, revokedForCheck } from './tokens.ts';
import { provided } from './steps.ts';

/**
 * Seed, "Revoke SCIM Token in Own": revoking stops access to the SCIM API for the IdP at once; generating a new
 * token (and updating the IdP) restores it. The IdP here is the Okta simulator, connected with the tenant's token.
 */

const lastStatus = (step: Step) => step.exchanges.at(-1)?.response?.status;

test("after Revoke the IdP's very next SCIM request is refused", req('LC-REVOKE-NEXT-REQUEST-REFUSED'), async ({ tenant, needs }) => {
  needs('revokeToken');
  const okta = tenant.simulator('okta');
  await provided(tenant, okta.testApiCredentials(), 'Okta "Test API Credentials" before Revoke', 'OKTA-CONNECT-LIST');
  await provided(tenant, okta.assign('user1'), 'Okta assigns a user before Revoke', 'OKTA-ASSIGN-CREATE');
  await revokedForCheck(tenant, { takesEffect: false });
  await verify('LC-REVOKE-NEXT-REQUEST-REFUSED', async () => {
    const next = await tenant.act(okta.assign('user2'));
    expect(next.ok, 'the next Okta request after Revoke must fail').toBe(false);
    expect(lastStatus(next), 'the next Okta request after Revoke is answered 401').toBe(401);
  });
});

test(
  'after Revoke a newly generated token restores access for the IdP; the revoked one stays refused',
  req('LC-REVOKE-REGENERATE'),
  async ({ tenant, needs }) => {
    needs('revokeToken', 'issueToken');
    await revokedForCheck(tenant, { takesEffect: true });
    await verify('LC-REVOKE-REGENERATE', async () => {
      const issued = await issueExpectingToken(tenant, 'a token manager', 'Generate after Revoke was refused');
      if (!issued) return;
      // "Make sure to update the IdP": the IdP is reconfigured with the new token
      const okta = tenant.simulator('okta', { token: issued.token });
      expect((await tenant.act(okta.testApiCredentials())).ok, 'Okta "Test API Credentials" with the new token').toBe(true);
      expect((await tenant.act(okta.assign('user1'))).ok, 'Okta assigns a user with the new token').toBe(true);
      expect((await tenant.probe()).status, 'the revoked token is still refused').toBe(401);
    });
  },
);

test('Revoke asks "Revoke SCIM token?" first; cancelling there leaves the token working', req('LC-REVOKE-CONFIRM'), async ({ tenant, needs }) => {
  // what an admin clicks: an adapter over an API has no confirmation to show, so it cannot provide cancelRevoke()
  const adapter = needs('cancelRevoke');
  await given('the token works before', async () => expect((await tenant.probe()).status).toBe(200));
  const cancelled = await given(
    'a token manager chooses Revoke',
    async () => {
      const r = await asTokenManager((role) => adapter.cancelRevoke({ role }));
      if (isRefused(r)) throw new Error(`Revoke was not offered: ${r.refused}`);
      return r;
    },
    'LC-REVOKE-ROLE-SECURITY',
  );
  await verify('LC-REVOKE-CONFIRM', async () => {
    const { confirmation } = cancelled;
    // null (the app asked nothing) is shown as words: toMatch on null is a TypeError, not a readable failure
    expect(confirmation ?? '(no confirmation: the app revoked at once)', 'the confirmation shown after choosing Revoke').toMatch(/Revoke SCIM token\?/i);
    expect((await tenant.probe()).status, 'the token still works after Cancel').toBe(200);
  });
});
