import { expect, req, test } from '../../fixtures/lifecycle.ts';
import { lifecycleDirectory } from '../../fixtures/lifecycle-services.ts';

/**
 * Seed, "Removing a User via UI": while SCIM is enabled, manual changes in the app are allowed but the IdP must be
 * updated too; the app says so where the changes are made (the Users tab).
 */

test('while SCIM is enabled the Users tab warns about manual changes; without a token it does not', req('LC-MANUAL-CHANGE-WARNING'), async ({ tenant, needsTenant, browser }) => {
  needsTenant('manualChangeWarning', 'revokeToken');
  const enabled = await browser.newContext();
  expect(await tenant.adapter.manualChangeWarning!(await enabled.newPage()), 'warning while a SCIM token is active').toBe(true);
  await enabled.close();
  await tenant.adapter.revokeToken!();
  const disabled = await browser.newContext();
  expect(await tenant.adapter.manualChangeWarning!(await disabled.newPage()), 'warning once SCIM is off').toBe(false);
  await disabled.close();
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
    expect((await tenant.act(okta.assign(person.key))).ok, 'Okta "Assign"').toBe(true);
    const before = await browser.newContext();
    expect(await tenant.adapter.signIn!(await before.newPage(), person.userName), 'sign-in before the manual change').toBe('signed-in');
    await before.close();

    const admin = await browser.newContext();
    await tenant.adapter[capability]!(await admin.newPage(), person.userName);
    await admin.close();
    const after = await browser.newContext();
    expect(await tenant.adapter.signIn!(await after.newPage(), person.userName), `sign-in after the manual ${change}`).toBe('refused');
    await after.close();
  });
}
