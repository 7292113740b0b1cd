/**
 * What each deliberate defect of the reference server (reference-server/src/defects/, `serve --defect NAME`) is
 * declared to violate: the exact set of requirements a certification against a server with that defect must fail,
 * no fewer (the checks detect it) and no more (no requirement fails because of another one's defect). The detection
 * tier (cli/detection/precision.test.ts) certifies against each defect and compares.
 */
export const DECLARED: Record<string, readonly string[]> = {
  // protocol defects: judged by the SCIM profiles
  'filter-username-case-sensitive': ['RFC-FILTER-EQ-CASEINSENSITIVE', 'OKTA-ASSIGN-FILTER-CASE'],
  'delete-user-keeps-memberships': ['RFC-GROUP-DELETED-MEMBER', 'ENTRA-DELETE-APP-ABSENT', 'SP-DELETE-APP-ABSENT', 'LC-DELETE-REGIONS'],
  'create-returns-200': ['RFC-USER-CREATE-201', 'RFC-GROUP-CREATE-201', 'RFC-BULK-POST', 'OKTA-ASSIGN-CREATE', 'OKTA-GROUP-PUSH-CREATE', 'SP-CREATE-ACCOUNT'],
  'patch-members-filter-remove-ignored': [
    'RFC-PATCH-REMOVE-VALUEPATH',
    'OKTA-GROUP-MEMBERS-REMOVE-FILTER',
    'SP-ENTITLEMENT-REMOVE',
    'ENTRA-REMOVE-MEMBER-FILTER',
  ],
  'patch-remove-value-list-removes-all': ['ENTRA-REMOVE-MEMBER-VALUE', 'SP-ENTITLEMENT-REMOVE-LEGACY'],
  'patch-add-members-replaces': ['RFC-PATCH-ADD-MEMBERS', 'OKTA-GROUP-MEMBERS-ADD', 'SP-ENTITLEMENT-ADD', 'SP-ENTITLEMENT-PARALLEL'],
  'patch-op-case-sensitive': ['ENTRA-PATCH-OP-CASE'],
  'patch-rejects-string-booleans': ['ENTRA-PATCH-BOOL-STRING', 'ENTRA-PATCH-BOOL-LOWER'],
  'valuepath-add-notarget': ['ENTRA-ADD-VALUEPATH-CREATES'],
  'group-replace-rejects-id': ['OKTA-GROUP-RENAME-WITH-ID'],
  'put-defaults-active-false': ['OKTA-PUT-KEEPS-ACTIVE'],
  'ignores-excluded-members': ['RFC-PROJECTION-GROUP-MEMBERS', 'ENTRA-GROUP-EXCLUDE-MEMBERS'],
  'nopath-dotted-keys-ignored': ['ENTRA-NOPATH-DOTTED-KEYS'],
  // what the IdPs document they send: each breaks one request the simulators send as documented
  'filter-hides-inactive-users': ['OKTA-REASSIGN-FINDS-DEACTIVATED', 'OKTA-DEACTIVATE-KEEPS-USER', 'ENTRA-RESTORE-MATCHES-DISABLED', 'ENTRA-DISABLE-SOFT'],
  'filter-plus-not-decoded': ['RFC-FILTER-PLUS-SPACE', 'ENTRA-FILTER-PLUS-SPACE'],
  'group-filter-displayname-case-sensitive': ['OKTA-GROUP-PUSH-LOOKUP'],
  'schema-by-urn-404': ['RFC-DISCOVERY-SCHEMAS-GET', 'SP-DISCOVERY-SCHEMA-USER', 'SP-DISCOVERY-CONNECT'],
  'username-patch-immutable': ['ENTRA-RENAME-USERNAME'],
  'filter-datetime-ignores-offset': ['SP-AGG-DELTA-SERVER-TIMEZONE'],
  'revoke-keeps-token': ['SEC-AUTH-REVOKED', 'LC-REVOKE-NEXT-REQUEST-REFUSED'],
  // the product lifecycle of the guide: judged by the lifecycle profile
  'generate-ignores-sso': ['LC-SSO-GATE-UNCONFIGURED', 'LC-SSO-GATE-CONFIGURED'],
  'token-in-email': ['LC-EMAIL-NO-TOKEN'],
  'disabled-user-signs-in': ['LC-DEPROV-SIGNIN-REFUSED', 'LC-MANUAL-DISABLE-SIGNIN-REFUSED'],
  'no-welcome-email': ['LC-EMAIL-NEW-SSO-ACCOUNT'],
  'master-admin-cannot-generate': ['LC-TOKEN-ROLE-MASTER'],
  'security-admin-not-token-manager': ['LC-TOKEN-ROLE-SECURITY', 'LC-REVOKE-ROLE-SECURITY'],
  // the Viewer is given the token right itself, so it may revoke too
  'viewer-can-generate': ['LC-TOKEN-ROLE-VIEWER-REFUSED', 'LC-REVOKE-ROLE-VIEWER-REFUSED'],
  'token-shown-twice': ['LC-TOKEN-SHOWN-ONCE'],
  'generate-panel-no-url': ['LC-TOKEN-URL-SHOWN'],
  'sso-activate-not-saved': ['LC-SSO-GATE-ACTIVE'],
  'sso-deactivate-keeps-scim': ['LC-SSO-DEACTIVATED-REFUSED'],
  'no-new-token-email': ['LC-EMAIL-NEW-TOKEN'],
  'no-revoked-email': ['LC-EMAIL-TOKEN-REVOKED'],
  'welcome-email-without-sso-instructions': ['LC-EMAIL-SSO-INSTRUCTIONS'],
  'signin-refuses-scim-users': ['LC-SSO-SIGNIN-PROVISIONED'],
  'deprovision-keeps-active-status': ['LC-DEPROV-DISABLED-OKTA', 'LC-DEPROV-DISABLED-ENTRA', 'LC-DEPROV-DISABLED-SAILPOINT'],
  'deleted-user-stays-listed': ['LC-DELETE-USERS-TAB'],
  'revoke-delayed': ['LC-REVOKE-NEXT-REQUEST-REFUSED'],
  'regenerate-after-revoke-broken': ['LC-REVOKE-REGENERATE'],
  'no-manual-change-warning': ['LC-MANUAL-CHANGE-WARNING'],
  'viewer-can-revoke': ['LC-REVOKE-ROLE-VIEWER-REFUSED'],
  'revoke-without-confirmation': ['LC-REVOKE-CONFIRM'],
  'manual-disable-keeps-signin': ['LC-MANUAL-DISABLE-SIGNIN-REFUSED'],
  'manual-delete-keeps-signin': ['LC-MANUAL-DELETE-SIGNIN-REFUSED'],
  'idp-deleted-user-signs-in': ['LC-DELETE-SIGNIN-REFUSED'],
};

