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

export const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_URN], Operations });

/** The ids of a list response's Resources, in order. */
export const ids = (res: { body: { Resources?: Array<{ id: string }> } }) => (res.body.Resources ?? []).map((r) => r.id);

/** A harness for one test, closed afterwards (tests that need other server options than the shared one). */
export async function withHarness(options: ServerOptionsInput, fn: (h: Harness) => Promise<void>): Promise<void> {
  const h = await harness(options);
  try {
    await fn(h);
  } finally {
    await h.app.close();
  }
}

/** `n` users added to one group by parallel per-member PATCH adds, as SailPoint sends them (Teleport #61511). */
export async function memberBurst(h: Harness, n: number) {
  const userIds: string[] = [];
  for (let i = 0; i < n; i++) userIds.push((await h.req('POST', 'Users', user(`burst${i}@x.test`))).body.id);
  const g = (await h.req('POST', 'Groups', group('Burst'))).body;
  const adds = await Promise.all(userIds.map((id) => h.req('PATCH', `Groups/${g.id}`, patch({ op: 'add', path: 'members', value: [{ value: id }] }))));
  return { ids: userIds, g, statuses: adds.map((r) => r.status) };
}

/** A user deactivated by PATCH, then looked up by a userName filter and read by id. */
export async function inactiveUserLookup(h: Harness) {
  const u = await h.req('POST', 'Users', user('gone.quiet@x.test'));
  await h.req('PATCH', `Users/${u.body.id}`, patch({ op: 'replace', value: { active: false } }));
  return {
    id: u.body.id as string,
    filtered: await h.req('GET', `Users?filter=${encodeURIComponent('userName eq "gone.quiet@x.test"')}&startIndex=1&count=100`),
    read: await h.req('GET', `Users/${u.body.id}`),
  };
}

/** A user created, then looked for by a lastModified bound one minute earlier written at +01:00 (SailPoint's delta). */
export async function offsetDeltaLookup(h: Harness) {
  const u = await h.req('POST', 'Users', user('changed.late@x.test'));
  const modified = Date.parse(u.body.meta.lastModified);
  // the same instant one minute before the change, written at +01:00 (wall clock one hour ahead of UTC)
  const bound = new Date(modified - 60_000 + 3_600_000).toISOString().replace('Z', '+01:00');
  return { id: u.body.id as string, res: await h.req('GET', `Users?filter=${encodeURIComponent(`meta.lastModified gt "${bound}"`)}`) };
}

/** Entra's '+'-for-space filter, and the lookups the Groups form needs. */
export const PLUS_FILTER = 'Users?filter=userName+eq+%22plus.space%40x.test%22';
export const GROUP_CASE_LOOKUP = `Groups?filter=${encodeURIComponent('displayName eq "engineering"')}&startIndex=1&count=100`;

/** Entra's UPN change: Replace on path userName. */
export const renameUserName = (h: Harness, id: string) => h.req('PATCH', `Users/${id}`, patch({ op: 'Replace', path: 'userName', value: 'new.upn@x.test' }));
