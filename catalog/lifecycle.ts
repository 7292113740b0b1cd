import { defineCatalog } from './schema.ts';

/** Every lifecycle requirement cites the section of the product guide it comes from, with that guide's sentence. */
const guide = (section: string) => `docs/product-guide.md §${section}`;
const PROVISION = guide('Provision SCIM In OWN');
const REVOKE = guide('Revoke SCIM Token in Own');
const DEPROVISION = guide('SCIM Deprovisioning through the IdP');

/**
 * The product lifecycle of the product guide (a SaaS admin guide to SCIM provisioning), checked where a person would
 * see it: the console, the Users tab, the mailbox, the end-user sign-in. The guide has no RFC 2119 keywords; it states
 * what the product does. A behaviour it states is MUST; what the team reads into it (a refusal it only implies, a
 * warning it does not mention) is SHOULD or MAY.
 */
export const LIFECYCLE = defineCatalog('lifecycle', 'product', [
  // Provision SCIM: who may create tokens
  [
    'LC-TOKEN-ROLE-MASTER',
    'MUST',
    PROVISION,
    'A Master Admin can generate a SCIM token, and it works on the SCIM API',
    'Master Admin users and Security Admin users can create or revoke tokens, enabling and disabling SCIM provisioning.',
  ],
  [
    'LC-TOKEN-ROLE-SECURITY',
    'MUST',
    PROVISION,
    'A Security Admin can generate a SCIM token, and it works on the SCIM API',
    'Master Admin users and Security Admin users can create or revoke tokens, enabling and disabling SCIM provisioning.',
  ],
  [
    'LC-TOKEN-ROLE-VIEWER-REFUSED',
    'SHOULD',
    PROVISION,
    'An admin of any other role (Viewer) is refused Generate and no token is issued',
    'Master Admin users and Security Admin users can create or revoke tokens, enabling and disabling SCIM provisioning.',
  ],
  [
    'LC-REVOKE-ROLE-SECURITY',
    'MUST',
    PROVISION,
    'A Security Admin can revoke the SCIM token',
    'Master Admin users and Security Admin users can create or revoke tokens, enabling and disabling SCIM provisioning.',
  ],
  [
    'LC-REVOKE-ROLE-VIEWER-REFUSED',
    'SHOULD',
    PROVISION,
    'An admin of any other role (Viewer) is refused Revoke and the token keeps working',
    'Master Admin users and Security Admin users can create or revoke tokens, enabling and disabling SCIM provisioning.',
  ],
  // The Generate panel
  [
    'LC-TOKEN-URL-SHOWN',
    'MUST',
    PROVISION,
    "Generate shows both the SCIM token and the account's SCIM URL, and they work together",
    'The Generate SCIM Token panel appears displaying the SCIM Token and the SCIM URL.',
  ],
  [
    'LC-TOKEN-SHOWN-ONCE',
    'SHOULD',
    PROVISION,
    'The token is shown once: once the panel is closed the app never shows it again',
    'Treat your SCIM token and SCIM URL as securely as any other type of password.',
  ],
  // SSO gating
  [
    'LC-SSO-GATE-UNCONFIGURED',
    'MUST',
    PROVISION,
    'Without SSO configured, Generate is refused and an existing token gets no SCIM access',
    'SCIM is available for accounts where SSO is both configured and activated.',
  ],
  [
    'LC-SSO-GATE-CONFIGURED',
    'MUST',
    PROVISION,
    'With SSO configured but not activated, Generate is refused and an existing token gets no SCIM access',
    'SCIM is available for accounts where SSO is both configured and activated.',
  ],
  [
    'LC-SSO-GATE-ACTIVE',
    'MUST',
    PROVISION,
    'Once SSO is configured and activated, Generate works and SCIM answers',
    'SCIM is available for accounts where SSO is both configured and activated.',
  ],
  [
    'LC-SSO-DEACTIVATED-REFUSED',
    'MUST',
    PROVISION,
    'When SSO is deactivated later, SCIM requests with a valid token are refused',
    'SCIM is available for accounts where SSO is both configured and activated.',
  ],
  // Emails
  ['LC-EMAIL-NEW-TOKEN', 'MUST', PROVISION, 'Generate sends the "New SCIM Token" confirmation email', 'A confirmation email, New SCIM Token, is sent.'],
  ['LC-EMAIL-TOKEN-REVOKED', 'MUST', REVOKE, 'Revoke sends the "SCIM Token Revoked" confirmation email', 'A confirmation email, SCIM Token Revoked, is sent.'],
  [
    'LC-EMAIL-NEW-SSO-ACCOUNT',
    'MUST',
    PROVISION,
    'A user created by the IdP gets the "New SSO account" email at their own address',
    'A New SSO account with Own confirmation email is sent to the user assigned as a new user in step 3.',
  ],
  [
    'LC-EMAIL-SSO-INSTRUCTIONS',
    'SHOULD',
    PROVISION,
    'The "New SSO account" email tells the user to sign in through their identity provider (single sign-on)',
    'The email instructs the new user to sign in using the IdP for SSO.',
  ],
  [
    'LC-EMAIL-NO-TOKEN',
    'SHOULD',
    PROVISION,
    'No notification email contains the SCIM token',
    'Treat your SCIM token and SCIM URL as securely as any other type of password.',
  ],
  // Sign-in through the IdP
  [
    'LC-SSO-SIGNIN-PROVISIONED',
    'MUST',
    PROVISION,
    'A user provisioned by the IdP can sign in to the app through SSO',
    'The email instructs the new user to sign in using the IdP for SSO.',
  ],
  // Revoke
  [
    'LC-REVOKE-NEXT-REQUEST-REFUSED',
    'MUST',
    REVOKE,
    "After Revoke, the IdP's very next SCIM request is refused",
    'Revoking the SCIM Token in Own application, stops access to the SCIM API, disabling the integration with the IdP and stopping SCIM user management.',
  ],
  [
    'LC-REVOKE-CONFIRM',
    'MUST',
    REVOKE,
    'Revoke asks "Revoke SCIM token?" before revoking, and cancelling there leaves the token working',
    'Confirm the action in the Revoke SCIM token? popup.',
  ],
  [
    'LC-REVOKE-REGENERATE',
    'MUST',
    REVOKE,
    'After Revoke, a newly generated token restores SCIM access for the IdP; the revoked one stays refused',
    'To regain access generate a new SCIM Token.',
  ],
  // Deprovisioning through each IdP
  ['LC-DEPROV-DISABLED-OKTA', 'MUST', DEPROVISION, 'Okta "Deactivate" shows the user as Disabled in the Users tab', 'The User status will be “Disabled”.'],
  [
    'LC-DEPROV-DISABLED-ENTRA',
    'MUST',
    DEPROVISION,
    'Entra "Disable (soft delete)" shows the user as Disabled in the Users tab',
    'The User status will be “Disabled”.',
  ],
  [
    'LC-DEPROV-DISABLED-SAILPOINT',
    'MUST',
    DEPROVISION,
    'SailPoint "Disable Account" shows the user as Disabled in the Users tab',
    'The User status will be “Disabled”.',
  ],
  [
    'LC-DEPROV-SIGNIN-REFUSED',
    'MUST',
    DEPROVISION,
    'A user deprovisioned through the IdP can no longer sign in through SSO',
    'Deprovisioning is through the IdP and removes user access to the Own Application.',
  ],
  // Deletion through the IdP
  [
    'LC-DELETE-USERS-TAB',
    'MUST',
    DEPROVISION,
    'A user deleted by the IdP is gone from the Users tab',
    'Removing a User via IdP: The user is deleted from the Users tab UI, and is removed from associated regions.',
  ],
  [
    'LC-DELETE-SIGNIN-REFUSED',
    'MUST',
    DEPROVISION,
    'A user deleted by the IdP can no longer sign in through SSO (deprovisioning "removes user access to the Own Application")',
    'Deprovisioning is through the IdP and removes user access to the Own Application.',
  ],
  [
    'LC-DELETE-REGIONS',
    'MUST',
    DEPROVISION,
    'A user deleted by the IdP is removed from every region (SCIM Group) they belonged to',
    'Removing a User via IdP: The user is deleted from the Users tab UI, and is removed from associated regions.',
  ],
  // Manual changes
  [
    'LC-MANUAL-CHANGE-WARNING',
    'MAY',
    DEPROVISION,
    'While SCIM is enabled the Users tab warns that manual changes must be made in the IdP too',
    'As SCIM integration requires synchronization between your IdP and Own application, avoid manual changes in the Own application while SCIM is enabled.',
  ],
  [
    'LC-MANUAL-DISABLE-SIGNIN-REFUSED',
    'MUST',
    DEPROVISION,
    'A user disabled by hand in the Users tab can no longer sign in through SSO, though the IdP still has them',
    'The user remains in the IdP but loses access to Own application.',
  ],
  [
    'LC-MANUAL-DELETE-SIGNIN-REFUSED',
    'MUST',
    DEPROVISION,
    'A user deleted by hand in the Users tab can no longer sign in through SSO, though the IdP still has them',
    'The user remains in the IdP but loses access to Own application.',
  ],
]);
