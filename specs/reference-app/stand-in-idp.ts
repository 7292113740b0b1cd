import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * oidc-provider as a stand-in IdP for the app's own browser test: one confidential client, any login accepted (its
 * name becomes `sub`, `email` and `preferred_username`), consent granted up front. The harness has its own simulated
 * IdP; this one only exists so the reference app's sign-in can be walked in Chromium.
 */
export async function startStandInIdp(client: { clientId: string; clientSecret: string; redirectUri: string }): Promise<{ issuer: string; close: () => Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
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
  return { issuer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
