import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../store/index.ts';
import type { SsoState } from '../store/accounts.ts';
import type { IssuedToken } from '../store/tokens.ts';
import { now } from '../store/db.ts';
import { AdminDirectory, type ApiKeyInfo, type ConsoleUser } from './admins.ts';
import { AuditLog, type Actor, type AuditEntry } from './audit.ts';
import { Directory, type DirectoryUser, type Region } from './directory.ts';
import { ProductError } from './errors.ts';
import { newScimTokenMail, scimTokenRevokedMail, type MailContext } from './mail/messages.ts';
import { Outbox, type OutboxRow, type OutgoingMessage } from './mail/outbox.ts';
import { can, ROLES, type Right, type Role } from './roles.ts';
import { generatePassword } from './secrets.ts';
import { issuerAllowed, RelyingParty, SsoSettingsStore, type SsoSettings } from './sso.ts';
import { formatIssues } from '../issues.ts';

/** Who is asking, for which account, with which role: the console session and the API key both resolve to this. */
export interface Principal {
  accountId: string;
  role: Role;
  actor: Actor;
}

export interface ServiceConfig {
  productName: string;
  /** Base URL the outside world reaches the server at (no trailing slash); resolved lazily because port 0 is known late. */
  baseUrl: () => string;
}

/** The kinds of message the product sends (`OutgoingMessage.kind`). */
export type MailKind = 'scim-token.created' | 'scim-token.revoked' | 'user.welcome';

export interface AccountOverview {
  id: string;
  name: string;
  ssoState: SsoState;
  sso: SsoSettings | null;
  scimUrl: string;
  scimToken: { active: boolean; created: string | null };
}

export const ssoSettingsInput = z
  .object({
    issuer: z.string().trim().refine(issuerAllowed, 'issuer must be an https URL (http is accepted on loopback only)'),
    clientId: z.string().trim().min(1, 'client id is required').max(255),
    clientSecret: z.string().min(1).max(1024).optional(),
  })
  .strict();

export const manualUserInput = z
  .object({
    userName: z.string().trim().min(1, 'userName is required').max(255),
    name: z.string().trim().max(255).optional(),
    email: z.email('email must be an email address').optional(),
  })
  .strict();

export const userPageInput = z
  .object({
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(500),
    search: z.string().trim().max(255).optional(),
  })
  .strict();

export const adminInput = z
  .object({
    email: z.email('email must be an email address'),
    name: z.string().trim().min(1).max(255),
    role: z.enum(ROLES),
  })
  .strict();

export const apiKeyInput = z.object({ name: z.string().trim().min(1).max(80), role: z.enum(ROLES) }).strict();

export const ssoStateInput = z.object({ state: z.enum(['unconfigured', 'configured', 'active']) }).strict();

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const msg = formatIssues(result.error);
  throw new ProductError('invalid_request', msg);
}

const WARNING_IDP_SOURCE =
  'SCIM provisioning is enabled: your identity provider is the source of truth. Make the same change in the identity provider, or it will be undone or drift.';

/**
 * Every rule of the product, once. The console and the admin API call these methods and only translate
 * inputs and results; rights, SSO gating, audit entries and emails all happen here. The protected methods are
 * the seams a subclass may change (the deliberate defects of reference-server/src/defects/product.ts do).
 */
export class ProductService {
  readonly admins: AdminDirectory;
  readonly audit: AuditLog;
  readonly outbox: Outbox;
  readonly directory: Directory;
  readonly ssoSettings: SsoSettingsStore;
  readonly rp: RelyingParty;
  /** Called after a message was enqueued, so delivery starts without waiting for the next poll. */
  onMailQueued: () => void = () => {};
  /** Called when a person's end-user sessions must end (deactivated, deleted, disabled by hand). */
  onUserLockedOut: (accountId: string, userId: string) => void = () => {};

  constructor(
    readonly store: Store,
    readonly config: ServiceConfig,
  ) {
    this.admins = new AdminDirectory(store.db);
    this.audit = new AuditLog(store.db);
    this.outbox = new Outbox(store.db);
    this.directory = new Directory(store.db);
    this.ssoSettings = new SsoSettingsStore(store.db);
    this.rp = new RelyingParty(this.ssoSettings);
  }

  // Accounts ----------------------------------------------------------------------------------------------------

  scimUrl(accountId: string): string {
    return `${this.config.baseUrl()}/scim/v2/${accountId}`;
  }

