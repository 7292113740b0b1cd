import * as oidc from 'openid-client';
import type { Db } from '../store/db.ts';
import { now } from '../store/db.ts';

export interface SsoSettings {
  issuer: string;
  clientId: string;
  updated: string;
}

const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** http issuers are accepted only on loopback (the simulated IdP of a test run); anything else must be https. */
export function issuerAllowed(issuer: string): boolean {
  const url = URL.canParse(issuer) ? new URL(issuer) : undefined;
  if (!url) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname));
}

/** An account's OIDC settings. The state machine itself lives on `accounts.sso_state` (read by the SCIM core). */
export class SsoSettingsStore {
  constructor(private readonly db: Db) {}

  get(accountId: string): SsoSettings | undefined {
    const row = this.db.prepare('SELECT issuer, client_id, updated FROM sso_settings WHERE account_id = ?').get(accountId) as
      | { issuer: string; client_id: string; updated: string }
      | undefined;
    return row && { issuer: row.issuer, clientId: row.client_id, updated: row.updated };
  }

  /** Saves the settings; an omitted secret keeps the stored one (forms never echo it back). */
  save(accountId: string, input: { issuer: string; clientId: string; clientSecret?: string | undefined }): void {
    const at = now();
    if (input.clientSecret !== undefined) {
      this.db
        .prepare(
          `INSERT INTO sso_settings (account_id, issuer, client_id, client_secret, updated) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (account_id) DO UPDATE SET issuer = excluded.issuer, client_id = excluded.client_id,
             client_secret = excluded.client_secret, updated = excluded.updated`,
        )
        .run(accountId, input.issuer, input.clientId, input.clientSecret, at);
    } else {
      this.db.prepare('UPDATE sso_settings SET issuer = ?, client_id = ?, updated = ? WHERE account_id = ?').run(input.issuer, input.clientId, at, accountId);
    }
  }

  clear(accountId: string): void {
    this.db.prepare('DELETE FROM sso_settings WHERE account_id = ?').run(accountId);
  }

  /** The client secret, only for the token request to the IdP. */
  clientSecret(accountId: string): string | undefined {
    return this.db.prepare('SELECT client_secret FROM sso_settings WHERE account_id = ?').pluck().get(accountId) as string | undefined;
  }
}

/**
 * The relying party (openid-client): discovers the issuer once per settings version and keeps the configuration,
 * so a sign-in costs one round trip to the IdP's token endpoint.
 */
export class RelyingParty {
  private readonly cache = new Map<string, { key: string; config: Promise<oidc.Configuration> }>();

  constructor(private readonly settings: SsoSettingsStore) {}

  forget(accountId: string): void {
    this.cache.delete(accountId);
  }

  async configuration(accountId: string): Promise<oidc.Configuration> {
    const s = this.settings.get(accountId);
    const secret = this.settings.clientSecret(accountId);
    if (!s || secret === undefined) throw new Error('SSO is not configured for this account');
    const key = `${s.issuer}|${s.clientId}|${s.updated}`;
    const hit = this.cache.get(accountId);
    if (hit?.key === key) return hit.config;
    const insecure = new URL(s.issuer).protocol === 'http:';
    const config = oidc.discovery(
      new URL(s.issuer),
      s.clientId,
      undefined,
      oidc.ClientSecretBasic(secret),
      insecure ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
    );
    // A failed discovery is not cached: the next sign-in tries again.
    config.catch(() => this.cache.delete(accountId));
    this.cache.set(accountId, { key, config });
    return config;
  }

  async authorizationUrl(accountId: string, redirectUri: string): Promise<{ url: URL; state: string; codeVerifier: string; nonce: string }> {
    const config = await this.configuration(accountId);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, state, codeVerifier, nonce };
  }

  /** Exchanges the code (PKCE, state and nonce checked by openid-client) and returns the ID token's claims. */
  async complete(accountId: string, callbackUrl: URL, checks: { codeVerifier: string; state: string; nonce: string }): Promise<Record<string, unknown>> {
    const config = await this.configuration(accountId);
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the IdP returned no ID token');
    return claims as Record<string, unknown>;
  }
}
