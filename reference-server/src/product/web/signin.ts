import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { EndUserSessions } from '../end-users.ts';
import type { ProductService } from '../service.ts';
import { APP_COOKIE } from './auth.ts';
import { html, type SafeHtml } from './html.ts';
import { page } from './layout.ts';

const accountQuery = z.object({ account: z.string().min(1).max(200).optional() });
const callbackQuery = z.object({ state: z.string().min(1).max(500).optional(), error: z.string().max(200).optional() });

/**
 * End-user sign-in through the account's IdP (OIDC authorization code + PKCE) and the small app behind it. A person
 * gets in only while the Users tab shows them Active; every page load checks again, so a deactivation takes effect at
 * once even for an open session.
 */
export async function signinRoutes(
  app: FastifyInstance,
  opts: { service: ProductService; sessions: EndUserSessions; secureCookies: () => boolean },
): Promise<void> {
  const { service, sessions } = opts;
  const productName = service.config.productName;

  function show(reply: FastifyReply, title: string, body: SafeHtml, status = 200): FastifyReply {
    const content = page(title, html`<main class="center"><section class="card">${body}</section></main>`, { productName });
    return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(content.value);
  }

  function refused(reply: FastifyReply, reason: string, status = 403): FastifyReply {
    return show(
      reply,
      'Access refused',
      html`<h1>Access refused</h1><p class="note bad" role="alert" data-testid="refusal-reason">${reason}</p><p class="muted">If you think this is a mistake, contact your administrator.</p>`,
      status,
    );
  }

  /** The account a sign-in is for: named in the link, or the only account there is. */
  function accountFor(req: FastifyRequest): string | undefined {
    const q = accountQuery.safeParse(req.query);
    const named = q.success ? q.data.account : undefined;
    if (named) return service.store.accounts.get(named)?.id;
    const all = service.store.accounts.list();
    return all.length === 1 ? all[0]!.id : undefined;
  }

  app.get('/signin', async (req, reply) => {
    const accountId = accountFor(req);
    if (!accountId) return refused(reply, 'This sign-in link does not name a known account.', 404);
    const account = service.store.accounts.get(accountId)!;
    if (account.ssoState !== 'active') return refused(reply, `Single sign-on is not active for ${account.name}, so nobody can sign in yet.`, 409);
    return show(
      reply,
      'Sign in',
      html`<h1>Sign in to ${productName}</h1><p class="lede">${account.name}</p>
<p>You sign in through your organisation's identity provider.</p>
<form method="get" action="/signin/start"><input type="hidden" name="account" value="${accountId}"><button type="submit">Sign in with SSO</button></form>`,
    );
  });

  app.get('/signin/start', async (req, reply) => {
    const accountId = accountFor(req);
    const account = accountId ? service.store.accounts.get(accountId) : undefined;
    if (!account) return refused(reply, 'This sign-in link does not name a known account.', 404);
    if (account.ssoState !== 'active') return refused(reply, `Single sign-on is not active for ${account.name}.`, 409);
    if (!service.ssoSettings.get(account.id)) return refused(reply, `Single sign-on has no identity provider set up for ${account.name}.`, 409);
    let auth: Awaited<ReturnType<typeof service.rp.authorizationUrl>>;
    try {
      auth = await service.rp.authorizationUrl(account.id, `${service.config.baseUrl()}/signin/callback`);
    } catch (err) {
      req.log.warn({ err: (err as Error).message, accountId: account.id }, 'sso discovery failed');
      return refused(reply, 'The identity provider cannot be reached right now. Try again in a moment.', 503);
    }
    sessions.saveFlow(auth.state, { accountId: account.id, codeVerifier: auth.codeVerifier, nonce: auth.nonce });
    return reply.redirect(auth.url.href, 303);
  });

  // The callback URL carries the authorization code: log the path only.
  const pathOnly = { req: (r: FastifyRequest) => ({ method: r.method, url: r.url.split('?')[0] }) };
  app.get('/signin/callback', { logSerializers: pathOnly }, async (req, reply) => {
    const q = callbackQuery.safeParse(req.query);
    const state = q.success ? q.data.state : undefined;
    const flow = state ? sessions.takeFlow(state) : undefined;
    if (!flow) return refused(reply, 'This sign-in attempt has expired or was already used. Start again from the sign-in page.', 400);
    if (q.success && q.data.error) return refused(reply, `The identity provider did not sign you in (${q.data.error}).`);
    let claims: Record<string, unknown>;
    try {
      const url = new URL(req.url, service.config.baseUrl());
      claims = await service.rp.complete(flow.accountId, url, { codeVerifier: flow.codeVerifier, state: state!, nonce: flow.nonce });
    } catch (err) {
      req.log.warn({ err: (err as Error).message, accountId: flow.accountId }, 'sso code exchange failed');
      return refused(reply, 'The identity provider response could not be verified. Start again from the sign-in page.', 400);
    }
    const identifiers = [claims.preferred_username, claims.email, claims.sub].filter((v): v is string => typeof v === 'string' && v !== '');
    const user = service.userForSignIn(flow.accountId, identifiers);
    const who = identifiers[0] ?? 'unknown';
    const actor = { kind: 'end-user' as const, label: who };
    if (!user) {
      service.audit.record(flow.accountId, actor, 'signin.refused', who, 'no such user');
      return refused(reply, `There is no ${productName} account for ${who}. It may have been removed by your identity provider.`);
    }
    if (!service.canSignIn(flow.accountId, user)) {
      service.audit.record(flow.accountId, actor, 'signin.refused', user.userName, 'user is Disabled');
      return refused(reply, `Your ${productName} account (${user.userName}) is disabled, by your identity provider or an administrator, so it has no access.`);
    }
    const { sessionId, expires } = sessions.start(flow.accountId, user.id);
    // Lax, not Strict: the browser arrives here from the IdP and is redirected on to /app in the same navigation.
    reply.setCookie(APP_COOKIE, sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies(), expires });
    service.audit.record(flow.accountId, actor, 'signin.succeeded', user.userName);
    return reply.redirect('/app', 303);
  });

  app.get('/app', async (req, reply) => {
    const sid = req.cookies[APP_COOKIE];
    const session = sid ? sessions.get(sid) : undefined;
    if (!session) return reply.redirect('/signin', 303);
    const user = service.userForSession(session.accountId, session.userId);
    if (!user || !service.canSignIn(session.accountId, user)) {
      sessions.end(sid!);
      reply.clearCookie(APP_COOKIE, { path: '/' });
      return refused(reply, user ? 'Your account is disabled. Your session has ended.' : 'Your account no longer exists. Your session has ended.');
    }
    return show(
      reply,
      productName,
      html`<h1>Welcome, ${user.name}</h1><p class="lede" data-testid="signed-in-as">Signed in as ${user.userName}</p>
<p>Regions: ${user.regions.length ? user.regions.join(', ') : 'none'}</p>
<form method="post" action="/app/signout"><button class="secondary" type="submit">Sign out</button></form>`,
    );
  });

  app.post('/app/signout', async (req, reply) => {
    const sid = req.cookies[APP_COOKIE];
    if (sid) sessions.end(sid);
    reply.clearCookie(APP_COOKIE, { path: '/' });
    return reply.redirect('/signin', 303);
  });
}
