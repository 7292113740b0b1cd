// An example vendor adapter: how scimulator reaches "your" application around SCIM, written the way a vendor would
// write it, with nothing but HTTP calls to the app's own admin API, one operator command for new tenants, and the
// Playwright page the harness hands over for browser steps. The app here happens to be scimulator's reference
// server, so the example runs as is (see README.md); replace the calls with your own app's.
//
// Every capability is optional: leave one out and the requirements needing it are reported "not assessed" with the
// reason, never passed. Configuration comes from the environment, so no secret lives in this file.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { defineAdapter, type AdminRole, type FreshTenant, type SsoState, type TargetAdapter } from '../../harness/adapter.ts';

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`the example adapter needs env ${name} (see examples/vendor-adapter/README.md)`);
  return v;
};

/** Where the app runs, the admin API key of its main tenant, and the database its operator command writes to. */
const APP_URL = env('MYAPP_URL', 'http://127.0.0.1:8080').replace(/\/+$/, '');
const SMTP_PORT = Number(env('MYAPP_SMTP_PORT', '2525'));
const IDP_PORT = Number(env('MYAPP_IDP_PORT', '4455'));
/**
 * The OIDC client the app uses at the harness's simulated IdP; any values work as long as both sides agree. The module
 * is loaded by certify (which starts the IdP) and by every worker (which configures tenants), so the default secret is
 * derived, not random: the same in every process.
 */
const SSO_CLIENT = {
  clientId: 'myapp',
  clientSecret: env(
    'MYAPP_SSO_CLIENT_SECRET',
    createHash('sha256')
      .update(`sso:${process.env.MYAPP_ADMIN_KEY ?? ''}`)
      .digest('hex')
      .slice(0, 32),
  ),
};
const ISSUER = `http://127.0.0.1:${IDP_PORT}`;

type Auth = { authorization: string } | { cookie: string; 'x-csrf-token': string };

async function call<T>(auth: Auth, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${APP_URL}/api/v1${path}`, {
    method,
    headers: { ...auth, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function ok<T>(auth: Auth, method: string, path: string, body?: unknown): Promise<T> {
  const res = await call<T & { message?: string }>(auth, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${res.body?.message ?? ''}`);
  return res.body;
}

