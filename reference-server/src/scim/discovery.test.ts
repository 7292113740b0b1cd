import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { harness, type Harness } from './testing.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.app.close();
});

test('/ServiceProviderConfig is one object describing the server, with an absolute meta.location', async () => {
  const res = await h.req('GET', 'ServiceProviderConfig');
  assert.equal(res.status, 200);
  const spc = res.body;
  assert.deepEqual(spc.schemas, ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
  for (const key of ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag']) assert.equal(typeof spc[key].supported, 'boolean', key);
  assert.equal(spc.etag.supported, true);
  assert.equal(spc.filter.maxResults, 1000);
  assert.equal(spc.authenticationSchemes[0].type, 'oauthbearertoken');
  assert.equal(spc.meta.location, `http://localhost:80${h.base}/ServiceProviderConfig`);
});

test('/ResourceTypes lists User and Group; /ResourceTypes/{name} answers each and 404 otherwise', async () => {
  const list = await h.req('GET', 'ResourceTypes');
  assert.equal(list.body.totalResults, 2);
  assert.deepEqual(
    list.body.Resources.map((r: { id: string }) => r.id),
    ['User', 'Group'],
  );
  const userType = await h.req('GET', 'ResourceTypes/User');
  assert.equal(userType.body.endpoint, '/Users');
  assert.deepEqual(userType.body.schemaExtensions, [{ schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false }]);
  assert.equal((await h.req('GET', 'ResourceTypes/Group')).body.schema, 'urn:ietf:params:scim:schemas:core:2.0:Group');
  const missing = await h.req('GET', 'ResourceTypes/Device');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
});

test('/Schemas carries full attribute definitions; /Schemas/{urn} answers each and 404 otherwise', async () => {
  const list = await h.req('GET', 'Schemas');
  assert.equal(list.body.totalResults, 3);
  const userSchema = await h.req('GET', 'Schemas/urn:ietf:params:scim:schemas:core:2.0:User');
  assert.equal(userSchema.status, 200);
  const userName = userSchema.body.attributes.find((a: { name: string }) => a.name === 'userName');
  assert.deepEqual(
    {
      type: userName.type,
      multiValued: userName.multiValued,
      required: userName.required,
      caseExact: userName.caseExact,
      mutability: userName.mutability,
      returned: userName.returned,
      uniqueness: userName.uniqueness,
    },
    { type: 'string', multiValued: false, required: true, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'server' },
  );
  const password = userSchema.body.attributes.find((a: { name: string }) => a.name === 'password');
  assert.equal(password.returned, 'never');
  const emails = userSchema.body.attributes.find((a: { name: string }) => a.name === 'emails');
  assert.ok(emails.subAttributes.some((s: { name: string }) => s.name === 'primary'));
  assert.equal((await h.req('GET', 'Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User')).status, 200);
  assert.equal((await h.req('GET', 'Schemas/urn:nope')).status, 404);
});

test('a filter on a discovery endpoint is refused with 403 (RFC 7644 §4)', async () => {
  const res = await h.req('GET', 'Schemas?filter=id%20eq%20%22x%22');
  assert.equal(res.status, 403);
});

test('/Me answers 501 for every method', async () => {
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    const res = await h.req(method, 'Me', method === 'GET' || method === 'DELETE' ? undefined : {});
    assert.equal(res.status, 501, method);
    assert.equal(res.body.status, '501');
  }
});

test('unsupported methods on known routes are 405 with Allow; unknown routes are 404; both are SCIM errors', async () => {
  const put = await h.req('PUT', 'Users', {});
  assert.equal(put.status, 405);
  assert.equal(put.headers.allow, 'GET, POST, HEAD');
  const del = await h.req('DELETE', 'ServiceProviderConfig');
  assert.equal(del.status, 405);
  assert.equal(del.headers.allow, 'GET, HEAD');
  const getSearch = await h.req('GET', 'Users/.search');
  assert.equal(getSearch.status, 405);
  assert.equal(getSearch.headers.allow, 'POST');
  const unknown = await h.req('GET', 'Devices');
  assert.equal(unknown.status, 404);
  assert.match(unknown.headers['content-type'] as string, /application\/scim\+json/);
});

test('GET /healthz answers 200 {"status":"ok"} without a token', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: 'ok' });
});