  signinUrl(accountId: string): string {
    return `${this.config.baseUrl()}/signin?account=${encodeURIComponent(accountId)}`;
  }

  mailContext(accountId: string): MailContext {
    const account = this.account(accountId);
    return {
      productName: this.config.productName,
      accountId,
      accountName: account.name,
      consoleUrl: `${this.config.baseUrl()}/console/security`,
      signinUrl: this.signinUrl(accountId),
    };
  }

  /** Creates an account and its first Master Admin (outside demo mode); the password is returned once. */
  async createAccount(input: { name: string; adminEmail: string; adminName?: string }): Promise<{
    accountId: string;
    admin: ConsoleUser;
    password: string;
  }> {
    const name = z.string().trim().min(1).max(120).safeParse(input.name);
    if (!name.success) throw new ProductError('invalid_request', 'account name is required (at most 120 characters)');
    const email = z.email().safeParse(input.adminEmail);
    if (!email.success) throw new ProductError('invalid_request', 'admin email must be an email address');
    if (this.admins.findByEmail(email.data)) throw new ProductError('conflict', `an admin with email ${email.data} already exists`);
    const account = this.store.accounts.create({ name: name.data });
    const password = generatePassword();
    const admin = await this.admins.create({
      accountId: account.id,
      email: email.data,
      name: input.adminName?.trim() || email.data,
      role: 'Master Admin',
      password,
    });
    this.audit.record(account.id, { kind: 'system', label: 'operator' }, 'account.created', account.id, `first admin ${admin.email}`);
    return { accountId: account.id, admin, password };
  }

  overview(p: Principal): AccountOverview {
    this.require(p, 'read');
    const account = this.account(p.accountId);
    const token = this.store.tokens.activeScimToken(p.accountId);
    return {
      id: account.id,
      name: account.name,
      ssoState: account.ssoState,
      sso: this.ssoSettings.get(p.accountId) ?? null,
      scimUrl: this.scimUrl(p.accountId),
      scimToken: { active: token !== undefined, created: token?.created ?? null },
    };
  }

  /** Why Generate is unavailable to this principal right now, or null when it is available. */
  generateBlockedReason(p: Principal): string | null {
    if (!this.can(p.role, 'scim-token.manage')) return `Only a Master Admin or a Security Admin can generate SCIM tokens; your role is ${p.role}.`;
    const state = this.account(p.accountId).ssoState;
    if (!this.ssoAllowsScim(state)) {
      return state === 'unconfigured'
        ? 'SCIM is available only when SSO is configured and activated. Configure SSO first, then activate it.'
        : 'SCIM is available only when SSO is activated. SSO is configured but not active: activate it first.';
    }
    return null;
  }

  // SSO ---------------------------------------------------------------------------------------------------------

  saveSso(p: Principal, input: unknown): AccountOverview {
    this.require(p, 'sso.manage');
    const settings = parse(ssoSettingsInput, input);
    const existing = this.ssoSettings.get(p.accountId);
    if (!existing && settings.clientSecret === undefined)
      throw new ProductError('invalid_request', 'clientSecret is required the first time SSO is configured');
    this.store.tx(() => {
      this.ssoSettings.save(p.accountId, settings);
      const state = this.account(p.accountId).ssoState;
      if (state === 'unconfigured') this.store.accounts.setSsoState(p.accountId, 'configured');
      this.audit.record(
        p.accountId,
        p.actor,
        existing ? 'sso.updated' : 'sso.configured',
        settings.issuer,
        `client id ${settings.clientId}${settings.clientSecret !== undefined ? '; client secret changed' : ''}`,
      );
    });
    this.rp.forget(p.accountId);
    return this.overview(p);
  }

  activateSso(p: Principal): AccountOverview {
    this.require(p, 'sso.manage');
    const state = this.account(p.accountId).ssoState;
    if (state === 'unconfigured') throw new ProductError('sso_not_configured', 'SSO is not configured: save the issuer, client id and client secret first');
    if (state !== 'active') {
      this.store.tx(() => {
        this.store.accounts.setSsoState(p.accountId, 'active');
        this.audit.record(p.accountId, p.actor, 'sso.activated');
      });
    }
    return this.overview(p);
  }

