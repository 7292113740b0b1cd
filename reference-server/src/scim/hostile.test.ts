import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { group, GROUP_URN, harness, user, USER_URN, type Harness } from './testing.ts';

/**
 * Malformed and hostile requests: each must get a 4xx SCIM error with the right status and scimType, and none may
 * change the data (the database dump is compared before and after).
 */
let h: Harness;
let ann: string;
let bob: string;
let emea: string;
let otherToken: string;
let otherUser: string;
let inactiveBase: string;
let inactiveToken: string;

before(async () => {
  h = await harness();
  ann = (await h.req('POST', 'Users', user('ann@x.test', { password: 'first-password' }))).body.id;
  bob = (await h.req('POST', 'Users', user('bob@x.test'))).body.id;
  emea = (await h.req('POST', 'Groups', group('EMEA', [ann]))).body.id;
  const other = h.app.store.accounts.create({ name: 'other', ssoState: 'active' });
  otherToken = h.app.store.tokens.issueScimToken(other.id).token;
  const created = await h.app.inject({
    method: 'POST',
    url: `/scim/v2/${other.id}/Users`,
    headers: { authorization: `Bearer ${otherToken}`, 'content-type': 'application/json' },
    payload: user('theirs@x.test'),
  });
  otherUser = created.json().id;
  const inactive = h.app.store.accounts.create({ name: 'inactive', ssoState: 'configured' });
  inactiveToken = h.app.store.tokens.issueScimToken(inactive.id).token;
  inactiveBase = `/scim/v2/${inactive.id}`;
});
after(async () => {
  await h.app.close();
});

function dump(): string {
  const tables = ['accounts', 'scim_tokens', 'users', 'groups', 'group_members'];
  return JSON.stringify(tables.map((t) => h.app.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()));
}

interface Case {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  scimType?: string;
}

const JSON_CT = { 'content-type': 'application/scim+json' };
const q = (f: string) => encodeURIComponent(f);

