import { defineCatalog } from './schema.ts';

/** SailPoint's connector pages, cited as `SailPoint: <page title> <url>`; quotes are their sentences word for word. */
const DOCS = 'https://documentation.sailpoint.com/connectors';
const PRE = `SailPoint: Prerequisites (SCIM 2.0 SaaS source) <${DOCS}/saas/scim_2_0/help/saas_connectivity/scim_2_0_saas/prerequisites.html>`;
const FEAT = `SailPoint: Supported Features (ISC SCIM 2.0) <${DOCS}/scim_2_0/help/integrating_scim2/supported_features.html>`;
const AGG = `SailPoint: Aggregation Settings (ISC SCIM 2.0) <${DOCS}/scim_2_0/help/integrating_scim2/aggregation_settings.html>`;
const TS = `SailPoint: Troubleshooting (ISC SCIM 2.0) <${DOCS}/scim_2_0/help/integrating_scim2/troubleshooting.html>`;
const IIQ_CFG = `SailPoint: Configuration Parameters (IdentityIQ SCIM 2.0) <${DOCS}/identityiq/scim_2_0/help/integrating_scim2/configuration_parameters.html>`;
const FORUM = 'SailPoint Developer Community: SCIM 2.0 API Questions <https://developer.sailpoint.com/discuss/t/scim-2-0-api-questions/5342>';
const GUIDE = 'docs/product-guide.md §SCIM Deprovisioning through the IdP';
const notes = (section: string) => `docs/idp-patterns.md §${section}`;
const cite = (...parts: string[]) => parts.join('; ');

/** SailPoint's list of what the SaaS source needs, shortened to the sentence naming the endpoints. */
const REQUIRED_ENDPOINTS =
  "The following prerequisites are required: ... SailPoint's SCIM 2.0 SaaS source requires the following endpoints with valid response for connector execution";
/** The feature list introduction: SailPoint names the features (provisioning, password management, groups), not their wire format. */
const FEATURES = 'Using this connector, you can manage any SCIM 2.0 compliant target system.';

/**
 * What a SailPoint SCIM 2.0 connector (ISC source / IIQ application) needs from a server. SailPoint documents
 * features and switches, not wire formats, and only its discovery prerequisites say "required": those are MUST,
 * a documented feature is SHOULD, and the request shapes the team inferred are MAY. The quote is a sentence of the
 * first citation.
 */
