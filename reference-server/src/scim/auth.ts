import type { FastifyRequest } from 'fastify';
import { ScimError } from '../errors.ts';
import type { Store } from '../store/index.ts';

/** What every SCIM handler knows once the bearer token has been checked. */
export interface ScimContext {
  accountId: string;
  /** `{publicUrl}/scim/v2/{accountId}`: the base of every Location and `$ref`. */
  base: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    scim: ScimContext | null;
  }
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)$/i;
const UNAUTHORIZED = { 'www-authenticate': 'Bearer realm="scim"' };
const INVALID_TOKEN = { 'www-authenticate': 'Bearer realm="scim", error="invalid_token"' };

/** The account id in `/scim/v2/{accountId}/...`, read from the URL so unknown routes are authenticated too. */
export function accountIdFromUrl(url: string): string | undefined {
  const match = /^\/scim\/v2\/([^/?#]+)/.exec(url);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

/**
 * Bearer check for a SCIM request: the token must be the active one of the account whose base the URL names
 * (any other base is 401), and that account's SSO must be active (403 otherwise).
 */
export function authenticate(store: Store, publicUrl: string | undefined, request: FastifyRequest): ScimContext {
  const header = request.headers.authorization;
  if (!header) throw new ScimError('unauthorized', 'a bearer token is required', UNAUTHORIZED);
  const token = BEARER.exec(header)?.[1];
  if (!token) throw new ScimError('unauthorized', 'the Authorization header must be "Bearer <token>"', INVALID_TOKEN);
  const accountId = accountIdFromUrl(request.url);
  const account = accountId ? store.accounts.get(accountId) : undefined;
  // Verify even when the account is unknown, so timing does not tell which account ids exist.
  const valid = store.tokens.verifyScimToken(account?.id ?? '', token);
  if (!account || !valid) throw new ScimError('unauthorized', 'the token is not valid for this SCIM base', INVALID_TOKEN);
  if (account.ssoState !== 'active') {
    throw new ScimError(
      'ssoInactive',
      `SSO is not active for this account (state: ${account.ssoState}); SCIM is available only while SSO is configured and active`,
    );
  }
  const origin = publicUrl ? publicUrl.replace(/\/+$/, '') : `${request.protocol}://${request.host || 'localhost'}`;
  return { accountId: account.id, base: `${origin}/scim/v2/${encodeURIComponent(account.id)}` };
}