function cases(): Case[] {
  return [
    { name: 'malformed JSON', method: 'POST', path: 'Users', body: '{"userName": "x",', headers: JSON_CT, status: 400, scimType: 'invalidSyntax' },
    { name: 'empty body with a JSON content type', method: 'POST', path: 'Users', body: '', headers: JSON_CT, status: 400, scimType: 'invalidSyntax' },
    { name: 'body is an array', method: 'POST', path: 'Users', body: '[]', headers: JSON_CT, status: 400, scimType: 'invalidSyntax' },
    { name: 'body is a string', method: 'POST', path: 'Users', body: '"ann"', headers: JSON_CT, status: 400, scimType: 'invalidSyntax' },
    { name: 'body is null', method: 'POST', path: 'Users', body: 'null', headers: JSON_CT, status: 400, scimType: 'invalidSyntax' },
    { name: 'POST without a body', method: 'POST', path: 'Users', status: 400, scimType: 'invalidSyntax' },
    { name: 'userName is a number', method: 'POST', path: 'Users', body: { schemas: [USER_URN], userName: 42 }, status: 400, scimType: 'invalidValue' },
    { name: 'userName is empty', method: 'POST', path: 'Users', body: user(''), status: 400, scimType: 'invalidValue' },
    {
      name: 'active is neither boolean nor "true"/"false"',
      method: 'POST',
      path: 'Users',
      body: user('c@x.test', { active: 'maybe' }),
      status: 400,
      scimType: 'invalidValue',
    },
    { name: 'emails is a string', method: 'POST', path: 'Users', body: user('c@x.test', { emails: 'c@x.test' }), status: 400, scimType: 'invalidValue' },
    {
      name: 'name.givenName is an object',
      method: 'POST',
      path: 'Users',
      body: user('c@x.test', { name: { givenName: {} } }),
      status: 400,
      scimType: 'invalidValue',
    },
    { name: 'password is a number', method: 'POST', path: 'Users', body: user('c@x.test', { password: 1234 }), status: 400, scimType: 'invalidValue' },
    {
      name: 'binary value is not base64',
      method: 'POST',
      path: 'Users',
      body: user('c@x.test', { x509Certificates: [{ value: 'not base64!' }] }),
      status: 400,
      scimType: 'invalidValue',
    },
    { name: 'schemas is a string', method: 'POST', path: 'Users', body: { schemas: USER_URN, userName: 'c@x.test' }, status: 400, scimType: 'invalidSyntax' },
    {
      name: 'schemas names the Group schema on /Users',
      method: 'POST',
      path: 'Users',
      body: { schemas: [GROUP_URN], userName: 'c@x.test' },
      status: 400,
      scimType: 'invalidSyntax',
    },
    { name: 'duplicate userName in another case', method: 'POST', path: 'Users', body: user('ANN@X.TEST'), status: 409, scimType: 'uniqueness' },
    {
      name: 'body larger than the limit',
      method: 'POST',
      path: 'Users',
      body: JSON.stringify(user('big@x.test', { title: 'x'.repeat(1_100_000) })),
      headers: JSON_CT,
      status: 413,
    },
    { name: 'text/plain content type', method: 'POST', path: 'Users', body: '{"userName":"t@x.test"}', headers: { 'content-type': 'text/plain' }, status: 415 },
    { name: 'XML content type', method: 'POST', path: 'Users', body: '<user/>', headers: { 'content-type': 'application/xml' }, status: 415 },
    {
      name: 'form content type',
      method: 'POST',
      path: 'Users',
      body: 'userName=f',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 415,
    },
    {
      name: 'non-UTF-8 charset',
      method: 'POST',
      path: 'Users',
      body: '{"userName":"l@x.test"}',
      headers: { 'content-type': 'application/json; charset=latin1' },
      status: 415,
    },
    {
      name: '__proto__ key (prototype pollution)',
      method: 'POST',
      path: 'Users',
      body: '{"userName":"p@x.test","__proto__":{"admin":true}}',
      headers: JSON_CT,
      status: 400,
      scimType: 'invalidSyntax',
    },
    {
      name: 'constructor.prototype key',
      method: 'POST',
      path: 'Users',
      body: '{"userName":"p@x.test","constructor":{"prototype":{"admin":true}}}',
      headers: JSON_CT,
      status: 400,
      scimType: 'invalidSyntax',
    },
    {
      name: 'deeply nested value',
      method: 'POST',
      path: 'Users',
      body: `{"userName":"d@x.test","emails":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      headers: JSON_CT,
      status: 400,
      scimType: 'invalidSyntax',
    },
    { name: 'filter with SQL injection', method: 'GET', path: `Users?filter=${q('userName eq "x" or 1=1')}`, status: 400, scimType: 'invalidFilter' },
    {
      name: 'filter with a stacked statement',
      method: 'GET',
      path: `Users?filter=${q('userName eq "x"; DROP TABLE users; --')}`,
      status: 400,
      scimType: 'invalidFilter',
    },
    { name: 'filter with 5000 open parentheses', method: 'GET', path: `Users?filter=${q('('.repeat(5000))}`, status: 400, scimType: 'invalidFilter' },
    { name: 'filter with an unclosed value path', method: 'GET', path: `Users?filter=${q('emails[type eq "work"')}`, status: 400, scimType: 'invalidFilter' },
    { name: 'filter with an unterminated string', method: 'GET', path: `Users?filter=${q('userName eq "abc')}`, status: 400, scimType: 'invalidFilter' },
    {
      name: 'search with a bad filter',
      method: 'POST',
      path: 'Users/.search',
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName xx "a"' },
      status: 400,
      scimType: 'invalidFilter',
    },
    {
      name: 'search body without the SearchRequest schema',
      method: 'POST',
      path: '.search',
      body: { filter: 'userName pr' },
      status: 400,
      scimType: 'invalidSyntax',
    },
    { name: 'count is not a number', method: 'GET', path: 'Users?count=abc', status: 400, scimType: 'invalidValue' },
    { name: 'startIndex in exponent notation', method: 'GET', path: 'Users?startIndex=1e3', status: 400, scimType: 'invalidValue' },
    { name: 'filter given twice', method: 'GET', path: `Users?filter=${q('userName pr')}&filter=${q('id pr')}`, status: 400, scimType: 'invalidValue' },
    { name: 'NUL byte in the id', method: 'GET', path: 'Users/%00', status: 404 },
    { name: 'an id longer than the router accepts', method: 'DELETE', path: `Users/${'a'.repeat(300)}`, status: 404 },
    { name: 'broken percent-encoding in the path', method: 'GET', path: 'Users/%E0%A4%A', status: 400 },
    { name: 'path traversal in the id', method: 'GET', path: 'Users/..%2F..%2Fetc%2Fpasswd', status: 404 },
    { name: 'unknown resource type', method: 'GET', path: 'Devices', status: 404 },
    { name: 'unknown discovery schema', method: 'GET', path: 'Schemas/urn:evil', status: 404 },
    { name: 'PUT on the collection', method: 'PUT', path: 'Users', body: user('x@x.test'), status: 405 },
    { name: 'DELETE on the collection', method: 'DELETE', path: 'Groups', status: 405 },
    { name: 'POST on a user', method: 'POST', path: `Users/${ann}`, body: user('x@x.test'), status: 405 },
    { name: 'DELETE on ServiceProviderConfig', method: 'DELETE', path: 'ServiceProviderConfig', status: 405 },
    { name: 'OPTIONS on /Users', method: 'OPTIONS', path: 'Users', status: 405 },
    { name: 'no token', method: 'GET', path: 'Users', headers: { authorization: '' }, status: 401 },
    { name: 'wrong token', method: 'DELETE', path: `Users/${ann}`, headers: { authorization: 'Bearer scim_guessed' }, status: 401 },
    { name: 'Basic credentials', method: 'GET', path: 'Users', headers: { authorization: 'Basic YW5uOnB3' }, status: 401 },
    {
      name: "another account's token",
      method: 'DELETE',
      path: `Users/${ann}`,
      get headers() {
        return { authorization: `Bearer ${otherToken}` };
      },
      status: 401,
    },
    {
      name: 'token of an account whose SSO is not active',
      method: 'GET',
      get path() {
        return `${inactiveBase}/Users`;
      },
      get headers() {
        return { authorization: `Bearer ${inactiveToken}` };
      },
      status: 403,
    },
    {
      name: 'PUT with a stale If-Match',
      method: 'PUT',
      path: `Users/${ann}`,
      body: user('ann@x.test', { title: 'changed' }),
      headers: { 'if-match': 'W/"99"' },
      status: 412,
    },
    { name: 'DELETE with a stale If-Match', method: 'DELETE', path: `Users/${ann}`, headers: { 'if-match': 'W/"99"' }, status: 412 },
    { name: 'DELETE with an empty If-Match', method: 'DELETE', path: `Groups/${emea}`, headers: { 'if-match': ' , ' }, status: 400, scimType: 'invalidSyntax' },
    { name: 'PUT of an unknown user (PUT never creates)', method: 'PUT', path: 'Users/unknown-id', body: user('new@x.test'), status: 404 },
    { name: 'DELETE of an unknown group', method: 'DELETE', path: 'Groups/unknown-id', status: 404 },
    {
      name: 'PUT without userName',
      method: 'PUT',
      path: `Users/${ann}`,
      body: { schemas: [USER_URN], displayName: 'Ann' },
      status: 400,
      scimType: 'invalidValue',
    },
    { name: "PUT taking another user's userName", method: 'PUT', path: `Users/${ann}`, body: user('Bob@x.test'), status: 409, scimType: 'uniqueness' },
    { name: 'group member that does not exist', method: 'POST', path: 'Groups', body: group('G', ['no-such-user']), status: 400, scimType: 'invalidValue' },
    {
      name: 'group member from another account',
      method: 'POST',
      path: 'Groups',
      get body() {
        return group('G', [otherUser]);
      },
      status: 400,
      scimType: 'invalidValue',
    },
    {
      name: 'group containing itself',
      method: 'PUT',
      path: `Groups/${emea}`,
      get body() {
        return group('EMEA', [emea]);
      },
      status: 400,
      scimType: 'invalidValue',
    },
    {
      name: "another account's user by id",
      method: 'GET',
      get path() {
        return `Users/${otherUser}`;
      },
      status: 404,
    },
    {
      name: 'PATCH without the PatchOp schema',
      method: 'PATCH',
      path: `Users/${ann}`,
      body: { Operations: [{ op: 'replace', path: 'title', value: 'x' }] },
      status: 400,
      scimType: 'invalidSyntax',
    },
    {
      name: 'PATCH with an unknown op',
      method: 'PATCH',
      path: `Users/${ann}`,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'merge', path: 'title', value: 'x' }] },
      status: 400,
      scimType: 'invalidSyntax',
    },
    {
      name: 'PATCH with a malformed path',
      method: 'PATCH',
      path: `Users/${ann}`,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'emails[type eq', value: 'x' }] },
      status: 400,
      scimType: 'invalidPath',
    },
    {
      name: 'PATCH replace on a value path matching nothing, after a valid op',
      method: 'PATCH',
      path: `Users/${ann}`,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'replace', path: 'title', value: 'x' },
          { op: 'replace', path: 'emails[type eq "home"].value', value: 'x' },
        ],
      },
      status: 400,
      scimType: 'noTarget',
    },
    {
      name: 'PATCH with a wrong value type',
      method: 'PATCH',
      path: `Users/${ann}`,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: 'maybe' }] },
      status: 400,
      scimType: 'invalidValue',
    },
    {
      name: 'PATCH changing the readOnly id',
      method: 'PATCH',
      path: `Groups/${emea}`,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { id: 'another' } }] },
      status: 400,
      scimType: 'mutability',
    },
    {
      name: 'PATCH with a __proto__ path',
      method: 'PATCH',
      path: `Users/${ann}`,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: '__proto__.admin', value: true }] },
      status: 400,
      scimType: 'invalidPath',
    },
    {
      name: 'PATCH adding a member of another account',
      method: 'PATCH',
      path: `Groups/${emea}`,
      get body() {
        return { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: [{ value: otherUser }] }] };
      },
      status: 400,
      scimType: 'invalidValue',
    },
    {
      name: 'PATCH with a stale If-Match',
      method: 'PATCH',
      path: `Users/${ann}`,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'x' }] },
      headers: { 'if-match': 'W/"99"' },
      status: 412,
    },
    {
      name: 'PATCH of an unknown user',
      method: 'PATCH',
      path: 'Users/unknown-id',
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'x' }] },
      status: 404,
    },
    { name: 'filter on a discovery endpoint', method: 'GET', path: `ResourceTypes?filter=${q('name eq "User"')}`, status: 403 },
  ];
}

test('at least 40 malformed or hostile requests each get a 4xx SCIM error, and the data is unchanged', async () => {
  const all = cases();
  assert.ok(all.length >= 40, `only ${all.length} cases`);
  const before = dump();
  const failures: string[] = [];
  for (const c of all) {
    const headers = { ...c.headers };
    const res = await h.req(c.method, c.path.startsWith('/') ? c.path : c.path, c.body, headers);
    const problems: string[] = [];
    if (res.status !== c.status) problems.push(`status ${res.status} (want ${c.status})`);
    if (res.status >= 500) problems.push('5xx');
    if (!/^application\/scim\+json/.test(String(res.headers['content-type']))) problems.push(`content-type ${res.headers['content-type']}`);
    if (res.body?.schemas?.[0] !== 'urn:ietf:params:scim:api:messages:2.0:Error') problems.push('not a SCIM error body');
    if (res.body?.status !== String(c.status)) problems.push(`body status ${res.body?.status}`);
    if (res.body?.scimType !== c.scimType) problems.push(`scimType ${res.body?.scimType} (want ${c.scimType})`);
    if (problems.length > 0) failures.push(`${c.name}: ${problems.join(', ')} — ${res.raw.slice(0, 200)}`);
  }
  assert.deepEqual(failures, []);
  assert.equal(dump(), before, 'the data changed');
});

test('an injection-looking filter that is a valid string literal is just a value: no match, no change', async () => {
  const before = dump();
  const res = await h.req('GET', `Users?filter=${q('userName eq "x\\") OR 1=1 --"')}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.totalResults, 0);
  assert.equal(dump(), before);
  assert.equal(({} as Record<string, unknown>).admin, undefined, 'Object.prototype untouched');
  assert.equal((await h.req('GET', `Users/${bob}`)).status, 200);
});
