import { defineCatalog } from './schema.ts';

/** Okta's pages, cited as `Okta: <page title> <url>`; quotes are the pages' sentences word for word. */
const REF = 'Okta: SCIM 2.0 Protocol Reference <https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20>';
const REF11 = 'Okta: SCIM 1.1 Protocol Reference <https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-11>';
const TEST = 'Okta: Test your SCIM API <https://developer.okta.com/docs/guides/scim-provisioning-integration-test/main/>';
const DELINEA =
  'Delinea: Okta SCIM endpoint reference <https://docs.delinea.com/online-help/delinea-platform/scim/okta-scim-provisioning/okta-scim-endpoint-reference.htm>';
const GUIDE = 'docs/product-guide.md §SCIM Deprovisioning through the IdP';
/** The team's observations where they add something Okta's pages do not say. */
const notes = (section: string) => `docs/idp-patterns.md §${section}`;
const cite = (...parts: string[]) => parts.join('; ');

/**
 * What an Okta-style client sends and a server must handle. Severity follows the quoted sentence: MUST only where it
 * says must/required/shall, or where it describes a request Okta always sends and the page says an error stops Okta;
 * a request Okta documents without such a sentence is SHOULD; what only third parties or the team report is SHOULD,
 * and the team's inferences are MAY. The quote is a sentence of the first citation.
 */
