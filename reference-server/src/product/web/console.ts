import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ProductError } from '../errors.ts';
import { can } from '../roles.ts';
import type { Principal, ProductService } from '../service.ts';
import { CONSOLE_COOKIE } from './auth.ts';
import { html, type SafeHtml } from './html.ts';
import { consolePage, page } from './layout.ts';
import { startConsoleSession } from './session.ts';
import { adminsContent, auditContent, outboxContent } from './views/records.ts';
import { securityContent, type SecurityView } from './views/security.ts';
import { regionsContent, usersContent } from './views/users.ts';

/** Fixed texts for the notice after a redirect: the query names one, nothing from the URL is echoed. */
const NOTICES: Record<string, string> = {
  'sso-saved': 'SSO settings saved.',
  'sso-activated': 'SSO is active. SCIM provisioning can now be enabled.',
  'sso-deactivated': 'SSO is deactivated. SCIM requests are refused until it is active again.',
  'sso-cleared': 'SSO configuration removed.',
  'token-revoked': 'SCIM token revoked. SCIM requests with it are refused from now on.',
  'user-added': 'User added.',
  'user-disabled': 'User disabled. Their sessions have ended.',
  'user-enabled': 'User enabled.',
  'user-deleted': 'User deleted.',
  'key-revoked': 'API key revoked.',
};

const form = z.record(z.string(), z.unknown());
const USERS_PER_PAGE = 200;
const idParam = z.object({ id: z.string().min(1).max(200) });

function formBody(req: FastifyRequest): Record<string, unknown> {
  const parsed = form.safeParse(req.body ?? {});
  if (!parsed.success) throw new ProductError('invalid_request', 'expected a form');
  const { _csrf, ...rest } = parsed.data;
  void _csrf;
  // Empty optional fields mean "not given" (a blank client secret keeps the stored one).
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== ''));
}

function idOf(req: FastifyRequest): string {
  const r = idParam.safeParse(req.params);
  if (!r.success) throw new ProductError('invalid_request', 'missing id');
  return r.data.id;
}

function notice(req: FastifyRequest): string | undefined {
  const done = (req.query as Record<string, unknown> | undefined)?.done;
  return typeof done === 'string' ? NOTICES[done] : undefined;
}

export function signinPage(productName: string, error?: string): SafeHtml {
  return page(
    'Admin sign-in',
    html`<main class="center"><section class="card">
<h1>${productName}</h1><p class="lede">Admin console sign-in</p>
${error ? html`<p class="note bad" role="alert">${error}</p>` : ''}
<form method="post" action="/console/signin">
<label for="signin-email">Email</label><input id="signin-email" name="email" type="email" autocomplete="username" required>
<label for="signin-password">Password</label><input id="signin-password" name="password" type="password" autocomplete="current-password" required>
<p class="row" style="margin-top:1rem"><button type="submit">Sign in</button></p>
</form></section></main>`,
    { productName },
  );
}