/** Signs in as a console admin (email + password) and returns the session headers. */
async function session(email: string, password: string): Promise<Auth> {
  const res = await fetch(`${APP_URL}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in as ${email} failed with ${res.status}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    cookie: res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    'x-csrf-token': csrfToken,
  };
}

/** The adapter for one account, given a Master Admin API key of that account. */
function accountAdapter(accountId: string, key: string): TargetAdapter {
  const master: Auth = { authorization: `Bearer ${key}` };
  const admins = new Map<string, Promise<Auth>>();
  // an admin per role, added once through the admin API, as a person would be invited
  const as = (role: AdminRole): Promise<Auth> => {
    if (role === 'Master Admin') return Promise.resolve(master);
    let a = admins.get(role);
    if (!a) {
      const email = `${role.toLowerCase().replace(/\W+/g, '-')}.${randomBytes(4).toString('hex')}@example.test`;
      a = ok<{ password: string }>(master, 'POST', '/admins', { email, name: role, role }).then((r) => session(email, r.password));
      admins.set(role, a);
    }
    return a;
  };
  const user = async (userName: string) =>
    (
      await ok<{ users: Array<{ id: string; userName: string; status: 'Active' | 'Disabled'; regions: string[] }> }>(
        master,
        'GET',
        `/users?userName=${encodeURIComponent(userName)}`,
      )
    ).users[0];

  return defineAdapter({
    name: 'example vendor adapter',
    async issueToken({ role }) {
      const res = await call<{ token?: string; scimUrl?: string; message?: string }>(await as(role), 'POST', '/scim-token');
      return res.status === 201 && res.body.token && res.body.scimUrl
        ? { token: res.body.token, scimUrl: res.body.scimUrl }
        : { refused: res.body?.message ?? `status ${res.status}` };
    },
    async revokeToken(opts?: { role: AdminRole }) {
      const res = await call<{ message?: string }>(await as(opts?.role ?? 'Master Admin'), 'DELETE', '/scim-token');
      // the app refusing this admin is an answer for the check to judge, not an adapter error
      if (res.status === 403) return { refused: res.body?.message ?? 'status 403' };
      if (res.status >= 300) throw new Error(`DELETE /scim-token answered ${res.status}: ${res.body?.message ?? ''}`);
    },
    async setSso(state: SsoState) {
      // settings only where there are none: an account that already has SSO keeps the IdP its people sign in with
      const current = await ok<{ state: SsoState }>(master, 'GET', '/sso');
      if (state !== 'unconfigured' && current.state === 'unconfigured') await ok(master, 'PUT', '/sso', { issuer: ISSUER, ...SSO_CLIENT });
      await ok(master, 'PUT', '/sso/state', { state });
    },
    async userStatus(userName: string) {
      return (await user(userName))?.status ?? 'Absent';
    },
    async userRegions(userName: string) {
      return (await user(userName))?.regions ?? [];
    },
    // what an admin does by hand in the Users tab, through the same admin API
    async disableUser(_page: Page, userName: string) {
      const u = await user(userName);
      if (!u) throw new Error(`no user ${userName} to disable`);
      await ok(master, 'POST', `/users/${encodeURIComponent(u.id)}/disable`);
    },
    async deleteUser(_page: Page, userName: string) {
      const u = await user(userName);
      if (!u) throw new Error(`no user ${userName} to delete`);
      await ok(master, 'DELETE', `/users/${encodeURIComponent(u.id)}`);
    },
    async manualChangeWarning(_page: Page) {
      return !!(await ok<{ warning?: string | null }>(master, 'GET', '/users')).warning;
    },
    async adminEmail(role: AdminRole) {
      const withRole = async () => (await ok<{ admins: Array<{ email: string; role: string }> }>(master, 'GET', '/admins')).admins.find((a) => a.role === role);
      let found = await withRole();
      if (!found) {
        // none yet: add one, then read the list again
        await as(role);
        found = await withRole();
      }
      if (!found) throw new Error(`no ${role} in GET /admins, even after adding one`);
      return found.email;
    },
    // The app sends its emails to this SMTP address (start it with --smtp 127.0.0.1:MYAPP_SMTP_PORT); the harness
    // listens there.
    mailbox: { host: '127.0.0.1', port: SMTP_PORT },
    // The app trusts this issuer; the harness runs its simulated IdP there and registers the app's OIDC client.
    ssoIdp: { issuer: ISSUER, ...SSO_CLIENT, redirectUri: `${APP_URL}/signin/callback` },
    async signIn(page: Page, userName: string) {
      await page.goto(`${APP_URL}/signin?account=${encodeURIComponent(accountId)}`);
      await page.getByRole('button', { name: 'Sign in with SSO' }).click();
      // the harness's IdP asks for a username (no password: its people are the simulators' directory)
      const field = page.getByLabel('Username');
      await field.or(page.getByTestId('signed-in-as')).or(page.getByTestId('refusal-reason')).first().waitFor();
      if (await field.isVisible()) {
        await field.fill(userName);
        await page.getByRole('button', { name: 'Sign in' }).click();
      }
      const signedIn = page.getByTestId('signed-in-as');
      await signedIn.or(page.getByTestId('refusal-reason')).first().waitFor();
      return (await signedIn.isVisible()) ? 'signed-in' : 'refused';
    },
  });
}

const run = promisify(execFile);

/**
 * A new, isolated account with SSO active and a SCIM token, so destructive checks never touch real data. A vendor
 * calls their own provisioning API here; the reference app has an operator command writing to its database.
 */
async function freshTenant(): Promise<FreshTenant> {
  const email = `owner.${randomBytes(4).toString('hex')}@example.test`;
  const { stdout } = await run(
    process.execPath,
    ['cli/bin.js', 'accounts', 'create', '--db', env('MYAPP_DB'), '--name', `Example ${email}`, '--admin-email', email, '--public-url', APP_URL],
    {
      cwd: new URL('../..', import.meta.url).pathname,
    },
  );
  const created = JSON.parse(stdout.trim().split('\n').pop()!) as { accountId: string; admin: { password: string } };
  const owner = await session(email, created.admin.password);
  await ok(owner, 'PUT', '/sso', { issuer: ISSUER, ...SSO_CLIENT });
  await ok(owner, 'POST', '/sso/activate');
  const { key } = await ok<{ key: string }>(owner, 'POST', '/api-keys', { name: 'scimulator', role: 'Master Admin' });
  const { token, scimUrl } = await ok<{ token: string; scimUrl: string }>(owner, 'POST', '/scim-token');
  return { scimUrl, token, adapter: accountAdapter(created.accountId, key) };
}

const main = accountAdapter(env('MYAPP_ACCOUNT_ID'), env('MYAPP_ADMIN_KEY'));
// Tenants need the operator command and its database. Without MYAPP_DB the adapter has no freshTenant(): certify then
// runs the lifecycle checks last, one at a time, on the main tenant (docs/adapters.md, "Without freshTenant()").
export default defineAdapter({ ...main, ...(process.env.MYAPP_DB ? { freshTenant } : {}) });
