import { expect, notAssessed, readOnlyReq, req, test, verify } from '../../fixtures/test.ts';
import { TransportError, type ScimClient, type ScimRequest, type ScimResponse } from '../../harness/scim-client.ts';
import { URN } from '../../harness/scim-schemas.ts';
import { expectStatus, explain } from '../checks/scim.ts';

// Authentication (RFC 7644 §2, §7.4; RFC 6750; RFC 7235).

/**
 * A request with bad or no credentials. A target that slows such answers down or throttles them (brute-force
 * protection) is doing something legitimate the check cannot see past: the requirement is not assessed, with that
 * reason, instead of failing on a timeout.
 */
async function refusal(scim: ScimClient, req: ScimRequest): Promise<ScimResponse> {
  let res: ScimResponse;
  try {
    res = await scim.request(req);
  } catch (err) {
    if (err instanceof TransportError)
      notAssessed(`the target did not answer a request with bad credentials in time (it may delay credential failures on purpose): ${err.message}`);
    throw err;
  }
  if (res.status === 429 || res.status === 503)
    notAssessed(
      `the target throttles requests with bad credentials (${res.status}${res.headers['retry-after'] ? `, Retry-After ${res.headers['retry-after']}` : ''})`,
    );
  return res;
}

const expect401 = (res: ScimResponse) => expect(res.status, explain(res)).toBe(401);

/** Re-cases a credential so it differs from the real one only in letter case. */
function flipCase(token: string): string {
  const flipped = [...token].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  return flipped === token ? `${token}X` : flipped;
}

test(
  'a request without credentials answers 401 with a challenge and a SCIM error',
  readOnlyReq('SEC-AUTH-MISSING', 'SEC-AUTH-CHALLENGE', 'SEC-AUTH-ERROR-BODY'),
  async ({ scim, target }) => {
    let res: ScimResponse | undefined;
    await verify('SEC-AUTH-MISSING', async () => {
      res = await refusal(scim, { method: 'GET', path: '/Users', auth: 'none' });
      expect401(res);
    });
    const unauthorized = res?.status === 401 ? res : undefined;
    await verify(
      'SEC-AUTH-CHALLENGE',
      () => {
        if (!unauthorized) notAssessed('the request without credentials was not answered 401 (SEC-AUTH-MISSING), so there is no 401 to read a challenge from');
        const challenge = unauthorized.headers['www-authenticate'] ?? '';
        expect(challenge, 'WWW-Authenticate header on the 401').not.toBe('');
        // RFC 6750 §3: a resource server taking bearer tokens names the Bearer scheme
        if (target.auth.type === 'bearer') expect(challenge, 'the challenge names the Bearer scheme').toMatch(/\bBearer\b/i);
      },
      res ? [res] : [],
    );
    await verify(
      'SEC-AUTH-ERROR-BODY',
      () => {
        if (!unauthorized) notAssessed('the request without credentials was not answered 401 (SEC-AUTH-MISSING)');
        const body = unauthorized.body as { schemas?: unknown; status?: unknown } | undefined;
        expect(body?.schemas, `a SCIM Error body: ${unauthorized.safeText.slice(0, 200)}`).toContain(URN.error);
        expect(body?.status, 'the status as a string').toBe('401');
      },
      res ? [res] : [],
    );
  },
);

test('an unknown bearer token answers 401', readOnlyReq('SEC-AUTH-WRONG'), async ({ scim }) => {
  await verify('SEC-AUTH-WRONG', async () => {
    expect401(await refusal(scim, { method: 'GET', path: '/Users', auth: { header: 'Bearer scimulator-not-a-real-token-0123456789' } }));
  });
});

test('malformed Authorization headers answer 401 (or 400)', readOnlyReq('SEC-AUTH-MALFORMED'), async ({ scim }) => {
  await verify('SEC-AUTH-MALFORMED', async () => {
    // RFC 6750 §3.1: a malformed request SHOULD get 400 invalid_request; an unusable credential 401
    for (const header of ['Bearer', 'Bearer ', 'Token abc', 'Basic !!!', 'bearer\tx', 'Bearer a b c']) {
      const res = await refusal(scim, { method: 'GET', path: '/Users', auth: { header } });
      expect([400, 401], `${JSON.stringify(header)}: ${explain(res)}`).toContain(res.status);
    }
  });
});

