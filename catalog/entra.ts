import { defineCatalog } from './schema.ts';

/** Microsoft's pages, cited as `Microsoft: <page title> <url>`; quotes are the pages' sentences word for word. */
const TUT =
  'Microsoft: Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID <https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups>';
const COMPAT =
  'Microsoft: Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning service <https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility>';
const HOW =
  'Microsoft: How Application Provisioning works in Microsoft Entra ID <https://learn.microsoft.com/en-us/entra/identity/app-provisioning/how-provisioning-works>';
const GUIDE = 'docs/product-guide.md §SCIM Deprovisioning through the IdP';
/** Third-party reports of what Entra really sent; the team's notes say what each shows. */
const issue = (repo: string, n: number) => `GitHub: ${repo} issue ${n} <https://github.com/${repo}/issues/${n}>`;
const notes = (section: string) => `docs/idp-patterns.md §${section}`;
const cite = (...parts: string[]) => parts.join('; ');

/** The tutorial's list of what an application must support, shortened to the one row a requirement rests on. */
const mustSupport = (row: string) => `Within the SCIM 2.0 protocol specification, your application must support these requirements: ... ${row}`;
/** Microsoft's sentence introducing the tutorial's example requests and responses. */
const EXAMPLES = 'For best results, you should code your app to handle these requests in this format and emit the expected responses.';
/** Microsoft's sentence introducing the legacy (no flag) and aadOptscim062020 request samples. */
const SAMPLES = 'Sample requests to help outline what the sync engine currently sends versus the requests that are sent once the feature flag is enabled.';

/** Microsoft's troubleshooting page quoting a logged Test Connection request, and a Q&A thread quoting Entra's group match. */
const ECMA =
  'Microsoft: Troubleshoot on-premises application provisioning <https://learn.microsoft.com/en-us/entra/identity/app-provisioning/on-premises-ecma-troubleshoot>';
const QNA_GROUP_FILTER =
  'Microsoft Q&A: Disable displayName filter SCIM Groups API <https://learn.microsoft.com/en-us/answers/questions/923479/disable-displayname-filter-scim-groups-api>';

/**
 * What the Entra ID provisioning service sends and a server must handle, in all three modes (legacy,
 * aadOptscim062020, mixed). Severity follows the quoted sentence: MUST where Microsoft says must (the tutorial's
 * "must support" list covers RFC 7644 PATCH, so documented RFC-shaped requests are MUST); Entra's non-RFC shapes,
 * which Microsoft documents without a must, are SHOULD, as is what only third parties report; inferences are MAY.
 * The quote is a sentence of the first citation.
 */
