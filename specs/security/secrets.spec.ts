import { expect, req, test } from '../../fixtures/test.ts';
import { NOT_CLAIMED } from '../../harness/capabilities.ts';
import type { ScimResponse } from '../../harness/scim-client.ts';
import { expectStatus, explain, postOversized } from '../checks/scim.ts';

// Secrets never travel back (RFC 7643 §4.1.1 password returned=never; RFC 7644 §7), hostile input stays data.

function expectNoSecret(res: ScimResponse, secret: string, what: string): void {
  expect(res.text.includes(secret), `${what} appears in the body of ${res.exchange.request.method} ${res.exchange.request.url}`).toBe(false);
  for (const [name, value] of Object.entries(res.headers)) expect(value.includes(secret), `${what} appears in response header ${name}`).toBe(false);
}

test('a password is never returned, whatever wrote it', req('SEC-SECRETS-PASSWORD-NEVER-RETURNED'), async ({ scim, make, capabilities }) => {
  const password = `S3cret-${make.name('pw')}!`;
  const body = make.userBody({ password });
  const created = await scim.post('/Users', body);
  make.track('Users', (created.body as { id?: string } | undefined)?.id);
  expectStatus(created, 200, 201);
  const user = await scim.user(created);
  expect(user.password, 'password attribute in the POST answer').toBeUndefined();
  expectNoSecret(created, password, 'the password');
  const responses = [await scim.getUser(user.id), await scim.get('/Users', { filter: `userName eq "${user.userName}"`, attributes: 'password,userName' })];
  const put = await scim.put(`/Users/${user.id}`, { ...body, password: `${password}-2` });
  responses.push(put);
  if (capabilities.patch) responses.push(await scim.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'password', value: `${password}-3` }]));
  for (const res of responses) {
    expect(res.status, explain(res)).toBeLessThan(300);
    expect(res.text.includes('"password"'), `password attribute in ${res.exchange.request.method} ${res.exchange.request.url}`).toBe(false);
    expectNoSecret(res, password, 'the password');
  }
});

test('filtering on password reveals nothing', req('SEC-SECRETS-PASSWORD-FILTER'), async ({ scim, make, capabilities }) => {
  test.skip(!capabilities.filter, NOT_CLAIMED.filter);
  const password = `Guess-${make.name('pw')}!`;
  await make.user({ password });
  for (const filter of [`password eq "${password}"`, `password sw "${password.slice(0, 8)}"`, 'password pr']) {
    const res = await scim.get('/Users', { filter });
    if (res.status === 200) expect((res.body as { totalResults?: number }).totalResults, `${filter} matched`).toBe(0);
    else expect(res.status, explain(res)).toBe(400);
  }
});

test('no response echoes the bearer token, not even an error', req('SEC-SECRETS-TOKEN-NOT-ECHOED'), async ({ scim, make, target }) => {
  test.skip(target.auth.type !== 'bearer', `the run authenticates with ${target.auth.type}, not a static bearer token`);
  const token = target.auth.type === 'bearer' ? target.auth.token : '';
  const user = await make.user();
  const responses = [
    await scim.get('/ServiceProviderConfig'),
    await scim.getUser(user.id),
    await scim.request({ method: 'GET', path: '/Users', auth: { header: `Bearer ${token}x` } }),
    await scim.request({ method: 'GET', path: '/Users', auth: { header: `Basic ${Buffer.from(`scim:${token}`).toString('base64')}` } }),
    await scim.request({ method: 'POST', path: '/Users', rawBody: '{', auth: { header: `Bearer ${token}` } }),
  ];
  for (const res of responses) expectNoSecret(res, token, 'the bearer token');
});

test('error details leak no stack traces, SQL or file paths', req('SEC-SECRETS-NO-INTERNALS'), async ({ scim }) => {
  const responses = [
    await scim.request({ method: 'POST', path: '/Users', rawBody: '{"userName": ' }),
    await scim.get('/Users', { filter: 'userName eq "a" and (' }),
    await scim.get('/Users', { filter: 'userName eq "x\' OR 1=1 --"', sortBy: 'no;such' }),
    await scim.request({ method: 'PATCH', path: '/Users/scimulator-no-such-id', body: { Operations: [{ op: 'replace', path: '[[', value: 1 }] } }),
  ];
  for (const res of responses) {
    expect(res.safeText, explain(res)).not.toMatch(
      /\bat [\w$.<>]+ \(|node:internal|\/node_modules\/|SQLITE_|SqliteError|syntax error at or near|\.(ts|js):\d+:\d+/,
    );
  }
});

test('SQL-shaped filter values are data: 400 or an exact match, never more rows', req('SEC-INPUT-INJECTION'), async ({ scim, make, capabilities }) => {
  test.skip(!capabilities.filter, NOT_CLAIMED.filter);
  await make.user();
  const hostile = [`x" or "1"="1`, `x') OR 1=1 --`, `x\\" or userName pr or userName eq \\"y`, `%' OR '%'='`, '*', `x"; DROP TABLE users; --`];
  for (const value of hostile) {
    const res = await scim.get('/Users', { filter: `userName eq "${value}"` });
    expect(res.status, explain(res)).toBeLessThan(500);
    if (res.status === 200) expect((res.body as { totalResults?: number }).totalResults, `filter userName eq "${value}" matched`).toBe(0);
    else expect(res.status, explain(res)).toBe(400);
  }
  const bare = await scim.get('/Users', { filter: `userName sw "${make.prefix}"` });
  if (bare.status === 200) expect((bare.body as { totalResults?: number }).totalResults).toBe(1);
});

test('an oversized body is refused with 413 or 400', req('SEC-INPUT-OVERSIZED'), async ({ scim, target }) => {
  // fetch loses the answer when the server refuses before reading the whole body, so this check streams it itself
  const authorization = target.auth.type === 'bearer' ? `Bearer ${target.auth.token}` : undefined;
  const outcome = await test.step('POST /Users with a 12 MiB body', () => postOversized(scim.url('/Users'), 12 * 1024 * 1024, authorization, target.timeoutMs));
  expect([413, 400], `answered ${outcome}`).toContain(outcome);
});
