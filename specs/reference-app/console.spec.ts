import { expect, test, type APIRequestContext, type Browser } from '@playwright/test';
import { ConsoleSignInPage, SecurityPage, UsersPage } from '../../fixtures/console/index.ts';
import { startEmbeddedServer, type EmbeddedServer } from '../../harness/embedded-server.ts';

/**
 * The seed's steps in the reference app's console, in Chromium: SSO first, then Generate (token and URL shown once),
 * then Revoke through the three-dots menu and its confirmation. Master and Security Admins can; a Viewer cannot.
 * The server runs as its own `scimulator serve --demo` child; the demo account is put back to "SSO not configured".
 */
test.describe.configure({ mode: 'serial' });

let server: EmbeddedServer;
let admins: Record<string, { email: string; password: string }>;

const SSO = { issuer: 'https://idp.example.com', clientId: 'acme-console', clientSecret: 'console-spec-client-secret' };

async function adminApi(request: APIRequestContext, method: 'DELETE' | 'GET', path: string) {
  return request.fetch(`${server.ready.adminApiUrl}${path}`, { method, headers: { authorization: `Bearer ${server.ready.adminApiKey}` } });
}

async function scimStatus(request: APIRequestContext, scimUrl: string, token: string): Promise<number> {
  return (await request.get(`${scimUrl}/Users?count=1`, { headers: { authorization: `Bearer ${token}` } })).status();
}

async function signedIn(browser: Browser, role: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await new ConsoleSignInPage(page, server.ready.url).signIn(admins[role]!.email, admins[role]!.password);
  const security = new SecurityPage(page);
  await security.open();
  return { context, page, security };
}

test.beforeAll(async ({ request }) => {
  server = await startEmbeddedServer();
  admins = Object.fromEntries((server.ready.admins ?? []).map((a) => [a.role, a]));
  expect(Object.keys(admins).sort()).toEqual(['Master Admin', 'Security Admin', 'Viewer']);
  // Back to the seed's starting point: no SSO, no token.
  expect((await adminApi(request, 'DELETE', '/sso')).status()).toBe(200);
  expect((await adminApi(request, 'DELETE', '/scim-token')).status()).toBe(204);
});

test.afterAll(async () => {
  await server?.stop();
});

test('Master Admin configures and activates SSO, generates a token shown once, and revokes it from the three-dots menu', async ({ browser, request }) => {
  const { context, page, security } = await signedIn(browser, 'Master Admin');

  await expect(security.generateButton).toBeDisabled();
  await expect(security.generateBlockedReason).toContainText('SCIM is available only when SSO is configured and activated');

  await security.configureSso(SSO);
  expect(await security.ssoState()).toBe('configured');
  await expect(security.generateButton).toBeDisabled();
  await security.activateSso();
  expect(await security.ssoState()).toBe('active');
  await expect(security.generateButton).toBeEnabled();

  const { token, scimUrl } = await security.generate();
  expect(token).toMatch(/^scim_/);
  expect(scimUrl).toBe(server.ready.scimUrl);
  await expect(security.generatePanel().getByRole('button', { name: 'Copy SCIM Token' })).toBeVisible();
  await expect(security.generatePanel().getByRole('button', { name: 'Copy SCIM URL' })).toBeVisible();
  await expect(security.generatePanel()).toContainText('as securely as a password');
  expect(await scimStatus(request, scimUrl, token)).toBe(200);

  await security.closeGeneratePanel();
  expect(await page.content()).not.toContain(token);
  await page.reload();
  expect(await page.content()).not.toContain(token);
  expect(await security.hasActiveToken()).toBe(true);

  await security.revoke();
  expect(await security.hasActiveToken()).toBe(false);
  expect(await scimStatus(request, scimUrl, token)).toBe(401);
  await context.close();
});

test('Security Admin can generate and revoke too', async ({ browser, request }) => {
  const { context, security } = await signedIn(browser, 'Security Admin');
  expect(await security.ssoState()).toBe('active');
  const { token, scimUrl } = await security.generate();
  expect(await scimStatus(request, scimUrl, token)).toBe(200);
  await security.closeGeneratePanel();
  await security.revoke();
  expect(await scimStatus(request, scimUrl, token)).toBe(401);
  await context.close();
});

