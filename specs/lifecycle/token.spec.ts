import { expect, given, req, test, verify } from '../../fixtures/lifecycle.ts';
import { PreconditionFailed } from '../../harness/outcomes.ts';
import { issuedForCheck, issueExpectingToken, isRefused, revokeAsTokenManager } from './tokens.ts';

/**
 * Seed, "Provision SCIM In OWN": Master Admins and Security Admins generate the token (others cannot); the Generate
 * panel shows the token and the SCIM URL, once. Each check runs in its own tenant, through the target adapter (for
 * the reference target: its console in Chromium).
 */

for (const [id, role] of [
  ['LC-TOKEN-ROLE-MASTER', 'Master Admin'],
  ['LC-TOKEN-ROLE-SECURITY', 'Security Admin'],
] as const) {
  test(`a ${role} generates a SCIM token that works on the SCIM API`, req(id), async ({ tenant, needs }) => {
    needs('issueToken');
    await verify(id, async () => {
      const issued = await issueExpectingToken(tenant, role, `Generate as ${role} was refused`);
      if (!issued) return;
      expect((await tenant.probe(issued.token)).status, 'GET /Users with the new token').toBe(200);
    });
  });
}

test('a Viewer is refused Generate, and the active token stays the one in use', req('LC-TOKEN-ROLE-VIEWER-REFUSED'), async ({ tenant, needs }) => {
  const adapter = needs('issueToken');
  await given('the tenant token works before', async () => expect((await tenant.probe()).status).toBe(200));
  await verify('LC-TOKEN-ROLE-VIEWER-REFUSED', async () => {
    const issued = await adapter.issueToken({ role: 'Viewer' });
    if (!('refused' in issued)) tenant.secrets.push(issued.token);
    expect('refused' in issued, 'Generate as Viewer must be refused').toBe(true);
    // the guide names who may create tokens; a reason for the refusal is good practice it does not ask for
    expect((await tenant.probe()).status, "the IdP's token still works: nothing was replaced").toBe(200);
  });
});

test('the Generate panel shows the SCIM URL of the tenant, and it works with the token', req('LC-TOKEN-URL-SHOWN'), async ({ tenant, needs }) => {
  needs('issueToken');
  const issued = await issuedForCheck(tenant);
  await verify('LC-TOKEN-URL-SHOWN', async () => {
    expect(issued.token.length, 'a SCIM token is shown').toBeGreaterThanOrEqual(16);
    expect(issued.scimUrl.replace(/\/+$/, ''), 'the SCIM URL shown is the SCIM base of this tenant').toBe(tenant.scimUrl);
    expect((await tenant.probe(issued.token, issued.scimUrl.replace(/\/+$/, ''))).status, 'GET /Users at the URL shown with the token shown').toBe(200);
  });
});

test('the token is shown once: after the panel is closed the app never shows it again', req('LC-TOKEN-SHOWN-ONCE'), async ({ tenant, needs, page }) => {
  const adapter = needs('issueToken', 'tokenShownAgain');
  const issued = await issuedForCheck(tenant);
  await verify('LC-TOKEN-SHOWN-ONCE', async () => {
    // a boolean, never the token itself, goes into the assertion: reports must not carry it
    expect(await adapter.tokenShownAgain(page, issued.token), 'the token is shown again').toBe(false);
  });
});

test('a Security Admin revokes the token, and it stops working', req('LC-REVOKE-ROLE-SECURITY'), async ({ tenant, needs }) => {
  const adapter = needs('revokeToken');
  await given('the tenant token works before Revoke', async () => expect((await tenant.probe()).status).toBe(200));
  await verify('LC-REVOKE-ROLE-SECURITY', async () => {
    const revoked = await adapter.revokeToken({ role: 'Security Admin' });
    expect(isRefused(revoked) ? revoked.refused : '', 'Revoke as Security Admin was refused').toBe('');
    const after = (await tenant.probe()).status;
    if (after !== 401) {
      // still working: this role's Revoke did nothing, or no Revoke takes effect at once (LC-REVOKE-NEXT-REQUEST-REFUSED's rule)
      await revokeAsTokenManager(adapter);
      if ((await tenant.probe()).status !== 401)
        throw new PreconditionFailed("the token still works after another token manager's Revoke as well", 'LC-REVOKE-NEXT-REQUEST-REFUSED');
    }
    expect(after, "the token after the Security Admin's Revoke (another token manager's Revoke stops it)").toBe(401);
  });
});

test('a Viewer is refused Revoke, and the token keeps working', req('LC-REVOKE-ROLE-VIEWER-REFUSED'), async ({ tenant, needs }) => {
  const adapter = needs('revokeToken');
  await given('the tenant token works before', async () => expect((await tenant.probe()).status).toBe(200));
  await verify('LC-REVOKE-ROLE-VIEWER-REFUSED', async () => {
    const revoked = await adapter.revokeToken({ role: 'Viewer' });
    expect(isRefused(revoked), 'Revoke as Viewer must be refused').toBe(true);
    expect((await tenant.probe()).status, "the IdP's token still works").toBe(200);
  });
});
