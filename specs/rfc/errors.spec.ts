import { expect, readOnlyReq, req, test } from '../../fixtures/test.ts';
import { URN } from '../../fixtures/scim-schemas.ts';
import { expectScimContentType, expectScimError, expectStatus, explain } from '../checks/scim.ts';

// RFC 7644 §3.12: error responses and the scimType catalogue.

test('error bodies carry the Error schema, the status as a string and a detail', readOnlyReq('RFC-ERROR-BODY', 'RFC-USER-GET-NOTFOUND'), async ({ scim }) => {
  const res = await scim.getUser('scimulator-no-such-id');
  await expectScimError(scim, res, 404);
  expectScimContentType(res);
  expect(typeof (res.body as { detail?: unknown }).detail, 'detail').toBe('string');
});

test('a body that is not JSON answers 400 invalidSyntax', req('RFC-ERROR-INVALIDSYNTAX'), async ({ scim }) => {
  const res = await scim.request({ method: 'POST', path: '/Users', rawBody: '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": ' });
  await expectScimError(scim, res, 400, 'invalidSyntax');
});

test('an invalid attribute value answers 400 invalidValue', req('RFC-ERROR-INVALIDVALUE'), async ({ scim, make }) => {
  const res = await scim.post('/Users', make.userBody({ emails: 'not-a-list-of-emails' as unknown as [] }));
  make.track('Users', (res.body as { id?: string } | undefined)?.id);
  await expectScimError(scim, res, 400, 'invalidValue');
});

test('a filter too broad for the server is refused with tooMany, or answered normally', readOnlyReq('RFC-ERROR-TOOMANY'), async ({ scim }) => {
  const res = await scim.get('/Users', { filter: 'userName pr', count: 1 });
  if (res.status === 200) {
    expect((res.body as { schemas?: string[] }).schemas).toContain(URN.list);
  } else {
    await expectScimError(scim, res, 400, 'tooMany');
  }
});

test('filtering on a returned=never attribute is refused or matches nothing', req('RFC-ERROR-SENSITIVE'), async ({ scim, make }) => {
  const password = `Pw-${make.name('p')}!9`;
  await make.user({ password });
  const res = await scim.get('/Users', { filter: `password eq "${password}"` });
  if (res.status === 200) {
    expect((res.body as { totalResults?: number }).totalResults, 'a password filter matched a user').toBe(0);
  } else {
    await expectScimError(scim, res, 400, ['sensitive', 'invalidFilter']);
  }
});

test('an If-Match that is not a version never succeeds', req('RFC-ERROR-INVALIDVERS'), async ({ scim, make, capabilities }) => {
  const user = await make.user();
  const res = await scim.put(`/Users/${user.id}`, { ...make.userBody({ userName: user.userName! }), displayName: 'changed' }, { 'if-match': 'W/"not-a-version-scimulator"' });
  if (res.status === 400) await expectScimError(scim, res, 400, 'invalidVers');
  else if (res.status === 412) await expectScimError(scim, res, 412);
  else {
    // a server without ETag support may ignore If-Match entirely (RFC 7644 §3.14 makes versioning optional)
    expect(capabilities.etag, `If-Match was ignored although etag.supported=true: ${explain(res)}`).toBe(false);
  }
});

test('malformed requests are client errors, never 5xx', req('RFC-ERROR-NO-5XX'), async ({ scim }) => {
  const probes = [
    () => scim.request({ method: 'POST', path: '/Users', rawBody: '[' }),
    () => scim.request({ method: 'POST', path: '/Users', rawBody: 'null' }),
    () => scim.request({ method: 'POST', path: '/Users', rawBody: '"a string"' }),
    () => scim.request({ method: 'POST', path: '/Users', body: { schemas: [URN.user], userName: { nested: true } } }),
    () => scim.request({ method: 'POST', path: '/Groups', body: { schemas: [URN.group], displayName: 'x', members: 'nope' } }),
    () => scim.request({ method: 'PATCH', path: '/Users/scimulator-no-such-id', body: { Operations: 'nope' } }),
    () => scim.get('/Users', { filter: 'userName eq' }),
    () => scim.get('/Users', { filter: '((((' }),
    () => scim.get('/Users', { startIndex: 'abc', count: 'xyz' }),
    () => scim.get('/Users', { sortBy: '"];--', sortOrder: 'sideways' }),
    () => scim.get('/Users', { attributes: ',,,' }),
    () => scim.request({ method: 'POST', path: '/Users', rawBody: '{"userName": "x"}', headers: { 'content-type': 'text/plain' } }),
  ];
  for (const probe of probes) {
    const res = await probe();
    expect(res.status, explain(res)).toBeLessThan(500);
  }
});

test('GET /Me answers the subject or 501 with a SCIM error', readOnlyReq('RFC-ME-NOTIMPLEMENTED'), async ({ scim }) => {
  const res = await scim.get('/Me');
  if (res.status !== 200) await expectScimError(scim, res, 501);
  else expectStatus(res, 200);
});