test('the right token with its case changed answers 401', readOnlyReq('SEC-AUTH-TOKEN-CASE'), async ({ scim, target }) => {
  test.skip(target.auth.type !== 'bearer', `the run authenticates with ${target.auth.type}, not a static bearer token`);
  const token = target.auth.type === 'bearer' ? target.auth.token : '';
  await verify('SEC-AUTH-TOKEN-CASE', async () => {
    expect401(await refusal(scim, { method: 'GET', path: '/Users', auth: { header: `Bearer ${flipCase(token)}` } }));
    expect401(await refusal(scim, { method: 'GET', path: '/Users', auth: { header: `Bearer ${token.slice(0, -1)}` } }));
  });
});

test('discovery endpoints other than ServiceProviderConfig refuse requests without credentials', readOnlyReq('SEC-AUTH-DISCOVERY'), async ({ scim }) => {
  // RFC 7643 §5: authenticationSchemes SHOULD be readable without authentication, so an anonymous
  // /ServiceProviderConfig is never a failure; the other discovery endpoints may be protected
  await verify('SEC-AUTH-DISCOVERY', async () => {
    for (const path of ['/ResourceTypes', '/Schemas']) expect401(await refusal(scim, { method: 'GET', path, auth: 'none' }));
  });
});

test('a token in the query string is not accepted', readOnlyReq('SEC-AUTH-QUERY-TOKEN'), async ({ scim, target }) => {
  test.skip(target.auth.type !== 'bearer', `the run authenticates with ${target.auth.type}, not a static bearer token`);
  const token = target.auth.type === 'bearer' ? target.auth.token : '';
  await verify('SEC-AUTH-QUERY-TOKEN', async () => {
    expect401(await refusal(scim, { method: 'GET', path: '/Users', query: { access_token: token }, auth: 'none' }));
  });
});

test('writes without valid credentials answer 401 and change nothing', req('SEC-AUTH-ALL-METHODS'), async ({ scim, make }) => {
  const user = await make.user();
  const bad = { header: 'Bearer scimulator-not-a-real-token-0123456789' };
  const body = make.userBody();
  await verify('SEC-AUTH-ALL-METHODS', async () => {
    expect401(await refusal(scim, { method: 'POST', path: '/Users', body, auth: bad }));
    expect401(await refusal(scim, { method: 'PUT', path: `/Users/${user.id}`, body: { ...body, userName: user.userName }, auth: 'none' }));
    expect401(
      await refusal(scim, {
        method: 'PATCH',
        path: `/Users/${user.id}`,
        body: { schemas: [URN.patch], Operations: [{ op: 'replace', path: 'displayName', value: 'hijacked' }] },
        auth: bad,
      }),
    );
    expect401(await refusal(scim, { method: 'DELETE', path: `/Users/${user.id}`, auth: bad }));
    const after = await scim.user(await scim.getUser(user.id));
    expect(after.displayName).toBe(user.displayName);
    const created = await scim.get('/Users', { filter: `userName eq "${body.userName}"` });
    if (created.status === 200) expect((created.body as { totalResults?: number }).totalResults).toBe(0);
  });
});

test('a revoked token is refused at once', req('SEC-AUTH-REVOKED'), async ({ needs, freshTenant, adapter }) => {
  needs('freshTenant');
  const tenant = await freshTenant();
  expectStatus(await tenant.scim.get('/Users', { count: 1 }), 200);
  needs('revokeToken');
  // the fresh tenant's adapter revokes that tenant's token, never the token the rest of the run uses
  test.skip(!tenant.adapter?.revokeToken, `the fresh tenant from ${adapter.name ?? 'the adapter'} has no revokeToken()`);
  const revokeToken = tenant.adapter!.revokeToken!;
  await verify('SEC-AUTH-REVOKED', async () => {
    await revokeToken();
    expect401(await refusal(tenant.scim, { method: 'GET', path: '/Users', query: { count: 1 } }));
  });
});
