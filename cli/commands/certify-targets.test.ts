import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../harness/lifecycle-services.ts';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { startEmbeddedServer } from '../../harness/embedded-server.ts';
import { runCli } from '../testing/run-cli.ts';

// certify against broken targets: exit 2 with one readable paragraph, no stack trace, no hang past --timeout-ms.

const servers: Array<{ close(): unknown }> = [];
after(() => {
  for (const s of servers) s.close();
});

function listen(handler: RequestListener): Promise<string> {
  const server: Server = createServer(handler);
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}/scim/v2`)));
}

async function certify(target: string, extra: string[] = []) {
  const run = await runCli(
    ['certify', '--target', target, '--token', 'secret-token-123456', '--timeout-ms', '1500', '--out', `.tmp/certify-targets-${Date.now()}`, ...extra],
    { killAfterMs: 150_000 },
  );
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, `no stack trace:\n${run.stderr}`);
  assert.doesNotMatch(run.stderr + run.stdout, /secret-token-123456/, 'the token is never printed');
  return run;
}

test('a target that refuses connections', async () => {
  const run = await certify(`http://127.0.0.1:${await freePort()}/scim/v2`);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /connection refused/);
});

test('a target that accepts and never answers is given up after --timeout-ms', async () => {
  const url = await listen(() => {});
  const run = await certify(url);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /no answer within 1500 ms/);
  // the CLI's own start-up dominates on a loaded machine, so compare with a run that fails at once
  const baseline = await certify(`http://127.0.0.1:${await freePort()}/scim/v2`);
  assert.ok(run.ms - baseline.ms < 1500 + 20_000, `hang run ${run.ms} ms vs refused run ${baseline.ms} ms`);
});

test('a target that answers garbage', async () => {
  const url = await listen((_req, res) => res.end('<html>hello</html>'));
  const run = await certify(url);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /does not speak SCIM/);
});

test('a target whose ServiceProviderConfig is JSON of the wrong shape', async () => {
  const url = await listen((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"hello": "world"}');
  });
  const run = await certify(url);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /ServiceProviderConfig is not usable/);
});

test('a target that refuses the credentials, or has no SCIM base there', async () => {
  const url = await listen((req, res) => {
    res.statusCode = req.url?.startsWith('/scim/v2/') ? 401 : 404;
    res.end();
  });
  const denied = await certify(url);
  assert.equal(denied.code, 2);
  assert.match(denied.stderr, /refused the credentials/);
  const missing = await certify(url.replace('/scim/v2', '/nothing'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no SCIM service at/);
});

test('a target that drops the connection', async () => {
  const url = await listen((req) => req.socket.destroy());
  const run = await certify(url);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /connection was closed|failed/);
});

/** A self-signed certificate for 127.0.0.1 made with the openssl CLI, or undefined where it is missing. */
function selfSigned(): { key: string; cert: string; certFile: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-days',
        '1',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.pem'),
      ],
      { stdio: 'ignore' },
    );
  } catch {
    return undefined;
  }
  return { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8'), certFile: join(dir, 'c.pem') };
}

test('TLS: an untrusted certificate is refused unless --ca trusts it or --insecure', async (t) => {
  const tls = selfSigned();
  if (!tls) return t.skip('the openssl CLI is not installed');
  const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (_req, res) => res.end('not scim'));
  servers.push({ close: () => server.close() });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/scim/v2`;
  const untrusted = await certify(url);
  assert.equal(untrusted.code, 2);
  assert.match(untrusted.stderr, /TLS certificate not trusted|certificate/i);
  // past TLS, the garbage answer is what stops the run
  const withCa = await certify(url, ['--ca', tls.certFile]);
  assert.equal(withCa.code, 2);
  assert.match(withCa.stderr, /does not speak SCIM/);
  const insecure = await certify(url, ['--insecure']);
  assert.match(insecure.stderr, /does not speak SCIM/);
});

// --adapter reference: the admin API is asked once (GET /api/v1/whoami) before anything runs.

test('a reference admin URL that refuses connections, or a refused admin API key, is exit 2 with one paragraph', async () => {
  const url = await listen((req, res) => {
    res.statusCode = req.url === '/api/v1/whoami' ? 401 : 404;
    res.setHeader('content-type', 'application/json');
    res.end('{"error":"unauthorized","message":"a valid admin API key is required"}');
  });
  const origin = new URL(url).origin;
  const unreachable = await certify(url, [
    '--adapter',
    'reference',
    '--admin-url',
    `http://127.0.0.1:${await freePort()}`,
    '--admin-api-key',
    'secret-token-123456',
  ]);
  assert.equal(unreachable.code, 2);
  assert.match(
    unreachable.stderr,
    /cannot reach the reference server's admin API at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/whoami: connection refused\. --admin-url must be/,
  );
  const refused = await certify(url, ['--adapter', 'reference', '--admin-url', origin, '--admin-api-key', 'secret-token-123456']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /admin API refused the admin API key: GET \S+\/whoami answered 401/);
  assert.equal(
    refused.stderr
      .trim()
      .split('\n')
      .filter((l) => l.trim()).length,
    1,
    `one paragraph:\n${refused.stderr}`,
  );
});

/** Accounts in the server's database (the operator API's tenants included). */
function accountCount(db: string): number {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return conn.prepare('SELECT count(*) FROM accounts').pluck().get() as number;
  } finally {
    conn.close();
  }
}

test('a running serve --demo: its operator key makes (and removes) fresh tenants; any other key leaves those checks not assessed', async () => {
  const server = await startEmbeddedServer({ env: { SCIMULATOR_LOG_LEVEL: 'silent' } });
  try {
    const { ready } = server;
    const key = ready.adminApiKey!;
    const run = async (adminApiKey: string) => {
      const out = mkdtempSync(join(tmpdir(), 'scimulator-operator-'));
      const r = await runCli(
        [
          'certify',
          '--target',
          ready.scimUrl,
          '--adapter',
          'reference',
          '--admin-url',
          ready.url,
          '--admin-api-key',
          adminApiKey,
          '--only',
          'SEC-TENANT-TOKEN,SEC-AUTH-REVOKED',
          '--out',
          out,
        ],
        {
          env: { SCIMULATOR_TOKEN: ready.token },
          killAfterMs: 300_000,
        },
      );
      const cert = JSON.parse(readFileSync(join(out, 'certificate.json'), 'utf8')) as { requirements: Array<{ id: string; status: string; reason?: string }> };
      return { ...r, byId: Object.fromEntries(cert.requirements.map((q) => [q.id, q])) };
    };

    const operator = await run(key);
    assert.equal(operator.code, 0, operator.stderr.slice(-2000));
    assert.equal(operator.byId['SEC-TENANT-TOKEN']?.status, 'passed');
    assert.equal(operator.byId['SEC-AUTH-REVOKED']?.status, 'passed');
    assert.equal(accountCount(server.db), 1, 'the fresh tenants are deleted when the workers end');

    const made = await fetch(`${ready.url}/api/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'not operator', role: 'Master Admin' }),
    });
    assert.equal(made.status, 201);
    const plain = ((await made.json()) as { key: string }).key;
    const other = await run(plain);
    assert.equal(other.code, 0, other.stderr.slice(-2000));
    for (const id of ['SEC-TENANT-TOKEN', 'SEC-AUTH-REVOKED']) {
      assert.equal(other.byId[id]?.status, 'not_assessed');
      assert.match(other.byId[id]?.reason ?? '', /the admin API key is not an operator key \(serve --demo prints one\)/);
    }
    assert.match(other.stderr, /not an operator key/);
  } finally {
    await server.stop();
  }
});
