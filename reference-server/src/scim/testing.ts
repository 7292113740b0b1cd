/** Test helpers for route tests: an app on `:memory:` with one SSO-active account and its token. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import type { ServerOptionsInput } from '../config.ts';

export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface Harness {
  app: FastifyInstance;
  accountId: string;
  token: string;
  base: string;
  /** A SCIM request with the account's token; `body` objects are sent as application/scim+json. */
  req(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
}

export interface Res {
  status: number;
  headers: LightMyRequestResponse['headers'];
  body: any;
  raw: string;
}

export async function harness(options: ServerOptionsInput = {}): Promise<Harness> {
  const app = buildApp({ logLevel: 'silent', ...options });
  await app.ready();
  const account = app.store.accounts.create({ name: 'test', ssoState: 'active' });
  const { token } = app.store.tokens.issueScimToken(account.id);
  const base = `/scim/v2/${account.id}`;
  return {
    app,
    accountId: account.id,
    token,
    base,
    async req(method, path, body, headers = {}) {
      const h: Record<string, string> = { authorization: `Bearer ${token}`, ...headers };
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        h['content-type'] ??= 'application/scim+json';
      }
      const res = await app.inject({ method: method as 'GET', url: path.startsWith('/') ? path : `${base}/${path}`, headers: h, payload });
      let parsed: unknown;
      try {
        parsed = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.statusCode, headers: res.headers, body: parsed, raw: res.body };
    },
  };
}

export function user(userName: string, extra: Record<string, unknown> = {}) {
  return { schemas: [USER_URN], userName, ...extra };
}

export function group(displayName: string, members: string[] = [], extra: Record<string, unknown> = {}) {
  return { schemas: [GROUP_URN], displayName, members: members.map((value) => ({ value })), ...extra };
}