  deactivateSso(p: Principal): AccountOverview {
    this.require(p, 'sso.manage');
    if (this.account(p.accountId).ssoState === 'active') {
      this.store.tx(() => {
        this.store.accounts.setSsoState(p.accountId, 'configured');
        this.audit.record(p.accountId, p.actor, 'sso.deactivated', undefined, 'SCIM requests are refused until SSO is active again');
      });
    }
    return this.overview(p);
  }

  /** Removes the settings altogether (back to unconfigured). */
  clearSso(p: Principal): AccountOverview {
    this.require(p, 'sso.manage');
    this.store.tx(() => {
      this.ssoSettings.clear(p.accountId);
      this.store.accounts.setSsoState(p.accountId, 'unconfigured');
      this.audit.record(p.accountId, p.actor, 'sso.cleared');
    });
    this.rp.forget(p.accountId);
    return this.overview(p);
  }

  /** Moves to a state by the ordinary transitions (used by scripts and the harness adapter). */
  setSsoState(p: Principal, input: unknown): AccountOverview {
    const { state } = parse(ssoStateInput, input);
    if (state === 'unconfigured') return this.clearSso(p);
    if (state === 'active') return this.activateSso(p);
    this.require(p, 'sso.manage');
    if (this.account(p.accountId).ssoState === 'unconfigured') {
      throw new ProductError('sso_not_configured', 'SSO is not configured: save the issuer, client id and client secret first');
    }
    return this.deactivateSso(p);
  }

  // SCIM token --------------------------------------------------------------------------------------------------

  /** Issues a token (replacing an active one) and returns it with the SCIM URL: the only time the plaintext exists. */
  generateScimToken(p: Principal): { token: string; scimUrl: string; created: string } {
    this.require(p, 'scim-token.manage');
    if (!this.ssoAllowsScim(this.account(p.accountId).ssoState)) throw new ProductError('sso_inactive', this.generateBlockedReason(p)!);
    const ctx = this.mailContext(p.accountId);
    const issued = this.store.tx(() => {
      const replaced = this.store.tokens.activeScimToken(p.accountId);
      const token = this.issueToken(p.accountId);
      const recipients = this.admins.tokenRecipients(p.accountId);
      if (replaced) {
        this.audit.record(p.accountId, p.actor, 'scim-token.revoked', replaced.id, 'replaced by a newly generated token');
        if (recipients.length && this.sendsMail('scim-token.revoked')) {
          this.outbox.enqueue(this.composeMail(scimTokenRevokedMail(ctx, recipients, p.actor.label, token.created)));
        }
      }
      this.audit.record(p.accountId, p.actor, 'scim-token.generated', token.id);
      if (recipients.length && this.sendsMail('scim-token.created')) {
        this.outbox.enqueue(this.composeMail(newScimTokenMail(ctx, recipients, p.actor.label, token.created)));
      }
      return token;
    });
    this.onMailQueued();
    return { token: issued.token, scimUrl: this.scimUrl(p.accountId), created: issued.created };
  }

  /** Why Revoke is unavailable to this principal, or null when it is available. */
  revokeBlockedReason(p: Principal): string | null {
    if (this.can(p.role, 'scim-token.manage')) return null;
    return `Only a Master Admin or a Security Admin can revoke SCIM tokens; your role is ${p.role}.`;
  }

  revokeScimToken(p: Principal): void {
    if (this.revokeBlockedReason(p) !== null) this.require(p, 'scim-token.manage');
    const ctx = this.mailContext(p.accountId);
    this.store.tx(() => {
      const active = this.store.tokens.activeScimToken(p.accountId);
      const revoked = this.revokeToken(p.accountId);
      if (!active || !revoked) {
        throw new ProductError('no_active_token', 'There is no active SCIM token to revoke');
      }
      this.audit.record(p.accountId, p.actor, 'scim-token.revoked', active.id);
      const recipients = this.admins.tokenRecipients(p.accountId);
      if (recipients.length && this.sendsMail('scim-token.revoked')) {
        this.outbox.enqueue(this.composeMail(scimTokenRevokedMail(ctx, recipients, p.actor.label, now())));
      }
    });
    this.onMailQueued();
  }

  /** A token the Security page shows again after Generate; none here: the plaintext exists only in Generate's answer. */
  reshownToken(_accountId: string): string | undefined {
    return undefined;
  }

  // Console -------------------------------------------------------------------------------------------------------
  // What the console's buttons do. Scripts and the admin API call the underlying methods directly.

  consoleActivateSso(p: Principal): AccountOverview {
    return this.activateSso(p);
  }

