import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { createDirectory } from '../directory/directory.ts';
import { startSsoProvider, type SsoProvider } from './provider.ts';

const directory = createDirectory('okta', { seed: 11, users: 3, groups: 0 });
const client = { clientId: 'target-app', clientSecret: 'target-app-secret-123', redirectUris: ['http://127.0.0.1:9999/signin/callback'] };
let idp: SsoProvider;
let config: oidc.Configuration;

before(async () => {
  idp = await startSsoProvider({ idp: 'okta', directory, clients: [client] });
  config = await oidc.discovery(new URL(idp.issuer), client.clientId, undefined, oidc.ClientSecretBasic(client.clientSecret), {
    execute: [oidc.allowInsecureRequests],
  });
});
after(() => idp.close());

/** A tiny cookie-keeping browser: follows the provider's redirects until it leaves the issuer. */
async function browse(start: URL, username: string): Promise<{ landed: URL | undefined; status: number; html: string }> {
  const jar = new Map<string, string>();
  const go = async (url: URL, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0] ?? '';
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return res;
  };
  let url = start;
  for (let i = 0; i < 10; i++) {
    let res = await go(url);
    if (url.pathname.startsWith('/interaction/')) {
      const html = await res.text();
      const action = /action="([^"]+)"/.exec(html)?.[1];
      assert.ok(action, 'the login page has a form');
      assert.match(html, /name="username"/);
      res = await go(new URL(action, url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username }).toString(),
      });
      if (res.status !== 303 && res.status !== 302) return { landed: undefined, status: res.status, html: await res.text() };
    }
    const location = res.headers.get('location');
    if (!location) return { landed: undefined, status: res.status, html: await res.text() };
    url = new URL(location, url);
    if (url.origin !== idp.issuer) return { landed: url, status: res.status, html: '' };
  }
  throw new Error('too many redirects');
}

async function authorize() {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: client.redirectUris[0]!,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url, verifier, state, nonce };
}

test('authorization code + PKCE: a directory person signs in and the ID token names them', async () => {
  const person = directory.people[1]!;
  const a = await authorize();
  const { landed } = await browse(a.url, person.userName.toUpperCase());
  assert.ok(landed, 'redirected back to the client');
  const tokens = await oidc.authorizationCodeGrant(config, landed, {
    pkceCodeVerifier: a.verifier,
    expectedState: a.state,
    expectedNonce: a.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims()!;
  assert.equal(claims.sub, person.idpId);
  assert.equal(claims.preferred_username, person.userName);
  assert.equal(claims.email, person.email);
  assert.equal(claims.name, person.displayName);
});

test('PKCE is required', async () => {
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: client.redirectUris[0]!, scope: 'openid', state: 's' });
  const res = await fetch(url, { redirect: 'manual' });
  const back = new URL(res.headers.get('location')!);
  assert.equal(back.searchParams.get('error'), 'invalid_request');
  assert.match(back.searchParams.get('error_description') ?? '', /PKCE/);
});

test('an unknown username is refused on the form; an inactive person is sent back with access_denied', async () => {
  const unknown = await browse((await authorize()).url, 'nobody@example.test');
  assert.equal(unknown.status, 401);
  assert.match(unknown.html, /No Okta-style account/);
  const p = directory.people[2]!;
  p.status = 'disabled';
  const { landed } = await browse((await authorize()).url, p.userName);
  assert.equal(landed?.searchParams.get('error'), 'access_denied');
  p.status = 'active';
});

test('a client that is not registered is rejected', async () => {
  const url = new URL(`${idp.issuer}/auth?client_id=other&response_type=code&redirect_uri=http://x.test/cb&scope=openid`);
  const res = await fetch(url, { redirect: 'manual' });
  assert.equal(res.status, 400);
});
