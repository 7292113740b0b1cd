import { describeLimits } from './limits.ts';
import { attr, complex, str, type AttributeDefinition, type ResourceTypeDefinition, type SchemaDefinition } from './types.ts';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A multi-valued complex attribute with the RFC 7643 §2.4 sub-attributes (value, display, type, primary). */
function multi(name: string, description: string, types: string[], valueOpts: Partial<AttributeDefinition> = {}): AttributeDefinition {
  return complex(
    name,
    [
      str('value', { description: `The ${name} value.`, ...valueOpts }),
      str('display', { description: 'A human-readable name, primarily used for display purposes.' }),
      str('type', { description: `A label indicating the ${name}'s function.`, canonicalValues: types }),
      attr('primary', 'boolean', { description: 'Indicates the primary or preferred value; at most once true.' }),
    ],
    { multiValued: true, description },
  );
}

const groupRef = (desc: string) =>
  complex(
    'groups',
    [
      str('value', { mutability: 'readOnly', description: "The identifier of the User's group." }),
      attr('$ref', 'reference', { mutability: 'readOnly', referenceTypes: ['User', 'Group'], description: 'The URI of the group.' }),
      str('display', { mutability: 'readOnly', description: 'A human-readable name of the group.' }),
      str('type', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'], description: 'direct or indirect membership.' }),
    ],
    { multiValued: true, mutability: 'readOnly', description: desc },
  );

export const userSchema: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    str('userName', { required: true, uniqueness: 'server', description: 'Unique identifier for the User, case-insensitive.' }),
    complex(
      'name',
      [
        str('formatted', { description: 'The full name, formatted for display.' }),
        str('familyName', { description: 'The family name.' }),
        str('givenName', { description: 'The given name.' }),
        str('middleName', { description: 'The middle name(s).' }),
        str('honorificPrefix', { description: 'The honorific prefix(es).' }),
        str('honorificSuffix', { description: 'The honorific suffix(es).' }),
      ],
      { description: "The components of the user's real name." },
    ),
    str('displayName', { description: 'The name of the User, suitable for display to end-users.' }),
    str('nickName', { description: 'The casual way to address the user.' }),
    attr('profileUrl', 'reference', { description: "A fully qualified URL pointing to the User's online profile." }),
    str('title', { description: "The user's title." }),
    str('userType', { description: 'The relationship between the organization and the user.' }),
    str('preferredLanguage', { description: "The User's preferred written or spoken language." }),
    str('locale', { description: "The User's default location." }),
    str('timezone', { description: "The User's time zone in the Olson format." }),
    attr('active', 'boolean', { description: "The User's administrative status." }),
    str('password', { mutability: 'writeOnly', returned: 'never', description: "The User's cleartext password; never returned." }),
    multi('emails', 'Email addresses for the user.', ['work', 'home', 'other']),
    multi('phoneNumbers', 'Phone numbers for the User.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multi('ims', 'Instant messaging addresses for the User.', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    complex(
      'photos',
      [
        attr('value', 'reference', { referenceTypes: ['external'], description: 'URL of a photo of the User.' }),
        str('display', { description: 'A human-readable name.' }),
        str('type', { canonicalValues: ['photo', 'thumbnail'], description: 'photo or thumbnail.' }),
        attr('primary', 'boolean', { description: 'The primary photo.' }),
      ],
      { multiValued: true, description: 'URLs of photos of the User.' },
    ),
    complex(
      'addresses',
      [
        str('formatted', { description: 'The full mailing address.' }),
        str('streetAddress', { description: 'The full street address.' }),
        str('locality', { description: 'The city or locality.' }),
        str('region', { description: 'The state or region.' }),
        str('postalCode', { description: 'The zip code or postal code.' }),
        str('country', { description: 'The country name (ISO 3166-1 alpha-2).' }),
        str('type', { canonicalValues: ['work', 'home', 'other'], description: 'work, home or other.' }),
        attr('primary', 'boolean', { description: 'The primary address.' }),
      ],
      { multiValued: true, description: 'A physical mailing address for this User.' },
    ),
    groupRef('A list of groups to which the user belongs, managed through the Group resource.'),
    multi('entitlements', 'A list of entitlements for the User.', []),
    multi('roles', 'A list of roles for the User.', []),
    complex(
      'x509Certificates',
      [
        attr('value', 'binary', { description: 'The value of an X.509 certificate.' }),
        str('display', { description: 'A human-readable name.' }),
        str('type', { description: 'A label indicating the function.' }),
        attr('primary', 'boolean', { description: 'The primary certificate.' }),
      ],
      { multiValued: true, description: 'A list of certificates issued to the User.' },
    ),
  ],
};

export const enterpriseSchema: SchemaDefinition = {
  id: ENTERPRISE_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    str('employeeNumber', { description: 'Numeric or alphanumeric identifier assigned to a person.' }),
    str('costCenter', { description: 'Identifies the name of a cost center.' }),
    str('organization', { description: 'Identifies the name of an organization.' }),
    str('division', { description: 'Identifies the name of a division.' }),
    str('department', { description: 'Identifies the name of a department.' }),
    complex(
      'manager',
      [
        str('value', { description: "The id of the SCIM resource representing the User's manager." }),
        attr('$ref', 'reference', { referenceTypes: ['User'], description: "The URI of the manager's User resource." }),
        str('displayName', { mutability: 'readOnly', description: "The displayName of the User's manager." }),
      ],
      { description: "The User's manager." },
    ),
  ],
};

export const groupSchema: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    str('displayName', { required: true, description: 'A human-readable name for the Group.' }),
    complex(
      'members',
      [
        str('value', { mutability: 'immutable', description: 'Identifier of the member of this Group.' }),
        attr('$ref', 'reference', { mutability: 'immutable', referenceTypes: ['User', 'Group'], description: 'The URI of the member.' }),
        str('display', { mutability: 'readOnly', description: 'A human-readable name of the member.' }),
        str('type', { mutability: 'immutable', canonicalValues: ['User', 'Group'], description: 'User or Group.' }),
      ],
      { multiValued: true, description: 'A list of members of the Group.' },
    ),
  ],
};

/** RFC 7643 §3.1 common attributes: present on every resource, described here for projection and filtering. */
export const commonAttributes: AttributeDefinition[] = [
  str('id', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server', description: 'Server-assigned identifier.' }),
  str('externalId', { caseExact: true, description: 'Identifier defined by the provisioning client.' }),
  complex(
    'meta',
    [
      str('resourceType', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'dateTime', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', { mutability: 'readOnly' }),
      attr('location', 'reference', { mutability: 'readOnly', referenceTypes: ['uri'] }),
      str('version', { caseExact: true, mutability: 'readOnly' }),
    ],
    { mutability: 'readOnly', description: 'Resource metadata.' },
  ),
];

export const userResourceType: ResourceTypeDefinition = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: USER_SCHEMA,
  schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
};

export const groupResourceType: ResourceTypeDefinition = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group (a region in the reference app)',
  schema: GROUP_SCHEMA,
  schemaExtensions: [],
};

export const schemas: SchemaDefinition[] = [userSchema, enterpriseSchema, groupSchema];
// The size limits enforced on writes, stated where /Schemas shows them (schema/limits.ts).
for (const schema of schemas) describeLimits(schema.attributes);
export const resourceTypes: ResourceTypeDefinition[] = [userResourceType, groupResourceType];