/** The SCIM profiles: certified without a browser, one defect per run. */
export const SCIM_PROFILES = ['rfc', 'security', 'okta', 'entra', 'sailpoint'] as const;

/**
 * The lifecycle profile runs in a browser, so defects share runs where their checks cannot disturb each other: the
 * failed set of a run must equal the union of its defects' declared lifecycle ids. revoke-keeps-token and
 * revoke-delayed break the same check; disabled-user-signs-in would also let a user disabled by hand in;
 * signin-refuses-scim-users refuses every sign-in; regenerate-after-revoke-broken needs a Revoke that takes effect
 * (not with revoke-delayed or revoke-keeps-token); a fresh tenant needs a Master Admin or a Security Admin able to
 * generate, so master-admin-cannot-generate and security-admin-not-token-manager never share a run.
 */
export const LIFECYCLE_RUNS: readonly (readonly string[])[] = [
  [
    'viewer-can-generate',
    'token-shown-twice',
    'generate-panel-no-url',
    'no-new-token-email',
    'no-revoked-email',
    'welcome-email-without-sso-instructions',
    'no-manual-change-warning',
    'deleted-user-stays-listed',
    'deprovision-keeps-active-status',
    'security-admin-not-token-manager',
    'manual-disable-keeps-signin',
    'manual-delete-keeps-signin',
    'idp-deleted-user-signs-in',
  ],
  ['master-admin-cannot-generate', 'disabled-user-signs-in', 'delete-user-keeps-memberships', 'regenerate-after-revoke-broken'],
  ['generate-ignores-sso', 'sso-activate-not-saved', 'sso-deactivate-keeps-scim', 'revoke-keeps-token'],
  ['revoke-delayed', 'no-welcome-email', 'token-in-email', 'signin-refuses-scim-users', 'viewer-can-revoke', 'revoke-without-confirmation'],
];

/** The defects whose declared ids include SCIM-profile requirements: each gets a SCIM certification of its own. */
export function scimDefects(): string[] {
  return Object.entries(DECLARED)
    .filter(([, ids]) => ids.some((id) => !id.startsWith('LC-')))
    .map(([d]) => d);
}

/** The declared ids of these defects within these profiles' prefixes. */
export function expectedFailures(defects: readonly string[], prefixes: readonly string[]): string[] {
  return [...new Set(defects.flatMap((d) => DECLARED[d] ?? []))].filter((id) => prefixes.some((p) => id.startsWith(`${p}-`))).sort();
}
