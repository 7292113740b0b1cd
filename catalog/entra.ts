import { defineCatalog } from './schema.ts';

/**
 * What the Entra ID provisioning service sends and a server must handle (idp-patterns.md §3), in all three
 * modes (legacy, aadOptscim062020, mixed). MUST for [DOC]/[OBS], SHOULD for [3P], MAY for [INF].
 */
export const ENTRA = defineCatalog('entra', 'idp-compat', [
  // Test Connection, headers (§3.2, §3.4)
  ['ENTRA-EMPTY-FILTER-200', 'MUST', 'idp-patterns.md §3.4 Test Connection, §1.5 [DOC ENTRA-TUT]', 'A filter that matches nothing (userName eq "<random GUID>") answers 200 with an empty ListResponse, never 404'],
  ['ENTRA-GET-NO-CONTENT-TYPE', 'MUST', 'idp-patterns.md §3.2 [OBS azure-docs #94189]', 'GETs without Content-Type or Accept headers are answered normally (no 406 or 415)'],
  ['ENTRA-RESPONSE-CONTENT-TYPE', 'MUST', 'idp-patterns.md §3.2 [DOC ENTRA-TUT; OBS scimgateway #89]', 'Every response with a body carries Content-Type application/scim+json'],
  ['ENTRA-FLAG-QUERY-PARAM', 'MAY', 'idp-patterns.md §3.5 [INF from the URL-based flag]', 'The aadOptscim062020 flag riding on every request as a bare query parameter is ignored'],
  // matching (§3.3, §3.4)
  ['ENTRA-MATCH-USERNAME', 'MUST', 'idp-patterns.md §3.3 (2) [DOC ENTRA-HOW]', 'Matching by userName eq "<UPN>" answers a ListResponse with the one matching user'],
  ['ENTRA-MATCH-EXTERNALID', 'MUST', 'idp-patterns.md §3.3 (2) [DOC ENTRA-HOW]', 'Matching by externalId eq "<mailNickname>" finds the user'],
  ['ENTRA-MATCH-EMAIL', 'MUST', 'idp-patterns.md §3.3 (2), §1.4 [DOC ENTRA-TUT]', 'Matching by emails[type eq "work"].value eq "<mail>" finds the user'],
  // create (E1)
  ['ENTRA-CREATE-USER', 'MUST', 'idp-patterns.md §3.4 E1 [DOC ENTRA-TUT]', 'Create (E1: client meta, roles [], enterprise extension) answers 201 and stores the enterprise attributes'],
  ['ENTRA-CREATE-LEGACY-SHAPES', 'MUST', 'idp-patterns.md §3.4 E1 [DOC older ENTRA-TUT examples]', 'Explicit nulls and the malformed extension URN "...:enterprise:2.0User" in a create are tolerated'],
  ['ENTRA-CREATE-BOOL-STRING', 'MUST', 'idp-patterns.md §3.4 E7 [OBS SCIMReferenceCode #21]', 'A create carrying "active":"True" as a string is stored as the boolean true'],
  // PATCH quirks (E3-E7, §3.6)
  ['ENTRA-PATCH-OP-CASE', 'MUST', 'idp-patterns.md §3.5, §3.6 [DOC ENTRA-TUT, ENTRA-COMPAT]', 'Capitalised ops "Add", "Replace", "Remove" are applied like their lower-case forms'],
  ['ENTRA-PATCH-BOOL-STRING', 'MUST', 'idp-patterns.md §3.4 E7 [DOC ENTRA-COMPAT]', 'Disable in legacy mode, active "False" (and "True") as strings, sets the boolean active'],
  ['ENTRA-PATCH-BOOL-LOWER', 'MUST', 'idp-patterns.md §3.4 E7 [OBS scimmy #86]', 'The lower-case strings "false"/"true" a Switch() mapping produces set the boolean active'],
  ['ENTRA-PATCH-PATHS', 'MUST', 'idp-patterns.md §3.4 E3/E4 [DOC ENTRA-TUT]', 'Update with one op per attribute (name.familyName, name.formatted, emails[type eq "work"].value) changes exactly those values'],
  ['ENTRA-PATCH-ENTERPRISE-PATH', 'MUST', 'idp-patterns.md §3.6 [OBS FusionAuth #2667]', 'A PATCH path with the enterprise URN prefix (…:enterprise:2.0:User:department) is applied, never a 5xx'],
  ['ENTRA-NOPATH-DOTTED-KEYS', 'MUST', 'idp-patterns.md §3.4 E5, §3.6 [DOC ENTRA-COMPAT]', 'A no-path replace whose value has dotted and URN-prefixed keys sets the nested attributes'],
  ['ENTRA-ADD-VALUEPATH-CREATES', 'MUST', 'idp-patterns.md §3.6 [OBS SCIM-SDK #416]', 'Add on emails[type eq "work"].value when no work email exists creates a {type: "work", value} element'],
  ['ENTRA-MANAGER-SHAPES', 'MUST', 'idp-patterns.md §3.4 E6 [DOC ENTRA-TUT; OBS SCIM-SDK #686, directory-scimple #1242]', 'The manager set as [{$ref, value}] on "manager", as a bare id on the URN path, or as a plain string in POST is stored'],
  ['ENTRA-MANAGER-RETURNED-OBJECT', 'MUST', 'idp-patterns.md §3.6 [OBS Budibase #15369]', 'The manager is returned as an object {value, $ref}, never as a bare string'],
  ['ENTRA-MANAGER-CHECK-FILTER', 'MUST', 'idp-patterns.md §3.4 E6 [DOC ENTRA-TUT Example 4]', 'The check id eq "<id>" and manager eq "<mgrId>" with attributes=id matches only when that manager is set'],
  // disable, enable, delete (§3.7)
  ['ENTRA-DISABLE-SOFT', 'MUST', 'idp-patterns.md §3.7, §3.6 [DOC ENTRA-HOW, ENTRA-TUT]', 'Disable (soft delete) sets active=false and the user is still returned by GET and by the matching filter'],
  ['ENTRA-DISABLE-APP-DISABLED', 'MUST', 'idp-patterns.md §3.1 disable; seed "The User status will be Disabled" [DOC]', 'After Entra disables a user the application shows it as Disabled'],
  ['ENTRA-ENABLE-ACTIVE', 'MUST', 'idp-patterns.md §3.4 Re-enable [DOC ENTRA-HOW]', 'Re-enable sets active=true again (Enable after a soft delete)'],
  ['ENTRA-HARD-DELETE', 'MUST', 'idp-patterns.md §3.7 [DOC ENTRA-HOW]', 'Delete (hard delete): DELETE /Users/{id} answers 204 and the user is then 404 and no longer matched'],
  ['ENTRA-DELETE-APP-ABSENT', 'MUST', 'idp-patterns.md §3.7; seed "deleted from the Users tab ... removed from associated regions" [DOC]', 'After a hard delete the user is gone from the application and from every region'],
  // groups (E8-E11)
  ['ENTRA-GROUP-MATCH-DISPLAYNAME', 'MUST', 'idp-patterns.md §3.6 [OBS ssoready #232]', 'Groups can be matched by displayName eq "<name>" (with excludedAttributes=members)'],
  ['ENTRA-GROUP-EXCLUDE-MEMBERS', 'MUST', 'idp-patterns.md §3.6 [OBS SimpleIdServer #490]', 'excludedAttributes=members drops members from Group lists and Group reads'],
  ['ENTRA-GROUP-CREATE-EXTRA-SCHEMA', 'MUST', 'idp-patterns.md §3.4 E8 [DOC ENTRA-TUT]', 'A group create carrying the non-standard ADSCIM schema URN and client meta answers 201'],
  ['ENTRA-GROUP-MEMBERS-ADD-REFNULL', 'MUST', 'idp-patterns.md §3.4 E10 [DOC ENTRA-TUT]', 'Add members with "$ref": null, several in one op, stores them all'],
  ['ENTRA-REMOVE-MEMBER-VALUE', 'MUST', 'idp-patterns.md §3.4 E11, §1.7 [DOC ENTRA-COMPAT; OBS SimpleIdServer #244]', 'Legacy remove: path "members" with a value list removes exactly those members and keeps the others'],
  ['ENTRA-REMOVE-MEMBER-FILTER', 'MUST', 'idp-patterns.md §3.4 E11 [DOC ENTRA-COMPAT]', 'Compliant remove: members[value eq "<id>"] removes exactly that member'],
  ['ENTRA-GROUP-RENAME-KEEPS-MEMBERS', 'MUST', 'idp-patterns.md §3.4 E9 [DOC; OBS langwatch #7131]', 'A group rename (path or no-path replace of displayName) leaves the members untouched'],
  ['ENTRA-GROUP-PATCH-204', 'SHOULD', 'idp-patterns.md §3.4 example responses [DOC ENTRA-TUT]', 'A Group PATCH answers 204 (or 200), never a member list Entra would have to read'],
  ['ENTRA-GROUP-DELETE', 'MUST', 'idp-patterns.md §3.4 Delete group [DOC]', 'DELETE /Groups/{id} answers 204 and the group is gone'],
  ['ENTRA-GROUP-APP-REGIONS', 'MUST', 'idp-patterns.md §3.3 (4); seed regions [DOC]', 'Entra group memberships show in the application as regions, and removed members leave them'],
]);
