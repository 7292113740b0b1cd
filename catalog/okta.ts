import { defineCatalog } from './schema.ts';

/**
 * What an Okta-style client sends and a server must handle (idp-patterns.md §2). Severity follows the evidence:
 * MUST for [DOC]/[OBS], SHOULD for [3P], MAY for [INF].
 */
export const OKTA = defineCatalog('okta', 'idp-compat', [
  // connection and lists (§2.4, §2.6)
  ['OKTA-CONNECT-LIST', 'MUST', 'idp-patterns.md §2.5 (1) [DOC OKTA-11]', 'Test API Credentials: GET /Users?startIndex=1&count=2 answers 200 with a ListResponse Okta can read'],
  ['OKTA-LIST-NUMBERS', 'MUST', 'idp-patterns.md §2.6, §2.8 [DOC OKTA-REF]', 'totalResults, startIndex and itemsPerPage are JSON numbers, never strings (Okta import breaks otherwise)'],
  ['OKTA-CONNECT-GROUPS', 'MUST', 'idp-patterns.md §2.4 [DOC OKTA-11]', 'The SCIM 1.1-era second call on save, GET /Groups?startIndex=1&count=100, answers a ListResponse'],
  ['OKTA-CONTENT-JSON', 'MAY', 'idp-patterns.md §2.2 [INF]', 'Okta requests sent as application/json instead of application/scim+json are processed the same'],
  // assign (§2.4, §2.5)
  ['OKTA-ASSIGN-FILTER-EQ', 'MUST', 'idp-patterns.md §2.4 Assign step 1 [DOC OKTA-REF]', 'The existence check userName eq "<login>" with startIndex=1&count=100 answers an empty ListResponse for an unknown user'],
  ['OKTA-ASSIGN-FILTER-CASE', 'MUST', 'idp-patterns.md §2.8 [DOC OKTA-PREP randomUsernameCaps]', 'The existence check finds a user whose userName differs only in case'],
  ['OKTA-ASSIGN-CREATE', 'MUST', 'idp-patterns.md §2.4 B1 [DOC OKTA-REF]', 'Create (B1: password placeholder, externalId, groups []) answers 201 with the full User and its id; the User is stored active'],
  ['OKTA-ASSIGN-LINK', 'MUST', 'idp-patterns.md §2.5 (2) [DOC OKTA-REF]', 'Assigning a user that already exists finds it by the filter and links to it: no second User is created'],
  ['OKTA-ASSIGN-DUPLICATE-409', 'MUST', 'idp-patterns.md §2.4 [DOC OKTA-REF]', 'A create for a userName that exists answers 409 with scimType uniqueness, which Okta shows as an error'],
  ['OKTA-ASSIGN-EMPTY-BODY', 'MUST', 'idp-patterns.md §2.4 [DOC OKTA-REF]', 'Create returns the created User in the body (an empty 2xx body is "Create new user returned empty user")'],
  // profile updates (§2.3, §2.4)
  ['OKTA-UPDATE-PUT', 'MUST', 'idp-patterns.md §2.4 B2 [DOC OKTA-REF]', 'Update User Attributes: GET then PUT of the fetched object (id, meta included) answers 200 and stores the change'],
  ['OKTA-PUT-KEEPS-ACTIVE', 'SHOULD', 'idp-patterns.md §1.6, §2.8 [3P Delinea]', 'A PUT that leaves out active does not deactivate the user'],
  ['OKTA-UPDATE-PATCH-PROFILE', 'SHOULD', 'idp-patterns.md §2.3 oin_patch_profile [3P Delinea]', 'A profile update sent as one no-path PATCH replace of the changed attributes is applied'],
  ['OKTA-USER-STILL-EXISTS', 'MUST', 'idp-patterns.md §2.4 [DOC OKTA-REF]', 'GET /Users/{id} of a provisioned user answers 200 (404 makes Okta treat it as gone)'],
  // deactivate, reactivate, password (§2.4 B3-B5)
  ['OKTA-DEACTIVATE-NOPATH', 'MUST', 'idp-patterns.md §2.4 B3, §2.8 [DOC OKTA-REF]', 'Deactivate (OIN): PATCH replace with no path and value {"active":false} answers 200/204 and the user reads back active=false'],
  ['OKTA-DEACTIVATE-AIW-PUT', 'MUST', 'idp-patterns.md §2.3 [DOC OKTA-REF]', 'Deactivate (AIW): PUT of the full User with active=false answers 200 and the user reads back active=false'],
  ['OKTA-DEACTIVATE-KEEPS-USER', 'MUST', 'idp-patterns.md §2.5 (4) [DOC OKTA-CONCEPT]', 'A deactivated user is kept: GET by id and the userName filter still return it'],
  ['OKTA-DEACTIVATE-APP-DISABLED', 'MUST', 'idp-patterns.md §2.1 Deactivate; seed "The User status will be Disabled" [DOC]', 'After Okta deactivates a user the application shows it as Disabled'],
  ['OKTA-REACTIVATE-ACTIVE', 'MUST', 'idp-patterns.md §2.4 B4 [DOC OKTA-REF: PATCH]', 'Reactivate: PATCH replace {"active":true} (OIN) or PUT (AIW) makes the user active again'],
  ['OKTA-SYNC-PASSWORD', 'MAY', 'idp-patterns.md §2.4 B5 [INF]', 'Sync Password: PATCH replace with no path and value {"password":...} (OIN) or PUT (AIW) is accepted and the password is never returned'],
  // group push (§2.4 B6-B10, §2.8)
  ['OKTA-GROUP-PUSH-CREATE', 'MUST', 'idp-patterns.md §2.4 B6 [DOC OKTA-REF]', 'Push Groups: POST /Groups with members [] answers 201 with the Group and its id'],
  ['OKTA-GROUP-RENAME-WITH-ID', 'MUST', 'idp-patterns.md §2.4 B7, §2.8 [DOC OKTA-REF]', 'The no-path replace {id, displayName} carrying the read-only id is accepted and renames the group'],
  ['OKTA-GROUP-MEMBERS-ADD', 'MUST', 'idp-patterns.md §2.4 B8 [DOC OKTA-REF; OBS SCIM-SDK #419]', 'Members added as {value, display} without type or $ref are stored, and existing members are kept'],
  ['OKTA-GROUP-MEMBERS-REMOVE-FILTER', 'MUST', 'idp-patterns.md §2.4 B8, §2.8 [DOC OKTA-REF; OBS authentik #25686]', 'remove members[value eq "<id>"] removes exactly that member, in the same request as adds'],
  ['OKTA-GROUP-PUSH-FULL', 'MUST', 'idp-patterns.md §2.4 B9 [DOC OKTA-REF]', 'Push now: replace members with the full list leaves exactly that list'],
  ['OKTA-GROUP-PUSH-EMPTY', 'MUST', 'idp-patterns.md §2.4 B9, §2.8 [OBS SCIM-SDK #757]', 'Push now on an empty group: replace members with value [] empties the group'],
  ['OKTA-GROUP-PUSH-NOPATH-MEMBERS', 'MUST', 'idp-patterns.md §2.4 B9 [OBS scimgateway #113]', 'The no-path replace {members: [...], id, displayName} is applied to the member list'],
  ['OKTA-GROUP-AIW-PUT', 'MUST', 'idp-patterns.md §2.4 B10 [DOC OKTA-REF; OBS scimgateway #95]', 'AIW group push: PUT /Groups/{id} with the full member list (display may be null) sets exactly those members'],
  ['OKTA-GROUP-UNLINK-DELETE', 'MUST', 'idp-patterns.md §2.4 Unlink pushed group [DOC OKTA-REF]', 'Unlink pushed group with "Delete the group in the target app": DELETE /Groups/{id} answers 204 and the group is gone'],
  ['OKTA-GROUP-APP-REGIONS', 'MUST', 'idp-patterns.md §2.5 (6) [DOC]; seed "removed from associated regions"', 'Pushed memberships show in the application (a member is in the region, a removed member no longer)'],
  // import (§2.5 (7))
  ['OKTA-IMPORT-PAGED', 'MUST', 'idp-patterns.md §2.5 (7), §2.6 [DOC OKTA-REF]', 'Import pages /Users with count=100, startIndex advancing by 100 until totalResults: every user once, none missing'],
]);
