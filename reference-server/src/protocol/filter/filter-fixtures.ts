/** Test support: the resources the filter tables run against (RFC 7643/7644 sample users, plus edge cases). */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export const USERS: Record<string, unknown>[] = [
  {
    schemas: [USER, ENT],
    id: 'u1',
    externalId: 'bjensen-ext',
    userName: 'bjensen',
    name: { familyName: 'Jensen', givenName: 'Barbara', formatted: 'Ms. Barbara J Jensen III' },
    displayName: 'Babs Jensen',
    title: 'Tour Guide',
    userType: 'Employee',
    active: true,
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    ims: [{ value: 'someaimhandle', type: 'aim' }],
    [ENT]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: 'u3', displayName: 'Jane Doe' } },
    groups: [{ value: 'g1', display: 'Tour Guides', type: 'direct' }],
    meta: { resourceType: 'User', created: '2010-01-23T04:56:22.000Z', lastModified: '2011-05-13T04:42:34.000Z', version: 'W/"3"' },
  },
  {
    schemas: [USER],
    id: 'u2',
    userName: 'JSmith',
    name: { familyName: "O'Malley", givenName: 'John' },
    userType: 'Intern',
    active: false,
    emails: [{ value: 'jsmith@example.org', type: 'work' }],
    ims: [{ value: 'jsmith@foo.com', type: 'xmpp' }],
    groups: [
      { value: 'g1', display: 'Tour Guides', type: 'direct' },
      { value: 'g2', display: 'Interns', type: 'direct' },
    ],
    meta: { resourceType: 'User', created: '2010-01-24T00:00:00.000Z', lastModified: '2011-05-14T00:00:00.000Z', version: 'W/"1"' },
  },
  {
    schemas: [USER],
    id: 'u3',
    externalId: 'JDOE',
    userName: 'Jane.Doe@Example.com',
    title: '',
    userType: 'Employee',
    active: true,
    emails: [
      { value: 'jane@example.com', type: 'work' },
      { value: 'jane@home.test', type: 'home', primary: true },
    ],
    groups: [],
    meta: { resourceType: 'User', created: '2010-02-01T00:00:00.000Z', lastModified: '2011-05-13T04:42:34.000Z', version: 'W/"1"' },
  },
  {
    schemas: [USER],
    id: 'u4',
    userName: 'ÉMILE',
    displayName: 'Émile Zola',
    emails: [],
    groups: [],
    meta: { resourceType: 'User', created: '2011-01-01T00:00:00.000Z', lastModified: '2012-01-01T00:00:00.000Z', version: 'W/"1"' },
  },
];

export const GROUPS: Record<string, unknown>[] = [
  {
    schemas: [GROUP],
    id: 'g1',
    displayName: 'Tour Guides',
    members: [
      { value: 'u1', type: 'User', display: 'Babs Jensen' },
      { value: 'u2', type: 'User', display: 'JSmith' },
    ],
    meta: { resourceType: 'Group', created: '2010-01-23T04:56:22.000Z', lastModified: '2011-05-13T04:42:34.000Z', version: 'W/"1"' },
  },
  {
    schemas: [GROUP],
    id: 'g2',
    displayName: 'Interns',
    externalId: 'INT',
    members: [{ value: 'u2', type: 'User', display: 'JSmith' }],
    meta: { resourceType: 'Group', created: '2010-01-23T04:56:22.000Z', lastModified: '2011-05-13T04:42:34.000Z', version: 'W/"1"' },
  },
  {
    schemas: [GROUP],
    id: 'g3',
    displayName: 'Empty City',
    members: [],
    meta: { resourceType: 'Group', created: '2010-01-23T04:56:22.000Z', lastModified: '2011-05-13T04:42:34.000Z', version: 'W/"1"' },
  },
];
