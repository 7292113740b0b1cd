import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * oidc-provider run directly as a stand-in IdP (tests only): one confidential client, accounts whose login name is
 * their `sub`, `preferred_username` and `email`; consent is granted up front so a sign-in is login + redirect.
 */
export async function startIdp(opts: { clientId: string; clientSecret: string; redirectUri: string }): Promise<{
  issuer: string;
  /** Walks the IdP's login for `login` starting at the authorization URL; returns the callback URL it redirects to. */
  authorize: (authorizationUrl: string, login: string) => Promise<URL>;
  close: () => Promise<void>;
}> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    // explicit lifetimes and cookie keys keep oidc-provider's development notices out of the test output
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    cookies: { keys: [crypto.randomUUID()] },
    claims: { openid: ['sub'], email: ['email'], profile: ['preferred_username'] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, sub) {
      return { accountId: sub, claims: () => ({ sub, email: sub, preferred_username: sub }) };
    },
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());

  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  async function step(url: string, init: RequestInit = {}): Promise<URL> {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: cookieHeader() } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`IdP answered ${res.status} without a redirect at ${url}: ${(await res.text()).slice(0, 300)}`);
    return new URL(location, url);
  }

  return {
    issuer,
    async authorize(authorizationUrl, login) {
      jar.clear();
      let next = await step(authorizationUrl);
      for (let i = 0; i < 6 && next.origin === issuer; i++) {
        if (next.pathname.startsWith('/interaction/')) {
          next = await step(next.href, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ prompt: 'login', login, password: 'irrelevant' }).toString(),
          });
        } else {
          next = await step(next.href);
        }
      }
      return next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
