import { defineCatalog } from './schema.ts';

// Sentences the quotes share. Filtering, sorting, PATCH, Bulk and ETags are optional server features
// (RFC 7644 §3.4.2.2, §3.4.2.3, §3.5.2, §3.7, §3.14): their checks apply where ServiceProviderConfig says supported.
const REFLECT_STATE = 'SCIM responses SHALL reflect resource state as interpreted by the SCIM service provider.';
const CREATED_201 =
  "When the service provider successfully creates the new resource, an HTTP response SHALL be returned with HTTP status code 201 (Created). The response body SHOULD contain the service provider's representation of the newly created resource.";
const ERROR_JSON =
  'In addition to returning an HTTP response code, implementers MUST return the errors in the body of the response in a JSON format, using the attributes described below.';
const STATUS_CODES_404 =
  'Implementers SHOULD handle the identified HTTP status codes as described below. ... 404 (Not ... Specified resource (e.g., User) ... or endpoint does not exist.';
const STATUS_CODES_400 =
  'Implementers SHOULD handle the identified HTTP status codes as described below. ... 400 (Bad ... Request is unparsable, ... syntactically incorrect, or ... violates schema.';
const LIST_RESPONSE = 'Responses MUST be identified using the following URI: "urn:ietf:params:scim:api:messages:2.0:ListResponse".';
const PUT_REPLACES = 'readWrite, writeOnly Any values provided SHALL replace the existing attribute values.';
const DELETED_404 =
  'Service providers MAY choose not to permanently delete the resource but MUST return a 404 (Not Found) error code for all operations associated with the previously deleted resource.';
const DELETE_204 = `${DELETED_404} ... In response to a successful DELETE, the server SHALL return a successful HTTP status code 204 (No Content).`;
const USERNAME_UNIQUE = "This identifier MUST be unique across the service provider's entire set of Users. This attribute is REQUIRED and is case insensitive.";
const FILTER_MATCH = 'When specified, only those resources matching the filter expression SHALL be returned.';
const CASE_BY_CASEEXACT =
  'When comparing attributes of type String, the case sensitivity for String type attributes SHALL be determined by the attribute\'s "caseExact" characteristic (see Section 2.2 of [RFC7643]).';
const FILTER_ABNF = 'SCIM filters MUST conform to the following ABNF [RFC5234] rules as specified below:';
const ATTRNAME_CASE = 'Attribute names and attribute operators used in filters are case insensitive.';
const SORT_BY = 'sortBy The "sortBy" parameter specifies the attribute whose value SHALL be used to order the returned responses.';
const SORT_ORDER =
  '"sortOrder" MUST sort according to the attribute type; i.e., for case-insensitive attributes, sort the result using case-insensitive Unicode alphabetic sort order with no specific locale implied, and for case-exact attribute types, sort the result using case-sensitive Unicode alphabetic sort order.';
const ATTRIBUTES_PARAM =
  'attributes When specified, the default list of attributes SHALL be overridden, and each resource returned MUST contain the minimum set of resource attributes and any attributes or sub-attributes explicitly requested by the "attributes" parameter.';
const EXCLUDED_PARAM =
  'excludedAttributes When specified, each resource returned MUST contain the minimum set of resource attributes. Additionally, the default set of attributes minus those attributes listed in "excludedAttributes" is returned.';
const IF_MATCH_FALSE =
  'An origin server MUST NOT perform the requested method if a received If-Match condition evaluates to false; instead, the origin server MUST respond with either a) the 412 (Precondition Failed) status code or b) one of the 2xx (Successful) status codes if the origin server has verified that a state change is being requested and the final state is already reflected in the current state of the target resource';
const BULK_MAX =
  'If either limit is exceeded, the service provider MUST return HTTP response code 413 (Payload Too Large). The returned response MUST specify the limit exceeded in the body of the error response.';
const SEARCH_RESPONSE = 'After receiving an HTTP POST request, a response is returned as specified in Section 3.4.2.';
const ADD_SINGLE = 'If the target location specifies a single-valued attribute, the existing value is replaced.';
const ADD_MULTI = 'If the target location specifies a multi-valued attribute, a new value is added to the attribute.';
const REPLACE_SINGLE = 'If the target location is a single-value attribute, the attributes value is replaced.';
const REQUEST_FAILS = 'If a request fails, the server SHALL return an HTTP response status code and a JSON detail error response as defined in Section 3.12.';
const PATCH_ATOMIC =
  'A PATCH request, regardless of the number of operations, SHALL be treated as atomic. If a single operation encounters an error condition, the original SCIM resource MUST be restored, and a failure status SHALL be returned.';

