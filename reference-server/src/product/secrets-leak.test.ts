import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { before, describe, it } from 'node:test';
import { startIdp } from './testing/idp.ts';
import { startMailbox } from './testing/mailbox.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/**
 * Runs the real `scimulator serve --demo` (trace-level logs) through everything that handles a secret, then searches
 * its logs, the audit log, every error body, the outbox and the delivered mail for each secret it saw. Only the ready
 * line and the one response that issues a secret may contain it.
 */
describe('no secret leaks into logs, audit log, error bodies, outbox or mail', () => {
  const secrets = new Set<string>();
  const errorBodies: string[] = [];
  let stderr = '';
  const stdoutLines: string[] = [];
  let exitCode: number | null = null;
  let audit = '';
  let outbox = '';
  let consolePages = '';
  let mails: string[] = [];

  before(async () => {
    const mailbox = await startMailbox();
    const idpSecret = `idp-client-secret-${crypto.randomUUID()}`;
    const child = spawn(
      process.execPath,
      [`${ROOT}cli/bin.js`, 'serve', '--demo', '--port', '0', '--db', ':memory:', '--smtp', `${mailbox.host}:${mailbox.port}`],
      { cwd: ROOT, env: { ...process.env, SCIMULATOR_LOG_LEVEL: 'trace' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const lines = createInterface({ input: child.stdout });
    const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line: ${stderr.slice(-500)}`)), 30_000);
      lines.on('line', (line) => {
        stdoutLines.push(line);
        if (stdoutLines.length === 1) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as Record<string, unknown>);
        }
      });
    });
    const url = ready.url as string;
    const api = ready.adminApiUrl as string;
    const admins = ready.admins as { email: string; password: string; role: string }[];
    for (const s of [ready.token, ready.adminApiKey, ...admins.map((a) => a.password)]) secrets.add(s as string);

    const idp = await startIdp({ clientId: 'leak-test', clientSecret: idpSecret, redirectUri: `${url}/signin/callback` });
    secrets.add(idpSecret);

    const record = async (res: Response): Promise<Response> => {
      if (res.status >= 400) errorBodies.push(await res.clone().text());
      return res;
    };
    const master = admins.find((a) => a.role === 'Master Admin')!;
    const login = await record(
      await fetch(`${api}/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: master.email, password: master.password }),
      }),
    );
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    secrets.add(cookie.split('=')[1]!);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      record(
        await fetch(`${api}${path}`, {
          method,
          headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );

    // A wrong password that looks like a secret: it must not be echoed or logged either.
    const wrong = `wrong-password-${crypto.randomUUID()}`;
    secrets.add(wrong);
    await record(
      await fetch(`${api}/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: master.email, password: wrong }),
      }),
    );

    assert.equal((await call('PUT', '/sso', { issuer: idp.issuer, clientId: 'leak-test', clientSecret: idpSecret })).status, 200);
    const rejectedSecret = `rejected-client-secret-${crypto.randomUUID()}`;
    secrets.add(rejectedSecret);
    assert.equal((await call('PUT', '/sso', { issuer: 'ftp://bad', clientId: 'x', clientSecret: rejectedSecret })).status, 400);
    const generated = (await (await call('POST', '/scim-token')).json()) as { token: string; scimUrl: string };
    secrets.add(generated.token);
    const key = (await (await call('POST', '/api-keys', { name: 'leak', role: 'Security Admin' })).json()) as { key: string };
    secrets.add(key.key);
    const added = (await (await call('POST', '/admins', { email: 'new.admin@demo.scimulator.test', name: 'New Admin', role: 'Viewer' })).json()) as {
      password: string;
    };
    secrets.add(added.password);
    await record(await fetch(`${api}/users`, { headers: { authorization: `Bearer ${key.key}` } }));

    // The operator API: the demo key makes an account whose new key is a secret too, used, refused, then removed.
    const asOperator = (method: string, path: string, body?: unknown) =>
      fetch(`${api}${path}`, {
        method,
        headers: { authorization: `Bearer ${ready.adminApiKey as string}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(record);
    const made = (await (await asOperator('POST', '/accounts', { name: 'Leak account' })).json()) as { accountId: string; adminApiKey: string };
    secrets.add(made.adminApiKey);
    assert.equal((await record(await fetch(`${api}/whoami`, { headers: { authorization: `Bearer ${made.adminApiKey}` } }))).status, 200);
    assert.equal(
      (
        await record(
          await fetch(`${api}/accounts`, {
            method: 'POST',
            headers: { authorization: `Bearer ${made.adminApiKey}`, 'content-type': 'application/json' },
            body: '{"name":"x"}',
          }),
        )
      ).status,
      403,
    );
    assert.equal((await asOperator('POST', '/accounts', { name: 'x', mailRelay: 'nope' })).status, 400);
    assert.equal((await asOperator('DELETE', `/accounts/${made.accountId}`)).status, 204);
    await record(await fetch(`${api}/users`, { headers: { authorization: `Bearer ${key.key}x` } }));

    const scim = (token: string, method: string, path: string, body?: unknown) =>
      fetch(`${generated.scimUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/scim+json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      }).then(record);
    const userPassword = `user-password-${crypto.randomUUID()}`;
    secrets.add(userPassword);
    const created = await scim(generated.token, 'POST', '/Users', {
      schemas: [CORE_USER],
      userName: 'leaky@demo.test',
      password: userPassword,
      emails: [{ value: 'leaky@demo.test', primary: true }],
    });
    assert.equal(created.status, 201);
    await scim(generated.token, 'POST', '/Users', { schemas: [CORE_USER], userName: 'leaky@demo.test', password: userPassword });

    // End-user sign-in through the IdP over real HTTP: code, verifier, ID token and the session id stay out of logs.
    const start = await fetch(`${url}/signin/start?account=${ready.accountId as string}`, { redirect: 'manual' });
    const callback = await idp.authorize(start.headers.get('location')!, 'leaky@demo.test');
    secrets.add(callback.searchParams.get('code')!);
    const landed = await fetch(callback, { redirect: 'manual' });
    assert.equal(landed.status, 303, await landed.text());
    secrets.add(landed.headers.getSetCookie()[0]!.split(';')[0]!.split('=')[1]!);

    assert.equal((await call('DELETE', '/scim-token')).status, 204);
    await scim(generated.token, 'GET', '/Users');
    await scim(`${generated.token}tampered`, 'GET', '/Users');

    await new Promise((r) => setTimeout(r, 300));
    audit = await (await call('GET', '/audit')).text();
    outbox = await (await call('GET', '/outbox')).text();
    consolePages = (
      await Promise.all(
        ['/console/audit', '/console/outbox', '/console/security', '/console/users', '/console/admins'].map((p) =>
          fetch(`${url}${p}`, { headers: { cookie } }).then((r) => r.text()),
        ),
      )
    ).join('\n');
    mails = (await mailbox.waitFor(3)).map((m) => m.raw + m.text);

    child.kill('SIGTERM');
    exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await Promise.all([idp.close(), mailbox.close()]);
  });

  it('exercised enough to be meaningful', () => {
    assert.ok(secrets.size >= 12, `only ${secrets.size} secrets seen`);
    assert.ok(stderr.split('\n').length > 30, 'trace-level logs were written');
    assert.ok(errorBodies.length >= 5, 'error bodies were collected');
    assert.match(audit, /scim-token\.generated/);
    assert.match(audit, /console\.sign-in-failed/, 'the wrong password attempt is audited (without the password)');
    assert.match(audit, /account\.deleted/, 'the operator flow ran');
    assert.match(outbox, /New SCIM Token/);
    assert.equal(exitCode, 0);
  });

  it('prints secrets only in the ready line on stdout', () => {
    assert.equal(stdoutLines.length, 1);
  });

  for (const [where, text] of [
    ['logs (stderr)', () => stderr],
    ['audit log', () => audit],
    ['error bodies', () => errorBodies.join('\n')],
    ['outbox', () => outbox],
    ['console pages', () => consolePages],
    ['delivered mail', () => mails.join('\n')],
  ] as const) {
    it(`finds no secret in the ${where}`, () => {
      const haystack = text();
      for (const secret of secrets) {
        const at = haystack.indexOf(secret);
        assert.ok(
          at < 0,
          `${where} contains a secret (${secret.slice(0, 6)}…): ${haystack.slice(Math.max(0, at - 300), at + 100).replaceAll(secret, '<SECRET>')}`,
        );
      }
    });
  }
});