export const SAILPOINT = defineCatalog('sailpoint', 'idp-compat', [
  // Test Connection and discovery
  [
    'SP-DISCOVERY-CONNECT',
    'MUST',
    cite(PRE, notes('4.3')),
    'Test Connection: /ServiceProviderConfig, /ResourceTypes and /Schemas answer 200, and so does the read GET /Users?startIndex=1&count=1',
    REQUIRED_ENDPOINTS,
  ],
  ['SP-DISCOVERY-RESOURCETYPES', 'MUST', PRE, '/ResourceTypes/User and /ResourceTypes/Group answer the User and Group resource types', REQUIRED_ENDPOINTS],
  [
    'SP-DISCOVER-SCHEMA',
    'MUST',
    cite(PRE, notes('4.3')),
    'Discover Schema: /Schemas lists the core User and Group schemas and /ResourceTypes names the extension URNs',
    REQUIRED_ENDPOINTS,
  ],
  [
    'SP-CONTENT-TYPE-ON-GET',
    'SHOULD',
    IIQ_CFG,
    "GETs carrying the connector's default Content-Type application/scim+json are answered normally",
    'The HTTP Content-type header value to use for SCIM requests.',
  ],
  // aggregation
  [
    'SP-AGG-PAGED',
    'SHOULD',
    cite(FEAT, notes('4.5')),
    'Account Aggregation pages /Users by startIndex/count until totalResults and reads every account exactly once',
    FEATURES,
  ],
  [
    'SP-AGG-IDENTITY',
    'SHOULD',
    TS,
    'Every aggregated account carries its id and userName (else "ResourceObject is returned with null identity")',
    'Verify if the identity attribute is in the schema attribute else add the appropriate schema attribute name as identity attribute.',
  ],
  [
    'SP-AGG-FILTER',
    'SHOULD',
    AGG,
    'The admin filter (userName sw "...") on aggregation selects exactly the matching accounts',
    'Enter the Filter Condition For Accounts to aggregate the SCIM User resources.',
  ],
  [
    'SP-AGG-ATTRIBUTES',
    'SHOULD',
    AGG,
    'Aggregation with attributes=a,b returns those attributes (and id) only',
    'This option adds the requested schema attributes in the URL.',
  ],
  [
    'SP-AGG-GROUPS',
    'SHOULD',
    AGG,
    'Entitlement Aggregation pages /Groups, with the group filter displayName sw "...", and finds the groups',
    'Enter the Filter Condition For Groups to aggregate the SCIM Group resources.',
  ],
  [
    'SP-AGG-DELTA-LASTMODIFIED',
    'SHOULD',
    cite(AGG, notes('4.4')),
    'Delta Aggregation by meta.lastModified gt "<last run>" returns the accounts changed since then and not the others',
    'Delta Aggregation is applicable only for those SCIM 2.0 systems that support the lastModified attribute and filter for it.',
  ],
  [
    'SP-AGG-NO-PAGING',
    'MAY',
    notes('4.5'),
    'Aggregation with paging off (no count) answers a ListResponse of the accounts',
    'Documented for the SCIM 1.1 connector: a null value disables paging (SP-IIQ11-CFG).',
  ],
  [
    'SP-AGG-USER-GROUPS',
    'SHOULD',
    cite(TS, notes('4.6')),
    'Aggregated accounts carry the groups attribute listing their group memberships',
    'If the group endpoint is not available, then groups can be aggregated using the /User endpoint.',
  ],
  [
    'SP-AGG-STABLE-IDS',
    'MUST',
    cite('RFC 7643 §3.1', notes('4.6')),
    'Accounts keep the same id from one aggregation to the next',
    'It MUST be a stable, non-reassignable identifier that does not change when the same resource is returned in subsequent requests.',
  ],
  // provisioning
  [
    'SP-CREATE-ACCOUNT',
    'SHOULD',
    cite(FEAT, notes('4.4')),
    'Create Account (core + enterprise, active true) answers 201 with an id and stores the attributes',
    FEATURES,
  ],
  [
    'SP-UPDATE-PATCH',
    'SHOULD',
    cite(FORUM, notes('4.4')),
    'Update Account by PATCH, one replace per attribute (title, enterprise department), changes exactly those',
    'Whether the connector is supporting Replace or Update (Patch) depends on the configuration: see usePatch parameter (cf. Additional Settings)',
  ],
  [
    'SP-UPDATE-PUT',
    'SHOULD',
    cite(FORUM, notes('4.4')),
    'Update Account by PUT of the full account stores the new values and keeps the account active',
    'Whether the connector is supporting Replace or Update (Patch) depends on the configuration: see usePatch parameter (cf. Additional Settings)',
  ],
  [
    'SP-DISABLE-ACCOUNT',
    'SHOULD',
    cite(FEAT, notes('4.4')),
    'Disable Account (PATCH replace active false, or PUT) answers 200/204 and the account reads back active=false',
    FEATURES,
  ],
  ['SP-ENABLE-ACCOUNT', 'SHOULD', cite(FEAT, notes('4.4')), 'Enable Account sets active=true again', FEATURES],
  [
    'SP-DISABLE-APP-DISABLED',
    'MUST',
    cite(GUIDE, notes('4.4')),
    'After SailPoint disables an account the application shows the user as Disabled',
    'The User status will be “Disabled”.',
  ],
  ['SP-CHANGE-PASSWORD', 'MAY', cite(FEAT, notes('4.4')), 'Change Password as a replace on password is accepted', FEATURES],
  [
    'SP-DELETE-ACCOUNT',
    'SHOULD',
    cite(FEAT, notes('4.4')),
    'Delete Account: DELETE /Users/{id} answers 204 and the account is gone from lists and reads',
    FEATURES,
  ],
  [
    'SP-DELETE-APP-ABSENT',
    'MUST',
    cite(GUIDE, notes('4.4')),
    'After Delete Account the user is gone from the application and from every region',
    'Removing a User via IdP: The user is deleted from the Users tab UI, and is removed from associated regions.',
  ],
  // entitlements
  ['SP-ENTITLEMENT-ADD', 'SHOULD', cite(FEAT, notes('4.4')), 'Add Entitlement: add members [{value}] on the Group makes the account a member', FEATURES],
  ['SP-ENTITLEMENT-REMOVE', 'SHOULD', cite(FEAT, notes('4.4')), 'Remove Entitlement: remove members[value eq "<id>"] removes only that account', FEATURES],
  [
    'SP-ENTITLEMENT-REMOVE-LEGACY',
    'MAY',
    notes('4.4'),
    'Remove Entitlement as a value list on members removes only the listed account',
    'Simulator option: legacy value-list form.',
  ],
  [
    'SP-ENTITLEMENT-PARALLEL',
    'SHOULD',
    cite(notes('4.6'), 'GitHub: gravitational/teleport issue 61511 <https://github.com/gravitational/teleport/issues/61511>'),
    'Parallel per-member Add Entitlement requests on one group all land: no membership is lost',
    'Entitlement add/remove bursts of parallel per-member requests.',
  ],
  [
    'SP-ENTITLEMENT-VIA-USERS',
    'MAY',
    cite(FORUM, notes('4.4')),
    "updateGroupsViaUsers: an add on the User's read-only groups is refused with 400 mutability or applied, never silently dropped",
    'The SCIM 2.0 source now supports modification of groups’ information through the Users endpoint.',
  ],
  [
    'SP-ENTITLEMENT-APP-REGIONS',
    'SHOULD',
    cite(GUIDE, notes('4.1')),
    'Entitlements show in the application as regions: added after Add, gone after Remove',
    'Removing a User via IdP: The user is deleted from the Users tab UI, and is removed from associated regions.',
  ],
  [
    'SP-GROUP-MANAGE',
    'SHOULD',
    cite(FEAT, notes('4.4')),
    'Create and delete of a group (POST 201, DELETE 204) work as account-group management expects',
    FEATURES,
  ],
  // what SailPoint documents and the simulator now sends (appended)
  [
    'SP-DISCOVERY-SCHEMA-USER',
    'SHOULD',
    cite(PRE, 'RFC 7644 §4'),
    "The connector's read of /Schemas/urn:ietf:params:scim:schemas:core:2.0:User when it connects answers 200 with the core User schema",
    'These endpoints should be defined as per the following RFC’s:',
  ],
  [
    'SP-AGG-DELTA-SERVER-TIMEZONE',
    'SHOULD',
    cite(AGG, 'RFC 7643 §2.3.5'),
    'Delta Aggregation with its bound written in the configured server time zone (meta.lastModified gt "<local time>+01:00") returns the accounts changed since the last aggregation and not the others',
    'This timezone is used for performing delta aggregation.',
  ],
]);
