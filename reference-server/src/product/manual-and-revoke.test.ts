import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DefectName } from '../defects/index.ts';
import { CORE_USER, productFixture } from './testing/fixture.ts';

type Fixture = Awaited<ReturnType<typeof productFixture>>;

/**
 * Seed rules around Revoke and manual changes: only Master and Security Admins revoke; the console's Revoke asks
 * "Revoke SCIM token?" first; a user disabled or deleted by hand in the Users tab loses access to the app.
 */
async function setUp(defects: DefectName[] = []) {
  const f = await productFixture({ defects });
  await f.activateSso();
  const { token } = await f.generate();
  return { f, token };
}

async function scimUser(f: Fixture, token: string, userName: string): Promise<string> {
  const res = await f.scim(token, 'POST', '/Users', { schemas: [CORE_USER], userName, emails: [{ value: userName, primary: true }] });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as string;
}

describe('Revoke: who may, and the confirmation', () => {
  let f: Fixture;
  let token: string;
  before(async () => ({ f, token } = await setUp()));
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
  before(async () => ({ f, token } = await setUp()));
  after(() => f.close());

  it('a user disabled by hand is refused at /signin and their open session ends', async () => {
    const id = await scimUser(f, token, 'hand.disabled@acme.test');
    const signedIn = await f.endUserSignIn('hand.disabled@acme.test');
    assert.equal(signedIn.status, 303);
    assert.equal((await f.master.call('POST', `/console/users/${id}/disable`)).statusCode, 303);
    assert.equal(f.app.endUserSessions.count(f.accountId, id), 0);
    const again = await f.endUserSignIn('hand.disabled@acme.test');
    assert.equal(again.status, 403, again.body);
    assert.match(again.body, /is disabled/);
  });

  it('a user deleted by hand is refused at /signin and their open session ends', async () => {
    const id = await scimUser(f, token, 'hand.deleted@acme.test');
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

describe('defects: viewer-can-revoke, revoke-without-confirmation, manual-disable-keeps-signin, manual-delete-keeps-signin', () => {
  let f: Fixture;
  let token: string;
  before(
    async () => ({ f, token } = await setUp(['viewer-can-revoke', 'revoke-without-confirmation', 'manual-disable-keeps-signin', 'manual-delete-keeps-signin'])),
  );
  after(() => f.close());

  it('revoke-without-confirmation: the menu item posts Revoke at once, with no confirmation', async () => {
    const security = (await f.master.call('GET', '/console/security')).body;
    assert.match(
      security,
      /<form method="post" action="\/console\/security\/scim-token\/revoke">.*<button type="submit" role="menuitem">Revoke<\/button><\/form>/s,
    );
    assert.doesNotMatch(security, /href="\/console\/security\?confirm=revoke"/);
  });

  it('viewer-can-revoke: a Viewer sees Revoke and the API accepts it; generating stays refused', async () => {
    assert.match((await f.admins.Viewer.call('GET', '/console/security')).body, /SCIM token actions/);
    assert.equal((await f.admins.Viewer.call('POST', '/api/v1/scim-token')).statusCode, 403);
    assert.equal((await f.admins.Viewer.call('DELETE', '/api/v1/scim-token')).statusCode, 204);
    assert.equal((await f.scim(token, 'GET', '/Users')).statusCode, 401);
    ({ token } = await f.generate());
  });

  it('manual-disable-keeps-signin: shown Disabled, yet signs in; a SCIM deactivation still refuses', async () => {
    const byHand = await scimUser(f, token, 'kept.disabled@acme.test');
    await f.master.call('POST', `/api/v1/users/${byHand}/disable`);
    assert.equal((await f.master.call('GET', `/api/v1/users/${byHand}`)).json().status, 'Disabled');
    assert.equal((await f.endUserSignIn('kept.disabled@acme.test')).status, 303);
    const byIdp = await scimUser(f, token, 'idp.disabled@acme.test');
    await f.scim(token, 'PATCH', `/Users/${byIdp}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    assert.equal((await f.endUserSignIn('idp.disabled@acme.test')).status, 403);
  });

  it('manual-delete-keeps-signin: gone from the Users tab, yet signs in; a SCIM deletion still refuses', async () => {
    const byHand = await scimUser(f, token, 'kept.deleted@acme.test');
    await f.master.call('DELETE', `/api/v1/users/${byHand}`);
    assert.deepEqual((await f.master.call('GET', '/api/v1/users?userName=kept.deleted@acme.test')).json(), { users: [] });
    const signedIn = await f.endUserSignIn('kept.deleted@acme.test');
    assert.equal(signedIn.status, 303);
    const home = await f.app.inject({ method: 'GET', url: '/app', headers: { cookie: signedIn.cookie! } });
    assert.match(home.body, /Signed in as kept\.deleted@acme\.test/);
    const byIdp = await scimUser(f, token, 'idp.deleted@acme.test');
    assert.equal((await f.scim(token, 'DELETE', `/Users/${byIdp}`)).statusCode, 204);
    assert.equal((await f.endUserSignIn('idp.deleted@acme.test')).status, 403);
  });
});

describe('defect idp-deleted-user-signs-in', () => {
  let f: Fixture;
  let token: string;
  before(async () => ({ f, token } = await setUp(['idp-deleted-user-signs-in'])));
  after(() => f.close());

  it('a user deleted through SCIM is gone from the Users tab, yet signs in; a deletion by hand still refuses', async () => {
    const byIdp = await scimUser(f, token, 'ghost@acme.test');
    assert.equal((await f.scim(token, 'DELETE', `/Users/${byIdp}`)).statusCode, 204);
    assert.deepEqual((await f.master.call('GET', '/api/v1/users?userName=ghost@acme.test')).json(), { users: [] });
    const signedIn = await f.endUserSignIn('ghost@acme.test');
    assert.equal(signedIn.status, 303);
    assert.match((await f.app.inject({ method: 'GET', url: '/app', headers: { cookie: signedIn.cookie! } })).body, /Signed in as ghost@acme\.test/);
    const byHand = await scimUser(f, token, 'hand.gone@acme.test');
    assert.equal((await f.master.call('DELETE', `/api/v1/users/${byHand}`)).statusCode, 200);
    assert.equal((await f.endUserSignIn('hand.gone@acme.test')).status, 403);
  });
});

describe('defect sso-activate-not-saved', () => {
  let f: Fixture;
  before(async () => {
    f = await productFixture({ defects: ['sso-activate-not-saved'] });
    await f.master.call('PUT', '/api/v1/sso', f.ssoSettings);
  });
  after(() => f.close());

  it("the console's Activate SSO reports success but saves nothing; the admin API still activates", async () => {
    const clicked = await f.master.call('POST', '/console/security/sso/activate');
    assert.deepEqual([clicked.statusCode, clicked.headers.location], [303, '/console/security?done=sso-activated']);
    assert.equal((await f.master.call('GET', '/api/v1/sso')).json().state, 'configured');
    assert.equal((await f.master.call('PUT', '/api/v1/sso/state', { state: 'active' })).json().ssoState, 'active');
  });
});