export const ENTRA = defineCatalog('entra', 'idp-compat', [
  // Test Connection, headers
  [
    'ENTRA-EMPTY-FILTER-200',
    'MUST',
    TUT,
    'Test Connection\'s query for a random GUID (userName eq "<random GUID>") answers 200 with an empty ListResponse, never 404',
    "Test Connection queries the SCIM endpoint for a user that doesn't exist, using a random GUID as the matching property selected in the Microsoft Entra configuration.",
  ],
  [
    'ENTRA-GET-NO-CONTENT-TYPE',
    'SHOULD',
    cite(notes('3.2'), issue('MicrosoftDocs/azure-docs', 94189)),
    'GETs without Content-Type or Accept headers are answered normally (no 406 or 415)',
    'Test Connection GETs carry no Content-Type, and some frameworks answer 406',
  ],
  [
    'ENTRA-RESPONSE-CONTENT-TYPE',
    'SHOULD',
    cite(TUT, notes('3.2')),
    'Every response with a body carries Content-Type application/scim+json',
    'The header for all the responses should be of content-Type: application/scim+json',
  ],
  [
    'ENTRA-FLAG-QUERY-PARAM',
    'MAY',
    cite(COMPAT, notes('3.5')),
    'The aadOptscim062020 flag riding on every request as a bare query parameter is ignored',
    'Use the flags in the tenant URL of your application in order to change the default SCIM client behavior.',
  ],
  // matching
  [
    'ENTRA-MATCH-USERNAME',
    'MUST',
    TUT,
    'Matching by userName eq "<UPN>" answers a ListResponse with the one matching user',
    'Any attributes that are considered for user uniqueness must be usable as part of a filtered query.',
  ],
  [
    'ENTRA-MATCH-EXTERNALID',
    'MUST',
    cite(TUT, HOW),
    'Matching by externalId eq "<mailNickname>" finds the user',
    'Any attributes that are considered for user uniqueness must be usable as part of a filtered query.',
  ],
  [
    'ENTRA-MATCH-EMAIL',
    'MUST',
    TUT,
    'Matching by emails[type eq "work"].value eq "<mail>" finds the user',
    'Any attributes that are considered for user uniqueness must be usable as part of a filtered query.',
  ],
  // create
  [
    'ENTRA-CREATE-USER',
    'MUST',
    TUT,
    'Create (client meta, roles [], enterprise extension) answers 201 and stores the enterprise attributes',
    mustSupport('Create users, and optionally also groups'),
  ],
  [
    'ENTRA-CREATE-LEGACY-SHAPES',
    'SHOULD',
    cite(TUT, notes('3.4')),
    'The tutorial\'s Example 2 create, with explicit nulls and the extension URN spelled "...:enterprise:2.0User", is accepted',
    "If the response to a query to the SCIM endpoint for a user with an externalId attribute value that matches the mailNickname attribute value of a user doesn't return any users, then Microsoft Entra ID requests that the service provision a user corresponding to the one in Microsoft Entra ID.",
  ],
  [
    'ENTRA-CREATE-BOOL-STRING',
    'SHOULD',
    cite(notes('3.4'), issue('AzureAD/SCIMReferenceCode', 21)),
    'A create carrying "active":"True" as a string is stored as the boolean true',
    'POST can also carry `"active":"True"` as a string in Microsoft\'s own validator tests (same issue).',
  ],
  // PATCH
  [
    'ENTRA-PATCH-OP-CASE',
    'SHOULD',
    cite(TUT, COMPAT),
    'Capitalised ops "Add", "Replace", "Remove" are applied like their lower-case forms',
    "Don't require a case-sensitive match on structural elements in SCIM, in particular PATCH op operation values, as defined in section 3.5.2.",
  ],
  ['ENTRA-PATCH-BOOL-STRING', 'SHOULD', COMPAT, 'Disable in legacy mode, active "False" (and "True") as strings, sets the boolean active', SAMPLES],
  [
    'ENTRA-PATCH-BOOL-LOWER',
    'SHOULD',
    cite(notes('3.4'), issue('scimmyjs/scimmy', 86)),
    'The lower-case strings "false"/"true" a Switch() mapping produces set the boolean active',
    'Lower-case string `"false"`, seen when admins map `active` through a Switch() expression',
  ],
  [
    'ENTRA-PATCH-PATHS',
    'MUST',
    TUT,
    'Update with one op per attribute (name.familyName, name.formatted, emails[type eq "work"].value) changes exactly those values',
    mustSupport('Modify users or groups with PATCH requests'),
  ],
  [
    'ENTRA-PATCH-ENTERPRISE-PATH',
    'MUST',
    cite(TUT, COMPAT, notes('3.6')),
    'A PATCH path with the enterprise URN prefix (…:enterprise:2.0:User:department) is applied, never a 5xx',
    mustSupport('Modify users or groups with PATCH requests'),
  ],
  [
    'ENTRA-NOPATH-DOTTED-KEYS',
    'SHOULD',
    cite(COMPAT, notes('3.6')),
    'A no-path replace whose value has dotted and URN-prefixed keys sets the nested attributes',
    SAMPLES,
  ],
  [
    'ENTRA-ADD-VALUEPATH-CREATES',
    'SHOULD',
    cite(notes('3.6'), issue('Captain-P-Goldfish/SCIM-SDK', 416)),
    'Add on emails[type eq "work"].value when no work email exists creates a {type: "work", value} element',
    'Microsoft\'s validator expects a new `{type:"work", value:…}` element to be created',
  ],
  [
    'ENTRA-MANAGER-SHAPES',
    'SHOULD',
    cite(TUT, notes('3.4'), issue('Captain-P-Goldfish/SCIM-SDK', 686), issue('apache/directory-scimple', 1242)),
    'The manager set as [{$ref, value}] on "manager" (documented), as a bare id on the URN path, or as a plain string in POST (both observed) is stored',
    "Here's an example of a request from Microsoft Entra ID to an SCIM endpoint to update a user:",
  ],
  [
    'ENTRA-MANAGER-RETURNED-OBJECT',
    'SHOULD',
    cite(notes('3.6'), issue('Budibase/budibase', 15369)),
    'The manager is returned as an object {value, $ref}, never as a bare string',
    'Manager returned as an object in GET responses: Entra fails to deserialize a server response it cannot parse ("SystemForCrossDomainIdentityManagementServiceIncompatible")',
  ],
  [
    'ENTRA-MANAGER-CHECK-FILTER',
    'SHOULD',
    TUT,
    'The check id eq "<id>" and manager eq "<mgrId>" with attributes=id matches only when that manager is set',
    'Microsoft Entra ID checks the current attribute value in the identity store before updating it.',
  ],
  // disable, enable, delete
  [
    'ENTRA-DISABLE-SOFT',
    'SHOULD',
    cite(TUT, HOW),
    'Disable (soft delete) sets active=false and the user is still returned by GET and by the matching filter',
    'The user object should be returned in a request whether or not the user is active.',
  ],
  [
    'ENTRA-DISABLE-APP-DISABLED',
    'MUST',
    cite(GUIDE, HOW),
    'After Entra disables a user the application shows it as Disabled',
    'The User status will be “Disabled”.',
  ],
  [
    'ENTRA-ENABLE-ACTIVE',
    'MUST',
    cite(TUT, HOW),
    'Re-enable sets active=true again (restoring a soft-deleted user)',
    mustSupport('Soft-deleting a user active=false and restoring the user active=true'),
  ],
  [
    'ENTRA-HARD-DELETE',
    'SHOULD',
    HOW,
    'Delete (hard delete): DELETE /Users/{id} answers 204 and the user is then 404 and no longer matched',
    'If a user that was previously in scope for provisioning is hard-deleted in the source system, the service deletes the user in the target system.',
  ],
  [
    'ENTRA-DELETE-APP-ABSENT',
    'MUST',
    cite(GUIDE, HOW),
    'After a hard delete the user is gone from the application and from every region',
    'Removing a User via IdP: The user is deleted from the Users tab UI, and is removed from associated regions.',
  ],
  // groups
  [
    'ENTRA-GROUP-MATCH-DISPLAYNAME',
    'MUST',
    TUT,
    'Groups can be matched by displayName eq "<name>" (with excludedAttributes=members)',
    "Groups must have uniqueness on the 'displayName' value to match with Microsoft Entra ID and the SCIM application.",
  ],
  [
    'ENTRA-GROUP-EXCLUDE-MEMBERS',
    'MUST',
    TUT,
    'excludedAttributes=members drops members from Group lists and Group reads',
    mustSupport('The filter excludedAttributes=members when querying the group resource'),
  ],
  ['ENTRA-GROUP-CREATE-EXTRA-SCHEMA', 'SHOULD', TUT, 'A group create carrying the non-standard ADSCIM schema URN and client meta answers 201', EXAMPLES],
  [
    'ENTRA-GROUP-MEMBERS-ADD-REFNULL',
    'MUST',
    TUT,
    'Add members with "$ref": null, several in one op, stores them all',
    mustSupport('Modify users or groups with PATCH requests'),
  ],
  [
    'ENTRA-REMOVE-MEMBER-VALUE',
    'SHOULD',
    cite(COMPAT, notes('1.7'), issue('simpleidserver/SimpleIdServer', 244)),
    'Legacy remove: path "members" with a value list removes exactly those members and keeps the others',
    SAMPLES,
  ],
  [
    'ENTRA-REMOVE-MEMBER-FILTER',
    'MUST',
    cite(TUT, COMPAT),
    'Compliant remove: members[value eq "<id>"] removes exactly that member',
    mustSupport('Modify users or groups with PATCH requests'),
  ],
  [
    'ENTRA-GROUP-RENAME-KEEPS-MEMBERS',
    'MUST',
    cite(TUT, notes('3.4')),
    'A group rename (path or no-path replace of displayName) leaves the members untouched',
    mustSupport('Modify users or groups with PATCH requests'),
  ],
  [
    'ENTRA-GROUP-PATCH-204',
    'SHOULD',
    TUT,
    'A Group PATCH answers 204 No Content (or 200), not a body listing all the members',
    'Update to the group PATCH request should yield an HTTP 204 No Content in the response.',
  ],
  ['ENTRA-GROUP-DELETE', 'SHOULD', TUT, 'DELETE /Groups/{id} answers 204 and the group is gone', EXAMPLES],
  [
    'ENTRA-GROUP-APP-REGIONS',
    'SHOULD',
    cite(GUIDE, HOW, notes('3.3')),
    'Entra group memberships show in the application as regions, and removed members leave them',
    'Removing a User via IdP: The user is deleted from the Users tab UI, and is removed from associated regions.',
  ],
  // what Microsoft documents and the simulator now sends (appended)
  [
    'ENTRA-RESTORE-MATCHES-DISABLED',
    'SHOULD',
    cite(HOW, TUT),
    "A disabled user back in scope (restored or assigned again) is found by Entra's matching query, so Entra re-enables it instead of creating a second user",
    'When a user is assigned or in scope for provisioning, the service queries the target system for a matching user using the specified matching attributes.',
  ],
  [
    'ENTRA-FILTER-PLUS-SPACE',
    'SHOULD',
    cite(ECMA, QNA_GROUP_FILTER),
    "A filter written as Entra writes it, a space as '+' and quotes as %22 (filter=userName+eq+%22<value>%22), is read as the same filter as with %20",
    'Received response from Web resource. Resource: https://localhost/Users?filter=PLACEHOLDER+eq+"8646d011-1693-4cd3-9ee6-0d7482ca2219" Operation: GET',
  ],
  [
    'ENTRA-RENAME-USERNAME',
    'SHOULD',
    TUT,
    'A UPN change, PATCH Replace on path userName, renames the user: it reads back and is matched by the new userName',
    EXAMPLES,
  ],
]);
