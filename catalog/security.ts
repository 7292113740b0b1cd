import { defineCatalog } from './schema.ts';

/** Authentication, tenant isolation and secret handling every SCIM target is held to. */
export const SECURITY = defineCatalog('security', 'security', [
  ['SEC-AUTH-MISSING', 'MUST', 'RFC 7644 §2; RFC 6750 §3.1', 'A request without credentials answers 401'],
  ['SEC-AUTH-WRONG', 'MUST', 'RFC 7644 §2; RFC 6750 §3.1', 'A request with an unknown bearer token answers 401'],
  ['SEC-AUTH-MALFORMED', 'MUST', 'RFC 7644 §2; RFC 7235 §2.1', 'A malformed Authorization header (empty token, unknown scheme) answers 401'],
  ['SEC-AUTH-TOKEN-CASE', 'MUST', 'RFC 7644 §7.4', 'Tokens are compared exactly: the right token with its case changed answers 401'],
  ['SEC-AUTH-REVOKED', 'MUST', 'RFC 7644 §7.4; seed "Revoke"', 'A revoked token is refused with 401 at once'],
  ['SEC-AUTH-CHALLENGE', 'SHOULD', 'RFC 7235 §3.1; RFC 6750 §3', 'A 401 answer carries a WWW-Authenticate challenge'],
  ['SEC-AUTH-ERROR-BODY', 'SHOULD', 'RFC 7644 §3.12', 'A 401 answer is a SCIM error body'],
  ['SEC-AUTH-DISCOVERY', 'SHOULD', 'RFC 7644 §4', 'Discovery endpoints refuse requests without credentials'],
  ['SEC-AUTH-QUERY-TOKEN', 'SHOULD', 'RFC 6750 §2.3; RFC 7644 §7.5.2', 'A token in the query string (access_token) is not accepted in place of the header'],
  ['SEC-AUTH-ALL-METHODS', 'MUST', 'RFC 7644 §2', 'Writes (POST, PUT, PATCH, DELETE) without valid credentials answer 401 and change nothing'],
  ['SEC-TENANT-TOKEN', 'MUST', 'RFC 7644 §6', "A tenant's token is refused on another tenant's SCIM base"],
  ['SEC-TENANT-ISOLATION', 'MUST', 'RFC 7644 §6', "One tenant can neither read, list, change nor delete another tenant's resources"],
  ['SEC-TENANT-UNIQUENESS', 'SHOULD', 'RFC 7644 §6', 'userName uniqueness is per tenant: the same userName can exist in two tenants'],
  ['SEC-SECRETS-PASSWORD-NEVER-RETURNED', 'MUST', 'RFC 7643 §4.1.1; RFC 7644 §7.8', 'A password sent in POST, PUT or PATCH is never returned in any response'],
  ['SEC-SECRETS-PASSWORD-FILTER', 'MUST', 'RFC 7644 §7.8', 'Filtering on password never reveals which User holds a given password'],
  ['SEC-SECRETS-TOKEN-NOT-ECHOED', 'MUST', 'RFC 7644 §7.4', 'No response body or header echoes the bearer token, even in errors'],
  ['SEC-SECRETS-NO-INTERNALS', 'SHOULD', 'RFC 7644 §7', 'Error details leak no stack traces, SQL or file system paths'],
  ['SEC-INPUT-INJECTION', 'MUST', 'RFC 7644 §7', 'Filter values shaped like SQL injection are treated as data: a 400 or an exact match, never more rows or a 5xx'],
  ['SEC-INPUT-OVERSIZED', 'SHOULD', 'RFC 7644 §3.12', 'An oversized request body is refused with 413 (or 400), not a 5xx or a hang'],
]);
