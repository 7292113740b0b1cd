import { expect, readOnlyReq, req, test } from '../../fixtures/test.ts';
import type { ScimResponse } from '../../fixtures/scim-client.ts';
import { expectScimError, expectStatus, explain } from '../checks/scim.ts';

// Authentication (RFC 7644 §2, §7.4; RFC 6750; RFC 7235).

const expect401 = (res: ScimResponse) => expect(res.status, explain(res)).toBe(401);

/** Re-cases a credential so it differs from the real one only in letter case. */
function flipCase(token: string): string {
  const flipped = [...token].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  return flipped === token ? `${token}X` : flipped;
}

test('a request without credentials answers 401 with a challenge and a SCIM error', readOnlyReq('SEC-AUTH-MISSING', 'SEC-AUTH-CHALLENGE', 'SEC-AUTH-ERROR-BODY'), async ({ scim }) => {
  const res = await scim.request({ method: 'GET', path: '/Users', auth: 'none' });
  expect401(res);
  expect(res.headers['www-authenticate'], 'WWW-Authenticate header').toBeTruthy();
  await expectScimError(scim, res, 401);
});

test('an unknown bearer token answers 401', readOnlyReq('SEC-AUTH-WRONG'), async ({ scim }) => {
  expect401(await scim.request({ method: 'GET', path: '/Users', auth: { header: 'Bearer scimulator-not-a-real-token-0123456789' } }));
});

test('malformed Authorization headers answer 401', readOnlyReq('SEC-AUTH-MALFORMED'), async ({ scim }) => {
  for (const header of ['Bearer', 'Bearer ', 'Token abc', 'Basic !!!', 'bearer\tx', 'Bearer a b c']) {
    expect401(await scim.request({ method: 'GET', path: '/Users', auth: { header } }));
  }
});

test('the right token with its case changed answers 401', readOnlyReq('SEC-AUTH-TOKEN-CASE'), async ({ scim, target }) => {
  test.skip(target.auth.type !== 'bearer', `the run authenticates with ${target.auth.type}, not a static bearer token`);
  const token = target.auth.type === 'bearer' ? target.auth.token : '';
  expect401(await scim.request({ method: 'GET', path: '/Users', auth: { header: `Bearer ${flipCase(token)}` } }));
  expect401(await scim.request({ method: 'GET', path: '/Users', auth: { header: `Bearer ${token.slice(0, -1)}` } }));
});

test('discovery endpoints refuse requests without credentials', readOnlyReq('SEC-AUTH-DISCOVERY'), async ({ scim }) => {
  for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas']) expect401(await scim.request({ method: 'GET', path, auth: 'none' }));
});

test('a token in the query string is not accepted', readOnlyReq('SEC-AUTH-QUERY-TOKEN'), async ({ scim, target }) => {
  test.skip(target.auth.type !== 'bearer', `the run authenticates with ${target.auth.type}, not a static bearer token`);
  const token = target.auth.type === 'bearer' ? target.auth.token : '';
  expect401(await scim.request({ method: 'GET', path: '/Users', query: { access_token: token }, auth: 'none' }));
});

test('writes without valid credentials answer 401 and change nothing', req('SEC-AUTH-ALL-METHODS'), async ({ scim, make }) => {
  const user = await make.user();
  const bad = { header: 'Bearer scimulator-not-a-real-token-0123456789' };
  const body = make.userBody();
  expect401(await scim.request({ method: 'POST', path: '/Users', body, auth: bad }));
  expect401(await scim.request({ method: 'PUT', path: `/Users/${user.id}`, body: { ...body, userName: user.userName }, auth: 'none' }));
  expect401(await scim.request({ method: 'PATCH', path: `/Users/${user.id}`, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'displayName', value: 'hijacked' }] }, auth: bad }));
  expect401(await scim.request({ method: 'DELETE', path: `/Users/${user.id}`, auth: bad }));
  const after = await scim.user(await scim.getUser(user.id));
  expect(after.displayName).toBe(user.displayName);
  const created = await scim.get('/Users', { filter: `userName eq "${body.userName}"` });
  if (created.status === 200) expect((created.body as { totalResults?: number }).totalResults).toBe(0);
});

test('a revoked token is refused at once', req('SEC-AUTH-REVOKED'), async ({ needsAdapter, freshTenant, adapter }) => {
  needsAdapter('freshTenant');
  const tenant = await freshTenant();
  expectStatus(await tenant.scim.get('/Users', { count: 1 }), 200);
  needsAdapter('revokeToken');
  // the fresh tenant's adapter revokes that tenant's token, never the token the rest of the run uses
  test.skip(!tenant.adapter?.revokeToken, `the fresh tenant from ${adapter.name ?? 'the adapter'} has no revokeToken()`);
  await tenant.adapter!.revokeToken!();
  expect401(await tenant.scim.get('/Users', { count: 1 }));
});
