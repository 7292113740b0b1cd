/**
 * Seed rules around Revoke and manual changes: only Master and Security Admins revoke; the console's Revoke asks
 * "Revoke SCIM token?" first; a user disabled or deleted by hand in the Users tab loses access to the app.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type productFixture, provisionedFixture } from './testing/fixture.ts';

type Fixture = Awaited<ReturnType<typeof productFixture>>;

describe('Revoke: who may, and the confirmation', () => {
  let f: Fixture;
  let token: string;
  before(async () => ({ f, token } = await provisionedFixture()));
  after(() => f.close());

  it('a Viewer is refused Revoke with 403 forbidden, the console offers no Revoke and says why; the token keeps working', async () => {
    const res = await f.admins.Viewer.call('DELETE', '/api/v1/scim-token');
    assert.deepEqual([res.statusCode, res.json().error], [403, 'forbidden']);
    assert.equal((await f.scim(token, 'GET', '/Users')).statusCode, 200);
    const page = (await f.admins.Viewer.call('GET', '/console/security?confirm=revoke')).body;
    assert.doesNotMatch(page, /SCIM token actions/);
    assert.doesNotMatch(page, /Revoke SCIM token\?/);
    assert.match(page, /id="revoke-reason"[^>]*>Only a Master Admin or a Security Admin can revoke SCIM tokens; your role is Viewer\./);
    const posted = await f.admins.Viewer.call('POST', '/console/security/scim-token/revoke');
    assert.equal(posted.statusCode, 403);
    assert.equal((await f.scim(token, 'GET', '/Users')).statusCode, 200);
  });

  it('the three-dots Revoke leads to the "Revoke SCIM token?" confirmation; Cancel leaves the token working', async () => {
    const security = (await f.master.call('GET', '/console/security')).body;
    assert.match(security, /<a role="menuitem" href="\/console\/security\?confirm=revoke">Revoke<\/a>/);
    assert.doesNotMatch(security, /Revoke SCIM token\?/, 'nothing is asked before Revoke is chosen');
    const confirm = (await f.master.call('GET', '/console/security?confirm=revoke')).body;
    assert.match(confirm, /role="dialog"[^>]*aria-labelledby="revoke-heading"/);
    assert.match(confirm, /<h2 id="revoke-heading">Revoke SCIM token\?<\/h2>/);
    assert.match(confirm, /<a class="button secondary" href="\/console\/security">Cancel<\/a>/);
    // showing the confirmation (and following Cancel back) changes nothing
    assert.equal((await f.master.call('GET', '/console/security')).statusCode, 200);
    assert.equal((await f.scim(token, 'GET', '/Users')).statusCode, 200);
    assert.equal((await f.master.call('GET', '/api/v1/account')).json().scimToken.active, true);
  });
});

describe('manual changes in the Users tab end access', () => {
  let f: Fixture;
  let token: string;
  before(async () => ({ f, token } = await provisionedFixture()));
  after(() => f.close());

  it('a user disabled by hand is refused at /signin and their open session ends', async () => {
    const id = await f.scimUser(token, 'hand.disabled@acme.test');
    const signedIn = await f.endUserSignIn('hand.disabled@acme.test');
    assert.equal(signedIn.status, 303);
    assert.equal((await f.master.call('POST', `/console/users/${id}/disable`)).statusCode, 303);
    assert.equal(f.app.endUserSessions.count(f.accountId, id), 0);
    const again = await f.endUserSignIn('hand.disabled@acme.test');
    assert.equal(again.status, 403, again.body);
    assert.match(again.body, /is disabled/);
  });

  it('a user deleted by hand is refused at /signin and their open session ends', async () => {
    const id = await f.scimUser(token, 'hand.deleted@acme.test');
    const signedIn = await f.endUserSignIn('hand.deleted@acme.test');
    assert.equal(signedIn.status, 303);
    assert.equal((await f.master.call('DELETE', `/api/v1/users/${id}`)).statusCode, 200);
    const home = await f.app.inject({ method: 'GET', url: '/app', headers: { cookie: signedIn.cookie! } });
    assert.deepEqual([home.statusCode, home.headers.location], [303, '/signin']);
    const again = await f.endUserSignIn('hand.deleted@acme.test');
    assert.equal(again.status, 403, again.body);
    assert.match(again.body, /There is no Acme Cloud account for hand\.deleted@acme\.test/);
  });
});
