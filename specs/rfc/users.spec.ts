import { expect, readOnlyReq, req, test } from '../../fixtures/test.ts';
import { URN } from '../../fixtures/scim-schemas.ts';
import { expectScimError, expectStatus } from '../checks/scim.ts';

// RFC 7644 §3.3-3.6 and RFC 7643 §4.1: the User resource.

test('POST /Users answers 201 with the resource, a Location and full meta', req('RFC-USER-CREATE-201', 'RFC-USER-CREATE-LOCATION', 'RFC-USER-CREATE-META'), async ({ scim, make }) => {
  const body = make.userBody();
  const res = await scim.post('/Users', body);
  make.track('Users', (res.body as { id?: string } | undefined)?.id);
  expectStatus(res, 201);
  const user = await scim.user(res);
  expect(user.userName).toBe(body.userName);
  expect(user.schemas).toContain(URN.user);
  expect(user.meta?.resourceType).toBe('User');
  expect(user.meta?.created, 'meta.created').toBeTruthy();
  expect(user.meta?.lastModified, 'meta.lastModified').toBeTruthy();
  expect(user.meta?.location, 'meta.location').toBeTruthy();
  expect(res.headers.location, 'Location header').toBe(user.meta?.location);
  expect(user.meta!.location!.endsWith(`/Users/${user.id}`)).toBe(true);
});

test('the server assigns ids and ignores client-sent id and readOnly attributes', req('RFC-USER-CREATE-ID', 'RFC-USER-CREATE-READONLY-IGNORED'), async ({ scim, make }) => {
  const a = await make.user({ id: 'client-chosen-id', meta: { resourceType: 'Group', created: '2001-01-01T00:00:00Z' }, groups: [{ value: 'bogus' }] } as never);
  const b = await make.user();
  expect(a.id).not.toBe('client-chosen-id');
  expect(a.id).not.toBe(b.id);
  expect(a.id).not.toContain('bulkId');
  expect(a.meta?.resourceType).toBe('User');
  expect(a.meta?.created).not.toBe('2001-01-01T00:00:00Z');
  expect(a.groups ?? []).toEqual([]);
});

test('a duplicate userName, also differing only in case, answers 409 uniqueness', req('RFC-USER-CREATE-UNIQUENESS', 'RFC-USER-CREATE-UNIQUENESS-CASE'), async ({ scim, make }) => {
  const user = await make.user();
  const same = await scim.post('/Users', make.userBody({ userName: user.userName! }));
  make.track('Users', (same.body as { id?: string } | undefined)?.id);
  await expectScimError(scim, same, 409, 'uniqueness');
  const upper = await scim.post('/Users', make.userBody({ userName: user.userName!.toUpperCase() }));
  make.track('Users', (upper.body as { id?: string } | undefined)?.id);
  await expectScimError(scim, upper, 409, 'uniqueness');
});

test('a User without userName or with a wrongly typed value is refused with invalidValue', req('RFC-USER-CREATE-REQUIRED', 'RFC-USER-CREATE-TYPE'), async ({ scim, make }) => {
  const { userName: _omit, ...noName } = make.userBody();
  const missing = await scim.post('/Users', noName);
  make.track('Users', (missing.body as { id?: string } | undefined)?.id);
  await expectScimError(scim, missing, 400, 'invalidValue');
  const wrongType = await scim.post('/Users', make.userBody({ active: 5 as unknown as boolean }));
  make.track('Users', (wrongType.body as { id?: string } | undefined)?.id);
  await expectScimError(scim, wrongType, 400, 'invalidValue');
});

test('GET /Users/{id} returns the stored User and GET /Users lists Users', req('RFC-USER-GET', 'RFC-USER-LIST'), async ({ scim, make }) => {
  const created = await make.user();
  const res = await scim.getUser(created.id);
  expectStatus(res, 200);
  const got = await scim.user(res);
  expect(got.id).toBe(created.id);
  expect(got.userName).toBe(created.userName);
  expect(got.name?.familyName).toBe(created.name?.familyName);
  const { list } = await scim.list('/Users', { count: 5 });
  expect(list.schemas).toContain(URN.list);
  for (const r of list.Resources ?? []) expect((r as { schemas?: string[] }).schemas).toContain(URN.user);
});

