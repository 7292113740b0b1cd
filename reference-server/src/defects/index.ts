/**
 * Deliberate bugs the reference server can switch on (`serve --defect NAME`), so the harness can show
 * that each check fails against a broken target. Each name is one bug, implemented only in this folder:
 * http.ts (Fastify hooks), scim.ts (SCIM seams: filters, PATCH, listers), product.ts (a ProductService subclass).
 * The correct code offers neutral seams and never names a defect.
 */
export const DEFECTS = {
  'filter-username-case-sensitive': 'userName filters compare case-sensitively (userName is caseExact=false)',
  'delete-user-keeps-memberships': 'deleting a user leaves it as a member of its groups',
  'create-returns-200': 'POST /Users and /Groups answer 200 instead of 201',
  'patch-members-filter-remove-ignored': 'PATCH remove members[value eq "id"] is silently ignored (authentik #25686)',
  'patch-remove-value-list-removes-all': 'PATCH remove members with a value list removes every member (SimpleIdServer #244)',
  'patch-add-members-replaces': 'PATCH add members replaces the whole member list (agent-bom #3533)',
  'patch-op-case-sensitive': 'PATCH op values are matched case-sensitively, so Entra\'s "Replace" is refused',
  'generate-ignores-sso': 'the app issues a SCIM token while SSO is not active (the seed requires SSO configured and activated)',
  'revoke-keeps-token': 'Revoke reports success and sends the email, but the token keeps working',
  'token-in-email': 'the "New SCIM Token" email contains the token itself',
  'disabled-user-signs-in': 'a Disabled user can still sign in through SSO',
  'no-welcome-email': 'users created through SCIM get no "New SSO account" email',
  'patch-rejects-string-booleans': 'PATCH refuses "True"/"False" strings for boolean attributes (Entra legacy disable) with 400 invalidValue',
  'valuepath-add-notarget': 'PATCH add on emails[type eq "work"].value with no work email answers 400 noTarget instead of creating it',
  'group-replace-rejects-id': "a Group PATCH value carrying the read-only id (Okta's rename op) is refused with 400 mutability even when unchanged",
  'put-defaults-active-false': 'a PUT of a User without active stores active=false (deactivates the user)',
  'ignores-excluded-members': 'excludedAttributes=members is ignored on Groups: members are returned anyway',
  'nopath-dotted-keys-ignored': 'dotted keys (name.givenName) in a no-path PATCH value are ignored as unknown attributes',
  'filter-hides-inactive-users': 'filters never match a User whose active is false (GET by id still returns it)',
  'filter-plus-not-decoded': "a '+' in the query string is read as a literal plus, not a space, so Entra's filter=userName+eq+\"...\" is refused",
  'group-filter-displayname-case-sensitive': 'Group displayName filters compare case-sensitively (displayName is caseExact=false)',
  'schema-by-urn-404': 'GET /Schemas/{schema URI} answers 404 for every schema (the /Schemas list still works)',
  'username-patch-immutable': 'a PATCH that changes userName is refused with 400 mutability, as if userName were immutable',
  'filter-datetime-ignores-offset': 'a dateTime filter value with a UTC offset (+01:00) is read as if it were UTC: the offset is dropped',
  // the product lifecycle of the seed (the harness's lifecycle profile)
  'master-admin-cannot-generate': 'a Master Admin is refused Generate (as if the role lacked the right)',
  'security-admin-not-token-manager': 'a Security Admin can neither generate nor revoke SCIM tokens',
  'viewer-can-generate': 'a Viewer can generate a SCIM token (the role is given the token right, so it can revoke too)',
  'token-shown-twice': 'the Security page shows the last generated token again after the Generate panel is closed',
  'generate-panel-no-url': 'the Generate SCIM Token panel shows the token but no SCIM URL',
  'sso-activate-not-saved': 'the console\'s Activate SSO reports success but the account stays "configured", so SCIM stays off',
  'sso-deactivate-keeps-scim': 'Deactivate SSO reports success but SCIM keeps answering the token',
  'no-new-token-email': 'Generate sends no "New SCIM Token" email',
  'no-revoked-email': 'Revoke sends no "SCIM Token Revoked" email',
  'welcome-email-without-sso-instructions': 'the "New SSO account" email does not say to sign in through the identity provider',
  'signin-refuses-scim-users': 'end-user sign-in does not find users created through SCIM',
  'deprovision-keeps-active-status': 'the Users tab shows users deactivated through SCIM as Active',
  'deleted-user-stays-listed': 'the Users tab keeps listing users deleted through SCIM (as Disabled)',
  'revoke-delayed': "Revoke takes effect only 20 seconds later: the IdP's next requests still work",
  'regenerate-after-revoke-broken': 'a token generated after a Revoke is refused by the SCIM API',
  'no-manual-change-warning': 'the Users tab shows no manual-change warning while SCIM is enabled',
  'viewer-can-revoke': 'a Viewer can revoke the SCIM token (the console offers the three-dots Revoke and the API accepts it)',
  'revoke-without-confirmation': 'the three-dots Revoke revokes at once, without the "Revoke SCIM token?" confirmation',
  'manual-disable-keeps-signin': 'a user disabled by hand in the Users tab is shown Disabled but can still sign in through SSO',
  'manual-delete-keeps-signin': 'a user deleted by hand in the Users tab is gone from the list but can still sign in through SSO',
  'idp-deleted-user-signs-in': 'a user deleted through SCIM is gone from the Users tab but can still sign in through SSO',
} as const satisfies Record<string, string>;

export type DefectName = keyof typeof DEFECTS;

export function isDefectName(name: string): name is DefectName {
  return Object.hasOwn(DEFECTS, name);
}

/** A frozen set of the defects switched on; empty in every normal run. */
export type Defects = ReadonlySet<DefectName>;

export const NO_DEFECTS: Defects = new Set();
