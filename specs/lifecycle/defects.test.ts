import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startEmbeddedServer } from '../../fixtures/embedded-server.ts';
import { freePort } from '../../fixtures/lifecycle-services.ts';
import { runCli } from '../../cli/testing/run-cli.ts';
import { findRequirement } from '../catalog/index.ts';
import { LIFECYCLE } from '../catalog/lifecycle.ts';

/**
 * Each lifecycle requirement fails against a reference server with the matching defect. The server is started
 * separately (`serve --demo --smtp 127.0.0.1:P`), and certify drives it as any running reference server:
 * `--adapter reference --admin-url ... --admin-api-key ... --reference-db ... --mailbox 127.0.0.1:P`, so this also
 * shows that those flags work end to end. Defects that do not disturb each other's checks share one run; the
 * verdict is read per requirement id.
 */
const DEFECT_REQUIREMENTS: Record<string, string[]> = {
  'viewer-can-generate': ['LC-TOKEN-ROLE-VIEWER-REFUSED'],
  'token-shown-twice': ['LC-TOKEN-SHOWN-ONCE'],
  'generate-panel-no-url': ['LC-TOKEN-URL-SHOWN'],
  'no-new-token-email': ['LC-EMAIL-NEW-TOKEN'],
  'no-revoked-email': ['LC-EMAIL-TOKEN-REVOKED'],
  'welcome-email-without-sso-instructions': ['LC-EMAIL-SSO-INSTRUCTIONS'],
  'no-manual-change-warning': ['LC-MANUAL-CHANGE-WARNING'],
  'deleted-user-stays-listed': ['LC-DELETE-USERS-TAB'],
  'deprovision-keeps-active-status': ['LC-DEPROV-DISABLED-OKTA', 'LC-DEPROV-DISABLED-ENTRA', 'LC-DEPROV-DISABLED-SAILPOINT'],
  'master-admin-cannot-generate': ['LC-TOKEN-ROLE-MASTER'],
  'security-admin-not-token-manager': ['LC-TOKEN-ROLE-SECURITY', 'LC-REVOKE-ROLE-SECURITY'],
  'disabled-user-signs-in': ['LC-DEPROV-SIGNIN-REFUSED'],
  'generate-ignores-sso': ['LC-SSO-GATE-UNCONFIGURED', 'LC-SSO-GATE-CONFIGURED'],
  'sso-activate-not-saved': ['LC-SSO-GATE-ACTIVE'],
  'sso-deactivate-keeps-scim': ['LC-SSO-DEACTIVATED-REFUSED'],
  'revoke-keeps-token': ['LC-REVOKE-NEXT-REQUEST-REFUSED'],
  'revoke-delayed': ['LC-REVOKE-NEXT-REQUEST-REFUSED'],
  'regenerate-after-revoke-broken': ['LC-REVOKE-REGENERATE'],
  'no-welcome-email': ['LC-EMAIL-NEW-SSO-ACCOUNT'],
  'token-in-email': ['LC-EMAIL-NO-TOKEN'],
  'delete-user-keeps-memberships': ['LC-DELETE-REGIONS'],
  'signin-refuses-scim-users': ['LC-SSO-SIGNIN-PROVISIONED'],
};

/** Runs of defects whose checks do not overlap (revoke-keeps-token and revoke-delayed break the same check). */
const RUNS: string[][] = [
  ['viewer-can-generate', 'token-shown-twice', 'generate-panel-no-url', 'no-new-token-email', 'no-revoked-email', 'welcome-email-without-sso-instructions', 'no-manual-change-warning', 'deleted-user-stays-listed', 'deprovision-keeps-active-status'],
  ['master-admin-cannot-generate', 'security-admin-not-token-manager', 'disabled-user-signs-in'],
  ['generate-ignores-sso', 'sso-activate-not-saved', 'sso-deactivate-keeps-scim', 'revoke-keeps-token'],
  ['revoke-delayed', 'regenerate-after-revoke-broken', 'no-welcome-email', 'token-in-email', 'delete-user-keeps-memberships', 'signin-refuses-scim-users'],
];