export const OKTA = defineCatalog('okta', 'idp-compat', [
  // connection and lists
  [
    'OKTA-CONNECT-LIST',
    'SHOULD',
    cite(REF11, notes('2.5')),
    'The save-time request GET /Users?startIndex=1&count=2 (documented for SCIM 1.1) answers 200 with a ListResponse',
    'After saving the configuration, Okta makes two requests to your SCIM server:',
  ],
  [
    'OKTA-LIST-NUMBERS',
    'SHOULD',
    REF,
    'totalResults, startIndex and itemsPerPage are JSON numbers, never strings',
    'The itemsPerPage, startIndex, and totalResults values need to be exchanged as integers, not as strings.',
  ],
  [
    'OKTA-CONNECT-GROUPS',
    'SHOULD',
    cite(REF11, notes('2.4')),
    'The second save-time request (documented for SCIM 1.1), GET /Groups?startIndex=1&count=100, answers a ListResponse',
    'After saving the configuration, Okta makes two requests to your SCIM server:',
  ],
  [
    'OKTA-CONTENT-JSON',
    'MAY',
    notes('2.2'),
    'Okta requests sent as application/json instead of application/scim+json are processed the same',
    'Add an option to send `application/json` instead, because some servers only handle one of the two.',
  ],
  // assign
  [
    'OKTA-ASSIGN-FILTER-EQ',
    'MUST',
    REF,
    'The existence check filter=userName eq "<login>" (startIndex=1&count=100) is supported: an unknown user gives an empty ListResponse or a 404 error',
    'Your SCIM server must support this query parameter to provision users with Okta successfully.',
  ],
  [
    'OKTA-ASSIGN-FILTER-CASE',
    'SHOULD',
    cite(TEST, notes('2.8')),
    'The existence check finds a user whose userName differs only in case',
    'The random username in all caps to test case sensitivity.',
  ],
  [
    'OKTA-ASSIGN-CREATE',
    'MUST',
    REF,
    'Create (password placeholder, externalId, groups []) answers 201 with the created User and its id; the User is stored active',
    "If the User object isn't found on the SCIM server, then Okta attempts to create it through a POST method request that contains the user's ... profile.",
  ],
  [
    'OKTA-ASSIGN-LINK',
    'SHOULD',
    cite(REF, notes('2.5')),
    'Assigning a user that already exists finds it by the filter, so Okta links to it and no second User is created',
    "If the SCIM server does return a User object, Okta automatically matches the result with the user in Okta and sends the user's ... profile to the SCIM server.",
  ],
  [
    'OKTA-ASSIGN-DUPLICATE-409',
    'SHOULD',
    REF,
    'A create for a userName that exists answers 409 with a SCIM error body, which stops the provisioning job',
    'If the User object that Okta tries to create exists in the Service Provider application, then the Service Provider needs to respond with an error schema to stop the provisioning job.',
  ],
  [
    'OKTA-ASSIGN-EMPTY-BODY',
    'SHOULD',
    REF,
    'Create returns the created User in the body (an empty body makes Okta mark the operation invalid: "Create new user returned empty user")',
    'If the SCIM server returns an empty response body to the provisioning request, then Okta marks the operation as invalid, and the Admin Console displays an error:',
  ],
  // profile updates
  [
    'OKTA-UPDATE-PUT',
    'SHOULD',
    REF,
    'Update User Attributes: GET then PUT of the fetched object (id, meta included) answers 200 and stores the change',
    'After the User object is retrieved from the SCIM server, Okta modifies the attributes that were changed and runs a PUT method request with the new body to the ... endpoint:',
  ],
  [
    'OKTA-PUT-KEEPS-ACTIVE',
    'SHOULD',
    cite(notes('1.6'), DELINEA),
    'A PUT that leaves out active does not deactivate the user',
    'Risk: a PUT that leaves out `active` can deactivate a user if the server defaults it to false',
  ],
  [
    'OKTA-UPDATE-PATCH-PROFILE',
    'SHOULD',
    cite(notes('2.3'), DELINEA),
    'A profile update sent as one no-path PATCH replace of the changed attributes is applied',
    'Third parties describe OIN templates as sending profile updates by PATCH (Delinea [3P]).',
  ],
  [
    'OKTA-USER-STILL-EXISTS',
    'SHOULD',
    REF,
    'GET /Users/{id} of a provisioned user answers 200 with the User',
    'Okta can also run a GET method request to check if a specific User object still exists on the SCIM server.',
  ],
  // deactivate, reactivate, password
  [
    'OKTA-DEACTIVATE-NOPATH',
    'SHOULD',
    REF,
    'Deactivate (OIN): PATCH replace with no path and value {"active":false} answers 200 or 204 and the user reads back active=false',
    'When a user is deactivated, Okta sends this request:',
  ],
  [
    'OKTA-DEACTIVATE-AIW-PUT',
    'SHOULD',
    REF,
    'Deactivate (AIW): PUT of the full User with active=false answers 200 and the user reads back active=false',
    'For any custom app integrations created using the AIW, this request is sent through a PUT method request.',
  ],
  [
    'OKTA-DEACTIVATE-KEEPS-USER',
    'SHOULD',
    cite(REF, notes('2.5')),
    'Okta never deletes users, so a deactivated user is kept: GET by id and the userName filter still return it',
    "Okta doesn't perform DELETE operations on User objects in your SCIM application.",
  ],
  [
    'OKTA-DEACTIVATE-APP-DISABLED',
    'MUST',
    cite(GUIDE, REF),
    'After Okta deactivates a user the application shows it as Disabled',
    'The User status will be “Disabled”.',
  ],
  [
    'OKTA-REACTIVATE-ACTIVE',
    'SHOULD',
    cite(REF, notes('2.4')),
    'Reactivate: a PATCH (OIN) or PUT (AIW) setting active true makes the user active again',
    'For new OIN app integrations, the following operations update a User object through a PATCH method request:',
  ],
  [
    'OKTA-SYNC-PASSWORD',
    'MAY',
    cite(REF, notes('2.4')),
    'Sync Password: a PATCH replace with no path and value {"password":...} (OIN) or a PUT (AIW) is accepted',
    'For new OIN app integrations, the following operations update a User object through a PATCH method request:',
  ],
  // group push
  [
    'OKTA-GROUP-PUSH-CREATE',
    'SHOULD',
    REF,
    'Push Groups: POST /Groups with members [] answers 201 with the Group and its id',
    'After the group is selected, Okta makes a POST method request to the Service Provider:',
  ],
  [
    'OKTA-GROUP-RENAME-WITH-ID',
    'SHOULD',
    cite(REF, notes('2.8')),
    'The no-path replace {id, displayName} Okta sends with every membership update is accepted, read-only id and all, and renames the group',
    "The group name update operation is triggered each time there's a group membership update operation.",
  ],
  [
    'OKTA-GROUP-MEMBERS-ADD',
    'SHOULD',
    cite(REF, notes('2.4')),
    'Members added as {value, display} without type or $ref are stored, and existing members are kept',
    'If these three requirements are met, Okta sends a request to add the specified users to the Group object on the SCIM server.',
  ],
  [
    'OKTA-GROUP-MEMBERS-REMOVE-FILTER',
    'SHOULD',
    cite(REF, notes('2.8')),
    'remove members[value eq "<id>"] removes exactly that member, in the same request as adds',
    'For all new OIN app integrations, a PATCH method request is used to update a Group object.',
  ],
  [
    'OKTA-GROUP-PUSH-FULL',
    'SHOULD',
    REF,
    'Push now: replace members with the full list leaves exactly that list',
    'This operation replaces all the group members with the supplied object values.',
  ],
  [
    'OKTA-GROUP-PUSH-EMPTY',
    'SHOULD',
    notes('2.4'),
    'Push now on an empty group: replace members with value [] empties the group',
    'Push now on an empty group sends `value: []`',
  ],
  [
    'OKTA-GROUP-PUSH-NOPATH-MEMBERS',
    'SHOULD',
    notes('2.4'),
    'The no-path replace {members: [...], id, displayName} is applied to the member list',
    'A no-path variant also occurs: `{"op":"replace","value":{"members":[],"id":"…","displayName":"…"}}`',
  ],
  [
    'OKTA-GROUP-AIW-PUT',
    'SHOULD',
    cite(REF, notes('2.4')),
    'AIW group push: PUT /Groups/{id} with the full member list (display may be null) sets exactly those members',
    'For custom app integrations created using the AIW, a PUT method request is used to update a Group object.',
  ],
  [
    'OKTA-GROUP-UNLINK-DELETE',
    'SHOULD',
    REF,
    'Unlink pushed group with "Delete the group in the target app": DELETE /Groups/{id} answers 204 and the group is gone',
    'When you select the Delete the group in the target app option and click Unlink, Okta sends a DELETE method request:',
  ],
  [
    'OKTA-GROUP-APP-REGIONS',
    'SHOULD',
    cite(GUIDE, REF, notes('2.5')),
    'Pushed memberships show in the application (a member is in the region, a removed member no longer)',
    'Removing a User via IdP: The user is deleted from the Users tab UI, and is removed from associated regions.',
  ],
  // import
  [
    'OKTA-IMPORT-PAGED',
    'MUST',
    REF,
    'Import pages /Users with count=100, startIndex advancing by 100 until totalResults: every user once, none missing',
    'Similarly, when returning large lists of resources, your SCIM implementation must support pagination.',
  ],
  // what Okta's reference documents and the simulator now sends (appended)
  [
    'OKTA-REASSIGN-FINDS-DEACTIVATED',
    'SHOULD',
    REF,
    'Assigning again a user Okta deactivated: the existence check filter=userName eq "<login>" returns the deactivated user, so Okta links to it instead of creating a second',
    'After you complete this step, whenever a user is assigned to the integration in Okta, the following requests are made against the SCIM server:',
  ],
  [
    'OKTA-GROUP-PUSH-LOOKUP',
    'SHOULD',
    cite(REF, 'RFC 7643 §8.7.1'),
    'Push Groups first sends GET /Groups?filter=displayName eq "<name>"&startIndex=1&count=100: an existing group of that name, also one differing only in case (displayName is caseExact false), is returned, so Okta links to it instead of creating a second',
    'Okta checks that the Group object exists on the SCIM server through a GET method request with the filter=displayName eq "${groupName}" path parameter.',
  ],
]);