  consoleGenerateScimToken(p: Principal): { token: string; scimUrl: string; created: string } {
    return this.generateScimToken(p);
  }

  /** Whether the console's three-dots Revoke asks "Revoke SCIM token?" before revoking. */
  consoleConfirmsRevoke(): boolean {
    return true;
  }

  // End-user sign-in ----------------------------------------------------------------------------------------------

  /** The person an SSO sign-in names (by userName, email or subject), if the account has one. */
  userForSignIn(accountId: string, identifiers: string[]): DirectoryUser | undefined {
    return this.directory.userForSignIn(accountId, identifiers);
  }

  /** The person an end-user session belongs to, if they still exist. */
  userForSession(accountId: string, userId: string): DirectoryUser | undefined {
    return this.directory.user(accountId, userId);
  }

  /** Whether this person may sign in, or keep using a session: only an Active user may. */
  canSignIn(_accountId: string, user: DirectoryUser): boolean {
    return user.status === 'Active';
  }

  // Users and regions -------------------------------------------------------------------------------------------

  /** The warning every manual change carries while a SCIM token is active, or null. */
  manualChangeWarning(accountId: string): string | null {
    return this.store.tokens.activeScimToken(accountId) ? WARNING_IDP_SOURCE : null;
  }

  /** How the Users tab shows a person: as stored. */
  protected listed(user: DirectoryUser): DirectoryUser {
    return user;
  }

  users(p: Principal, input: unknown = {}): { total: number; offset: number; users: DirectoryUser[] } {
    this.require(p, 'read');
    const page = parse(userPageInput, input);
    const listed = this.directory.users(p.accountId, page);
    return { offset: page.offset, total: listed.total, users: listed.users.map((u) => this.listed(u)) };
  }

  user(p: Principal, id: string): DirectoryUser {
    this.require(p, 'read');
    const user = this.directory.user(p.accountId, id);
    if (!user) throw new ProductError('not_found', 'No such user in this account');
    return user;
  }

  /** The users with this userName (compared case-insensitively): one or none. */
  usersNamed(p: Principal, userName: string): DirectoryUser[] {
    this.require(p, 'read');
    const user = this.directory.userByUserName(p.accountId, userName);
    return user ? [this.listed(user)] : [];
  }

  regions(p: Principal): Region[] {
    this.require(p, 'read');
    return this.directory.regions(p.accountId);
  }

