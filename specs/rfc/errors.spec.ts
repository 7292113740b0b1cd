import { expect, readOnlyReq, req, test, verify } from '../../fixtures/test.ts';
import { URN } from '../../harness/scim-schemas.ts';
import { expectScimError, expectStatus, explain } from '../checks/scim.ts';

// RFC 7644 §3.12: error responses and the scimType catalogue.

test('error bodies carry the Error schema and the status as a string', readOnlyReq('RFC-ERROR-BODY', 'RFC-USER-GET-NOTFOUND'), async ({ scim }) => {
  const res = await scim.getUser('scimulator-no-such-id');
  await verify('RFC-USER-GET-NOTFOUND', () => expectStatus(res, 404), [res]);
  // detail and scimType are OPTIONAL (RFC 7644 §3.12): the schema and the status string are what an error must carry
  await verify('RFC-ERROR-BODY', async () => {
    expect(res.status, explain(res)).toBeGreaterThanOrEqual(400);
    await expectScimError(scim, res, res.status);
  }, [res]);
});

test('a body that is not JSON answers 400', req('RFC-ERROR-INVALIDSYNTAX'), async ({ scim }) => {
  await verify('RFC-ERROR-INVALIDSYNTAX', async () => {
    const res = await scim.request({ method: 'POST', path: '/Users', rawBody: '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": ' });
    await expectScimError(scim, res, 400, ['invalidSyntax', 'invalidValue', undefined]);
  });
});

test('an invalid attribute value answers 400', req('RFC-ERROR-INVALIDVALUE'), async ({ scim, make }) => {
  await verify('RFC-ERROR-INVALIDVALUE', async () => {
    const res = await scim.post('/Users', make.userBody({ emails: 'not-a-list-of-emails' as unknown as [] }));
    make.track('Users', res);
    // Table 9: invalidValue, or invalidSyntax for a body that "did not conform to the request schema"; scimType is optional
    await expectScimError(scim, res, 400, ['invalidValue', 'invalidSyntax', undefined]);
  });
});

test('a filter too broad for the server is refused with tooMany, or answered normally', readOnlyReq('RFC-ERROR-TOOMANY'), async ({ scim }) => {
  await verify('RFC-ERROR-TOOMANY', async () => {
    const res = await scim.get('/Users', { filter: 'userName pr', count: 1 });
    if (res.status === 200) expect((res.body as { schemas?: string[] }).schemas).toContain(URN.list);
    // an operator or attribute the server does not support is invalidFilter (Table 9), not a result-size refusal
    else await expectScimError(scim, res, 400, ['tooMany', 'invalidFilter']);
  });
});

test('filtering on a returned=never attribute is refused or matches nothing', req('RFC-ERROR-SENSITIVE'), async ({ scim, make }) => {
  const password = `Pw-${make.name('p')}!9`;
  await make.user({ password });
  await verify('RFC-ERROR-SENSITIVE', async () => {
    const res = await scim.get('/Users', { filter: `password eq "${password}"` });
    if (res.status === 200) expect((res.body as { totalResults?: number }).totalResults, 'a password filter matched a user').toBe(0);
    // RFC 7644 §7.5.2: 403 for sensitive data in a GET filter; 400 is the common refusal; the scimType is optional
    else await expectScimError(scim, res, [400, 403]);
  });
});

test('an If-Match that is not a version never succeeds', req('RFC-ERROR-INVALIDVERS'), async ({ scim, make, capabilities }) => {
  test.skip(!capabilities.etag, 'etag.supported=false in ServiceProviderConfig: If-Match may be ignored');
  const user = await make.user();
  await verify('RFC-ERROR-INVALIDVERS', async () => {
    const res = await scim.put(
      `/Users/${user.id}`,
      { ...make.userBody({ userName: user.userName! }), displayName: 'changed' },
      { 'if-match': 'W/"not-a-version-scimulator"' },
    );
    // RFC 7232 §3.1: 412 and no change; 400 for a header the server cannot parse
    expect([400, 412], explain(res)).toContain(res.status);
    expect((await scim.user(await scim.getUser(user.id))).displayName, 'nothing changed').toBe(user.displayName);
  });
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
  await verify('RFC-ERROR-NO-5XX', async () => {
    for (const probe of probes) {
      const res = await probe();
      expect(res.status, explain(res)).toBeLessThan(500);
    }
  });
});

test('GET /Me answers the subject, 308, 404 or 501', readOnlyReq('RFC-ME-NOTIMPLEMENTED'), async ({ scim }) => {
  await verify('RFC-ME-NOTIMPLEMENTED', async () => {
    const res = await scim.get('/Me');
    // RFC 7644 §3.11: the subject's resource, a 308 to it, 501 when /Me is not supported; 404 when the subject has none
    if (res.status === 200 || res.status === 308) return;
    await expectScimError(scim, res, [404, 501]);
  });
});