interface Verdicts {
  code: number | null;
  statuses: Record<string, string>;
  stderr: string;
  leaks: string[];
}

async function certifyAgainst(defects: string[], only: string[]): Promise<Verdicts> {
  const smtpPort = await freePort();
  const env = { SCIMULATOR_ALLOW_DEFECTS: '1', SCIMULATOR_LOG_LEVEL: 'silent' };
  const server = await startEmbeddedServer({ defects, env, extraArgs: ['--smtp', `127.0.0.1:${smtpPort}`] });
  try {
    const out = mkdtempSync(join(tmpdir(), 'scimulator-lc-defect-'));
    const { ready } = server;
    const run = await runCli(
      ['certify', '--target', ready.scimUrl, '--adapter', 'reference', '--admin-url', ready.url, '--reference-db', server.db, '--mailbox', `127.0.0.1:${smtpPort}`, '--profile', 'lifecycle', '--only', only.join(','), '--workers', '2', '--out', out],
      { env: { SCIMULATOR_TOKEN: ready.token, SCIMULATOR_ADMIN_API_KEY: ready.adminApiKey ?? '' }, killAfterMs: 900_000 },
    );
    let statuses: Record<string, string> = {};
    try {
      const cert = JSON.parse(readFileSync(join(out, 'certificate.json'), 'utf8')) as { requirements: Array<{ id: string; status: string }> };
      statuses = Object.fromEntries(cert.requirements.map((r) => [r.id, r.status]));
    } catch {
      // no certificate: the assertions report the exit code and output
    }
    // the demo's token and key, and any token the checks issued (the reference server's tokens start with scim_)
    const secrets = [ready.token, ready.adminApiKey ?? ready.token];
    const leaks = (readdirSync(out, { recursive: true }) as string[])
      .map((f) => join(out, f))
      .filter((f) => statSync(f).isFile())
      .filter((f) => {
        const text = readFileSync(f).toString('latin1');
        return secrets.some((s) => text.includes(s)) || /scim_[A-Za-z0-9_-]{20,}/.test(text);
      });
    return { code: run.code, statuses, stderr: run.stderr, leaks };
  } finally {
    await server.stop();
  }
}

test('every lifecycle requirement has a defect that fails it, and every run covers its defects', () => {
  const covered = new Set(Object.values(DEFECT_REQUIREMENTS).flat());
  assert.deepEqual(LIFECYCLE.map((r) => r.id).filter((id) => !covered.has(id)), []);
  assert.deepEqual(RUNS.flat().sort(), Object.keys(DEFECT_REQUIREMENTS).sort());
});

describe('certify --profile lifecycle against each defect', { concurrency: 1 }, () => {
  for (const defects of RUNS) {
    const ids = [...new Set(defects.flatMap((d) => DEFECT_REQUIREMENTS[d]!))];
    test(`defects ${defects.join(', ')} fail ${ids.join(', ')}`, async () => {
      const v = await certifyAgainst(defects, ids);
      assert.deepEqual(v.leaks, [], 'no report file holds the SCIM token or the admin API key');
      assert.ok(v.code === 0 || v.code === 1, `exit code ${v.code}; output:\n${v.stderr.slice(-2000)}`);
      const wrong = defects.flatMap((d) => DEFECT_REQUIREMENTS[d]!.filter((id) => v.statuses[id] !== 'failed').map((id) => `${id} is ${v.statuses[id] ?? 'missing'} under ${d}`));
      assert.deepEqual(wrong, [], v.stderr.slice(-2000));
      if (ids.some((id) => findRequirement(id)!.severity === 'MUST')) assert.equal(v.code, 1, 'a MUST requirement failed: exit code 1');
    });
  }
});
