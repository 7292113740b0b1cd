import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../app.ts';
import { seedDemo } from './demo.ts';

describe('serve --demo seeding of the product', () => {
  it('seeds the three roles, an API key and active SSO; a second run rotates passwords and the key', async () => {
    const app = buildApp({ logLevel: 'silent', ssoIssuer: 'http://127.0.0.1:9/' });
    await app.ready();
    try {
      const account = app.store.accounts.create({ name: 'Demo' });
      const demo = { accountId: account.id, url: 'http://127.0.0.1:1234/' };
      const first = await seedDemo(app.product, demo, { ssoIssuer: 'http://127.0.0.1:9/' });
      assert.deepEqual(first.admins.map((a) => a.role), ['Master Admin', 'Security Admin', 'Viewer']);
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
});
