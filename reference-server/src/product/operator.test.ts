import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../store/db.ts';
import { sha256 } from './secrets.ts';
import { CORE_USER, PUBLIC_URL, productFixture } from './testing/fixture.ts';

type Fixture = Awaited<ReturnType<typeof productFixture>>;
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** Rows per account in every table with an `account_id` column, plus console sessions (keyed by their user). */
function rowCounts(db: Db): Map<string, number> {
  const counts = new Map<string, number>();
  const tables = db
    .prepare(`SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'account_id')`)
    .pluck()
    .all() as string[];
  for (const table of tables) {
    for (const r of db.prepare(`SELECT account_id AS a, count(*) AS n FROM "${table}" GROUP BY account_id`).all() as { a: string; n: number }[])
      counts.set(`${table}/${r.a}`, r.n);
  }
  for (const r of db.prepare('SELECT id AS a, 1 AS n FROM accounts').all() as { a: string; n: number }[]) counts.set(`accounts/${r.a}`, r.n);
  const sessions = db
    .prepare('SELECT u.account_id AS a, count(*) AS n FROM console_sessions s JOIN console_users u ON u.id = s.console_user_id GROUP BY u.account_id')
    .all() as { a: string; n: number }[];
  for (const r of sessions) counts.set(`console_sessions/${r.a}`, r.n);
  return counts;
}

