import { expect, test, type Page } from '@playwright/test';
import { endUserSignIn } from '../../fixtures/console/index.ts';
import { startEmbeddedServer, type EmbeddedServer } from '../../harness/embedded-server.ts';
import { createDirectory, startSsoProvider, type SsoProvider } from '../../simulators/index.ts';

/**
 * End-user sign-in in Chromium: an Active user signs in through the IdP (code + PKCE) and lands in the app; after
 * the IdP deactivates them through SCIM, the open session is gone and a new sign-in is refused with the reason;
 * after deletion the refusal says there is no account.
 */
test.describe.configure({ mode: 'serial' });

let server: EmbeddedServer;
let idp: SsoProvider;
const CLIENT = { clientId: 'reference-app-spec', clientSecret: `spec-${crypto.randomUUID()}` };
// the harness's own simulated IdP with one person; it keeps them active, so every refusal below is the app's own
const directory = createDirectory('okta', { seed: 7, users: 1, groups: 0, domain: 'demo.test' });
const PERSON = directory.people[0]!;
const USER = PERSON.userName;

// The IdP asks for a login only when it has no session of its own yet; otherwise it redirects straight back.
const loginAtIdp = (login: string) => async (page: Page) => {
  const field = page.getByLabel('Username');
  await field.or(page.getByTestId('signed-in-as')).or(page.getByTestId('refusal-reason')).first().waitFor();
  if (!(await field.isVisible())) return;
  await field.fill(login);
  await page.getByRole('button', { name: 'Sign in' }).click();
};

test.beforeAll(async ({ request }) => {
  server = await startEmbeddedServer();
  idp = await startSsoProvider({
    idp: 'okta',
    directory,
    clients: [{ ...CLIENT, redirectUris: [`${server.ready.url}/signin/callback`] }],
    refuseInactive: false,
  });
  const auth = { authorization: `Bearer ${server.ready.adminApiKey}` };
  const sso = await request.put(`${server.ready.adminApiUrl}/sso`, { headers: auth, data: { issuer: idp.issuer, ...CLIENT } });
  expect(sso.status()).toBe(200);
  const created = await request.post(`${server.ready.scimUrl}/Users`, {
    headers: { authorization: `Bearer ${server.ready.token}`, 'content-type': 'application/scim+json' },
    data: {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: USER,
      displayName: PERSON.displayName,
      emails: [{ value: PERSON.email, primary: true }],
    },
  });
  expect(created.status()).toBe(201);
});

test.afterAll(async () => {
  await server?.stop();
  await idp?.close();
});

const signinUrl = () => `${server.ready.url}/signin?account=${server.ready.accountId}`;

async function scimUserId(request: import('@playwright/test').APIRequestContext): Promise<string> {
  const res = await request.get(`${server.ready.scimUrl}/Users?filter=${encodeURIComponent(`userName eq "${USER}"`)}`, {
    headers: { authorization: `Bearer ${server.ready.token}` },
  });
  const body = (await res.json()) as { Resources: { id: string }[] };
  return body.Resources[0]!.id;
}

test('an Active user signs in through the IdP and lands in the app', async ({ page }) => {
  const result = await endUserSignIn(page, signinUrl(), loginAtIdp(USER));
  expect(result).toEqual({ outcome: 'signed-in', message: `Signed in as ${USER}` });
  await expect(page.getByRole('heading', { name: `Welcome, ${PERSON.displayName}` })).toBeVisible();
});

test('deactivated through SCIM: the open session ends and a new sign-in is refused with the reason', async ({ browser, request }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  expect((await endUserSignIn(page, signinUrl(), loginAtIdp(USER))).outcome).toBe('signed-in');

  const id = await scimUserId(request);
  const patch = await request.patch(`${server.ready.scimUrl}/Users/${id}`, {
    headers: { authorization: `Bearer ${server.ready.token}`, 'content-type': 'application/scim+json' },
    data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] },
  });
  expect(patch.status()).toBe(200);

  await page.goto(`${server.ready.url}/app`);
  await expect(page.getByRole('button', { name: 'Sign in with SSO' })).toBeVisible();
  const again = await endUserSignIn(page, signinUrl(), loginAtIdp(USER));
  expect(again.outcome).toBe('refused');
  expect(again.message).toContain('is disabled');
  await context.close();
});

test('deleted through SCIM: sign-in is refused because there is no account', async ({ page, request }) => {
  const id = await scimUserId(request);
  const del = await request.delete(`${server.ready.scimUrl}/Users/${id}`, { headers: { authorization: `Bearer ${server.ready.token}` } });
  expect(del.status()).toBe(204);
  const result = await endUserSignIn(page, signinUrl(), loginAtIdp(USER));
  expect(result.outcome).toBe('refused');
  expect(result.message).toContain(`no Scimulator Reference App account for ${USER}`);
});
