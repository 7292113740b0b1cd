import { defineCatalog } from './schema.ts';

/** The seed's quoted sentence, shortened: every lifecycle requirement cites where in the admin guide it comes from. */
const SEED = 'seed own-scim-provisioning';
const s = (section: string, sentence: string) => `${SEED}, ${section}: "${sentence}"`;

/**
 * The product lifecycle of the seed (a SaaS admin guide to SCIM provisioning), checked where a person would see it:
 * the console, the Users tab, the mailbox, the end-user sign-in. Each sentence that describes behaviour is one or more
 * requirements here.
 */
export const LIFECYCLE = defineCatalog('lifecycle', 'product', [
  // Provision SCIM: who may create tokens
  ['LC-TOKEN-ROLE-MASTER', 'MUST', s('Provision SCIM In OWN', 'Master Admin users and Security Admin users can create or revoke tokens'), 'A Master Admin can generate a SCIM token, and it works on the SCIM API'],
  ['LC-TOKEN-ROLE-SECURITY', 'MUST', s('Provision SCIM In OWN', 'Master Admin users and Security Admin users can create or revoke tokens'), 'A Security Admin can generate a SCIM token, and it works on the SCIM API'],
  ['LC-TOKEN-ROLE-VIEWER-REFUSED', 'MUST', s('Provision SCIM In OWN', 'Master Admin users and Security Admin users can create or revoke tokens'), 'An admin of any other role (Viewer) is refused Generate, with the reason, and no token is issued'],
  ['LC-REVOKE-ROLE-SECURITY', 'MUST', s('Provision SCIM In OWN', 'Master Admin users and Security Admin users can create or revoke tokens'), 'A Security Admin can revoke the SCIM token'],
  ['LC-REVOKE-ROLE-VIEWER-REFUSED', 'MUST', s('Provision SCIM In OWN', 'Master Admin users and Security Admin users can create or revoke tokens'), 'An admin of any other role (Viewer) is refused Revoke, with the reason, and the token keeps working'],
  // The Generate panel
  ['LC-TOKEN-URL-SHOWN', 'MUST', s('Provision SCIM In OWN, step 2', 'The Generate SCIM Token panel appears displaying the SCIM Token and the SCIM URL'), "Generate shows both the SCIM token and the account's SCIM URL, and they work together"],
  ['LC-TOKEN-SHOWN-ONCE', 'MUST', s('Provision SCIM In OWN, step 2', 'Treat your SCIM token and SCIM URL as securely as any other type of password'), 'The token is shown once: once the panel is closed the app never shows it again'],
  // SSO gating
  ['LC-SSO-GATE-UNCONFIGURED', 'MUST', s('Provision SCIM In OWN', 'SCIM is available for accounts where SSO is both configured and activated'), 'Without SSO configured, Generate is refused with an explanation and an existing token gets no SCIM access'],
  ['LC-SSO-GATE-CONFIGURED', 'MUST', s('Provision SCIM In OWN', 'SCIM is available for accounts where SSO is both configured and activated'), 'With SSO configured but not activated, Generate is refused with an explanation and an existing token gets no SCIM access'],
  ['LC-SSO-GATE-ACTIVE', 'MUST', s('Provision SCIM In OWN', 'SCIM is available for accounts where SSO is both configured and activated'), 'Once SSO is configured and activated, Generate works and SCIM answers'],
  ['LC-SSO-DEACTIVATED-REFUSED', 'MUST', s('Provision SCIM In OWN', 'SCIM is available for accounts where SSO is both configured and activated'), 'When SSO is deactivated later, SCIM requests with a valid token are refused with a SCIM error saying SSO is not active'],
  // Emails
  ['LC-EMAIL-NEW-TOKEN', 'MUST', s('Provision SCIM In OWN, step 2', 'A confirmation email, New SCIM Token, is sent'), 'Generate sends the "New SCIM Token" email to the admins who manage tokens'],
  ['LC-EMAIL-TOKEN-REVOKED', 'MUST', s('Revoke SCIM Token in Own, step 2', 'A confirmation email, SCIM Token Revoked, is sent'), 'Revoke sends the "SCIM Token Revoked" email to the admins who manage tokens'],
  ['LC-EMAIL-NEW-SSO-ACCOUNT', 'MUST', s('Provision SCIM In OWN, step 4', 'A New SSO account with Own confirmation email is sent to the user assigned as a new user'), 'A user created by the IdP gets the "New SSO account" email at their own address'],
  ['LC-EMAIL-SSO-INSTRUCTIONS', 'SHOULD', s('Provision SCIM In OWN, step 4', 'The email instructs the new user to sign in using the IdP for SSO'), 'The "New SSO account" email tells the user to sign in through their identity provider (single sign-on)'],
  ['LC-EMAIL-NO-TOKEN', 'MUST', s('Provision SCIM In OWN, step 2', 'Treat your SCIM token and SCIM URL as securely as any other type of password'), 'No notification email contains the SCIM token'],
  // Sign-in through the IdP
  ['LC-SSO-SIGNIN-PROVISIONED', 'MUST', s('Provision SCIM In OWN, step 4', 'The email instructs the new user to sign in using the IdP for SSO'), 'A user provisioned by the IdP can sign in to the app through SSO'],
  // Revoke
  ['LC-REVOKE-NEXT-REQUEST-REFUSED', 'MUST', s('Revoke SCIM Token in Own', 'Revoking the SCIM Token in Own application, stops access to the SCIM API'), "After Revoke, the IdP's very next SCIM request is refused"],
  ['LC-REVOKE-CONFIRM', 'MUST', s('Revoke SCIM Token in Own, steps 1-2', 'click the three dots and select Revoke. Confirm the action in the Revoke SCIM token? popup'), 'Revoke asks "Revoke SCIM token?" before revoking, and cancelling there leaves the token working'],
  ['LC-REVOKE-REGENERATE', 'MUST', s('Revoke SCIM Token in Own', 'To regain access generate a new SCIM Token. Make sure to update the IdP'), 'After Revoke, a newly generated token restores SCIM access for the IdP; the revoked one stays refused'],
  // Deprovisioning through each IdP
  ['LC-DEPROV-DISABLED-OKTA', 'MUST', s('SCIM Deprovisioning through the IdP', 'The User status will be "Disabled"'), 'Okta "Deactivate" shows the user as Disabled in the Users tab'],
  ['LC-DEPROV-DISABLED-ENTRA', 'MUST', s('SCIM Deprovisioning through the IdP', 'The User status will be "Disabled"'), 'Entra "Disable (soft delete)" shows the user as Disabled in the Users tab'],
  ['LC-DEPROV-DISABLED-SAILPOINT', 'MUST', s('SCIM Deprovisioning through the IdP', 'The User status will be "Disabled"'), 'SailPoint "Disable Account" shows the user as Disabled in the Users tab'],
  ['LC-DEPROV-SIGNIN-REFUSED', 'MUST', s('SCIM Deprovisioning through the IdP', 'Deprovisioning is through the IdP and removes user access to the Own Application'), 'A user deprovisioned through the IdP can no longer sign in through SSO'],
  // Deletion through the IdP
  ['LC-DELETE-USERS-TAB', 'MUST', s('Removing a User via IdP', 'The user is deleted from the Users tab UI'), 'A user deleted by the IdP is gone from the Users tab'],
  ['LC-DELETE-SIGNIN-REFUSED', 'MUST', s('Removing a User via IdP', 'The user is deleted from the Users tab UI'), 'A user deleted by the IdP can no longer sign in through SSO (deprovisioning "removes user access to the Own Application")'],
  ['LC-DELETE-REGIONS', 'MUST', s('Removing a User via IdP', 'and is removed from associated regions'), 'A user deleted by the IdP is removed from every region (SCIM Group) they belonged to'],
  // Manual changes
  ['LC-MANUAL-CHANGE-WARNING', 'SHOULD', s('Removing a User via UI', 'avoid manual changes in the Own application while SCIM is enabled'), 'While SCIM is enabled the Users tab warns that manual changes must be made in the IdP too'],
  ['LC-MANUAL-DISABLE-SIGNIN-REFUSED', 'MUST', s('Removing a User via UI', 'disabling/deleting an existing user [...] The user remains in the IdP but loses access to Own application'), 'A user disabled by hand in the Users tab can no longer sign in through SSO, though the IdP still has them'],
  ['LC-MANUAL-DELETE-SIGNIN-REFUSED', 'MUST', s('Removing a User via UI', 'disabling/deleting an existing user [...] The user remains in the IdP but loses access to Own application'), 'A user deleted by hand in the Users tab can no longer sign in through SSO, though the IdP still has them'],
]);