test('Viewer cannot: Generate is disabled with the reason, there is no Revoke, SSO settings are read-only, the API says 403', async ({ browser, request }) => {
  const { context, page, security } = await signedIn(browser, 'Viewer');
  await expect(security.generateButton).toBeDisabled();
  await expect(security.generateBlockedReason).toContainText('Only a Master Admin or a Security Admin can generate SCIM tokens');
  expect(await security.generateOrRefusal()).toEqual({ refused: expect.stringContaining('your role is Viewer') });
  await expect(security.sso.getByRole('button', { name: 'Save SSO settings' })).toBeDisabled();
  await expect(security.sso.getByRole('button', { name: 'Deactivate SSO' })).toBeDisabled();

  // With a token active (issued by the Master Admin's key), the Viewer still sees no actions menu.
  const issued = await request.fetch(`${server.ready.adminApiUrl}/scim-token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.ready.adminApiKey}` },
  });
  expect(issued.status()).toBe(201);
  await page.reload();
  expect(await security.hasActiveToken()).toBe(true);
  await expect(security.actionsMenuButton).toHaveCount(0);

  // The server enforces it too, whatever the page shows.
  const session = await request.post(`${server.ready.adminApiUrl}/session`, { data: { email: admins.Viewer!.email, password: admins.Viewer!.password } });
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const generate = await request.post(`${server.ready.adminApiUrl}/scim-token`, { headers: { 'x-csrf-token': csrfToken } });
  expect(generate.status()).toBe(403);
  expect(((await generate.json()) as { error: string }).error).toBe('forbidden');
  await context.close();
});

test('Users tab: SCIM users with status and regions; manual changes warn while SCIM is enabled', async ({ browser, request }) => {
  const { context, page } = await signedIn(browser, 'Master Admin');
  const users = new UsersPage(page);
  const scimHeaders = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' });

  // SSO active and a token issued (through the admin API, so this test also runs alone): the IdP is the source of truth.
  const auth = { authorization: `Bearer ${server.ready.adminApiKey}` };
  expect((await request.put(`${server.ready.adminApiUrl}/sso`, { headers: auth, data: SSO })).status()).toBe(200);
  expect((await request.post(`${server.ready.adminApiUrl}/sso/activate`, { headers: auth })).status()).toBe(200);
  const issued = (await (
    await request.post(`${server.ready.adminApiUrl}/scim-token`, { headers: { authorization: `Bearer ${server.ready.adminApiKey}` } })
  ).json()) as { token: string; scimUrl: string };
  const created = await request.post(`${issued.scimUrl}/Users`, {
    headers: scimHeaders(issued.token),
    data: {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'walk.user@demo.test',
      displayName: 'Walk User',
      emails: [{ value: 'walk.user@demo.test', primary: true }],
    },
  });
  const userId = ((await created.json()) as { id: string }).id;
  await request.post(`${issued.scimUrl}/Groups`, {
    headers: scimHeaders(issued.token),
    data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Walk Region', members: [{ value: userId }] },
  });

  await users.open();
  expect(await users.status('walk.user@demo.test')).toBe('Active');
  expect(await users.regions('walk.user@demo.test')).toEqual(['Walk Region']);
  expect(await users.hasManualChangeWarning()).toBe(true);
  await expect(users.manualChangeWarning).toContainText('identity provider is the source of truth');

  await users.addUser({ userName: 'manual.walk@demo.test', name: 'Manual Walk' });
  expect(await users.status('manual.walk@demo.test')).toBe('Active');
  await users.disable('manual.walk@demo.test');
  expect(await users.status('manual.walk@demo.test')).toBe('Disabled');
  await users.delete('manual.walk@demo.test');
  expect(await users.status('manual.walk@demo.test')).toBe('Absent');

  // Deactivated through SCIM -> Disabled; deleted -> gone from the tab and the region.
  await request.patch(`${issued.scimUrl}/Users/${userId}`, {
    headers: scimHeaders(issued.token),
    data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] },
  });
  await page.reload();
  expect(await users.status('walk.user@demo.test')).toBe('Disabled');
  await request.delete(`${issued.scimUrl}/Users/${userId}`, { headers: { authorization: `Bearer ${issued.token}` } });
  await page.reload();
  expect(await users.status('walk.user@demo.test')).toBe('Absent');
  await page.getByRole('navigation', { name: 'Manage' }).getByRole('link', { name: 'Regions' }).click();
  await expect(
    page
      .getByRole('table', { name: 'Regions' })
      .getByRole('row', { name: /Walk Region/ })
      .getByRole('cell')
      .nth(1),
  ).toHaveText('0');

  // Without an active token, no warning.
  await request.delete(`${server.ready.adminApiUrl}/scim-token`, { headers: { authorization: `Bearer ${server.ready.adminApiKey}` } });
  await users.open();
  expect(await users.hasManualChangeWarning()).toBe(false);
  await context.close();
});
