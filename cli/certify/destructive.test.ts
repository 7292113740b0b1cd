import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startEmbeddedServer, type EmbeddedServer } from '../../harness/embedded-server.ts';
import { freePort, lifecycleDirectory } from '../../harness/lifecycle-services.ts';
import { filesContaining } from '../testing/certify-run.ts';
import { runCli, type CliRun } from '../testing/run-cli.ts';

/**
 * The fallback of docs/contracts.md ("without freshTenant() destructive checks run last, serially"), end to end: the
 * example vendor adapter without MYAPP_DB has no freshTenant(), so certify runs the lifecycle checks on the demo
 * account of a `serve --demo` (which mails to the adapter's SMTP port and trusts the adapter's IdP, as a vendor's app
 * would be set up), after the other profiles, with one worker, and puts the account back after each check.
 */

const ADAPTER = 'examples/vendor-adapter/adapter.ts';
const outs: string[] = [];
after(() => outs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Run {
  server: EmbeddedServer;
  cli: CliRun;
  out: string;
  statuses: Record<string, { status: string; reason?: string }>;
  order: string[];
}

/** serve --demo (with defects), then certify through the example adapter without freshTenant; the server is left running. */
async function certifyWithoutFreshTenant(defects: string[], args: string[]): Promise<Run> {
  const [smtpPort, idpPort] = [await freePort(), await freePort()];
  const ssoSecret = randomBytes(18).toString('base64url');
  const server = await startEmbeddedServer({
    defects,
    env: { SCIMULATOR_ALLOW_DEFECTS: '1', SCIMULATOR_LOG_LEVEL: 'silent', SCIMULATOR_SSO_CLIENT_SECRET: ssoSecret },
    extraArgs: ['--smtp', `127.0.0.1:${smtpPort}`, '--sso-issuer', `http://127.0.0.1:${idpPort}`, '--sso-client-id', 'myapp'],
  });
  const out = mkdtempSync(join(tmpdir(), 'scimulator-serial-'));
  outs.push(out);
  const { ready } = server;
  const cli = await runCli(['certify', '--target', ready.scimUrl, '--adapter', ADAPTER, '--out', out, ...args], {
    env: {
      SCIMULATOR_TOKEN: ready.token,
      MYAPP_URL: ready.url,
      MYAPP_ACCOUNT_ID: String(ready.accountId),
      MYAPP_ADMIN_KEY: String(ready.adminApiKey),
      MYAPP_SMTP_PORT: String(smtpPort),
      MYAPP_IDP_PORT: String(idpPort),
      MYAPP_SSO_CLIENT_SECRET: ssoSecret,
      MYAPP_DB: '',
    },
    killAfterMs: 480_000,
  });
  let statuses: Run['statuses'] = {};
  let order: string[] = [];
  if (existsSync(join(out, 'certificate.json'))) {
    const cert = JSON.parse(readFileSync(join(out, 'certificate.json'), 'utf8')) as { requirements: Array<{ id: string; status: string; reason?: string }> };
    statuses = Object.fromEntries(cert.requirements.map((r) => [r.id, { status: r.status, ...(r.reason ? { reason: r.reason } : {}) }]));
  }
  if (existsSync(join(out, 'results.json'))) {
    order = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { tests: Array<{ project: string }> }).tests.map((t) => t.project);
  }
  return { server, cli, out, statuses, order };
}

async function adminGet<T>(server: EmbeddedServer, path: string): Promise<T> {
  const res = await fetch(`${server.ready.url}/api/v1${path}`, { headers: { authorization: `Bearer ${server.ready.adminApiKey}` } });
  assert.equal(res.status, 200, `GET ${path}`);
  return (await res.json()) as T;
}

const LC_PASSING = [
  'LC-TOKEN-ROLE-MASTER',
  'LC-REVOKE-ROLE-VIEWER-REFUSED',
  'LC-REVOKE-NEXT-REQUEST-REFUSED',
  'LC-SSO-DEACTIVATED-REFUSED',
  'LC-EMAIL-TOKEN-REVOKED',
  'LC-DELETE-REGIONS',
  'LC-SSO-SIGNIN-PROVISIONED',
];

