import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { harness, user, type Harness } from './testing.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.app.close();
});

const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });

test('missing, malformed and wrong tokens are 401 SCIM errors with WWW-Authenticate: Bearer', async () => {
  const cases: Record<string, string>[] = [
    {},
    { authorization: 'Basic dXNlcjpwYXNz' },
    { authorization: 'Bearer' },
    { authorization: `Bearer ${h.token}x` },
    { authorization: `Bearer ${h.token} extra` },
    { authorization: 'Bearer scim_not-a-real-token' },
  ];
  for (const headers of cases) {
    const res = await get(`${h.base}/Users`, headers);
    assert.equal(res.statusCode, 401, JSON.stringify(headers));
    assert.match(String(res.headers['www-authenticate']), /^Bearer/);
    assert.equal(res.json().status, '401');
    assert.match(String(res.headers['content-type']), /application\/scim\+json/);
  }
});

test('the bearer scheme name is case-insensitive', async () => {
  assert.equal((await get(`${h.base}/Users`, { authorization: `bearer ${h.token}` })).statusCode, 200);
});

test("a token works only on its own account's base; discovery needs a token too", async () => {
  const other = h.app.store.accounts.create({ name: 'other', ssoState: 'active' });
  const otherToken = h.app.store.tokens.issueScimToken(other.id).token;
  assert.equal((await get(`/scim/v2/${other.id}/Users`, { authorization: `Bearer ${h.token}` })).statusCode, 401);
  assert.equal((await get(`${h.base}/Users`, { authorization: `Bearer ${otherToken}` })).statusCode, 401);
  assert.equal((await get('/scim/v2/no-such-account/Users', { authorization: `Bearer ${h.token}` })).statusCode, 401);
  for (const path of ['ServiceProviderConfig', 'Schemas', 'ResourceTypes']) assert.equal((await get(`${h.base}/${path}`)).statusCode, 401, path);
});

test('a revoked token is refused on the very next request; a reissued one replaces the old', async () => {
  const acct = h.app.store.accounts.create({ name: 'revoke', ssoState: 'active' });
  const first = h.app.store.tokens.issueScimToken(acct.id).token;
  assert.equal((await get(`/scim/v2/${acct.id}/Users`, { authorization: `Bearer ${first}` })).statusCode, 200);
  const second = h.app.store.tokens.issueScimToken(acct.id).token;
  assert.equal((await get(`/scim/v2/${acct.id}/Users`, { authorization: `Bearer ${first}` })).statusCode, 401);
  assert.equal((await get(`/scim/v2/${acct.id}/Users`, { authorization: `Bearer ${second}` })).statusCode, 200);
  assert.equal(h.app.store.tokens.revokeScimToken(acct.id), true);
  assert.equal((await get(`/scim/v2/${acct.id}/Users`, { authorization: `Bearer ${second}` })).statusCode, 401);
});

test('tokens are random, prefixed, and stored only as sha256 hashes', () => {
  const acct = h.app.store.accounts.create({ name: 'hash' });
  const { token } = h.app.store.tokens.issueScimToken(acct.id);
  assert.match(token, /^scim_[A-Za-z0-9_-]{43}$/);
  const rows = h.app.db.prepare('SELECT token_hash FROM scim_tokens WHERE account_id = ?').pluck().all(acct.id) as string[];
  assert.equal(rows.length, 1);
  assert.match(rows[0]!, /^[0-9a-f]{64}$/);
  assert.ok(!JSON.stringify(h.app.db.prepare('SELECT * FROM scim_tokens').all()).includes(token));
});

test('while SSO is not active, a valid token gets 403 saying SSO is not active', async () => {
  const acct = h.app.store.accounts.create({ name: 'sso', ssoState: 'configured' });
  const token = h.app.store.tokens.issueScimToken(acct.id).token;
  const res = await get(`/scim/v2/${acct.id}/Users`, { authorization: `Bearer ${token}` });
  assert.equal(res.statusCode, 403);
  assert.match(res.json().detail, /SSO is not active/);
  h.app.store.accounts.setSsoState(acct.id, 'active');
  assert.equal((await get(`/scim/v2/${acct.id}/Users`, { authorization: `Bearer ${token}` })).statusCode, 200);
  h.app.store.accounts.setSsoState(acct.id, 'unconfigured');
  assert.equal((await get(`/scim/v2/${acct.id}/Users`, { authorization: `Bearer ${token}` })).statusCode, 403);
});

test('accounts are isolated: a user of one account is invisible from another', async () => {
  const mine = await h.req('POST', 'Users', user('isolated@x.test'));
  const other = h.app.store.accounts.create({ name: 'iso', ssoState: 'active' });
  const otherToken = h.app.store.tokens.issueScimToken(other.id).token;
  const res = await get(`/scim/v2/${other.id}/Users/${mine.body.id}`, { authorization: `Bearer ${otherToken}` });
  assert.equal(res.statusCode, 404);
  const sameName = await h.app.inject({
    method: 'POST',
    url: `/scim/v2/${other.id}/Users`,
    headers: { authorization: `Bearer ${otherToken}`, 'content-type': 'application/json' },
    payload: user('isolated@x.test'),
  });
  assert.equal(sameName.statusCode, 201, 'userName uniqueness is per account');
});

test('tokens and passwords never reach the logs, even at trace level', async () => {
  const lines: string[] = [];
  const { buildApp } = await import('../app.ts');
  const app = buildApp({ logLevel: 'trace' }, { logDestination: { write: (line: string) => void lines.push(line) } });
  try {
    const acct = app.store.accounts.create({ name: 'logs', ssoState: 'active' });
    const { token } = app.store.tokens.issueScimToken(acct.id);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' };
    await app.inject({ method: 'POST', url: `/scim/v2/${acct.id}/Users`, headers, payload: user('logged@x.test', { password: 'Pa55word-in-body' }) });
    await app.inject({ method: 'GET', url: `/scim/v2/${acct.id}/Users`, headers: { authorization: `Bearer ${token}x` } });
    app.log.info({ token, password: 'Pa55word-in-body', req: { headers } }, 'probe');
    assert.ok(lines.length > 3);
    const all = lines.join('');
    assert.ok(!all.includes(token), 'token in logs');
    assert.ok(!all.includes('Pa55word'), 'password in logs');
  } finally {
    await app.close();
  }
});
