import type { Role } from './roles.ts';
import { generatePassword, randomSecret } from './secrets.ts';
import type { Principal, ProductService } from './service.ts';

/** The demo's console admins, one per role; emails are stable so a reused database keeps the same people. */
export const DEMO_ADMINS: readonly { email: string; name: string; role: Role }[] = [
  { email: 'master.admin@demo.scimulator.test', name: 'Morgan Master', role: 'Master Admin' },
  { email: 'security.admin@demo.scimulator.test', name: 'Sam Security', role: 'Security Admin' },
  { email: 'viewer@demo.scimulator.test', name: 'Vic Viewer', role: 'Viewer' },
];

export const DEMO_SSO_CLIENT_ID = 'scimulator-reference';
/** Issuer a demo without --sso-issuer is configured with: a path on the server itself, no IdP behind it. */
export const DEMO_PLACEHOLDER_ISSUER_PATH = '/demo-sso-placeholder';

export type DemoProduct = {
  adminApiUrl: string;
  adminApiKey: string;
  admins: { email: string; password: string; role: Role }[];
  /** `clientSecret` only when this run set it; `placeholder` when no real issuer is configured. */
  sso: { issuer: string; clientId: string; clientSecret?: string; redirectUri: string; placeholder: boolean };
};

/**
 * `serve --demo`: the three admins with fresh passwords, a fresh operator admin API key (earlier demo keys revoked), and SSO
 * configured and active against `--sso-issuer` (or what is saved, or a placeholder). Everything returned here goes into the ready line, the one place a
 * secret is printed.
 */
export async function seedDemo(
  service: ProductService,
  demo: { accountId: string; url: string },
  opts: { ssoIssuer?: string | undefined; ssoClientId?: string | undefined; ssoClientSecret?: string | undefined },
): Promise<DemoProduct> {
  const admins: DemoProduct['admins'] = [];
  for (const a of DEMO_ADMINS) {
    const password = generatePassword();
    const existing = service.admins.findByEmail(a.email);
    if (existing && existing.accountId === demo.accountId) await service.admins.setPassword(existing.id, password);
    else if (!existing) await service.admins.create({ accountId: demo.accountId, ...a, password });
    else throw new Error(`demo admin ${a.email} belongs to another account`);
    admins.push({ email: a.email, password, role: a.role });
  }
  const master = service.admins.findByEmail(DEMO_ADMINS[0]!.email)!;
  const system: Principal = { accountId: demo.accountId, role: 'Master Admin', actor: { kind: 'system', label: 'demo seed' } };

  for (const key of service.admins.listApiKeys(demo.accountId)) {
    if (key.name === 'demo' && !key.revoked) service.revokeApiKey(system, key.id);
  }
  // Demo mode is a sandbox for testing: its key is an operator key, so a harness can make and remove accounts through
  // the API (README "Operator API"). No other way of making a key sets this flag.
  const { key } = service.admins.createApiKey({ accountId: demo.accountId, name: 'demo', role: 'Master Admin', createdBy: master.email, operator: true });

  // SSO is active only when configured (issuer and client id). Without --sso-issuer, settings already saved are kept;
  // a fresh demo gets a placeholder issuer on the server itself (docs/hardening.md): SCIM works, end-user sign-in
  // cannot until a real issuer is saved, and the console and ready line show what is configured.
  const base = demo.url.replace(/\/+$/, '');
  const current = service.overview(system).sso;
  let placeholder = false;
  let issuer = opts.ssoIssuer;
  let clientId = opts.ssoClientId ?? DEMO_SSO_CLIENT_ID;
  let clientSecret: string | undefined = opts.ssoClientSecret ?? randomSecret('oidc');
  if (!issuer && current?.issuer && current.clientId) {
    ({ issuer, clientId } = current);
    placeholder = issuer === `${base}${DEMO_PLACEHOLDER_ISSUER_PATH}`;
    clientSecret = undefined;
  } else if (!issuer) {
    issuer = `${base}${DEMO_PLACEHOLDER_ISSUER_PATH}`;
    placeholder = true;
  }
  if (clientSecret !== undefined) service.saveSso(system, { issuer, clientId, clientSecret });
  service.activateSso(system);
  const sso: DemoProduct['sso'] = {
    issuer,
    clientId,
    ...(clientSecret === undefined ? {} : { clientSecret }),
    redirectUri: `${base}/signin/callback`,
    placeholder,
  };
  return { adminApiUrl: `${demo.url.replace(/\/+$/, '')}/api/v1`, adminApiKey: key, admins, sso };
}