test('without freshTenant the lifecycle checks run last, serially, on the main tenant, and leave it usable', { timeout: 540_000 }, async () => {
  const only = ['RFC-DISCOVERY-SPC-GET', ...LC_PASSING, 'LC-SSO-GATE-UNCONFIGURED', 'SEC-TENANT-ISOLATION'];
  const run = await certifyWithoutFreshTenant([], ['--profile', 'rfc,security,lifecycle', '--only', only.join(',')]);
  try {
    const tail = run.cli.stderr.slice(-3000);
    assert.equal(run.cli.code, 0, `exit code; output:\n${tail}`);
    for (const id of ['RFC-DISCOVERY-SPC-GET', ...LC_PASSING])
      assert.equal(run.statuses[id]?.status, 'passed', `${id}: ${JSON.stringify(run.statuses[id])}\n${tail}`);
    // unconfiguring SSO would drop the main tenant's SSO settings; cross-tenant checks need a second tenant
    assert.equal(run.statuses['LC-SSO-GATE-UNCONFIGURED']?.status, 'not_assessed');
    assert.match(run.statuses['LC-SSO-GATE-UNCONFIGURED']?.reason ?? '', /main tenant.*unconfigured/);
    assert.equal(run.statuses['SEC-TENANT-ISOLATION']?.status, 'not_assessed');
    assert.match(run.statuses['SEC-TENANT-ISOLATION']?.reason ?? '', /freshTenant/);

    // two Playwright runs joined: every other profile first, then lifecycle; one report set
    const firstLifecycle = run.order.indexOf('lifecycle');
    assert.ok(firstLifecycle > 0 && run.order.slice(firstLifecycle).every((p) => p === 'lifecycle'), `outcome order ${run.order.join(',')}`);
    assert.match(run.cli.stderr, /lifecycle checks now run on the main tenant, one at a time/);
    for (const f of ['html/index.html', 'junit.xml', 'allure-report', 'certificate.md']) assert.ok(existsSync(join(run.out, f)), `${f} is written`);
    assert.ok(!existsSync(join(run.out, 'phases')), 'the per-phase directories are folded into the report set');
    const junit = readFileSync(join(run.out, 'junit.xml'), 'utf8');
    assert.match(junit, /ServiceProviderConfig/);
    assert.match(junit, /after Revoke/);

    // the given token was revoked: certify says so, and the account is left with SSO active and no harness users
    assert.match(run.cli.stderr, /revoked or replaced the SCIM token given with --token.*give it to the IdP/s);
    const given = await fetch(`${run.server.ready.scimUrl}/Users?count=1`, { headers: { authorization: `Bearer ${run.server.ready.token}` } });
    assert.equal(given.status, 401, 'the token given with --token no longer works');
    assert.equal((await adminGet<{ state: string }>(run.server, '/sso')).state, 'active');
    for (const idp of ['okta', 'entra'] as const) {
      for (const p of lifecycleDirectory(idp).people) {
        const found = await adminGet<{ users: unknown[] }>(run.server, `/users?userName=${encodeURIComponent(p.userName)}`);
        assert.deepEqual(found.users, [], `${p.userName} was removed from the main tenant`);
      }
    }
    assert.deepEqual(
      filesContaining(run.out, [run.server.ready.token, String(run.server.ready.adminApiKey)], /scim_[A-Za-z0-9_-]{20,}/),
      [],
      'no report holds a token',
    );
  } finally {
    await run.server.stop();
  }
});

test('a defect still fails its check on the main tenant: revoke-keeps-token fails LC-REVOKE-NEXT-REQUEST-REFUSED', { timeout: 540_000 }, async () => {
  const run = await certifyWithoutFreshTenant(
    ['revoke-keeps-token'],
    ['--profile', 'lifecycle', '--only', 'LC-REVOKE-NEXT-REQUEST-REFUSED,LC-TOKEN-ROLE-MASTER'],
  );
  try {
    const tail = run.cli.stderr.slice(-3000);
    assert.equal(run.cli.code, 1, `a MUST requirement failed: exit 1; output:\n${tail}`);
    assert.equal(run.statuses['LC-REVOKE-NEXT-REQUEST-REFUSED']?.status, 'failed', tail);
    // the account was put back after the failed check, so the next one still ran and passed
    assert.equal(run.statuses['LC-TOKEN-ROLE-MASTER']?.status, 'passed', tail);
  } finally {
    await run.server.stop();
  }
});
