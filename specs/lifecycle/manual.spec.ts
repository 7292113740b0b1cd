import { expect, req, test } from '../../fixtures/lifecycle.ts';

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