test('PUT replaces the User, keeps id and meta, and never creates', req('RFC-USER-PUT-REPLACE', 'RFC-USER-PUT-ID-IGNORED', 'RFC-USER-PUT-NOTFOUND'), async ({ scim, make }) => {
  const user = await make.user();
  const replacement = make.userBody({ userName: user.userName!, displayName: 'Replaced Name', name: { givenName: 'Replaced', familyName: 'Person' } });
  const res = await scim.put(`/Users/${user.id}`, { ...replacement, id: 'another-id', meta: { created: '2001-01-01T00:00:00Z' } });
  expectStatus(res, 200);
  const got = await scim.user(res);
  expect(got.id).toBe(user.id);
  expect(got.displayName).toBe('Replaced Name');
  expect(got.name?.givenName).toBe('Replaced');
  expect(got.meta?.created).toBe(user.meta?.created);
  const reread = await scim.user(await scim.getUser(user.id));
  expect(reread.displayName).toBe('Replaced Name');

  const missing = await scim.put('/Users/scimulator-no-such-id', make.userBody());
  await expectScimError(scim, missing, 404);
  const lookup = await scim.getUser('scimulator-no-such-id');
  expectStatus(lookup, 404);
});

test("PUT giving a User another User's userName answers 409", req('RFC-USER-PUT-UNIQUENESS'), async ({ scim, make }) => {
  const a = await make.user();
  const b = await make.user();
  const res = await scim.put(`/Users/${b.id}`, make.userBody({ userName: a.userName! }));
  await expectScimError(scim, res, 409, 'uniqueness');
  expect((await scim.user(await scim.getUser(b.id))).userName).toBe(b.userName);
});

test('active=false is stored and returned as a boolean', req('RFC-USER-ACTIVE'), async ({ scim, make }) => {
  const user = await make.user({ active: false });
  expect(user.active).toBe(false);
  const got = await scim.user(await scim.getUser(user.id));
  expect(got.active).toBe(false);
});

test('DELETE answers 204, then the User is 404, and a second DELETE is 404', req('RFC-USER-DELETE-204', 'RFC-USER-DELETE-NOTFOUND'), async ({ scim, make }) => {
  const user = await make.user();
  const del = await scim.delete(`/Users/${user.id}`);
  expectStatus(del, 204);
  await expectScimError(scim, await scim.getUser(user.id), 404);
  await expectScimError(scim, await scim.delete(`/Users/${user.id}`), 404);
  await expectScimError(scim, await scim.delete('/Users/scimulator-no-such-id'), 404);
});

test("a User's groups follow its memberships and cannot be written", req('RFC-USER-GROUPS-READONLY'), async ({ scim, make }) => {
  const user = await make.user();
  const group = await make.group({ members: [{ value: user.id }] });
  const got = await scim.user(await scim.getUser(user.id));
  expect((got.groups ?? []).map((g) => g.value)).toContain(group.id);
  const other = await make.group();
  const put = await scim.put(`/Users/${user.id}`, make.userBody({ userName: user.userName!, groups: [{ value: other.id }] } as never));
  expectStatus(put, 200, 400);
  const after = await scim.user(await scim.getUser(user.id));
  expect((after.groups ?? []).map((g) => g.value)).not.toContain(other.id);
});

test('enterprise extension attributes round-trip under their URN', req('RFC-USER-ENTERPRISE'), async ({ scim, make, capabilities }) => {
  test.skip(!capabilities.enterpriseUser, 'the User resource type does not list the enterprise extension');
  const user = await make.user({
    schemas: [URN.user, URN.enterprise],
    [URN.enterprise]: { employeeNumber: '4711', department: 'Finance' },
  });
  const got = await scim.user(await scim.getUser(user.id));
  expect(got.schemas).toContain(URN.enterprise);
  expect(got[URN.enterprise]).toMatchObject({ employeeNumber: '4711', department: 'Finance' });
});

test('meta.lastModified advances on change while meta.created stays', req('RFC-USER-LASTMODIFIED'), async ({ scim, make }) => {
  const user = await make.user();
  await new Promise((r) => setTimeout(r, 20));
  const res = await scim.put(`/Users/${user.id}`, make.userBody({ userName: user.userName!, displayName: 'Later' }));
  expectStatus(res, 200);
  const got = await scim.user(res);
  expect(got.meta?.created).toBe(user.meta?.created);
  expect(Date.parse(got.meta!.lastModified!)).toBeGreaterThan(Date.parse(user.meta!.lastModified!));
});

test('an unknown id shaped like a real one is 404', readOnlyReq('RFC-USER-GET-NOTFOUND'), async ({ scim }) => {
  await expectScimError(scim, await scim.getUser('00000000-0000-0000-0000-000000000000'), 404);
});
