import { expect, given, req, test, verify } from '../../fixtures/lifecycle.ts';
import { lifecycleDirectory } from '../../fixtures/lifecycle-services.ts';
import { inFreshPage } from './fresh-page.ts';
import { provided } from './steps.ts';

/**
 * Seed, "Removing a User via UI": while SCIM is enabled, manual changes in the app are allowed but the IdP must be
 * updated too; the app says so where the changes are made (the Users tab).
 */

test('while SCIM is enabled the Users tab warns about manual changes; without a token it does not', req('LC-MANUAL-CHANGE-WARNING'), async ({ tenant, needsTenant, browser }) => {
  needsTenant('manualChangeWarning', 'revokeToken');
  await verify('LC-MANUAL-CHANGE-WARNING', async () => {
    expect(await inFreshPage(browser, (page) => tenant.adapter.manualChangeWarning!(page)), 'warning while a SCIM token is active').toBe(true);
    await given('Revoke', async () => tenant.adapter.revokeToken!(), 'LC-REVOKE-ROLE-SECURITY');
    expect(await inFreshPage(browser, (page) => tenant.adapter.manualChangeWarning!(page)), 'warning once SCIM is off').toBe(false);
  });
});

/**
 * "If manual updates are made in the UI, for example [...] disabling/deleting an existing user, update the IdP [...]
 * The user remains in the IdP but loses access to Own application." The IdP (Okta) keeps the user assigned; the
 * change is made by hand in the app, and sign-in through SSO is refused from then on.
 */
for (const change of ['disable', 'delete'] as const) {
  const id = change === 'disable' ? 'LC-MANUAL-DISABLE-SIGNIN-REFUSED' : 'LC-MANUAL-DELETE-SIGNIN-REFUSED';
  const capability = change === 'disable' ? 'disableUser' : 'deleteUser';
  test(`a user ${change}d by hand in the Users tab can no longer sign in through SSO`, req(id), async ({ tenant, needsTenant, browser }) => {
    needsTenant(capability, 'signIn');
    const person = lifecycleDirectory('okta').people[change === 'disable' ? 2 : 3]!;
    const okta = tenant.simulator('okta');
    await provided(tenant, okta.assign(person.key), 'Okta "Assign"', 'OKTA-ASSIGN-CREATE');
    await given('sign-in before the manual change', async () => expect(await inFreshPage(browser, (page) => tenant.adapter.signIn!(page, person.userName))).toBe('signed-in'), 'LC-SSO-SIGNIN-PROVISIONED');
    await given(`the manual ${change} in the Users tab`, () => inFreshPage(browser, (page) => tenant.adapter[capability]!(page, person.userName)));
    await verify(id, async () => {
      expect(await inFreshPage(browser, (page) => tenant.adapter.signIn!(page, person.userName)), `sign-in after the manual ${change}`).toBe('refused');
    });
  });
}
