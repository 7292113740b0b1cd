import { expect, given, req, test, verify } from '../../fixtures/lifecycle.ts';
import { lifecycleDirectory } from '../../harness/lifecycle-services.ts';
import { provided } from './steps.ts';
import { revokedForCheck } from './tokens.ts';

/**
 * Seed, "Removing a User via UI": while SCIM is enabled, manual changes in the app are allowed but the IdP must be
 * updated too; the app says so where the changes are made (the Users tab).
 */

test(
  'while SCIM is enabled the Users tab warns about manual changes; without a token it does not',
  req('LC-MANUAL-CHANGE-WARNING'),
  async ({ tenant, needs, freshPage }) => {
    const adapter = needs('manualChangeWarning', 'revokeToken');
    await verify('LC-MANUAL-CHANGE-WARNING', async () => {
      expect(await adapter.manualChangeWarning(await freshPage()), 'warning while a SCIM token is active').toBe(true);
      // "once SCIM is off": a Revoke that leaves the token working has not turned it off (LC-REVOKE-NEXT-REQUEST-REFUSED's failure)
      await revokedForCheck(tenant, { takesEffect: true });
      expect(await adapter.manualChangeWarning(await freshPage()), 'warning once SCIM is off').toBe(false);
    });
  },
);

/**
 * "If manual updates are made in the UI, for example [...] disabling/deleting an existing user, update the IdP [...]
 * The user remains in the IdP but loses access to Own application." The IdP (Okta) keeps the user assigned; the
 * change is made by hand in the app, and sign-in through SSO is refused from then on.
 */
for (const change of ['disable', 'delete'] as const) {
  const id = change === 'disable' ? 'LC-MANUAL-DISABLE-SIGNIN-REFUSED' : 'LC-MANUAL-DELETE-SIGNIN-REFUSED';
  const capability = change === 'disable' ? 'disableUser' : 'deleteUser';
  test(`a user ${change}d by hand in the Users tab can no longer sign in through SSO`, req(id), async ({ tenant, needs, freshPage }) => {
    const adapter = needs(capability, 'signIn');
    const person = lifecycleDirectory('okta').people[change === 'disable' ? 2 : 3]!;
    const okta = tenant.simulator('okta');
    await provided(tenant, okta.assign(person.key), 'Okta "Assign"', 'OKTA-ASSIGN-CREATE');
    await given(
      'sign-in before the manual change',
      async () => expect(await adapter.signIn(await freshPage(), person.userName)).toBe('signed-in'),
      'LC-SSO-SIGNIN-PROVISIONED',
    );
    await given(`the manual ${change} in the Users tab`, async () => adapter[capability](await freshPage(), person.userName));
    await verify(id, async () => {
      expect(await adapter.signIn(await freshPage(), person.userName), `sign-in after the manual ${change}`).toBe('refused');
    });
  });
}
