import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { certifyAgainstDefects, type DefectVerdicts } from '../checks/certify-run.ts';
import { findRequirement } from '../../catalog/index.ts';
import { LIFECYCLE } from '../../catalog/lifecycle.ts';

/**
 * Each lifecycle requirement fails against a reference server with the matching defect. The server is started
 * separately (`serve --demo`, no `--smtp`), and certify drives it as any running reference server, with only
 * `--adapter reference --admin-url ... --admin-api-key ...`: the fresh tenants come from the operator API and relay
 * their mail to the harness mailbox, so this also shows that path end to end. Defects that do not disturb each
 * other's checks share one run; the verdict is read per requirement id.
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
  'viewer-can-revoke': ['LC-REVOKE-ROLE-VIEWER-REFUSED'],
  'revoke-without-confirmation': ['LC-REVOKE-CONFIRM'],
  'manual-disable-keeps-signin': ['LC-MANUAL-DISABLE-SIGNIN-REFUSED'],
  'manual-delete-keeps-signin': ['LC-MANUAL-DELETE-SIGNIN-REFUSED'],
  'idp-deleted-user-signs-in': ['LC-DELETE-SIGNIN-REFUSED'],
};

/**
 * Runs of defects whose checks do not overlap (revoke-keeps-token and revoke-delayed break the same check;
 * disabled-user-signs-in would also let a user disabled by hand in; signin-refuses-scim-users would refuse every
 * sign-in before a removal). A fresh tenant needs a Master Admin or a Security Admin able to generate, so
 * master-admin-cannot-generate and security-admin-not-token-manager never share a run.
 */
const RUNS: string[][] = [
  [
    'viewer-can-generate',
    'token-shown-twice',
    'generate-panel-no-url',
    'no-new-token-email',
    'no-revoked-email',
    'welcome-email-without-sso-instructions',
    'no-manual-change-warning',
    'deleted-user-stays-listed',
    'deprovision-keeps-active-status',
    'security-admin-not-token-manager',
    'manual-disable-keeps-signin',
    'manual-delete-keeps-signin',
    'idp-deleted-user-signs-in',
  ],
  ['master-admin-cannot-generate', 'disabled-user-signs-in'],
  ['generate-ignores-sso', 'sso-activate-not-saved', 'sso-deactivate-keeps-scim', 'revoke-keeps-token'],
  [
    'revoke-delayed',
    'regenerate-after-revoke-broken',
    'no-welcome-email',
    'token-in-email',
    'delete-user-keeps-memberships',
    'signin-refuses-scim-users',
    'viewer-can-revoke',
    'revoke-without-confirmation',
  ],
];

/** The demo's token and key, and any token the checks issued (the reference server's tokens start with scim_). */
async function certifyAgainst(defects: string[], only: string[]): Promise<DefectVerdicts> {
  return certifyAgainstDefects(defects, ['--profile', 'lifecycle', '--only', only.join(',')], 900_000, { secretPattern: /scim_[A-Za-z0-9_-]{20,}/ });
}

test('every lifecycle requirement has a defect that fails it, and every run covers its defects', () => {
  const covered = new Set(Object.values(DEFECT_REQUIREMENTS).flat());
  assert.deepEqual(
    LIFECYCLE.map((r) => r.id).filter((id) => !covered.has(id)),
    [],
  );
  assert.deepEqual(RUNS.flat().sort(), Object.keys(DEFECT_REQUIREMENTS).sort());
});

describe('certify --profile lifecycle against each defect', { concurrency: 1 }, () => {
  for (const defects of RUNS) {
    const ids = [...new Set(defects.flatMap((d) => DEFECT_REQUIREMENTS[d]!))];
    test(`defects ${defects.join(', ')} fail ${ids.join(', ')}`, async () => {
      const v = await certifyAgainst(defects, ids);
      assert.deepEqual(v.leaks, [], 'no report file holds the SCIM token or the admin API key');
      assert.deepEqual(v.setupFailures, [], 'each requirement fails on its own defect, not because no fresh tenant could be provisioned');
      assert.ok(v.code === 0 || v.code === 1, `exit code ${v.code}; output:\n${v.stderr.slice(-2000)}`);
      const wrong = defects.flatMap((d) =>
        DEFECT_REQUIREMENTS[d]!.filter((id) => v.statuses[id] !== 'failed').map((id) => `${id} is ${v.statuses[id] ?? 'missing'} under ${d}`),
      );
      assert.deepEqual(wrong, [], v.stderr.slice(-2000));
      if (ids.some((id) => findRequirement(id)!.severity === 'MUST')) assert.equal(v.code, 1, 'a MUST requirement failed: exit code 1');
    });
  }
});
