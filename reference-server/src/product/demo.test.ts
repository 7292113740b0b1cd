import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../app.ts';
import { seedDemoAccount } from '../scim/demo.ts';
import { seedDemo } from './demo.ts';

describe('serve --demo seeding of the product', () => {
  it('seeds the three roles, an API key and active SSO; a second run rotates passwords and the key', async () => {
    const app = buildApp({ logLevel: 'silent', ssoIssuer: 'http://127.0.0.1:9/' });
    await app.ready();
    try {
      const account = app.store.accounts.create({ name: 'Demo' });
      const demo = { accountId: account.id, url: 'http://127.0.0.1:1234/' };
      const first = await seedDemo(app.product, demo, { ssoIssuer: 'http://127.0.0.1:9/' });
      assert.deepEqual(
        first.admins.map((a) => a.role),
        ['Master Admin', 'Security Admin', 'Viewer'],
      );
      assert.equal(first.adminApiUrl, 'http://127.0.0.1:1234/api/v1');
      assert.equal(first.sso?.redirectUri, 'http://127.0.0.1:1234/signin/callback');
      assert.equal(app.store.accounts.get(account.id)?.ssoState, 'active');

      const second = await seedDemo(app.product, demo, { ssoIssuer: 'http://127.0.0.1:9/', ssoClientId: 'fixed', ssoClientSecret: 'fixed-secret' });
      assert.equal(second.sso?.clientId, 'fixed');
      const [oldMaster, newMaster] = [first.admins[0]!, second.admins[0]!];
      assert.notEqual(oldMaster.password, newMaster.password);
      const login = (password: string) => app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: newMaster.email, password } });
      assert.equal((await login(oldMaster.password)).statusCode, 401);
      assert.equal((await login(newMaster.password)).statusCode, 200);
      const withKey = (key: string) => app.inject({ method: 'GET', url: '/api/v1/account', headers: { authorization: `Bearer ${key}` } });
      assert.equal((await withKey(first.adminApiKey)).statusCode, 401, 'the previous demo key is revoked');
      assert.equal((await withKey(second.adminApiKey)).statusCode, 200);
      const whoami = await app.inject({ method: 'GET', url: '/api/v1/whoami', headers: { authorization: `Bearer ${second.adminApiKey}` } });
      assert.deepEqual(whoami.json(), { accountId: account.id, principal: 'api-key', role: 'Master Admin', operator: true }, 'the demo key is an operator key');
      assert.equal(app.product.admins.list(account.id).length, 3);
    } finally {
      await app.close();
    }
  });

  it('without --sso-issuer, SSO is active only with a placeholder issuer and client id, never empty', async () => {
    const app = buildApp({ logLevel: 'silent' });
    await app.ready();
    try {
      // As `serve --demo` does: the SCIM side's demo account, then the product's seeding.
      const demo = { accountId: seedDemoAccount(app.store).accountId, url: 'http://127.0.0.1:1234' };
      const seeded = await seedDemo(app.product, demo, {});
      const res = await app.inject({ method: 'GET', url: '/api/v1/account', headers: { authorization: `Bearer ${seeded.adminApiKey}` } });
      const overview = res.json() as { ssoState: string; sso?: { issuer?: string; clientId?: string } };
      assert.equal(overview.ssoState, 'active');
      assert.ok(overview.sso?.issuer, `issuer: ${JSON.stringify(overview.sso)}`);
      assert.ok(overview.sso?.clientId);
      assert.equal(seeded.sso?.placeholder, true);
      assert.ok(seeded.sso?.issuer.startsWith('http://127.0.0.1:1234/'), 'the placeholder is the server itself, not some outside IdP');
      // A second run keeps the settings it finds (a real issuer saved in the console is not overwritten).
      await app.inject({
        method: 'PUT',
        url: '/api/v1/sso',
        headers: { authorization: `Bearer ${seeded.adminApiKey}` },
        payload: { issuer: 'https://idp.example.test', clientId: 'mine' },
      });
      const again = await seedDemo(app.product, demo, {});
      assert.equal(again.sso?.issuer, 'https://idp.example.test');
      assert.equal(again.sso?.placeholder, false);
    } finally {
      await app.close();
    }
  });
});
