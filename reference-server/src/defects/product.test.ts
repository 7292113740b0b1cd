import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CORE_USER, productFixture, provisionedFixture } from '../product/testing/fixture.ts';

type Fixture = Awaited<ReturnType<typeof productFixture>>;

/** Each product defect breaks exactly its rule, so the harness's lifecycle checks have something to catch. */
describe('product defects (serve --defect)', () => {
  let f: Fixture;
  before(async () => {
    f = await productFixture({
      server: { defects: ['generate-ignores-sso', 'revoke-keeps-token', 'token-in-email', 'disabled-user-signs-in', 'no-welcome-email'] },
    });
  });
  after(() => f.close());

  it('generate-ignores-sso: a token is issued while SSO is unconfigured', async () => {
    assert.equal((await f.master.call('POST', '/api/v1/scim-token')).statusCode, 201);
  });

  it('token-in-email and revoke-keeps-token: the token leaks into mail and survives Revoke', async () => {
    await f.activateSso();
    const { token } = await f.generate();
    await f.drainMail();
    assert.ok(f.mailbox.messages.some((m) => m.text.includes(token)));
    assert.equal((await f.master.call('DELETE', '/api/v1/scim-token')).statusCode, 204);
    assert.equal((await f.scim(token, 'GET', '/Users')).statusCode, 200);
  });

  it('no-welcome-email and disabled-user-signs-in: no welcome mail, and a Disabled user gets in', async () => {
    const { token } = await f.generate();
    await f.drainMail();
    f.mailbox.messages.length = 0;
    const id = (
      await f.scim(token, 'POST', '/Users', { schemas: [CORE_USER], userName: 'zed@acme.test', active: false, emails: [{ value: 'zed@acme.test' }] })
    ).json().id as string;
    assert.ok(id);
    await f.drainMail();
    assert.ok(!f.mailbox.messages.some((m) => m.subject.startsWith('New SSO account')));
    assert.equal((await f.endUserSignIn('zed@acme.test')).status, 303);
  });
});

describe('defects: viewer-can-revoke, revoke-without-confirmation, manual-disable-keeps-signin, manual-delete-keeps-signin', () => {
  let f: Fixture;
  let token: string;
  before(
    async () =>
      ({ f, token } = await provisionedFixture({
        server: { defects: ['viewer-can-revoke', 'revoke-without-confirmation', 'manual-disable-keeps-signin', 'manual-delete-keeps-signin'] },
      })),
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
    const byHand = await f.scimUser(token, 'kept.disabled@acme.test');
    await f.master.call('POST', `/api/v1/users/${byHand}/disable`);
    assert.equal((await f.master.call('GET', `/api/v1/users/${byHand}`)).json().status, 'Disabled');
    assert.equal((await f.endUserSignIn('kept.disabled@acme.test')).status, 303);
    const byIdp = await f.scimUser(token, 'idp.disabled@acme.test');
    await f.scim(token, 'PATCH', `/Users/${byIdp}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    assert.equal((await f.endUserSignIn('idp.disabled@acme.test')).status, 403);
  });

  it('manual-delete-keeps-signin: gone from the Users tab, yet signs in; a SCIM deletion still refuses', async () => {
    const byHand = await f.scimUser(token, 'kept.deleted@acme.test');
    await f.master.call('DELETE', `/api/v1/users/${byHand}`);
    assert.deepEqual((await f.master.call('GET', '/api/v1/users?userName=kept.deleted@acme.test')).json(), { users: [] });
    const signedIn = await f.endUserSignIn('kept.deleted@acme.test');
    assert.equal(signedIn.status, 303);
    const home = await f.app.inject({ method: 'GET', url: '/app', headers: { cookie: signedIn.cookie! } });
    assert.match(home.body, /Signed in as kept\.deleted@acme\.test/);
    const byIdp = await f.scimUser(token, 'idp.deleted@acme.test');
    assert.equal((await f.scim(token, 'DELETE', `/Users/${byIdp}`)).statusCode, 204);
    assert.equal((await f.endUserSignIn('idp.deleted@acme.test')).status, 403);
  });
});

describe('defect idp-deleted-user-signs-in', () => {
  let f: Fixture;
  let token: string;
  before(async () => ({ f, token } = await provisionedFixture({ server: { defects: ['idp-deleted-user-signs-in'] } })));
  after(() => f.close());

  it('a user deleted through SCIM is gone from the Users tab, yet signs in; a deletion by hand still refuses', async () => {
    const byIdp = await f.scimUser(token, 'ghost@acme.test');
    assert.equal((await f.scim(token, 'DELETE', `/Users/${byIdp}`)).statusCode, 204);
    assert.deepEqual((await f.master.call('GET', '/api/v1/users?userName=ghost@acme.test')).json(), { users: [] });
    const signedIn = await f.endUserSignIn('ghost@acme.test');
    assert.equal(signedIn.status, 303);
    assert.match((await f.app.inject({ method: 'GET', url: '/app', headers: { cookie: signedIn.cookie! } })).body, /Signed in as ghost@acme\.test/);
    const byHand = await f.scimUser(token, 'hand.gone@acme.test');
    assert.equal((await f.master.call('DELETE', `/api/v1/users/${byHand}`)).statusCode, 200);
    assert.equal((await f.endUserSignIn('hand.gone@acme.test')).status, 403);
  });
});

describe('defect sso-activate-not-saved', () => {
  let f: Fixture;
  before(async () => {
    f = await productFixture({ server: { defects: ['sso-activate-not-saved'] } });
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