/** The admin console: server-rendered pages whose every action is one call into the service. */
export async function consoleRoutes(
  app: FastifyInstance,
  opts: { service: ProductService; secureCookies: () => boolean; smtpConfigured: (accountId: string) => boolean },
): Promise<void> {
  const { service } = opts;
  const productName = service.config.productName;

  function send(reply: FastifyReply, content: SafeHtml, status = 200): FastifyReply {
    return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(content.value);
  }

  /** Renders a console page for a signed-in admin; a visitor without a session goes to the sign-in page. */
  function render(req: FastifyRequest, reply: FastifyReply, title: string, current: string, build: (p: Principal, csrf: string) => SafeHtml, status = 200) {
    const p = req.adminPrincipal;
    if (!p || req.adminAuth !== 'session') return reply.redirect('/console/signin');
    const csrfToken = reply.generateCsrf();
    const frame = { productName, accountName: service.overview(p).name, adminEmail: p.actor.label, role: p.role, csrfToken, current };
    return send(reply, consolePage(title, frame, build(p, csrfToken), { script: true }), status);
  }

  function principal(req: FastifyRequest): Principal {
    if (!req.adminPrincipal || req.adminAuth !== 'session') throw new ProductError('unauthenticated', 'Your session has ended: sign in again');
    return req.adminPrincipal;
  }

  function securityView(p: Principal, csrfToken: string, extra: Partial<SecurityView> = {}): SafeHtml {
    return securityContent({
      overview: service.overview(p),
      csrfToken,
      canManageSso: can(p.role, 'sso.manage'),
      revokeBlocked: service.revokeBlockedReason(p),
      revokeAtOnce: !service.consoleConfirmsRevoke(),
      generateBlocked: service.generateBlockedReason(p),
      ...extra,
    });
  }

  app.get('/console', async (_req, reply) => reply.redirect('/console/security'));
  app.get('/console/', async (_req, reply) => reply.redirect('/console/security'));

  app.get('/console/signin', async (req, reply) => {
    if (req.adminAuth === 'session') return reply.redirect('/console/security');
    return send(reply, signinPage(productName));
  });
  app.post('/console/signin', async (req, reply) => {
    const body = formBody(req);
    const email = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const admin = email && password ? await service.admins.authenticate(email, password) : undefined;
    if (!admin) {
      if (email) service.recordFailedSignIn(email);
      return send(reply, signinPage(productName, 'Email or password is incorrect.'), 401);
    }
    startConsoleSession(service, req, reply, admin, opts.secureCookies());
    return reply.redirect('/console/security', 303);
  });
  app.post('/console/signout', async (req, reply) => {
    if (req.consoleSessionId) service.admins.endSession(req.consoleSessionId);
    reply.clearCookie(CONSOLE_COOKIE, { path: '/' });
    return reply.redirect('/console/signin', 303);
  });

  // Security: SSO and SCIM provisioning ----------------------------------------------------------------------------
  app.get('/console/security', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const text = notice(req);
    return render(req, reply, 'Security', '/console/security', (p, csrf) => {
      const again = service.reshownToken(p.accountId);
      const reshown = again ? { issued: { token: again, scimUrl: service.scimUrl(p.accountId) } } : {};
      return securityView(p, csrf, { confirmRevoke: q.confirm === 'revoke', ...reshown, ...(text ? { notice: { kind: 'ok', text } } : {}) });
    });
  });
  const ssoAction = (path: string, done: string, act: (p: Principal, body: Record<string, unknown>) => unknown) =>
    app.post(path, async (req, reply) => {
      act(principal(req), formBody(req));
      return reply.redirect(`/console/security?done=${done}`, 303);
    });
  ssoAction('/console/security/sso', 'sso-saved', (p, body) => service.saveSso(p, body));
  ssoAction('/console/security/sso/activate', 'sso-activated', (p) => service.consoleActivateSso(p));
  ssoAction('/console/security/sso/deactivate', 'sso-deactivated', (p) => service.deactivateSso(p));
  ssoAction('/console/security/sso/clear', 'sso-cleared', (p) => service.clearSso(p));

  app.post('/console/security/scim-token', async (req, reply) => {
    const issued = service.consoleGenerateScimToken(principal(req));
    // Rendered straight into this response (never stored, never in a URL): the one time the token is visible.
    return render(req, reply, 'Security', '/console/security', (p, csrf) => securityView(p, csrf, { issued }), 201);
  });
  app.post('/console/security/scim-token/revoke', async (req, reply) => {
    service.revokeScimToken(principal(req));
    return reply.redirect('/console/security?done=token-revoked', 303);
  });

  // Users and regions ---------------------------------------------------------------------------------------------
  app.get('/console/users', async (req, reply) => {
    const q = z
      .object({ page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1), q: z.string().max(255).catch('').default('') })
      .parse(req.query ?? {});
    return render(req, reply, 'Users', '/console/users', (p, csrf) => {
      const listed = service.users(p, { offset: (q.page - 1) * USERS_PER_PAGE, limit: USERS_PER_PAGE, search: q.q || undefined });
      return usersContent({
        users: listed.users,
        total: listed.total,
        offset: listed.offset,
        perPage: USERS_PER_PAGE,
        search: q.q,
        csrfToken: csrf,
        canManage: can(p.role, 'users.manage'),
        // the warning is for the people who can make manual changes
        warning: can(p.role, 'users.manage') ? service.manualChangeWarning(p.accountId) : null,
        notice: notice(req),
      });
    });
  });
  app.post('/console/users', async (req, reply) => {
    service.addUser(principal(req), formBody(req));
    return reply.redirect('/console/users?done=user-added', 303);
  });
  app.post('/console/users/:id/disable', async (req, reply) => {
    service.setUserActive(principal(req), idOf(req), false);
    return reply.redirect('/console/users?done=user-disabled', 303);
  });
  app.post('/console/users/:id/enable', async (req, reply) => {
    service.setUserActive(principal(req), idOf(req), true);
    return reply.redirect('/console/users?done=user-enabled', 303);
  });
  app.post('/console/users/:id/delete', async (req, reply) => {
    service.deleteUser(principal(req), idOf(req));
    return reply.redirect('/console/users?done=user-deleted', 303);
  });
  app.get('/console/regions', async (req, reply) => render(req, reply, 'Regions', '/console/regions', (p) => regionsContent(service.regions(p))));

  // Outbox, audit, admins ------------------------------------------------------------------------------------------
  app.get('/console/outbox', async (req, reply) =>
    render(req, reply, 'Email outbox', '/console/outbox', (p) => outboxContent(service.outboxMessages(p), opts.smtpConfigured(p.accountId))),
  );
  app.get('/console/audit', async (req, reply) => render(req, reply, 'Audit log', '/console/audit', (p) => auditContent(service.auditEntries(p))));

  const adminsView = (p: Principal, csrf: string, shownOnce?: { label: string; value: string }) =>
    adminsContent({
      admins: service.consoleAdmins(p),
      apiKeys: can(p.role, 'admins.manage') ? service.apiKeys(p) : null,
      csrfToken: csrf,
      canManage: can(p.role, 'admins.manage'),
      shownOnce,
    });
  app.get('/console/admins', async (req, reply) => render(req, reply, 'Admins & API keys', '/console/admins', (p, csrf) => adminsView(p, csrf)));
  app.post('/console/admins', async (req, reply) => {
    const { admin, password } = await service.addAdmin(principal(req), formBody(req));
    return render(
      req,
      reply,
      'Admins & API keys',
      '/console/admins',
      (p, csrf) => adminsView(p, csrf, { label: `Password for ${admin.email}`, value: password }),
      201,
    );
  });
  app.post('/console/api-keys', async (req, reply) => {
    const { key, info } = service.createApiKey(principal(req), formBody(req));
    return render(req, reply, 'Admins & API keys', '/console/admins', (p, csrf) => adminsView(p, csrf, { label: `API key ${info.name}`, value: key }), 201);
  });
  app.post('/console/api-keys/:id/revoke', async (req, reply) => {
    service.revokeApiKey(principal(req), idOf(req));
    return reply.redirect('/console/admins?done=key-revoked', 303);
  });
}

/** An error page inside the console's look, with a way back. */
export function consoleErrorPage(productName: string, status: number, message: string): SafeHtml {
  const title = status === 403 ? 'Not allowed' : status === 401 ? 'Signed out' : status === 404 ? 'Not found' : 'Request refused';
  return page(
    title,
    html`<main class="center"><section class="card"><h1>${title}</h1><p class="note ${status >= 500 ? 'bad' : 'warn'}" role="alert">${message}</p>
<p><a href="${status === 401 ? '/console/signin' : '/console/security'}">${status === 401 ? 'Sign in' : 'Back to the console'}</a></p></section></main>`,
    { productName },
  );
}
