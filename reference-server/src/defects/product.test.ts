import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CORE_USER, productFixture } from '../product/testing/fixture.ts';

type Fixture = Awaited<ReturnType<typeof productFixture>>;

/** Each product defect breaks exactly its rule, so the harness's lifecycle checks have something to catch. */
describe('product defects (serve --defect)', () => {
  let f: Fixture;
  before(async () => {
    f = await productFixture({ defects: ['generate-ignores-sso', 'revoke-keeps-token', 'token-in-email', 'disabled-user-signs-in', 'no-welcome-email'] });
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