/** RFC 7643 / RFC 7644 requirements every SCIM 2.0 service provider is held to. */
export const RFC = defineCatalog('rfc', 'rfc', [
  // discovery (RFC 7644 §4, RFC 7643 §5-7)
  [
    'RFC-DISCOVERY-SPC-GET',
    'MUST',
    'RFC 7644 §4',
    'GET /ServiceProviderConfig returns a JSON object with the ServiceProviderConfig schema URN, not a ListResponse',
    'This endpoint SHALL return responses with a JSON object using a "schemas" attribute of "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig".',
  ],
  [
    'RFC-DISCOVERY-SPC-FIELDS',
    'MUST',
    'RFC 7643 §5',
    'ServiceProviderConfig states patch, bulk, filter, changePassword, sort, etag and authenticationSchemes',
    'patch A complex type that specifies PATCH configuration options. REQUIRED. ... authenticationSchemes A multi-valued complex type that specifies supported authentication scheme properties.',
  ],
  [
    'RFC-DISCOVERY-RESOURCETYPES-LIST',
    'MUST',
    'RFC 7644 §4',
    'GET /ResourceTypes answers its resource types (User, and Group where served) in ListResponse form',
    'When returning multiple ResourceTypes or Schemas, the message form described by the "urn:ietf:params:scim:api:messages:2.0:ListResponse" (ListResponse) form SHALL be used as shown in Figure 3 and in Figure 9 below.',
  ],
  [
    'RFC-DISCOVERY-RESOURCETYPES-GET',
    'SHOULD',
    'RFC 7644 §4',
    'GET /ResourceTypes/{name} returns that single resource type as a JSON object',
    'In cases where a request is for a specific "ResourceType" or "Schema", the single JSON object is returned in the same way that a single User or Group is retrieved, as per Section 3.4.1.',
  ],
  [
    'RFC-DISCOVERY-RESOURCETYPE-ENDPOINTS',
    'MUST',
    'RFC 7643 §6',
    'Resource types name their endpoint (/Users, /Groups) and their base schema URN',
    'endpoint The resource type\'s HTTP-addressable endpoint relative to the Base URL of the service provider, e.g., "Users". REQUIRED. schema The resource type\'s primary/base schema URI, e.g., "urn:ietf:params:scim:schemas:core:2.0:User".',
  ],
  [
    'RFC-DISCOVERY-SCHEMAS-LIST',
    'MUST',
    'RFC 7644 §4',
    'GET /Schemas returns every supported schema, the User and Group schemas among them, in ListResponse form',
    'An HTTP GET to the endpoint "/Schemas" SHALL return all supported schemas in ListResponse format (see Figure 3).',
  ],
  [
    'RFC-DISCOVERY-SCHEMAS-GET',
    'SHOULD',
    'RFC 7644 §4',
    'GET /Schemas/{urn} returns that single schema',
    'Individual schema definitions can be returned by appending the schema URI to the /Schemas endpoint.',
  ],
  [
    'RFC-DISCOVERY-SCHEMAS-ATTRIBUTES',
    'MUST',
    'RFC 7643 §7',
    'Schema attributes declare name, type, multiValued, required, caseExact, mutability, returned and uniqueness',
    'Unlike other core resources, the "Schema" resource MAY contain a complex object within a sub-attribute, and all attributes are REQUIRED unless otherwise specified.',
  ],
  [
    'RFC-DISCOVERY-USERNAME-CASEEXACT',
    'MUST',
    'RFC 7643 §4.1.1',
    'The User schema declares userName caseExact=false and unique (uniqueness server or global)',
    USERNAME_UNIQUE,
  ],
  // media types and encoding (RFC 7644 §3.8, §8.1)
  [
    'RFC-CONTENT-RESPONSE-TYPE',
    'SHOULD',
    'RFC 7644 §8.1',
    'Responses with a body use the application/scim+json media type',
    'Applications intending to use the SCIM protocol SHOULD use the "application/scim+json" media type.',
  ],
  [
    'RFC-CONTENT-ACCEPT-JSON',
    'SHOULD',
    'RFC 7644 §3.8',
    'A request with Accept: application/json is answered with JSON like one with Accept: application/scim+json',
    'Service providers MUST support the "Accept" header "Accept: application/scim+json" and SHOULD support the header "Accept: application/json", both of which specify JSON documents conforming to [RFC7159].',
  ],
  [
    'RFC-CONTENT-CHARSET',
    'MUST',
    'RFC 7644 §3.8',
    'A UTF-8 request body is accepted, also when its media type carries charset=utf-8',
    'Servers MUST accept requests and be able to return JSON-structured responses using UTF-8 encoding [RFC3629].',
  ],
  [
    'RFC-CONTENT-UTF8',
    'MUST',
    'RFC 7644 §3.8',
    'A UTF-8 request with non-ASCII characters is accepted and the values come back UTF-8 encoded',
    'Servers MUST accept requests and be able to return JSON-structured responses using UTF-8 encoding [RFC3629]. UTF-8 SHALL be the default encoding format.',
  ],
  // Users (RFC 7644 §3.3-3.6, RFC 7643 §3.1, §4.1)
  ['RFC-USER-CREATE-201', 'MUST', 'RFC 7644 §3.3', 'POST /Users answers 201 Created; the body should be the created User', CREATED_201],
  [
    'RFC-USER-CREATE-LOCATION',
    'MUST',
    'RFC 7644 §3.3',
    'A created User comes with a Location header and a meta.location, both the URI of the new User',
    'The URI of the created resource SHALL include, in the HTTP "Location" header and the HTTP body, a JSON representation [RFC7159] with the attribute "meta.location".',
  ],
  [
    'RFC-USER-CREATE-META',
    'MUST',
    'RFC 7643 §3.1',
    'A created User carries meta.resourceType, meta.created, meta.lastModified and meta.location',
    'When accepted by a service provider (e.g., after a SCIM create), the attributes "id" and "meta" (and its associated sub-attributes) MUST be assigned values by the service provider.',
  ],
  [
    'RFC-USER-CREATE-ID',
    'MUST',
    'RFC 7643 §3.1',
    'The service provider assigns a unique id; an id sent by the client is not used',
    'This identifier MUST be unique across the SCIM service provider\'s entire set of resources. ... The value of the "id" attribute is always issued by the service provider and MUST NOT be specified by the client.',
  ],
  [
    'RFC-USER-CREATE-READONLY-IGNORED',
    'MUST',
    'RFC 7644 §3.3',
    'readOnly attributes (meta, groups) in a POST body are ignored',
    'In the request body, attributes whose mutability is "readOnly" (see Sections 2.2 and 7 of [RFC7643]) SHALL be ignored.',
  ],
  [
    'RFC-USER-CREATE-UNIQUENESS',
    'MUST',
    'RFC 7644 §3.3',
    'Creating a User with an existing userName answers 409 with scimType uniqueness',
    'If the service provider determines that the creation of the requested resource conflicts with existing resources (e.g., a "User" resource with a duplicate "userName"), the service provider MUST return HTTP status code 409 (Conflict) with a "scimType" error code of "uniqueness", as per Section 3.12.',
  ],
  [
    'RFC-USER-CREATE-UNIQUENESS-CASE',
    'MUST',
    'RFC 7643 §4.1.1; RFC 7644 §3.3',
    'A userName differing only in case from an existing one is refused as a duplicate (userName is unique and case insensitive)',
    USERNAME_UNIQUE,
  ],
  [
    'RFC-USER-CREATE-REQUIRED',
    'MUST',
    'RFC 7643 §4.1.1; RFC 7644 §3.12, Table 9',
    'A User without the required userName is refused: no User is created',
    'Each User MUST include a non-empty userName value.',
  ],
  ['RFC-USER-CREATE-TYPE', 'SHOULD', 'RFC 7644 §3.12, Table 8', 'A value of the wrong type (a number for active) is refused with 400', STATUS_CODES_400],
  ['RFC-USER-GET', 'MUST', 'RFC 7644 §3.1; RFC 7644 §3.4.1', 'GET /Users/{id} returns the stored User', REFLECT_STATE],
  ['RFC-USER-GET-NOTFOUND', 'SHOULD', 'RFC 7644 §3.12, Table 8', 'GET of an unknown User id answers 404 with a SCIM error body', STATUS_CODES_404],
  ['RFC-USER-LIST', 'MUST', 'RFC 7644 §3.4.2', 'GET /Users answers a ListResponse of Users', LIST_RESPONSE],
  ['RFC-USER-PUT-REPLACE', 'MUST', 'RFC 7644 §3.5.1', 'PUT /Users/{id} replaces the readWrite attributes with the values provided', PUT_REPLACES],
  [
    'RFC-USER-PUT-NOTFOUND',
    'MUST',
    'RFC 7644 §3.5.1',
    'PUT of an unknown id creates no resource',
    'Because SCIM resource identifiers are assigned by the service provider, HTTP PUT MUST NOT be used to create new resources.',
  ],
  [
    'RFC-USER-PUT-ID-IGNORED',
    'MUST',
    'RFC 7644 §3.5.1',
    'id and meta (readOnly) in a PUT body are ignored: the resource keeps its id and its own metadata',
    'readOnly Any values provided SHALL be ignored.',
  ],
  [
    'RFC-USER-PUT-UNIQUENESS',
    'MUST',
    'RFC 7643 §4.1.1; RFC 7644 §3.12, Table 9',
    "PUT giving a User another User's userName is refused and not stored",
    USERNAME_UNIQUE,
  ],
  [
    'RFC-USER-ACTIVE',
    'SHOULD',
    'RFC 7643 §4.1.1',
    'active=false is stored and returned as the boolean false',
    "active A Boolean value indicating the user's administrative status.",
  ],
  ['RFC-USER-DELETE-204', 'MUST', 'RFC 7644 §3.6', 'DELETE /Users/{id} answers 204 and the User is then 404', DELETE_204],
  ['RFC-USER-DELETE-NOTFOUND', 'MUST', 'RFC 7644 §3.6', 'DELETE of an already deleted User answers 404', DELETED_404],
  [
    'RFC-USER-GROUPS-READONLY',
    'MUST',
    'RFC 7643 §4.1.2',
    "Writing a User's groups attribute does not change its memberships: they change through the Group",
    'Since this attribute has a mutability of "readOnly", group membership changes MUST be applied via the "Group" Resource (Section 4.2).',
  ],
  [
    'RFC-USER-ENTERPRISE',
    'MUST',
    'RFC 7643 §3.3; RFC 7643 §4.3',
    'Where the enterprise extension is offered, its attributes round-trip under their schema URN',
    'Except for the base object schema, the schema extension URI SHALL be used as a JSON container to distinguish attributes belonging to the extension namespace from base schema attributes.',
  ],
  [
    'RFC-USER-LASTMODIFIED',
    'MUST',
    'RFC 7643 §3.1',
    'meta.lastModified is the time of the latest change (equal to meta.created before any); meta.created does not change',
    'lastModified The most recent DateTime that the details of this resource were updated at the service provider. If this resource has never been modified since its initial creation, the value MUST be the same as the value of "created".',
  ],
  // Groups (RFC 7643 §4.2)
  ['RFC-GROUP-CREATE-201', 'MUST', 'RFC 7644 §3.3', 'POST /Groups answers 201 Created; the body should be the created Group', CREATED_201],
  ['RFC-GROUP-CREATE-MEMBERS', 'SHOULD', 'RFC 7643 §4.2', 'A Group created with members stores those members', 'members A list of members of the Group.'],
  ['RFC-GROUP-GET', 'MUST', 'RFC 7644 §3.1; RFC 7644 §3.4.1', 'GET /Groups/{id} returns the stored Group', REFLECT_STATE],
  ['RFC-GROUP-GET-NOTFOUND', 'SHOULD', 'RFC 7644 §3.12, Table 8', 'GET of an unknown Group id answers 404 with a SCIM error body', STATUS_CODES_404],
  ['RFC-GROUP-LIST', 'MUST', 'RFC 7644 §3.4.2', 'GET /Groups answers a ListResponse of Groups', LIST_RESPONSE],
  ['RFC-GROUP-PUT-REPLACE', 'MUST', 'RFC 7644 §3.5.1', 'PUT /Groups/{id} replaces displayName and the member list with the values provided', PUT_REPLACES],
  ['RFC-GROUP-DELETE-204', 'MUST', 'RFC 7644 §3.6', 'DELETE /Groups/{id} answers 204 and the Group is then 404', DELETE_204],
  [
    'RFC-GROUP-MEMBER-REF',
    'MAY',
    'RFC 7643 §2.3.7; RFC 7643 §4.2',
    'Group members may carry the member $ref (OPTIONAL) beside the member id in value',
    'By convention, a reference is commonly represented as a "$ref" sub-attribute in complex or multi-valued attributes; however, this is OPTIONAL.',
  ],
  [
    'RFC-GROUP-DELETED-MEMBER',
    'MAY',
    'RFC 7643 §2.3.7',
    "A deleted User may disappear from the members of every Group (referential integrity is the provider's choice)",
    'A SCIM service provider MAY choose to enforce referential integrity for reference types referring to SCIM resources.',
  ],
  // filtering (RFC 7644 §3.4.2.2)
  [
    'RFC-FILTER-EQ',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 3',
    'Filter operator eq matches equal values',
    `${FILTER_MATCH} ... The attribute and operator values must be identical for a match.`,
  ],
  [
    'RFC-FILTER-NE',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 3',
    'Filter operator ne matches values that are not equal',
    `${FILTER_MATCH} ... The attribute and operator values are not identical.`,
  ],
  [
    'RFC-FILTER-CO',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 3',
    'Filter operator co matches values containing the substring',
    `${FILTER_MATCH} ... The entire operator value must be a substring of the attribute value for a match.`,
  ],
  [
    'RFC-FILTER-SW',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 3',
    'Filter operator sw matches values starting with the prefix',
    `${FILTER_MATCH} ... The entire operator value must be a substring of the attribute value, starting at the beginning of the attribute value.`,
  ],
  [
    'RFC-FILTER-EW',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 3',
    'Filter operator ew matches values ending with the suffix',
    `${FILTER_MATCH} ... The entire operator value must be a substring of the attribute value, matching at the end of the attribute value.`,
  ],
  [
    'RFC-FILTER-PR',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 3',
    'Filter operator pr matches resources where the attribute has a value',
    `${FILTER_MATCH} ... If the attribute has a non-empty or ... non-null value, or if it contains a non-empty node for complex attributes, there is a match.`,
  ],
  [
    'RFC-FILTER-GT',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 3',
    'Filter operator gt compares strictly greater',
    `${FILTER_MATCH} ... If the attribute value is greater than ... the operator value, there is a match.`,
  ],
  [
    'RFC-FILTER-GE',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 3',
    'Filter operator ge compares greater or equal',
    `${FILTER_MATCH} ... If the attribute value is greater than ... or equal to the operator value, there is ... a match.`,
  ],
  [
    'RFC-FILTER-LT',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 3',
    'Filter operator lt compares strictly less',
    `${FILTER_MATCH} ... If the attribute value is less than the operator value, there is a match.`,
  ],
  [
    'RFC-FILTER-LE',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 3',
    'Filter operator le compares less or equal',
    `${FILTER_MATCH} ... If the attribute value is less than or ... equal to the operator value, there is a match.`,
  ],
  [
    'RFC-FILTER-AND',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 4',
    'Logical and requires both expressions to match',
    `${FILTER_MATCH} ... The filter is only a match if both ... expressions evaluate to true.`,
  ],
  [
    'RFC-FILTER-OR',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 4',
    'Logical or matches either expression',
    `${FILTER_MATCH} ... The filter is a match if either ... expression evaluates to true.`,
  ],
  [
    'RFC-FILTER-NOT',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 4',
    'not ( ... ) inverts the enclosed expression',
    `${FILTER_MATCH} ... The filter is a match if the expression ... evaluates to false.`,
  ],
  [
    'RFC-FILTER-GROUPING',
    'MUST',
    'RFC 7644 §3.4.2.2',
    'Parentheses group expressions, not binds tighter than and, and and tighter than or',
    'Filters MUST be evaluated using the following order of operations, in order of precedence: 1. Grouping operators 2. Logical operators - where "not" takes precedence over "and", which takes precedence over "or"',
  ],
  [
    'RFC-FILTER-EQ-CASEINSENSITIVE',
    'MUST',
    'RFC 7644 §3.4.2.2; RFC 7643 §4.1.1',
    'userName eq compares case-insensitively because userName is caseExact=false',
    CASE_BY_CASEEXACT,
  ],
  ['RFC-FILTER-CASEEXACT', 'MUST', 'RFC 7644 §3.4.2.2; RFC 7643 §3.1', 'A caseExact attribute (externalId) compares case-sensitively', CASE_BY_CASEEXACT],
  ['RFC-FILTER-OPERATOR-CASE', 'SHOULD', 'RFC 7644 §3.4.2.2', 'Filter operators are case-insensitive (EQ, Sw)', ATTRNAME_CASE],
  ['RFC-FILTER-ATTRNAME-CASE', 'SHOULD', 'RFC 7644 §3.4.2.2', 'Attribute names in filters are case-insensitive', ATTRNAME_CASE],
  [
    'RFC-FILTER-SUBATTR',
    'MUST',
    'RFC 7644 §3.4.2.2',
    'A sub-attribute path (name.familyName) can be filtered',
    'For complex attributes, a fully qualified sub-attribute MUST be specified using standard attribute notation (Section 3.10). For example, to filter by userName, the parameter value is "userName". To filter by first name, the parameter value is "name.givenName".',
  ],
  [
    'RFC-FILTER-MULTIVALUED',
    'MUST',
    'RFC 7644 §3.4.2.2',
    'A multi-valued sub-attribute (emails.value) matches when any value matches',
    `${FILTER_MATCH} ... If the specified attribute in a filter expression is a multi-valued attribute, the filter matches if any of the values of the specified attribute match the specified criterion`,
  ],
  [
    'RFC-FILTER-VALUEPATH',
    'MAY',
    'RFC 7644 §3.4.2.2, Table 5',
    'Where value path filters are supported, emails[type eq "work" and value co "@"] matches within one element',
    'Service providers MAY support complex ... filters where expressions MUST be ... applied to the same value of a parent ... attribute specified immediately before',
  ],
  [
    'RFC-FILTER-URN',
    'MUST',
    'RFC 7644 §3.4.2.2',
    'Attributes can be named by their full schema URN in filters',
    `${FILTER_ABNF} ... attrPath = [URI ":"] ATTRNAME *1subAttr`,
  ],
  [
    'RFC-FILTER-DATETIME',
    'MUST',
    'RFC 7644 §3.4.2.2, Table 3',
    'dateTime attributes (meta.lastModified) compare chronologically with gt',
    `${FILTER_MATCH} ... For string attribute types, this is a lexicographical comparison, and for DateTime types, it is a chronological comparison.`,
  ],
  [
    'RFC-FILTER-BOOLEAN',
    'MUST',
    'RFC 7644 §3.4.2.2',
    'Boolean literals true and false filter boolean attributes (active eq false)',
    `${FILTER_ABNF} ... compValue = false / null / true / number / string`,
  ],
  ['RFC-FILTER-EXTERNALID', 'MUST', 'RFC 7644 §3.4.2.2; RFC 7643 §3.1', 'externalId eq returns the User with that externalId and no other', FILTER_MATCH],
  ['RFC-FILTER-GROUP-DISPLAYNAME', 'MUST', 'RFC 7644 §3.4.2.2', 'displayName eq returns the Group with that displayName and no other', FILTER_MATCH],
  ['RFC-FILTER-GROUP-MEMBERS', 'MUST', 'RFC 7644 §3.4.2.2', 'members.value eq a member id returns the Groups holding that member and no other', FILTER_MATCH],
  [
    'RFC-FILTER-NOMATCH',
    'MUST',
    'RFC 7644 §3.4.2',
    'A filter matching nothing answers 200 with totalResults 0, never 404',
    'A query that does not return any matches SHALL return success (HTTP status code 200) with "totalResults" set to a value of 0.',
  ],
  [
    'RFC-FILTER-INVALID',
    'MUST',
    'RFC 7644 §3.4.2.2',
    'A filter whose operator is not recognised answers 400 with scimType invalidFilter',
    'Providers MUST decline to filter results if the specified filter operation is not recognized and return an HTTP 400 error with a "scimType" error of "invalidFilter" and an appropriate human-readable response as per Section 3.12.',
  ],
  [
    'RFC-FILTER-PLUS-SPACE',
    'MAY',
    'RFC 7644 §1.2',
    'A filter whose spaces are encoded as + is read like one encoded with %20',
    'For purposes of readability, examples are not URL encoded.',
  ],
  // paging and list responses (RFC 7644 §3.4.2, §3.4.2.4)
  [
    'RFC-LIST-SCHEMA',
    'MUST',
    'RFC 7644 §3.4.2',
    'List responses carry the ListResponse schema and totalResults, and a Resources array when totalResults is not 0',
    `${LIST_RESPONSE} ... totalResults The total number of results returned by the list or query operation. ... REQUIRED. Resources A multi-valued list of complex objects containing the requested resources. ... REQUIRED if "totalResults" is non-zero.`,
  ],
  [
    'RFC-PAGE-NUMBERS',
    'SHOULD',
    'RFC 7644 §3.4.2.4, Table 7',
    'totalResults, startIndex and itemsPerPage are JSON numbers',
    'itemsPerPage Non-negative integer. Specifies the number of query results returned in a query response page, e.g., 10. totalResults Non-negative integer.',
  ],
  [
    'RFC-PAGE-STARTINDEX-COUNT',
    'MUST',
    'RFC 7644 §3.4.2.4, Table 6',
    'startIndex (1-based) and count select the page: at most count resources, from the startIndex-th on',
    'None. When specified, ... the service provider ... MUST NOT return more ... results than specified, ... although it MAY return ... fewer results.',
  ],
  [
    'RFC-PAGE-ITEMSPERPAGE',
    'SHOULD',
    'RFC 7644 §3.4.2.4, Table 7',
    'itemsPerPage equals the number of Resources in the page',
    'itemsPerPage Non-negative integer. Specifies the number of query results returned in a query response page',
  ],
  [
    'RFC-PAGE-COUNT-ZERO',
    'MUST',
    'RFC 7644 §3.4.2.4, Table 6',
    'count=0 returns totalResults and no resources',
    'MUST NOT return more ... results than specified, ... A value of "0" ... indicates that no resource ... results are to be returned ... except for "totalResults".',
  ],
  [
    'RFC-PAGE-STARTINDEX-LOW',
    'MUST',
    'RFC 7644 §3.4.2.4, Table 6',
    'A startIndex below 1 is interpreted as 1',
    'The 1-based index of the ... first query result. A value less than 1 SHALL be interpreted as 1.',
  ],
  [
    'RFC-PAGE-COUNT-NEGATIVE',
    'MUST',
    'RFC 7644 §3.4.2.4, Table 6',
    'A negative count is interpreted as 0',
    'A negative value ... SHALL be interpreted as ... "0".',
  ],
  [
    'RFC-PAGE-MAXRESULTS',
    'SHOULD',
    'RFC 7643 §5',
    'A page never holds more than the advertised filter.maxResults',
    'maxResults An integer value specifying the maximum number of resources returned in a response.',
  ],
  [
    'RFC-PAGE-STABLE',
    'SHOULD',
    'RFC 7644 §3.4.2.4',
    'Walking the pages of a result set that does not change returns every matching resource exactly once',
    'Pagination parameters can be used together to "page through" large numbers of resources so as not to overwhelm the client or service provider.',
  ],
  // sorting (RFC 7644 §3.4.2.3)
  [
    'RFC-SORT-ASCENDING',
    'MUST',
    'RFC 7644 §3.4.2.3',
    'Where sort is supported, sortBy=userName&sortOrder=ascending orders results ascending, case-insensitively',
    `${SORT_BY} ... ${SORT_ORDER}`,
  ],
  [
    'RFC-SORT-DESCENDING',
    'MUST',
    'RFC 7644 §3.4.2.3',
    'Where sort is supported, sortOrder=descending orders results descending',
    `${SORT_BY} ... ${SORT_ORDER}`,
  ],
  [
    'RFC-SORT-DEFAULT',
    'MUST',
    'RFC 7644 §3.4.2.3',
    'Where sort is supported, sortBy without sortOrder sorts ascending',
    'If a value for "sortBy" is provided and no "sortOrder" is specified, "sortOrder" SHALL default to ascending.',
  ],
  [
    'RFC-SORT-SUBATTR',
    'MUST',
    'RFC 7644 §3.4.2.3',
    'Where sort is supported, sortBy accepts a sub-attribute path (name.familyName)',
    `${SORT_BY} ... If the attribute is complex, the attribute name must be a path to a sub-attribute in standard attribute notation (Section 3.10), e.g., "sortBy=name.givenName".`,
  ],
  // attribute projection (RFC 7644 §3.4.2.5, §3.9)
  [
    'RFC-PROJECTION-ATTRIBUTES',
    'MUST',
    'RFC 7644 §3.4.2.5; RFC 7644 §3.9',
    'attributes=userName returns userName plus the attributes returned "always", and no other',
    `SCIM clients MAY use one of these two OPTIONAL parameters, which MUST be supported by SCIM service providers: ... ${ATTRIBUTES_PARAM}`,
  ],
  ['RFC-PROJECTION-EXCLUDED', 'MUST', 'RFC 7644 §3.9', 'excludedAttributes=emails omits emails and keeps the rest', EXCLUDED_PARAM],
  [
    'RFC-PROJECTION-ALWAYS',
    'MUST',
    'RFC 7644 §3.4.2.5; RFC 7643 §7',
    'Attributes returned "always" (id) come back even when excluded or not requested',
    'This parameter SHALL have no effect on attributes whose schema "returned" setting is "always" (see Sections 2.2 and 7 of [RFC7643]).',
  ],
  ['RFC-PROJECTION-SUBATTR', 'MUST', 'RFC 7644 §3.9', 'attributes=name.givenName returns that sub-attribute of name and no other', ATTRIBUTES_PARAM],
  ['RFC-PROJECTION-LIST', 'MUST', 'RFC 7644 §3.9', 'attributes and excludedAttributes apply to every resource of a list response', ATTRIBUTES_PARAM],
  ['RFC-PROJECTION-GROUP-MEMBERS', 'MUST', 'RFC 7644 §3.9', 'Groups read with excludedAttributes=members come without members', EXCLUDED_PARAM],
  // ETags (RFC 7644 §3.14, RFC 7232)
  [
    'RFC-ETAG-HEADER',
    'MUST',
    'RFC 7644 §3.14',
    'With etag supported, responses carry an ETag header, and should carry it as meta.version too',
    "When supported, SCIM ETags MUST be specified as an HTTP header and SHOULD be specified within the 'version' attribute contained in the resource's 'meta' attribute.",
  ],
  [
    'RFC-ETAG-CHANGES',
    'SHOULD',
    'RFC 7232 §2.3',
    'The version changes when the resource changes',
    'An entity-tag is an opaque validator for differentiating between multiple representations of the same resource, regardless of whether those multiple representations are due to resource state changes over time',
  ],
  [
    'RFC-ETAG-IFNONEMATCH',
    'MUST',
    'RFC 7232 §3.2; RFC 7644 §3.14',
    'GET with If-None-Match of the current version answers 304',
    'An origin server MUST NOT perform the requested method if the condition evaluates to false; instead, the origin server MUST respond with either a) the 304 (Not Modified) status code if the request method is GET or HEAD',
  ],
  ['RFC-ETAG-IFMATCH-PUT', 'MUST', 'RFC 7232 §3.1; RFC 7644 §3.14', 'PUT with a stale If-Match answers 412 and changes nothing', IF_MATCH_FALSE],
  ['RFC-ETAG-IFMATCH-PATCH', 'MUST', 'RFC 7232 §3.1; RFC 7644 §3.14', 'PATCH with a stale If-Match answers 412 and changes nothing', IF_MATCH_FALSE],
  ['RFC-ETAG-IFMATCH-DELETE', 'MUST', 'RFC 7232 §3.1', 'DELETE with a stale If-Match answers 412 and deletes nothing', IF_MATCH_FALSE],
  [
    'RFC-ETAG-IFMATCH-CURRENT',
    'SHOULD',
    'RFC 7644 §3.14',
    'A PUT or PATCH with If-Match of the current version succeeds',
    'to ensure that the requested operation succeeds only if the supplied ETag matches the latest service provider resource',
  ],
  // Bulk (RFC 7644 §3.7)
  [
    'RFC-BULK-POST',
    'MUST',
    'RFC 7644 §3.7.3',
    'A Bulk request of POST operations answers a BulkResponse with each status and location',
    'The service provider response MUST include the result of all processed operations. A "location" attribute that includes the resource\'s endpoint MUST be returned for all operations except for failed POST operations (which have no location).',
  ],
  [
    'RFC-BULK-BULKID',
    'MUST',
    'RFC 7644 §3.7.2',
    'bulkId references let one operation use a resource created earlier in the request',
    'The service provider MUST replace the string "bulkId:qwerty" with the permanent resource id once created.',
  ],
  [
    'RFC-BULK-METHODS',
    'SHOULD',
    'RFC 7644 §3.7',
    'Bulk carries PUT, PATCH and DELETE operations',
    'The body of a bulk operation contains a set of HTTP resource operations using one of the HTTP methods supported by the API, i.e., POST, PUT, PATCH, or DELETE.',
  ],
  [
    'RFC-BULK-OP-ERROR',
    'MUST',
    'RFC 7644 §3.7',
    'A failed Bulk operation reports its status and a SCIM error response',
    'status The HTTP response status code for the requested operation. When indicating an error, the "response" attribute MUST contain the detail error response as per Section 3.12.',
  ],
  [
    'RFC-BULK-FAILONERRORS',
    'SHOULD',
    'RFC 7644 §3.7',
    'failOnErrors stops processing after that many errors',
    'failOnErrors An integer specifying the number of errors that the service provider will accept before the operation is terminated and an error response is returned.',
  ],
  ['RFC-BULK-MAXOPERATIONS', 'MUST', 'RFC 7644 §3.7.4', 'More operations than bulk.maxOperations answers 413 naming the limit', BULK_MAX],
  ['RFC-BULK-MAXPAYLOAD', 'MUST', 'RFC 7644 §3.7.4', 'A Bulk request larger than bulk.maxPayloadSize answers 413 naming the limit', BULK_MAX],
  // .search (RFC 7644 §3.4.3)
  ['RFC-SEARCH-USERS', 'SHOULD', 'RFC 7644 §3.4.3', 'POST /Users/.search with a SearchRequest filters like GET /Users', SEARCH_RESPONSE],
  [
    'RFC-SEARCH-ROOT',
    'MAY',
    'RFC 7644 §3.4.2.1',
    'POST /.search at the root searches across resource types',
    'Queries MAY be performed against a SCIM resource object, a resource type endpoint, or a SCIM server root.',
  ],
  ['RFC-SEARCH-PAGING', 'SHOULD', 'RFC 7644 §3.4.3', '.search honours startIndex, count and attributes in the body', SEARCH_RESPONSE],
  // PATCH (RFC 7644 §3.5.2)
  [
    'RFC-PATCH-RESPONSE',
    'MUST',
    'RFC 7644 §3.5.2',
    'A successful PATCH answers 200 with the resource or 204 without a body',
    'On successful completion, the server either MUST return a 200 OK response code and the entire resource within the response body, subject to the "attributes" query parameter (see Section 3.9), or MAY return HTTP status code 204 (No Content) and the appropriate response headers for a successful PATCH request.',
  ],
  [
    'RFC-PATCH-ADD-NOPATH',
    'SHOULD',
    'RFC 7644 §3.5.2.1',
    'add without a path adds the attributes of the value object to the resource',
    'If omitted, the target location is assumed to be the resource itself. The "value" parameter contains a set of attributes to be added to the resource.',
  ],
  ['RFC-PATCH-ADD-SINGLE', 'SHOULD', 'RFC 7644 §3.5.2.1', 'add on a single-valued attribute replaces its value', ADD_SINGLE],
  ['RFC-PATCH-ADD-MULTIVALUED', 'SHOULD', 'RFC 7644 §3.5.2.1', 'add on a multi-valued attribute adds the values', ADD_MULTI],
  ['RFC-PATCH-ADD-MEMBERS', 'SHOULD', 'RFC 7644 §3.5.2.1', 'add on members adds those Users to the Group', ADD_MULTI],
  [
    'RFC-PATCH-ADD-NODUP',
    'SHOULD',
    'RFC 7644 §3.5.2.1',
    'add of a member already present changes nothing and succeeds',
    'If the target location already contains the value specified, no changes SHOULD be made to the resource, and a success response SHOULD be returned.',
  ],
  [
    'RFC-PATCH-REPLACE-NOPATH',
    'MUST',
    'RFC 7644 §3.5.2.3',
    'replace without a path replaces each attribute in the value object',
    'If the "path" parameter is omitted, the target is assumed to be the resource itself. In this case, the "value" attribute SHALL contain a list of one or more attributes that are to be replaced.',
  ],
  [
    'RFC-PATCH-REPLACE-SUBATTR',
    'SHOULD',
    'RFC 7644 §3.5.2.3',
    'replace on a sub-attribute path (name.givenName) changes only that sub-attribute',
    REPLACE_SINGLE,
  ],
  [
    'RFC-PATCH-REPLACE-VALUEPATH',
    'SHOULD',
    'RFC 7644 §3.5.2.3',
    'replace on emails[type eq "work"].value changes only the matching element',
    'If the target location is a complex multi-valued attribute with a value selection filter ("valuePath") and a specific sub-attribute (e.g., "addresses[type eq "work"].streetAddress"), the matching sub-attribute of all matching records is replaced.',
  ],
  [
    'RFC-PATCH-REPLACE-MEMBERS',
    'SHOULD',
    'RFC 7644 §3.5.2.3',
    'replace on members replaces the whole member list',
    'If the target location is a multi-valued attribute and no filter is specified, the attribute and all values are replaced.',
  ],
  ['RFC-PATCH-REPLACE-ACTIVE', 'SHOULD', 'RFC 7644 §3.5.2.3', 'replace of active with false stores active=false', REPLACE_SINGLE],
  [
    'RFC-PATCH-REMOVE-VALUEPATH',
    'SHOULD',
    'RFC 7644 §3.5.2.2',
    'remove on members[value eq "id"] removes only that member',
    'If the target location is a multi-valued attribute and a complex filter is specified comparing a "value", the values matched by the filter are removed.',
  ],
  [
    'RFC-PATCH-REMOVE-ALL',
    'MUST',
    'RFC 7644 §3.5.2.2',
    'remove on members without a filter removes every member',
    'If the target location is a multi-valued attribute and no filter is specified, the attribute and all values are removed, and the attribute SHALL be considered unassigned.',
  ],
  [
    'RFC-PATCH-REMOVE-NOPATH',
    'SHOULD',
    'RFC 7644 §3.5.2.2',
    'remove without a path answers 400 noTarget',
    'If "path" is unspecified, the operation fails with HTTP status code 400 and a "scimType" error code of "noTarget".',
  ],
  [
    'RFC-PATCH-NOTARGET',
    'MUST',
    'RFC 7644 §3.5.2.3',
    'replace through a value filter that matches nothing answers 400 noTarget',
    'If the target location is a multi-valued attribute for which a value selection filter ("valuePath") has been supplied and no record match was made, the service provider SHALL indicate failure by returning HTTP status code 400 and a "scimType" error code of "noTarget".',
  ],
  [
    'RFC-PATCH-URN-PATH',
    'SHOULD',
    'RFC 7644 §3.10',
    'A path prefixed with the extension schema URN resolves to the extension attribute',
    'Clients MAY omit core schema attribute URN prefixes but SHOULD fully qualify extended attributes with the associated schema extension URN to avoid naming conflicts.',
  ],
  [
    'RFC-PATCH-INVALID-PATH',
    'MUST',
    'RFC 7644 §3.5.2; RFC 7644 §3.12, Table 9',
    'A malformed PATCH path fails with an error status and a SCIM error body',
    REQUEST_FAILS,
  ],
  [
    'RFC-PATCH-INVALID-OP',
    'MUST',
    'RFC 7644 §3.5.2',
    'An unknown op fails with an error status and a SCIM error body, and changes nothing',
    `${PATCH_ATOMIC} ${REQUEST_FAILS}`,
  ],
  [
    'RFC-PATCH-MUTABILITY',
    'MUST',
    'RFC 7644 §3.5.2; RFC 7644 §3.12, Table 9',
    'Replacing the readOnly id fails with an error status and a SCIM error body',
    "An operation that is not compatible with an attribute's mutability or schema SHALL return the appropriate HTTP response status code and a JSON detail error response as defined in Section 3.12.",
  ],
  ['RFC-PATCH-ATOMIC', 'MUST', 'RFC 7644 §3.5.2', 'When one operation fails, none of the request is applied', PATCH_ATOMIC],
  [
    'RFC-PATCH-ORDER',
    'SHOULD',
    'RFC 7644 §3.5.2',
    'Operations apply in the order given',
    'Operations are applied sequentially in the order they appear in the array.',
  ],
  // errors (RFC 7644 §3.12)
  [
    'RFC-ERROR-BODY',
    'MUST',
    'RFC 7644 §3.12',
    'Error responses carry the Error schema and status as a string equal to the HTTP status',
    `${ERROR_JSON} ... status The HTTP status code (see Section 6 of [RFC7231]) expressed as a JSON string. REQUIRED.`,
  ],
  ['RFC-ERROR-INVALIDSYNTAX', 'SHOULD', 'RFC 7644 §3.12, Table 8', 'A body that is not valid JSON answers 400', STATUS_CODES_400],
  [
    'RFC-ERROR-INVALIDVALUE',
    'SHOULD',
    'RFC 7644 §3.12, Table 8',
    'A request with a value not compatible with the attribute type answers 400',
    STATUS_CODES_400,
  ],
  [
    'RFC-ERROR-TOOMANY',
    'MUST',
    'RFC 7644 §3.4.2.1',
    'A query the server refuses because it would return too many results answers 400 with scimType tooMany',
    'If a SCIM service provider determines that too many results would be returned (e.g., because a client queried a resource type endpoint or the server base URI), the server SHALL reject the request by returning an HTTP response with HTTP status code 400 (Bad Request) and JSON attribute "scimType" set to "tooMany" (see Table 9).',
  ],
  [
    'RFC-ERROR-SENSITIVE',
    'SHOULD',
    'RFC 7644 §7.5.2; RFC 7644 §3.12, Table 9',
    'A GET filter on sensitive information (password) is answered 403 Forbidden',
    'Servers that receive HTTP GET requests using filters that contain sensitive or confidential personal information SHOULD respond with HTTP status code 403 to indicate that the operation is forbidden.',
  ],
  [
    'RFC-ERROR-INVALIDVERS',
    'MUST',
    'RFC 7232 §3.1',
    'With etag supported, an If-Match that matches no version is refused with 412 and changes nothing',
    IF_MATCH_FALSE,
  ],
  ['RFC-ERROR-NO-5XX', 'SHOULD', 'RFC 7644 §3.12, Table 8', 'Malformed requests are answered 400, not 5xx', STATUS_CODES_400],
  [
    'RFC-ME-NOTIMPLEMENTED',
    'SHOULD',
    'RFC 7644 §3.11',
    'GET /Me answers the authenticated subject, a 308 redirect to it, or, where /Me is not supported, 501',
    'A service provider MAY respond in one of three ways: o A service provider that does NOT support this feature SHOULD respond with HTTP status code 501 (Not Implemented). o A service provider MAY choose to redirect the client using HTTP status code 308 (Permanent Redirect) to the resource associated with the authenticated subject.',
  ],
]);
