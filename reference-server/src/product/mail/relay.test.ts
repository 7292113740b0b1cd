import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../app.ts';
import { startMailbox } from '../testing/mailbox.ts';

type Mailbox = Awaited<ReturnType<typeof startMailbox>>;
const NO_SMTP_NOTE = 'No SMTP server is configured';

/**
 * A server (with or without a server-wide `--smtp`) and an operator key; `account()` makes an account through the
 * operator API, adds a Master Admin to it and walks it to a SCIM token, which queues the "New SCIM Token" email.
 */
async function relayServer(smtp: Mailbox | undefined) {
  const app = buildApp({ logLevel: 'silent', publicUrl: 'http://app.test', ...(smtp ? { smtp: { host: smtp.host, port: smtp.port } } : {}) });
  await app.ready();
  const home = app.store.accounts.create({ name: 'Operator home' });
  const operatorKey = app.product.admins.createApiKey({ accountId: home.id, name: 'demo', role: 'Master Admin', createdBy: 'test', operator: true }).key;
  const as = (key: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });

  async function account(name: string, mailRelay?: Mailbox) {
    const created = await as(operatorKey, 'POST', '/api/v1/accounts', { name, ...(mailRelay ? { mailRelay: `${mailRelay.host}:${mailRelay.port}` } : {}) });
    assert.equal(created.statusCode, 201, created.body);
    const { accountId, adminApiKey } = created.json() as { accountId: string; adminApiKey: string };
    const email = `admin@${name.toLowerCase().replace(/\W+/g, '-')}.test`;
    const admin = await as(adminApiKey, 'POST', '/api/v1/admins', { email, name: 'Admin', role: 'Master Admin' });
    assert.equal(admin.statusCode, 201);
    await as(adminApiKey, 'PUT', '/api/v1/sso', { issuer: 'http://127.0.0.1:9/', clientId: 'c', clientSecret: 's' });
    await as(adminApiKey, 'PUT', '/api/v1/sso/state', { state: 'active' });
    assert.equal((await as(adminApiKey, 'POST', '/api/v1/scim-token')).statusCode, 201);
    const outbox = async () =>
      (await as(adminApiKey, 'GET', '/api/v1/outbox')).json().messages as { subject: string; status: string; attempts: number; lastError: string | null }[];
    const consoleOutbox = async () => {
      const session = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: admin.json().password } });
      const cookie = String(session.headers['set-cookie']).split(';')[0]!;
      return (await app.inject({ method: 'GET', url: '/console/outbox', headers: { cookie } })).body;
    };
    return { accountId, email, outbox, consoleOutbox };
  }
  return { app, account };
}

describe('per-account mail relay', () => {
  it("sends an account's mail to its relay, not to the server-wide SMTP server; others still use the server-wide one", async () => {
    const [serverWide, relay] = await Promise.all([startMailbox(), startMailbox()]);
    const { app, account } = await relayServer(serverWide);
    try {
      const relayed = await account('Relayed', relay);
      const plain = await account('Plain');
      assert.equal(await app.mailSender.drain(5000), true);
      assert.deepEqual(
        relay.messages.map((m) => [m.to, m.subject]),
        [[[relayed.email], 'New SCIM Token']],
      );
      assert.deepEqual(
        serverWide.messages.map((m) => [m.to, m.subject]),
        [[[plain.email], 'New SCIM Token']],
      );
      assert.deepEqual(
        (await relayed.outbox()).map((m) => m.status),
        ['sent'],
      );
      assert.doesNotMatch(await relayed.consoleOutbox(), new RegExp(NO_SMTP_NOTE));
    } finally {
      await app.close();
      await Promise.all([serverWide.close(), relay.close()]);
    }
  });

  it('delivers through a relay when the server has no SMTP server; accounts without one keep their mail undelivered and say so', async () => {
    const relay = await startMailbox();
    const { app, account } = await relayServer(undefined);
    try {
      const relayed = await account('Relayed', relay);
      const plain = await account('Plain');
      assert.equal(await app.mailSender.drain(5000), true, 'drain counts only what can be delivered');
      assert.deepEqual(
        relay.messages.map((m) => [m.to, m.subject]),
        [[[relayed.email], 'New SCIM Token']],
      );
      assert.deepEqual(
        (await plain.outbox()).map((m) => [m.status, m.attempts]),
        [['pending', 0]],
        'no delivery was attempted',
      );
      assert.match(await plain.consoleOutbox(), new RegExp(NO_SMTP_NOTE));
      assert.doesNotMatch(await relayed.consoleOutbox(), new RegExp(NO_SMTP_NOTE));
    } finally {
      await app.close();
      await relay.close();
    }
  });

  it('a refused delivery to the relay is recorded on the message (for retry) and never falls back to the server-wide server', async () => {
    const serverWide = await startMailbox();
    const dead = { host: '127.0.0.1', port: 1 } as Mailbox;
    const { app, account } = await relayServer(serverWide);
    try {
      const relayed = await account('Dead relay', dead);
      await app.mailSender.drain(300);
      const [message] = await relayed.outbox();
      assert.ok(message && message.attempts >= 1, 'a delivery was attempted');
      assert.equal(message.status, 'pending', 'kept for the next attempt');
      assert.match(message.lastError ?? '', /ECONNREFUSED|connect/i);
      assert.equal(serverWide.messages.length, 0);
    } finally {
      await app.close();
      await serverWide.close();
    }
  });
});