  addUser(p: Principal, input: unknown): { user: DirectoryUser; warning: string | null } {
    this.require(p, 'users.manage');
    const u = parse(manualUserInput, input);
    const id = randomUUID();
    const email = u.email ?? (u.userName.includes('@') ? u.userName : undefined);
    const data: Record<string, unknown> = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: u.userName,
      active: true,
      ...(u.name ? { displayName: u.name, name: { formatted: u.name } } : {}),
      ...(email ? { emails: [{ value: email, type: 'work', primary: true }] } : {}),
    };
    this.store.tx(() => {
      if (this.directory.userByUserName(p.accountId, u.userName)) throw new ProductError('conflict', `userName ${u.userName} is already taken`);
      this.store.users.insert(p.accountId, id, data);
      this.store.db.prepare('INSERT INTO manual_users (account_id, user_id) VALUES (?, ?)').run(p.accountId, id);
      this.audit.record(p.accountId, p.actor, 'user.added', u.userName, 'manual');
    });
    return { user: this.directory.user(p.accountId, id)!, warning: this.manualChangeWarning(p.accountId) };
  }

  setUserActive(p: Principal, id: string, active: boolean): { user: DirectoryUser; warning: string | null } {
    this.require(p, 'users.manage');
    this.store.tx(() => {
      const stored = this.store.users.get(p.accountId, id);
      if (!stored) throw new ProductError('not_found', 'No such user in this account');
      this.store.users.update(p.accountId, id, { ...stored.data, active });
      this.audit.record(p.accountId, p.actor, active ? 'user.enabled' : 'user.disabled', String(stored.data.userName), 'manual');
    });
    if (!active) this.lockOut(p.accountId, id, 'disabled');
    return { user: this.directory.user(p.accountId, id)!, warning: this.manualChangeWarning(p.accountId) };
  }

  deleteUser(p: Principal, id: string): { warning: string | null } {
    this.require(p, 'users.manage');
    this.store.tx(() => {
      const stored = this.store.users.get(p.accountId, id);
      if (!stored) throw new ProductError('not_found', 'No such user in this account');
      this.store.users.delete(p.accountId, id);
      this.store.db.prepare('DELETE FROM manual_users WHERE account_id = ? AND user_id = ?').run(p.accountId, id);
      this.audit.record(p.accountId, p.actor, 'user.deleted', String(stored.data.userName), 'manual');
    });
    this.lockOut(p.accountId, id, 'deleted');
    return { warning: this.manualChangeWarning(p.accountId) };
  }

  // Outbox, audit -----------------------------------------------------------------------------------------------

  outboxMessages(p: Principal): OutboxRow[] {
    this.require(p, 'read');
    return this.outbox.list(p.accountId);
  }

  auditEntries(p: Principal): AuditEntry[] {
    this.require(p, 'read');
    return this.audit.recent(p.accountId);
  }

  /** A wrong password for a known admin goes into that account's audit log (unknown emails have no account). */
  recordFailedSignIn(email: string): void {
    const admin = this.admins.findByEmail(email);
    if (admin) this.audit.record(admin.accountId, { kind: 'admin', label: admin.email }, 'console.sign-in-failed', undefined, 'wrong password');
  }

  // Console admins and API keys ---------------------------------------------------------------------------------

  consoleAdmins(p: Principal): ConsoleUser[] {
    this.require(p, 'read');
    return this.admins.list(p.accountId);
  }

  async addAdmin(p: Principal, input: unknown): Promise<{ admin: ConsoleUser; password: string }> {
    this.require(p, 'admins.manage');
    const a = parse(adminInput, input);
    if (this.admins.findByEmail(a.email)) throw new ProductError('conflict', `an admin with email ${a.email} already exists`);
    const password = generatePassword();
    const admin = await this.admins.create({ accountId: p.accountId, ...a, password });
    this.audit.record(p.accountId, p.actor, 'admin.added', admin.email, admin.role);
    return { admin, password };
  }

  apiKeys(p: Principal): ApiKeyInfo[] {
    this.require(p, 'admins.manage');
    return this.admins.listApiKeys(p.accountId);
  }

  createApiKey(p: Principal, input: unknown): { key: string; info: ApiKeyInfo } {
    this.require(p, 'admins.manage');
    const k = parse(apiKeyInput, input);
    const created = this.admins.createApiKey({ accountId: p.accountId, name: k.name, role: k.role, createdBy: p.actor.label });
    this.audit.record(p.accountId, p.actor, 'api-key.created', `${created.info.name} (${created.info.id})`, created.info.role);
    return created;
  }

  revokeApiKey(p: Principal, id: string): void {
    this.require(p, 'admins.manage');
    if (!this.admins.revokeApiKey(p.accountId, id)) throw new ProductError('not_found', 'No such active API key in this account');
    this.audit.record(p.accountId, p.actor, 'api-key.revoked', id);
  }

  // Internals ---------------------------------------------------------------------------------------------------

  /** Role rights (roles.ts). */
  can(role: Role, right: Right): boolean {
    return can(role, right);
  }

  require(p: Principal, right: Right): void {
    if (!this.can(p.role, right)) throw new ProductError('forbidden', `Your role (${p.role}) does not allow this action`);
  }

  /** SCIM tokens need SSO active: SCIM is only for accounts whose people sign in through the IdP. */
  protected ssoAllowsScim(state: SsoState): boolean {
    return state === 'active';
  }

  /** Issues the account's new SCIM token (inside Generate's transaction). */
  protected issueToken(accountId: string): IssuedToken {
    return this.store.tokens.issueScimToken(accountId);
  }

  /** Ends the account's active SCIM token (inside Revoke's transaction); false when there was none. */
  protected revokeToken(accountId: string): boolean {
    return this.store.tokens.revokeScimToken(accountId);
  }

  /** Whether messages of this kind go out: all do. */
  sendsMail(_kind: MailKind): boolean {
    return true;
  }

  /** A message as it is enqueued: as composed in mail/messages.ts. */
  composeMail(mail: OutgoingMessage): OutgoingMessage {
    return mail;
  }

  /** A person disabled or deleted by hand loses access at once: their end-user sessions end. */
  protected lockOut(accountId: string, userId: string, _why: 'disabled' | 'deleted'): void {
    this.onUserLockedOut(accountId, userId);
  }

  private account(accountId: string) {
    const account = this.store.accounts.get(accountId);
    if (!account) throw new ProductError('not_found', 'No such account');
    return account;
  }
}
