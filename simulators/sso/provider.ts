import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClientMetadata, KoaContextWithOIDC } from 'oidc-provider';
import type { IdpName } from '../core/types.ts';
import type { Directory, Person } from '../directory/directory.ts';

/** A relying party registered on the simulated IdP (the target app's `/signin`), by configuration. */
export interface SsoClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface SsoProviderOptions {
  idp: IdpName;
  /** The simulator's directory: its people are the accounts that can sign in, looked up live. */
  directory: Directory;
  clients: SsoClient[];
  host?: string;
  port?: number;
  /** A real IdP refuses people it has deactivated; turn off to test that the app itself refuses them. */
  refuseInactive?: boolean;
}

export interface SsoProvider {
  issuer: string;
  /** The login form at `/interaction/<uid>` has this one field; it posts to `/interaction/<uid>/login`. */
  readonly loginField: 'username';
  close(): Promise<void>;
}

const LABEL: Record<IdpName, string> = { okta: 'Okta-style', entra: 'Microsoft Entra-style', sailpoint: 'SailPoint-style' };

/**
 * A real OpenID provider (oidc-provider) on loopback whose accounts are the simulator's directory people.
 * Authorization code with PKCE; the login interaction is a plain form taking a username (no password: the
 * harness signs provisioned users in headlessly); consent is implied for registered clients.
 */
export async function startSsoProvider(opts: SsoProviderOptions): Promise<SsoProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  const refuseInactive = opts.refuseInactive ?? true;
  const find = (login: string): Person | undefined => {
    const l = login.trim().toLowerCase();
    return opts.directory.people.find((p) => p.userName.toLowerCase() === l || p.email.toLowerCase() === l);
  };
  const byId = (sub: string) => opts.directory.people.find((p) => p.idpId === sub);

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // loaded here, not at the top: oidc-provider takes over half a second to import, and every user of the
  // simulators library (the CLI's simulate and load, each test file) would pay it without starting an IdP
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(issuer, {
    clients: opts.clients.map(
      (c): ClientMetadata => ({
        client_id: c.clientId,
        client_secret: c.clientSecret,
        redirect_uris: c.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    ),
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: `${opts.idp}-sim`, use: 'sig', alg: 'RS256' }] as never },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    // the app reads who signed in from the ID token itself (preferred_username, email), as relying parties commonly do
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name', 'preferred_username'] },
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><h1>${LABEL[opts.idp]} sign-in error</h1><p>${escapeHtml(String(out.error))}: ${escapeHtml(String(out.error_description ?? ''))}</p></body></html>`;
    },
    async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
      const p = byId(sub);
      if (!p) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: p.email,
          email_verified: true,
          name: p.displayName,
          given_name: p.givenName,
          family_name: p.familyName,
          preferred_username: p.userName,
        }),
      };
    },
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const oidc = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (!m) {
      oidc(req, res);
      return;
    }
    interaction(req, res, m[2] === '/login').catch(() => {
      if (!res.headersSent) page(res, 400, '<p>This sign-in request has expired. Start again from the application.</p>');
    });
  });

  async function interaction(req: IncomingMessage, res: ServerResponse, submit: boolean): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (!submit || req.method !== 'POST') {
      page(res, 200, form(details.uid));
      return;
    }
    const username = new URLSearchParams(await body(req)).get('username') ?? '';
    const p = find(username);
    if (!p || p.status === 'deleted') {
      page(res, 401, form(details.uid, `No ${LABEL[opts.idp]} account for "${escapeHtml(username)}".`));
      return;
    }
    if (refuseInactive && p.status !== 'active') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: `${p.userName} is ${p.status} in the identity provider` },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: p.idpId } }, { mergeWithLastSubmission: false });
  }

  function form(uid: string, error?: string): string {
    return `<h1>${LABEL[opts.idp]} sign-in</h1>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" autofocus required>
  <button type="submit">Sign in</button>
</form>`;
  }

  return {
    issuer,
    loginField: 'username',
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function page(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head><body>${html}</body></html>`);
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
