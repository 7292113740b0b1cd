import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../app.ts';
import type { ServerOptionsInput } from '../../config.ts';
import type { Role } from '../roles.ts';
import type { Principal } from '../service.ts';
import { startIdp } from './idp.ts';
import { startMailbox } from './mailbox.ts';

export const PUBLIC_URL = 'http://app.test';
export const PRODUCT_NAME = 'Acme Cloud';
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

export interface AdminClient {
  email: string;
  password: string;
  cookie: string;
  csrf: string;
  /** An injected request as this admin (session cookie + CSRF header). */
  call: (method: InjectOptions['method'], url: string, payload?: unknown) => Promise<LightMyRequestResponse>;
}

/**
 * One account with a Master Admin, a Security Admin and a Viewer signed in through the API, a real SMTP capture
 * server and oidc-provider as the IdP. SSO is left unconfigured: tests move it where they need it.
 * `server` adds options of the reference server (the defect tests switch defects on through it).
 */
export async function productFixture(opts: { failFirstMails?: number; server?: ServerOptionsInput } = {}) {
  const mailbox = await startMailbox({ failFirst: opts.failFirstMails ?? 0 });
  const idpClientSecret = `idp-secret-${crypto.randomUUID()}`;
  const idp = await startIdp({ clientId: 'acme-app', clientSecret: idpClientSecret, redirectUri: `${PUBLIC_URL}/signin/callback` });
  const app = buildApp({
    logLevel: 'silent',
    publicUrl: PUBLIC_URL,
    productName: PRODUCT_NAME,
    smtp: { host: mailbox.host, port: mailbox.port },
    ...opts.server,
  });
  await app.ready();
  const created = await app.product.createAccount({ name: 'Acme', adminEmail: 'master@acme.test', adminName: 'Mia Master' });
  const accountId = created.accountId;
  const system: Principal = { accountId, role: 'Master Admin', actor: { kind: 'system', label: 'test' } };
  const security = await app.product.addAdmin(system, { email: 'security@acme.test', name: 'Sol Security', role: 'Security Admin' });
  const viewer = await app.product.addAdmin(system, { email: 'viewer@acme.test', name: 'Val Viewer', role: 'Viewer' });

  async function signIn(email: string, password: string): Promise<AdminClient> {
    const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    const csrf = (res.json() as { csrfToken: string }).csrfToken;
    return {
      email,
      password,
      cookie,
      csrf,
      call: (method, url, payload) =>
        app.inject({ method, url, headers: { cookie, 'x-csrf-token': csrf }, ...(payload !== undefined ? { payload: payload as object } : {}) }),
    };
  }

  const admins: Record<Role, AdminClient> = {
    'Master Admin': await signIn('master@acme.test', created.password),
    'Security Admin': await signIn('security@acme.test', security.password),
    Viewer: await signIn('viewer@acme.test', viewer.password),
  };
  const master = admins['Master Admin'];

  const ssoSettings = { issuer: idp.issuer, clientId: 'acme-app', clientSecret: idpClientSecret };

  return {
    app,
    accountId,
    admins,
    master,
    mailbox,
    idp,
    idpClientSecret,
    ssoSettings,
    /** Every secret this fixture made, for leak scans. */
    secrets: [created.password, security.password, viewer.password, idpClientSecret, ...Object.values(admins).map((a) => a.cookie.split('=')[1]!)],
    async activateSso() {
      await master.call('PUT', '/api/v1/sso', ssoSettings);
      await master.call('POST', '/api/v1/sso/activate');
    },
    async generate(): Promise<{ token: string; scimUrl: string }> {
      const res = await master.call('POST', '/api/v1/scim-token');
      if (res.statusCode !== 201) throw new Error(`generate failed: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    scim(token: string, method: InjectOptions['method'], path: string, payload?: unknown) {
      return app.inject({
        method,
        url: `/scim/v2/${accountId}${path}`,
        headers: { authorization: `Bearer ${token}`, ...(payload !== undefined ? { 'content-type': 'application/scim+json' } : {}) },
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
    },
    /** Signs `login` in at the app through the IdP; returns the app's final answer (the /signin/callback response). */
    async endUserSignIn(login: string) {
      const start = await app.inject({ method: 'GET', url: `/signin/start?account=${accountId}` });
      if (start.statusCode !== 303) return { status: start.statusCode, body: start.body, cookie: undefined };
      const callback = await idp.authorize(String(start.headers.location), login);
      const res = await app.inject({ method: 'GET', url: callback.pathname + callback.search });
      const setCookie = res.headers['set-cookie'];
      return { status: res.statusCode, body: res.body, location: res.headers.location, cookie: setCookie ? String(setCookie).split(';')[0] : undefined };
    },
    /** Creates a user through SCIM with `userName` as its primary email; returns its id. */
    async scimUser(token: string, userName: string): Promise<string> {
      const res = await this.scim(token, 'POST', '/Users', { schemas: [CORE_USER], userName, emails: [{ value: userName, primary: true }] });
      if (res.statusCode !== 201) throw new Error(`SCIM create failed: ${res.statusCode} ${res.body}`);
      return res.json().id as string;
    },
    /** Waits until the background sender has delivered everything queued so far. */
    async drainMail() {
      if (!(await app.mailSender!.drain(5000))) throw new Error('outbox not drained in time');
    },
    async close() {
      await app.close();
      await Promise.all([mailbox.close(), idp.close()]);
    },
  };
}

/** A product fixture with SSO active and a SCIM token generated, as the lifecycle starts. */
export async function provisionedFixture(opts: Parameters<typeof productFixture>[0] = {}) {
  const f = await productFixture(opts);
  await f.activateSso();
  const { token } = await f.generate();
  return { f, token };
}
