import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../harness/lifecycle-services.ts';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunchOptions } from '../../harness/chromium.ts';
import { OktaSimulator, createDirectory, startSsoProvider, type SsoProvider } from '../../simulators/index.ts';

const root = new URL('../../', import.meta.url).pathname;
const CLIENT_SECRET = 'sso-client-secret-for-the-demo-0123456789';
const directory = createDirectory('okta', { seed: 2024, users: 3, groups: 1 });
let serve: ChildProcess;
let idp: SsoProvider;
let browser: Browser;
let ready: { url: string; scimUrl: string; token: string };

/** The app trusts the simulated Okta: its client is registered on the IdP by configuration, the secret by env. */
before(async () => {
  const port = await freePort();
  // refuseInactive off: the app itself, not the IdP, must refuse a deactivated user
  idp = await startSsoProvider({
    idp: 'okta',
    directory,
    refuseInactive: false,
    clients: [{ clientId: 'scimulator-reference', clientSecret: CLIENT_SECRET, redirectUris: [`http://127.0.0.1:${port}/signin/callback`] }],
  });
  serve = spawn(process.execPath, [`${root}cli/bin.js`, 'serve', '--demo', '--port', String(port), '--db', ':memory:', '--sso-issuer', idp.issuer], {
    cwd: root,
    env: { ...process.env, SCIMULATOR_LOG_LEVEL: 'silent', SCIMULATOR_SSO_CLIENT_SECRET: CLIENT_SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ready line within 20 s')), 20_000);
    createInterface({ input: serve.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as typeof ready);
    });
    serve.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  browser = await chromium.launch(chromiumLaunchOptions());
});

after(async () => {
  await browser?.close();
  serve?.kill();
  await idp?.close();
});

async function signIn(userName: string): Promise<string> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${ready.url}/signin`);
    await page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await page.getByLabel('Username').fill(userName);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState('domcontentloaded');
    return await page.locator('main').innerText();
  } finally {
    await context.close();
  }
}

test('a user provisioned by the Okta simulator signs in through the simulated IdP in Chromium, and is refused once deactivated', async () => {
  const sim = new OktaSimulator({ target: { scimUrl: ready.scimUrl, token: ready.token }, directory, seed: 2024 });
  const person = directory.people[0]!;
  try {
    assert.equal((await sim.assign(person.key)).ok, true);
    assert.match(await signIn(person.userName), new RegExp(`Signed in as ${person.userName}`));
    assert.equal((await sim.deactivate(person.key)).ok, true);
    const refused = await signIn(person.userName);
    assert.match(refused, /Access refused/);
    assert.match(refused, /disabled/);
  } finally {
    await sim.close();
  }
});

test('a directory person who was never provisioned is refused by the app', async () => {
  assert.match(await signIn(directory.people[2]!.userName), /There is no .* account/);
});
