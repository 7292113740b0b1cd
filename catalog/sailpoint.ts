import { defineCatalog } from './schema.ts';

/**
 * What a SailPoint SCIM 2.0 connector (ISC source / IIQ application) needs from a server (idp-patterns.md §4).
 * SailPoint documents features, not wire formats, so most shapes are [INF]: the behaviour is MUST where the
 * feature is documented, MAY where only our inferred shape is at stake.
 */
export const SAILPOINT = defineCatalog('sailpoint', 'idp-compat', [
  // Test Connection and discovery (§4.3)
  ['SP-DISCOVERY-CONNECT', 'MUST', 'idp-patterns.md §4.3 [DOC SP-SAAS-PRE]', 'Test Connection: /ServiceProviderConfig, /ResourceTypes, /Schemas and GET /Users?startIndex=1&count=1 all answer 200'],
  ['SP-DISCOVERY-RESOURCETYPES', 'MUST', 'idp-patterns.md §4.3 [DOC SP-SAAS-PRE]', '/ResourceTypes/User and /ResourceTypes/Group answer the User and Group resource types'],
  ['SP-DISCOVER-SCHEMA', 'MUST', 'idp-patterns.md §4.3 Discover Schema [DOC SP-SAAS-PRE]', 'Discover Schema: /Schemas lists the core User and Group schemas and /ResourceTypes names the extension URNs'],
  ['SP-CONTENT-TYPE-ON-GET', 'MUST', 'idp-patterns.md §4.2 [DOC SP-IIQ-CFG]', 'GETs carrying the configured Content-Type application/scim+json are answered normally'],
  // aggregation (§4.4, §4.5)
  ['SP-AGG-PAGED', 'MUST', 'idp-patterns.md §4.4 Account Aggregation [DOC SP-ISC-AGG page size]', 'Account Aggregation pages /Users by startIndex/count until totalResults and reads every account exactly once'],
  ['SP-AGG-IDENTITY', 'MUST', 'idp-patterns.md §4.4 [DOC SP-ISC-TS "null identity"]', 'Every aggregated account carries its id and userName'],
  ['SP-AGG-FILTER', 'MUST', 'idp-patterns.md §4.4 [DOC SP-ISC-AGG Filter Condition]', 'The admin filter (userName sw "...") on aggregation selects exactly the matching accounts'],
  ['SP-AGG-ATTRIBUTES', 'MUST', 'idp-patterns.md §4.4 Explicit Attribute Request [DOC SP-ISC-AGG]', 'Aggregation with attributes=a,b returns those attributes (and id) only'],
  ['SP-AGG-GROUPS', 'MUST', 'idp-patterns.md §4.4 Entitlement Aggregation [DOC SP-ISC-FEAT]', 'Entitlement Aggregation pages /Groups, with the group filter displayName sw "...", and finds the groups'],
  ['SP-AGG-DELTA-LASTMODIFIED', 'MUST', 'idp-patterns.md §4.4 Delta Aggregation [DOC SP-ISC-AGG, SP-IIQ-FEAT]', 'Delta Aggregation by meta.lastModified gt "<last run>" returns the accounts changed since then and not the others'],
  ['SP-AGG-NO-PAGING', 'MAY', 'idp-patterns.md §4.5 [INF]', 'Aggregation with paging off (no count) answers a ListResponse of the accounts'],
  ['SP-AGG-USER-GROUPS', 'MUST', 'idp-patterns.md §4.6 [DOC SP-ISC-TS]', 'Aggregated accounts carry the groups attribute listing their entitlements'],
  ['SP-AGG-STABLE-IDS', 'MUST', 'idp-patterns.md §4.6 [DOC SP-ISC-TS]', 'Accounts keep the same id from one aggregation to the next'],
  // provisioning (§4.4 S1-S3)
  ['SP-CREATE-ACCOUNT', 'MUST', 'idp-patterns.md §4.4 Create Account S1 [DOC]', 'Create Account (core + enterprise, active true) answers 201 with an id and stores the attributes'],
  ['SP-UPDATE-PATCH', 'MUST', 'idp-patterns.md §4.4 Update Account S2 [DOC usePatch]', 'Update Account by PATCH, one replace per attribute (title, enterprise department), changes exactly those'],
  ['SP-UPDATE-PUT', 'MUST', 'idp-patterns.md §4.4 Update Account S2\' [DOC usePatch=false]', 'Update Account by PUT of the full account stores the new values and keeps the account active'],
  ['SP-DISABLE-ACCOUNT', 'MUST', 'idp-patterns.md §4.4 Disable Account S3 [DOC]', 'Disable Account (PATCH replace active false, or PUT) answers 200/204 and the account reads back active=false'],
  ['SP-ENABLE-ACCOUNT', 'MUST', 'idp-patterns.md §4.4 Enable Account S3 [DOC]', 'Enable Account sets active=true again'],
  ['SP-DISABLE-APP-DISABLED', 'MUST', 'idp-patterns.md §4.4; seed "The User status will be Disabled" [DOC]', 'After SailPoint disables an account the application shows the user as Disabled, and Active again after Enable'],
  ['SP-CHANGE-PASSWORD', 'MAY', 'idp-patterns.md §4.4 Change Password [INF]', 'Change Password as a replace on password is accepted and the password is never returned'],
  ['SP-DELETE-ACCOUNT', 'MUST', 'idp-patterns.md §4.4 Delete Account [DOC]', 'Delete Account: DELETE /Users/{id} answers 204 and the account is gone from lists and reads'],
  ['SP-DELETE-APP-ABSENT', 'MUST', 'idp-patterns.md §4.4; seed "deleted from the Users tab ... removed from associated regions" [DOC]', 'After Delete Account the user is gone from the application and from every region'],
  // entitlements (§4.4 S4/S5, §4.6)
  ['SP-ENTITLEMENT-ADD', 'MUST', 'idp-patterns.md §4.4 Add Entitlement S4 [DOC]', 'Add Entitlement: add members [{value}] on the Group makes the account a member'],
  ['SP-ENTITLEMENT-REMOVE', 'MUST', 'idp-patterns.md §4.4 Remove Entitlement S5 [DOC]', 'Remove Entitlement: remove members[value eq "<id>"] removes only that account'],
  ['SP-ENTITLEMENT-REMOVE-LEGACY', 'MAY', 'idp-patterns.md §4.4 S5 option [INF]', 'Remove Entitlement as a value list on members removes only the listed account'],
  ['SP-ENTITLEMENT-PARALLEL', 'MUST', 'idp-patterns.md §4.4, §4.6 [OBS Teleport #61511]', 'Parallel per-member Add Entitlement requests on one group all land: no membership is lost'],
  ['SP-ENTITLEMENT-VIA-USERS', 'MAY', 'idp-patterns.md §4.4 S4\'/S5\' [INF]', 'updateGroupsViaUsers: an add on the User\'s read-only groups is refused with 400 mutability or applied, never silently dropped'],
  ['SP-ENTITLEMENT-APP-REGIONS', 'MUST', 'idp-patterns.md §4.1 Entitlement; seed regions [DOC]', 'Entitlements show in the application as regions: added after Add, gone after Remove'],
  ['SP-GROUP-MANAGE', 'MUST', 'idp-patterns.md §4.4 IIQ account-group management [DOC SP-IIQ-FEAT]', 'Create and delete of a group (POST 201, DELETE 204) work as IIQ group management expects'],
]);
