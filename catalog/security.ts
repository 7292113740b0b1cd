import { defineCatalog } from './schema.ts';

// RFC 7235 §2.1 and RFC 6750 §3.1 put the 401 itself at SHOULD; what a refusal MUST carry is the challenge
// (RFC 7235 §3.1) and a SCIM error body (RFC 7644 §3.12).
const SEND_401 =
  'Upon receipt of a request for a protected resource that omits credentials, contains invalid credentials (e.g., a bad password) or partial credentials (e.g., when the authentication scheme requires more than one round trip), an origin server SHOULD send a 401 (Unauthorized) response that contains a WWW-Authenticate header field with at least one (possibly new) challenge applicable to the requested resource.';
const INVALID_TOKEN =
  'invalid_token The access token provided is expired, revoked, malformed, or invalid for other reasons. The resource SHOULD respond with the HTTP 401 (Unauthorized) status code.';

/** Authentication, tenant isolation and secret handling every SCIM target is held to. */
export const SECURITY = defineCatalog('security', 'security', [
  ['SEC-AUTH-MISSING', 'SHOULD', 'RFC 7235 §2.1; RFC 7644 §3.12, Table 8', 'A request without credentials answers 401', SEND_401],
  ['SEC-AUTH-WRONG', 'SHOULD', 'RFC 6750 §3.1', 'A request with an unknown bearer token answers 401', INVALID_TOKEN],
  [
    'SEC-AUTH-MALFORMED',
    'SHOULD',
    'RFC 7235 §2.1; RFC 6750 §3.1',
    'A malformed Authorization header (empty token, unknown scheme) is refused with 401 (or 400)',
    SEND_401,
  ],
  [
    'SEC-AUTH-TOKEN-CASE',
    'SHOULD',
    'RFC 6750 §1.1',
    'Tokens are compared exactly: the right token with its case changed answers 401',
    'Unless otherwise noted, all the protocol parameter names and values are case sensitive.',
  ],
  ['SEC-AUTH-REVOKED', 'SHOULD', 'RFC 6750 §3.1', 'A revoked token is refused with 401', INVALID_TOKEN],
  [
    'SEC-AUTH-CHALLENGE',
    'MUST',
    'RFC 7235 §3.1; RFC 6750 §3',
    'A 401 answer carries a WWW-Authenticate header with at least one challenge',
    'The server generating a 401 response MUST send a WWW-Authenticate header field (Section 4.1) containing at least one challenge applicable to the target resource.',
  ],
  [
    'SEC-AUTH-ERROR-BODY',
    'MUST',
    'RFC 7644 §3.12',
    'A 401 answer carries a SCIM error body (Error schema, status "401")',
    'In addition to returning an HTTP response code, implementers MUST return the errors in the body of the response in a JSON format, using the attributes described below.',
  ],
  [
    'SEC-AUTH-DISCOVERY',
    'MAY',
    'RFC 7644 §4; RFC 7643 §5',
    'Discovery endpoints answer requests without credentials with 401',
    'SCIM defines three endpoints to facilitate discovery of SCIM service provider features and schema that MAY be retrieved using HTTP GET:',
  ],
  [
    'SEC-AUTH-QUERY-TOKEN',
    'MAY',
    'RFC 6750 §2.3',
    'A token in the query string (access_token) is not accepted in place of the header',
    'it SHOULD NOT be used unless it is impossible to transport the access token in the "Authorization" request header field or the HTTP request entity-body. Resource servers MAY support this method.',
  ],
  [
    'SEC-AUTH-ALL-METHODS',
    'SHOULD',
    'RFC 7235 §2.1; RFC 7235 §3.1',
    'Writes (POST, PUT, PATCH, DELETE) without valid credentials answer 401 and change nothing',
    SEND_401,
  ],
  [
    'SEC-TENANT-TOKEN',
    'SHOULD',
    'RFC 7644 §6.1',
    "A tenant's token is refused on another tenant's SCIM base",
    'If any of these methods of allowing the client to explicitly specify the Tenant are employed, the service provider should ensure that access controls are in place to prevent or allow cross-tenant use cases.',
  ],
  [
    'SEC-TENANT-ISOLATION',
    'SHOULD',
    'RFC 7644 §6',
    "One tenant can neither read, list, change nor delete another tenant's resources",
    'Alternatively, clients may expect to access disjoint sets of resources and may expect that their resources are inaccessible to other clients.',
  ],
  [
    'SEC-TENANT-UNIQUENESS',
    'MAY',
    'RFC 7643 §7',
    'userName uniqueness may be per tenant: the same userName can exist in two tenants',
    'server The value SHOULD be unique within the context of the current SCIM endpoint (or tenancy) and MAY be globally unique',
  ],
  [
    'SEC-SECRETS-PASSWORD-NEVER-RETURNED',
    'MUST',
    'RFC 7643 §4.1.1',
    'A password sent in POST, PUT or PATCH is never returned in any response',
    'The cleartext value or the hashed value of a password SHALL NOT be returnable by a service provider.',
  ],
  [
    'SEC-SECRETS-PASSWORD-FILTER',
    'SHOULD',
    'RFC 7644 §7.5.2',
    'A GET filter on password (sensitive data in the URI) is answered 403',
    'Servers that receive HTTP GET requests using filters that contain sensitive or confidential personal information SHOULD respond with HTTP status code 403 to indicate that the operation is forbidden.',
  ],
  [
    'SEC-SECRETS-TOKEN-NOT-ECHOED',
    'SHOULD',
    'RFC 6750 §5.1',
    'No response body or header echoes the bearer token, even in errors',
    'Token disclosure: Tokens may contain authentication and attribute statements that include sensitive information.',
  ],
  [
    'SEC-SECRETS-NO-INTERNALS',
    'SHOULD',
    'RFC 7644 §7.7',
    'Error details leak no stack traces, SQL or file system paths',
    "An attacker may obtain valid username/password combinations from the SCIM service provider's underlying database by gaining access to the database and/or launching injection attacks.",
  ],
  [
    'SEC-INPUT-INJECTION',
    'MUST',
    'RFC 7644 §3.4.2.2; RFC 7644 §7.7',
    'Filter values shaped like SQL injection are treated as data: a 400 or only the exactly matching resources, never more rows',
    'When specified, only those resources matching the filter expression SHALL be returned.',
  ],
  [
    'SEC-INPUT-OVERSIZED',
    'SHOULD',
    'RFC 7644 §3.12, Table 8',
    "A POST body over the server's own size limit is answered 413 (or 400), not a 5xx or a hang",
    'Implementers SHOULD handle the identified HTTP status codes as described below. ... 413 (Payload ... POST',
  ],
]);
