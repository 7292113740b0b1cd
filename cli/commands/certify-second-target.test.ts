import assert from 'node:assert/strict';
import { findRequirement } from '../../catalog/index.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { filesContaining } from '../testing/certify-run.ts';
import { startEmbeddedServer, type EmbeddedServer } from '../../harness/embedded-server.ts';
import { certificateFileSchemaErrors } from '../testing/certificate-json-schema.ts';
import { runCli } from '../testing/run-cli.ts';

const TENANT_IDS = ['SEC-TENANT-TOKEN', 'SEC-TENANT-ISOLATION', 'SEC-TENANT-UNIQUENESS'];

async function adminCall<T>(url: string, key: string, method: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as T;
  assert.ok(res.status < 300, `${method} ${url} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/**
 * A second account on the demo server, set up as its admin would (docs/vendor-guide.md): the operator API makes it,
 * its own admin key configures and activates SSO (SCIM works only then) and generates its SCIM token.
 */
async function secondTenant(server: EmbeddedServer): Promise<{ scimUrl: string; token: string }> {
  const { ready } = server;
  const made = await adminCall<{ adminApiUrl: string; adminApiKey: string }>(`${ready.url}/api/v1/accounts`, ready.adminApiKey!, 'POST', {
    name: 'Second tenant',
  });
  // .invalid never resolves (RFC 2606): saving the settings contacts nobody, and nobody signs in in this run
  await adminCall(`${made.adminApiUrl}/sso`, made.adminApiKey, 'PUT', {
    issuer: 'https://sso.example.invalid',
    clientId: 'second-tenant',
    clientSecret: 'second-tenant-secret-0123456789',
  });
  await adminCall(`${made.adminApiUrl}/sso/state`, made.adminApiKey, 'PUT', { state: 'active' });
  return adminCall<{ scimUrl: string; token: string }>(`${made.adminApiUrl}/scim-token`, made.adminApiKey, 'POST');
}

/** One requirement's verdict in the certificate a run wrote. */
function verdict(out: string, id: string): { status: string; reason: string } {
  const cert = JSON.parse(readFileSync(join(out, 'certificate.json'), 'utf8')) as { requirements: Array<{ id: string; status: string; reason?: string }> };
  const r = cert.requirements.find((x) => x.id === id);
  assert.ok(r, `${id} is not in ${out}/certificate.json`);
  return { status: r.status, reason: r.reason ?? '' };
}

test('--second-target assesses the tenant isolation checks without an adapter; the same account under another name fails them', {
  timeout: 420_000,
}, async () => {
  const server = await startEmbeddedServer({ env: { SCIMULATOR_LOG_LEVEL: 'silent' } });
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-second-'));
  try {
    const { ready } = server;
    const second = await secondTenant(server);
    assert.notEqual(second.scimUrl, ready.scimUrl);
    const tokenFile = join(dir, 'second-token');
    writeFileSync(tokenFile, `${second.token}\n`);
    const base = ['certify', '--target', ready.scimUrl, '--profile', 'security', '--only', TENANT_IDS.join(','), '--workers', '2'];
    const env = { SCIMULATOR_TOKEN: ready.token };

    // no adapter, no second tenant: not assessed, and the reason says how to provide one
    const none = await runCli([...base, '--out', join(dir, 'none')], { env, killAfterMs: 120_000 });
    assert.equal(none.code, 0, none.stderr.slice(-2000));
    for (const id of TENANT_IDS) {
      assert.equal(verdict(join(dir, 'none'), id).status, 'not_assessed', id);
      assert.match(verdict(join(dir, 'none'), id).reason, /--second-target URL --second-token-file F/);
    }

    const two = await runCli([...base, '--second-target', second.scimUrl, '--second-token-file', tokenFile, '--out', join(dir, 'two')], {
      env,
      killAfterMs: 120_000,
    });
    assert.equal(two.code, 0, two.stderr.slice(-2000));
    for (const id of TENANT_IDS) assert.equal(verdict(join(dir, 'two'), id).status, 'passed', `${id}: ${verdict(join(dir, 'two'), id).reason}`);
    assert.match(two.stderr, /second tenant .* for the tenant isolation checks/);
    assert.deepEqual(certificateFileSchemaErrors(join(dir, 'two', 'certificate.json')), []);
    assert.deepEqual(filesContaining(join(dir, 'two'), [second.token, ready.token]), [], 'a report holds a token');
    // what the checks created in the second tenant is gone again
    const left = await fetch(`${second.scimUrl}/Users?count=1`, { headers: { authorization: `Bearer ${second.token}` } });
    assert.equal(((await left.json()) as { totalResults: number }).totalResults, 0);

    // the main tenant again, under another host name: no isolation between "the two tenants", and the checks say so
    const alias = ready.scimUrl.replace('127.0.0.1', 'localhost');
    const same = await runCli([...base, '--second-target', alias, '--out', join(dir, 'same')], {
      env: { ...env, SCIMULATOR_SECOND_TOKEN: ready.token },
      killAfterMs: 120_000,
    });
    // exit 1 only when one of the failed requirements is a MUST (RFC 7644 §6 gives isolation no keyword: SHOULD)
    const must = ['SEC-TENANT-ISOLATION', 'SEC-TENANT-TOKEN'].some((id) => findRequirement(id)?.severity === 'MUST');
    assert.equal(same.code, must ? 1 : 0, same.stderr.slice(-2000));
    assert.equal(verdict(join(dir, 'same'), 'SEC-TENANT-ISOLATION').status, 'failed');
    assert.equal(verdict(join(dir, 'same'), 'SEC-TENANT-TOKEN').status, 'failed');
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--second-target usage errors exit 2 before anything runs', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['certify', '--second-target', 'http://127.0.0.1:1/scim/v2', '--second-token', 'x'], /--second-target needs --target/],
    [
      ['certify', '--target', 'http://127.0.0.1:1/scim/v2', '--token', 'a', '--second-token', 'x'],
      /--second-token and --second-token-file go with --second-target/,
    ],
    [
      ['certify', '--target', 'http://127.0.0.1:1/scim/v2', '--token', 'a', '--second-target', 'http://127.0.0.1:1/scim/v2/b'],
      /--second-target needs the second tenant's bearer token/,
    ],
    [
      ['certify', '--target', 'http://127.0.0.1:1/scim/v2', '--token', 'a', '--second-target', 'HTTP://127.0.0.1:1/scim/v2/', '--second-token', 'a'],
      /name the same tenant as --target/,
    ],
    [
      ['certify', '--target', 'http://127.0.0.1:1/scim/v2', '--token', 'a', '--second-target', 'ftp://x', '--second-token', 'b'],
      /--second-target must be an http/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args, { env: { SCIMULATOR_SECOND_TOKEN: '' } });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});
