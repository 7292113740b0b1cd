import { expect, readOnlyReq, req, test } from '../../fixtures/test.ts';
import { expectScimContentType, expectStatus } from '../checks/scim.ts';

// RFC 7644 §3.1 and §8.1: media types and character encoding.

test('responses are application/scim+json', readOnlyReq('RFC-CONTENT-RESPONSE-TYPE'), async ({ scim }) => {
  for (const path of ['/ServiceProviderConfig', '/Users?count=1', '/Users/does-not-exist-scimulator']) {
    const res = await scim.get(path);
    expectScimContentType(res);
  }
});

test('a request sent as application/json is accepted', req('RFC-CONTENT-ACCEPT-JSON'), async ({ scim, make }) => {
  const res = await scim.request({
    method: 'POST',
    path: '/Users',
    body: make.userBody(),
    headers: { 'content-type': 'application/json', accept: 'application/json' },
  });
  make.track('Users', (res.body as { id?: string } | undefined)?.id);
  expectStatus(res, 200, 201);
});

test('a charset=utf-8 parameter on the media type is accepted', req('RFC-CONTENT-CHARSET'), async ({ scim, make }) => {
  const res = await scim.request({
    method: 'POST',
    path: '/Users',
    body: make.userBody(),
    headers: { 'content-type': 'application/scim+json; charset=utf-8' },
  });
  make.track('Users', (res.body as { id?: string } | undefined)?.id);
  expectStatus(res, 200, 201);
});

test('non-ASCII values round-trip unchanged', req('RFC-CONTENT-UTF8'), async ({ scim, make }) => {
  const user = await make.user({ displayName: 'Zoë Ångström-Łukasz 山田 🚀', name: { givenName: 'Zoë', familyName: 'Ångström' } });
  const res = await scim.getUser(user.id);
  expectStatus(res, 200);
  const got = await scim.user(res);
  expect(got.displayName).toBe('Zoë Ångström-Łukasz 山田 🚀');
  expect(got.name?.familyName).toBe('Ångström');
});
