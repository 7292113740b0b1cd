import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, EXIT } from '../errors.ts';
import { parseFlags } from '../flags.ts';

const HELP = `Usage: scimulator init [DIR] [--force]

Writes a starter target adapter (scimulator.adapter.ts) and a certify config (scimulator.config.json) into DIR
(default: the current directory), with every capability explained. Then:

  scimulator certify --config DIR/scimulator.config.json
`;

const ADAPTER = `// scimulator target adapter: how the harness reaches your application around SCIM.
//
// Every capability is optional. Leave one out and the requirements that need it are reported as
// "not assessed" with the reason, never as passed. Fill in what your application can do; each function
// runs inside the harness (Node 20, global fetch), so it can call your admin API, a test back door, or
// drive your admin console through the Playwright page it is given. It is an ES module: your package.json
// needs "type": "module" (or rename the file to .mts), and scimulator installed as a dependency.
import { defineAdapter } from 'scimulator/fixtures/adapter.ts';

const ADMIN_API = process.env.MYAPP_ADMIN_API ?? 'https://admin.example.com/api';
const ADMIN_KEY = process.env.MYAPP_ADMIN_KEY ?? '';

async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(\`\${ADMIN_API}\${path}\`, {
    method,
    headers: { authorization: \`Bearer \${ADMIN_KEY}\`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(\`admin API \${method} \${path} answered \${res.status}\`);
  return res.status === 204 ? undefined : res.json();
}

export default defineAdapter({
  name: 'my-app',

  // issueToken({ role }): generate a SCIM token as an admin of that role, the way your console does.
  // Return { token, scimUrl }, or { refused: '<the message your app shows>' } when the role may not.
  // Used by: token issuance and role checks (lifecycle profile).
  async issueToken({ role }) {
    const issued = (await admin('POST', '/scim-token', { role })) as { token: string; scimUrl: string };
    return { token: issued.token, scimUrl: issued.scimUrl };
  },

  // revokeToken({ role }?): revoke the current SCIM token (as a Master Admin unless a role is given). Return
  // { refused: '<the message your app shows>' } when that role may not; returning nothing means it was revoked.
  // Used by: "a revoked token is refused at once", who may revoke.
  async revokeToken() {
    await admin('DELETE', '/scim-token');
  },

  // cancelRevoke({ role }?): choose Revoke in your console and Cancel at its confirmation; return
  // { confirmation: '<the question asked>' }, or { confirmation: null } when nothing was asked.
  // Used by: "Revoke asks 'Revoke SCIM token?' first". An adapter over an API leaves it out (not assessed).
  // async cancelRevoke() { ... },

  // setSso(state): move SSO to 'unconfigured', 'configured' or 'active'. Used by: SCIM-gated-on-SSO checks.
  // async setSso(state) { await admin('PUT', '/sso/state', { state }); },

  // userStatus(userName): 'Active' | 'Disabled' | 'Absent', as your own Users page shows the person.
  // Used by: deactivation and deletion checks of every IdP profile.
  // async userStatus(userName) { ... },

  // userRegions(userName): names of the groups/regions the person is in, as your app shows them.
  // async userRegions(userName) { ... },

  // mailbox: where your app sends email during the run; the harness listens there (SMTP) for the
  // "New SCIM Token", "SCIM Token Revoked" and "New SSO account" emails.
  // mailbox: { host: '127.0.0.1', port: 2525 },

  // ssoIdp: your app must trust the harness's simulated OIDC identity provider at this issuer.
  // ssoIdp: { issuer: 'http://127.0.0.1:4444' },

  // signIn(page, userName): sign the person in through SSO with the Playwright page; 'signed-in' or 'refused'.
  // async signIn(page, userName) { ... },

  // manualChangeWarning(page): true when your console warns that manual edits must be made in the IdP too.
  // async manualChangeWarning(page) { ... },

  // disableUser(page, userName) / deleteUser(page, userName): disable or delete the person by hand, as an admin
  // in your own Users page (not through the IdP). Used by: "a user removed by hand loses access".
  // async disableUser(page, userName) { ... },
  // async deleteUser(page, userName) { ... },

  // freshTenant(): a separate, empty tenant { scimUrl, token, adapter? } for cross-tenant isolation and
  // destructive checks (revocation). Without it those checks are not assessed.
  // async freshTenant() { ... },
});
`;

const CONFIG = {
  $comment: [
    "Options of 'scimulator certify --config FILE'; flags on the command line override them.",
    'Secrets never go here: the token comes from tokenFile or env SCIMULATOR_TOKEN, an OAuth client secret',
    'from clientSecretFile or env SCIMULATOR_CLIENT_SECRET.',
  ],
  target: 'https://app.example.com/scim/v2',
  auth: 'bearer',
  tokenFile: 'scim-token.txt',
  adapter: './scimulator.adapter.ts',
  profile: ['rfc', 'security'],
  timeoutMs: 15000,
  workers: 2,
  out: 'reports',
  readOnly: false,
  seed: 1,
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, { force: { type: 'boolean' } }, 'init');
  if (parsed.values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length > 1) throw new CliError('give at most one directory: scimulator init [DIR].');
  const dir = resolve(parsed.positionals[0] ?? '.');
  const files = { 'scimulator.adapter.ts': ADAPTER, 'scimulator.config.json': `${JSON.stringify(CONFIG, null, 2)}\n` };
  const clash = Object.keys(files).filter((f) => existsSync(join(dir, f)));
  if (clash.length > 0 && !parsed.values.force) throw new CliError(`${clash.map((f) => join(dir, f)).join(' and ')} already exist; use --force to overwrite.`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
    process.stdout.write(`wrote ${join(dir, name)}\n`);
  }
  process.stdout.write(
    `next: edit both files, put the SCIM token in ${join(dir, CONFIG.tokenFile)} (or env SCIMULATOR_TOKEN), then run\n  scimulator certify --config ${join(dir, 'scimulator.config.json')}\n`,
  );
  return EXIT.ok;
}