describe('operator API: whoami, GET and POST /api/v1/accounts, DELETE /api/v1/accounts/:id', () => {
  let f: Fixture;
  let operatorKey: string;
  let masterKey: string;
  const as = (key: string, method: Method, url: string, payload?: unknown) =>
    f.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const create = (name: string, extra: Record<string, unknown> = {}) => as(operatorKey, 'POST', '/api/v1/accounts', { name, ...extra });

  before(async () => {
    f = await productFixture();
    // The flag is set only by serve --demo's seeding (demo.test.ts checks that key); here the fixture's account plays the demo.
    operatorKey = f.app.product.admins.createApiKey({ accountId: f.accountId, name: 'demo', role: 'Master Admin', createdBy: 'test', operator: true }).key;
    masterKey = (await f.master.call('POST', '/api/v1/api-keys', { name: 'ci', role: 'Master Admin' })).json().key;
  });
  after(() => f.close());

  it('whoami names the account, how the caller authenticated, the role and the operator flag', async () => {
    const who = async (res: Promise<{ statusCode: number; json: () => unknown }>) => {
      const r = await res;
      assert.equal(r.statusCode, 200);
      return r.json();
    };
    assert.deepEqual(await who(as(operatorKey, 'GET', '/api/v1/whoami')), {
      accountId: f.accountId,
      principal: 'api-key',
      role: 'Master Admin',
      operator: true,
    });
    assert.deepEqual(await who(as(masterKey, 'GET', '/api/v1/whoami')), {
      accountId: f.accountId,
      principal: 'api-key',
      role: 'Master Admin',
      operator: false,
    });
    assert.deepEqual(await who(f.master.call('GET', '/api/v1/whoami')), {
      accountId: f.accountId,
      principal: 'session',
      role: 'Master Admin',
      operator: false,
    });
    assert.deepEqual(await who(f.admins.Viewer.call('GET', '/api/v1/whoami')), {
      accountId: f.accountId,
      principal: 'session',
      role: 'Viewer',
      operator: false,
    });
    const anonymous = await f.app.inject({ method: 'GET', url: '/api/v1/whoami' });
    assert.deepEqual([anonymous.statusCode, anonymous.json().error], [401, 'unauthenticated']);
  });

  it('keys made through the API are never operator keys, whatever the body says', async () => {
    const res = await f.master.call('POST', '/api/v1/api-keys', { name: 'sneaky', role: 'Master Admin', operator: true });
    assert.deepEqual([res.statusCode, res.json().error], [400, 'invalid_request']);
    const listed = (await f.master.call('GET', '/api/v1/api-keys')).json().apiKeys as { name: string; operator: boolean }[];
    assert.deepEqual(
      listed.filter((k) => k.operator).map((k) => k.name),
      ['demo'],
    );
  });

  it('only an operator key may create an account: a session, a Master Admin key and no credentials are refused', async () => {
    const before = f.app.store.accounts.list().length;
    const bySession = await f.master.call('POST', '/api/v1/accounts', { name: 'Nope' });
    const byKey = await as(masterKey, 'POST', '/api/v1/accounts', { name: 'Nope' });
    const anonymous = await f.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { name: 'Nope' } });
    assert.deepEqual([bySession.statusCode, bySession.json().error], [403, 'forbidden']);
    assert.deepEqual([byKey.statusCode, byKey.json().error], [403, 'forbidden']);
    assert.deepEqual([anonymous.statusCode, anonymous.json().error], [401, 'unauthenticated']);
    assert.equal(f.app.store.accounts.list().length, before);
  });

  it('creates an account with a hashed, once-shown Master Admin key that is not an operator key, audited in both accounts', async () => {
    const res = await create('  Account One  ');
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['accountId', 'adminApiKey', 'adminApiUrl', 'name', 'scimUrl']);
    assert.equal(body.name, 'Account One');
    assert.equal(body.scimUrl, `${PUBLIC_URL}/scim/v2/${body.accountId}`);
    assert.equal(body.adminApiUrl, `${PUBLIC_URL}/api/v1`);
    assert.deepEqual((await as(body.adminApiKey, 'GET', '/api/v1/whoami')).json(), {
      accountId: body.accountId,
      principal: 'api-key',
      role: 'Master Admin',
      operator: false,
    });

    const stored = f.app.db.prepare('SELECT key_hash, operator FROM admin_api_keys WHERE account_id = ?').all(body.accountId) as {
      key_hash: string;
      operator: number;
    }[];
    assert.deepEqual(stored, [{ key_hash: sha256(body.adminApiKey), operator: 0 }]);
    const dump = JSON.stringify(f.app.db.prepare('SELECT * FROM admin_api_keys').all()) + JSON.stringify(f.app.db.prepare('SELECT * FROM audit_log').all());
    assert.equal(dump.includes(body.adminApiKey), false, 'the plaintext key is stored nowhere');

    const account = (await as(body.adminApiKey, 'GET', '/api/v1/account')).json();
    assert.deepEqual([account.id, account.ssoState, account.scimToken.active], [body.accountId, 'unconfigured', false]);
    assert.deepEqual((await as(body.adminApiKey, 'GET', '/api/v1/admins')).json().admins, []);

    const newAudit = (await as(body.adminApiKey, 'GET', '/api/v1/audit')).json().entries as { action: string }[];
    assert.deepEqual(newAudit.map((e) => e.action).sort(), ['account.created', 'api-key.created']);
    const opAudit = (await as(operatorKey, 'GET', '/api/v1/audit')).json().entries as { action: string; target: string }[];
    assert.ok(opAudit.some((e) => e.action === 'account.created' && e.target === body.accountId));

    // The new account's key makes only ordinary keys.
    const made = await as(body.adminApiKey, 'POST', '/api/v1/api-keys', { name: 'more', role: 'Master Admin' });
    assert.equal(made.json().info.operator, false);
    const fromNew = await as(body.adminApiKey, 'POST', '/api/v1/accounts', { name: 'Grandchild' });
    assert.deepEqual([fromNew.statusCode, fromNew.json().error], [403, 'forbidden']);
  });

  it('answers 400 invalid_request (never 5xx) to bad bodies', async () => {
    const bad: [string, () => ReturnType<typeof as>][] = [
      ['unknown key', () => create('X', { plan: 'gold' })],
      ['operator flag smuggled in', () => create('X', { operator: true })],
      ['no name', () => as(operatorKey, 'POST', '/api/v1/accounts', {})],
      ['no body', () => as(operatorKey, 'POST', '/api/v1/accounts')],
      ['blank name', () => create('   ')],
      ['name of 101 characters', () => create('n'.repeat(101))],
      ['huge name', () => create('n'.repeat(500_000))],
      ['name a number', () => as(operatorKey, 'POST', '/api/v1/accounts', { name: 42 })],
      ['name null', () => as(operatorKey, 'POST', '/api/v1/accounts', { name: null })],
      ['body an array', () => as(operatorKey, 'POST', '/api/v1/accounts', [{ name: 'X' }])],
      ['relay without port', () => create('X', { mailRelay: 'smtp.example.test' })],
      ['relay port 0', () => create('X', { mailRelay: 'smtp.example.test:0' })],
      ['relay port too big', () => create('X', { mailRelay: 'smtp.example.test:70000' })],
      ['relay with a space', () => create('X', { mailRelay: 'smtp example:25' })],
      ['relay a URL', () => create('X', { mailRelay: 'smtp://smtp.example.test:25' })],
      ['relay a number', () => create('X', { mailRelay: 2525 })],
      ['relay IPv6 without brackets', () => create('X', { mailRelay: '::1:25' })],
    ];
    const before = f.app.store.accounts.list().length;
    for (const [what, send] of bad) {
      const res = await send();
      assert.deepEqual([res.statusCode, res.json().error], [400, 'invalid_request'], `${what}: ${res.body.slice(0, 200)}`);
      assert.ok(res.json().message.length > 0);
    }
    const badJson = await f.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
      payload: '{"name": "X",',
    });
    assert.deepEqual([badJson.statusCode, badJson.json().error], [400, 'invalid_request']);
    assert.equal(f.app.store.accounts.list().length, before, 'nothing was created by a bad request');
    assert.equal((await create('Relay v6', { mailRelay: '[::1]:2525' })).statusCode, 201);
  });

  it('the new account works end to end through the ordinary API: SSO, activate, token, SCIM', async () => {
    const { accountId, adminApiKey, scimUrl } = (await create('Account E2E')).json();
    assert.deepEqual([(await as(adminApiKey, 'POST', '/api/v1/scim-token')).statusCode], [409], 'no token before SSO is active');
    assert.equal((await as(adminApiKey, 'PUT', '/api/v1/sso', f.ssoSettings)).statusCode, 200);
    assert.equal((await as(adminApiKey, 'PUT', '/api/v1/sso/state', { state: 'active' })).json().ssoState, 'active');
    const issued = await as(adminApiKey, 'POST', '/api/v1/scim-token');
    assert.equal(issued.statusCode, 201);
    const { token } = issued.json();
    assert.equal(issued.json().scimUrl, scimUrl);
    const scim = (url: string, method: Method, payload?: unknown) =>
      f.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, ...(payload !== undefined ? { 'content-type': 'application/scim+json' } : {}) },
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
    const made = await scim(`/scim/v2/${accountId}/Users`, 'POST', { schemas: [CORE_USER], userName: 'e2e@account.test' });
    assert.equal(made.statusCode, 201);
    const listed = await scim(`/scim/v2/${accountId}/Users`, 'GET');
    assert.deepEqual([listed.statusCode, listed.json().totalResults], [200, 1]);
    assert.equal((await scim(`/scim/v2/${f.accountId}/Users`, 'GET')).statusCode, 401, "the new token does not open the operator's account");
  });

  it('GET /api/v1/accounts lists accounts to an operator key only, filtered by an exact, case-sensitive name prefix', async () => {
    const a = (await create('Harness tenant abcd1234-1-aaaaaa')).json();
    const b = (await create('Harness tenant abcd1234-2-bbbbbb')).json();
    await create('Harness tenant abcd12345-1-cccccc'); // a longer run id: not this run's
    await create('harness tenant abcd1234-3-dddddd'); // other case
    await create('Harness tenant abcd1234_%-4'); // LIKE wildcards in a name must not widen the match
    const list = async (query: string) => {
      const res = await as(operatorKey, 'GET', `/api/v1/accounts${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().accounts as { id: string; name: string; createdAt: string }[];
    };
    const all = await list('');
    assert.equal(all.length, f.app.store.accounts.list().length);
    assert.ok(
      all.some((x) => x.id === f.accountId),
      "the operator's own account is listed",
    );
    assert.deepEqual(Object.keys(all[0]!).sort(), ['createdAt', 'id', 'name']);
    const mine = await list(`?namePrefix=${encodeURIComponent('Harness tenant abcd1234-')}`);
    assert.deepEqual(
      mine.map((x) => x.id),
      [a.accountId, b.accountId],
    );
    assert.deepEqual(
      mine.map((x) => x.name),
      ['Harness tenant abcd1234-1-aaaaaa', 'Harness tenant abcd1234-2-bbbbbb'],
    );
    assert.ok(mine.every((x) => !Number.isNaN(Date.parse(x.createdAt))));
    assert.deepEqual(await list(`?namePrefix=${encodeURIComponent('Harness tenant abcd1234_')}`).then((r) => r.map((x) => x.name)), [
      'Harness tenant abcd1234_%-4',
    ]);
    assert.deepEqual(await list(`?namePrefix=${encodeURIComponent('Harness tenant %')}`), []);
    assert.deepEqual(await list('?namePrefix=nothing-starts-so'), []);

    const bySession = await f.master.call('GET', '/api/v1/accounts');
    const byKey = await as(masterKey, 'GET', '/api/v1/accounts?namePrefix=Harness');
    const anonymous = await f.app.inject({ method: 'GET', url: '/api/v1/accounts' });
    assert.deepEqual([bySession.statusCode, bySession.json().error], [403, 'forbidden']);
    assert.deepEqual([byKey.statusCode, byKey.json().error], [403, 'forbidden']);
    assert.deepEqual([anonymous.statusCode, anonymous.json().error], [401, 'unauthenticated']);

    for (const query of [
      '?namePrefix=',
      `?namePrefix=${'n'.repeat(101)}`,
      `?namePrefix=${'n'.repeat(100_000)}`,
      '?namePrefix=a&namePrefix=b',
      '?name=Harness',
      '?namePrefix=a&limit=5',
    ]) {
      const res = await as(operatorKey, 'GET', `/api/v1/accounts${query}`);
      assert.deepEqual([res.statusCode, res.json().error], [400, 'invalid_request'], `${query.slice(0, 40)}: ${res.body.slice(0, 200)}`);
      assert.ok(res.json().message.length > 0);
    }
    assert.equal((await list(`?namePrefix=${'n'.repeat(100)}`)).length, 0);
  });

  it('only an operator key may delete; its own account is 409 own_account; an unknown id is 404', async () => {
    const { accountId } = (await create('Keep me')).json();
    const bySession = await f.master.call('DELETE', `/api/v1/accounts/${accountId}`);
    const byKey = await as(masterKey, 'DELETE', `/api/v1/accounts/${accountId}`);
    assert.deepEqual([bySession.statusCode, bySession.json().error], [403, 'forbidden']);
    assert.deepEqual([byKey.statusCode, byKey.json().error], [403, 'forbidden']);
    const own = await as(operatorKey, 'DELETE', `/api/v1/accounts/${f.accountId}`);
    assert.deepEqual([own.statusCode, own.json().error], [409, 'own_account']);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', 'x'.repeat(150), '%E2%80%AE']) {
      const res = await as(operatorKey, 'DELETE', `/api/v1/accounts/${id}`);
      assert.deepEqual([res.statusCode, res.json().error], [404, 'not_found'], id);
    }
    assert.ok(f.app.store.accounts.get(accountId), 'the refused deletes left the account');
    assert.ok(f.app.store.accounts.get(f.accountId));
  });

  it('a SCIM write in flight while its account is deleted gets a 4xx, never a 5xx, and leaves no row behind', async () => {
    const { accountId, adminApiKey } = (await create('Deleted mid-request')).json();
    await as(adminApiKey, 'PUT', '/api/v1/sso', f.ssoSettings);
    await as(adminApiKey, 'POST', '/api/v1/sso/activate');
    const { token } = (await as(adminApiKey, 'POST', '/api/v1/scim-token')).json();
    // A password makes the create wait for scrypt between authentication and the insert: the delete lands there.
    const inFlight = f.app.inject({
      method: 'POST',
      url: `/scim/v2/${accountId}/Users`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      payload: { schemas: [CORE_USER], userName: 'late@account.test', password: 'Late-password-1234!' },
    });
    await new Promise((r) => setTimeout(r, 5));
    assert.equal((await as(operatorKey, 'DELETE', `/api/v1/accounts/${accountId}`)).statusCode, 204);
    const res = await inFlight;
    assert.ok([401, 404].includes(res.statusCode), `${res.statusCode} ${res.body}`);
    assert.equal(f.app.db.prepare('SELECT count(*) FROM users WHERE account_id = ?').pluck().get(accountId), 0);
  });

  it('DELETE removes every row of that account and nothing of any other', async () => {
    const other = (await create('Bystander')).json();
    const doomed = (await create('Doomed', { mailRelay: '127.0.0.1:2525' })).json();
    const key = doomed.adminApiKey as string;
    // Fill the doomed account through the normal paths: admins and their sessions, SSO, token, mail, SCIM users,
    // groups and memberships, a manual user, an end user's app session.
    const added = (await as(key, 'POST', '/api/v1/admins', { email: 'sec@doomed.test', name: 'Sec', role: 'Security Admin' })).json();
    assert.equal(
      (await f.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'sec@doomed.test', password: added.password } })).statusCode,
      200,
    );
    await as(key, 'PUT', '/api/v1/sso', f.ssoSettings);
    await as(key, 'POST', '/api/v1/sso/activate');
    const { token } = (await as(key, 'POST', '/api/v1/scim-token')).json();
    const scim = (path: string, payload: unknown) =>
      f.app.inject({
        method: 'POST',
        url: `/scim/v2/${doomed.accountId}${path}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        payload: payload as object,
      });
    const user = (await scim('/Users', { schemas: [CORE_USER], userName: 'ann@doomed.test', emails: [{ value: 'ann@doomed.test', primary: true }] })).json();
    assert.equal((await scim('/Groups', { schemas: [CORE_GROUP], displayName: 'EU', members: [{ value: user.id }] })).statusCode, 201);
    assert.equal((await as(key, 'POST', '/api/v1/users', { userName: 'manual@doomed.test' })).statusCode, 201);
    const start = await f.app.inject({ method: 'GET', url: `/signin/start?account=${doomed.accountId}` });
    const callback = await f.idp.authorize(String(start.headers.location), 'ann@doomed.test');
    assert.equal((await f.app.inject({ method: 'GET', url: callback.pathname + callback.search })).statusCode, 303);
    await new Promise((r) => setTimeout(r, 50)); // SCIM listeners (welcome mail, audit) run after SCIM answered

    const before = rowCounts(f.app.db);
    const doomedTables = [...before.keys()]
      .filter((k) => k.endsWith(`/${doomed.accountId}`))
      .map((k) => k.split('/')[0])
      .sort();
    for (const t of [
      'accounts',
      'account_mail_relays',
      'admin_api_keys',
      'app_sessions',
      'audit_log',
      'console_sessions',
      'console_users',
      'group_members',
      'groups',
      'manual_users',
      'outbox',
      'scim_tokens',
      'sso_settings',
      'users',
    ]) {
      assert.ok(doomedTables.includes(t), `the doomed account has rows in ${t} before the delete (has: ${doomedTables.join(', ')})`);
    }

    const res = await as(operatorKey, 'DELETE', `/api/v1/accounts/${doomed.accountId}`);
    assert.equal(res.statusCode, 204);
    const afterDelete = rowCounts(f.app.db);
    assert.deepEqual(
      [...afterDelete.keys()].filter((k) => k.endsWith(`/${doomed.accountId}`)),
      [],
      'no row of the deleted account is left',
    );
    for (const [k, n] of before) {
      if (k.endsWith(`/${doomed.accountId}`)) continue;
      const expected = k === `audit_log/${f.accountId}` ? n + 1 : n; // the operator's account records the deletion
      assert.equal(afterDelete.get(k), expected, `${k} changed`);
    }
    assert.ok(before.get(`accounts/${other.accountId}`));

    // Everything the deleted account handed out stops working; a second delete is 404.
    assert.equal((await as(key, 'GET', '/api/v1/account')).statusCode, 401);
    assert.equal(
      (await f.app.inject({ method: 'GET', url: `/scim/v2/${doomed.accountId}/Users`, headers: { authorization: `Bearer ${token}` } })).statusCode,
      401,
    );
    const again = await as(operatorKey, 'DELETE', `/api/v1/accounts/${doomed.accountId}`);
    assert.deepEqual([again.statusCode, again.json().error], [404, 'not_found']);
    const opAudit = (await as(operatorKey, 'GET', '/api/v1/audit')).json().entries as { action: string; target: string }[];
    assert.equal(opAudit[0]?.action, 'account.deleted');
    assert.equal(opAudit[0]?.target, doomed.accountId);
  });
});
