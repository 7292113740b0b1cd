import { expect, test, type APIRequestContext, type Browser } from '@playwright/test';
import { ConsoleSignInPage, SecurityPage } from '../../fixtures/console/index.ts';
import { startEmbeddedServer, type EmbeddedServer } from '../../fixtures/embedded-server.ts';

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
  await expect(security.sso.getByRole('button', { name: 'Save SSO settings' })).toBeDisabled();
  await expect(security.sso.getByRole('button', { name: 'Deactivate SSO' })).toBeDisabled();

  // With a token active (issued by the Master Admin's key), the Viewer still sees no actions menu.
  const issued = await request.fetch(`${server.ready.adminApiUrl}/scim-token`, { method: 'POST', headers: { authorization: `Bearer ${server.ready.adminApiKey}` } });
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
