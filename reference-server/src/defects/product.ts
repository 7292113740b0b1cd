/**
 * The product's deliberate defects: a ProductService whose seams (its protected and console methods) break one
 * rule per defect, with the state some of them need. Used only when `serve --defect` names a product defect.
 */
import { personName, preferredEmail, type DirectoryUser } from '../product/directory.ts';
import type { OutgoingMessage } from '../product/mail/outbox.ts';
import type { Right, Role } from '../product/roles.ts';
import { ProductService, type AccountOverview, type MailKind, type Principal, type ServiceConfig } from '../product/service.ts';
import type { ScimEvent, ScimEvents } from '../scim/events.ts';
import type { SsoState } from '../store/accounts.ts';
import type { Store } from '../store/index.ts';
import type { IssuedToken } from '../store/tokens.ts';
import type { DefectName, Defects } from './index.ts';

export class DefectiveProductService extends ProductService {
  private readonly lastIssued = new Map<string, string>();
  private readonly revokedAccounts = new Set<string>();
  /** Users deleted through SCIM that the Users tab still lists. */
  private readonly deletedListed = new Map<string, DirectoryUser[]>();
  private readonly disabledByHand = new Set<string>();
  /** Deleted users sign-in still finds (by hand or through SCIM). */
  private readonly deletedSigningIn = new Map<string, DirectoryUser[]>();
  /** The plaintext of the token Generate is issuing, for `token-in-email`. */
  private issuing: string | undefined;
  private revoking = false;
  private deleting: DirectoryUser | undefined;

  constructor(
    store: Store,
    config: ServiceConfig,
    private readonly defects: Defects,
    events: ScimEvents,
  ) {
    super(store, config);
    events.on('user.deleted', (e: ScimEvent) => this.scimUserDeleted(e));
  }

  private has(name: DefectName): boolean {
    return this.defects.has(name);
  }

  // Rights --------------------------------------------------------------------------------------------------------

  override can(role: Role, right: Right): boolean {
    if (right === 'scim-token.manage') {
      if (role === 'Master Admin' && this.has('master-admin-cannot-generate')) return false;
      if (role === 'Security Admin' && this.has('security-admin-not-token-manager')) return false;
      if (role === 'Viewer' && this.has('viewer-can-generate')) return true;
    }
    return super.can(role, right);
  }

  override revokeBlockedReason(p: Principal): string | null {
    if (p.role === 'Viewer' && this.has('viewer-can-revoke')) return null;
    return super.revokeBlockedReason(p);
  }

  // SSO -----------------------------------------------------------------------------------------------------------

  protected override ssoAllowsScim(state: SsoState): boolean {
    return this.has('generate-ignores-sso') || super.ssoAllowsScim(state);
  }

  override deactivateSso(p: Principal): AccountOverview {
    if (!this.has('sso-deactivate-keeps-scim')) return super.deactivateSso(p);
    this.require(p, 'sso.manage');
    return this.overview(p);
  }

  /** `sso-activate-not-saved` breaks the console's button only: scripts (and the harness's account set-up) still activate. */
  override consoleActivateSso(p: Principal): AccountOverview {
    return this.has('sso-activate-not-saved') ? this.overview(p) : super.consoleActivateSso(p);
  }

  // SCIM token ----------------------------------------------------------------------------------------------------

  protected override issueToken(accountId: string): IssuedToken {
    const token = super.issueToken(accountId);
    if (this.has('regenerate-after-revoke-broken') && this.revokedAccounts.has(accountId)) this.store.tokens.revokeScimToken(accountId);
    this.issuing = token.token;
    return token;
  }

  override generateScimToken(p: Principal): { token: string; scimUrl: string; created: string } {
    try {
      const issued = super.generateScimToken(p);
      if (this.has('token-shown-twice')) this.lastIssued.set(p.accountId, issued.token);
      return issued;
    } finally {
      this.issuing = undefined;
    }
  }

  override consoleGenerateScimToken(p: Principal): { token: string; scimUrl: string; created: string } {
    const issued = super.consoleGenerateScimToken(p);
    return this.has('generate-panel-no-url') ? { ...issued, scimUrl: '' } : issued;
  }

  override reshownToken(accountId: string): string | undefined {
    return this.has('token-shown-twice') ? this.lastIssued.get(accountId) : undefined;
  }

  override consoleConfirmsRevoke(): boolean {
    return !this.has('revoke-without-confirmation');
  }

  /** `revoke-keeps-token` and `revoke-delayed`: Revoke reports success while the token stays active. */
  protected override revokeToken(accountId: string): boolean {
    if (this.has('revoke-keeps-token') || this.has('revoke-delayed')) return this.store.tokens.activeScimToken(accountId) !== undefined;
    return super.revokeToken(accountId);
  }

  override revokeScimToken(p: Principal): void {
    this.revoking = true;
    try {
      super.revokeScimToken(p);
    } finally {
      this.revoking = false;
    }
    if (this.has('regenerate-after-revoke-broken')) this.revokedAccounts.add(p.accountId);
    if (this.has('revoke-delayed')) {
      setTimeout(() => {
        try {
          this.store.tokens.revokeScimToken(p.accountId);
        } catch {
          // the server may have closed its database meanwhile
        }
      }, 20_000).unref();
    }
  }

  // Mail ----------------------------------------------------------------------------------------------------------

  override sendsMail(kind: MailKind): boolean {
    if (kind === 'scim-token.created' && this.has('no-new-token-email')) return false;
    // Revoke's notice only: the one a Generate sends for the token it replaces still goes out
    if (kind === 'scim-token.revoked' && this.revoking && this.has('no-revoked-email')) return false;
    if (kind === 'user.welcome' && this.has('no-welcome-email')) return false;
    return super.sendsMail(kind);
  }

  override composeMail(mail: OutgoingMessage): OutgoingMessage {
    const composed = super.composeMail(mail);
    if (composed.kind === 'scim-token.created' && this.has('token-in-email') && this.issuing !== undefined) {
      return { ...composed, text: `${composed.text}\n\nYour token: ${this.issuing}` };
    }
    if (composed.kind === 'user.welcome' && this.has('welcome-email-without-sso-instructions')) {
      return { ...composed, text: `Hello,\n\nYour account is ready: ${this.signinUrl(composed.accountId)}` };
    }
    return composed;
  }

  // Users tab -----------------------------------------------------------------------------------------------------

  override manualChangeWarning(accountId: string): string | null {
    return this.has('no-manual-change-warning') ? null : super.manualChangeWarning(accountId);
  }

  protected override listed(user: DirectoryUser): DirectoryUser {
    if (this.has('deprovision-keeps-active-status') && user.source === 'SCIM') return { ...user, status: 'Active' };
    return super.listed(user);
  }

  override users(p: Principal, input: unknown = {}): { total: number; offset: number; users: DirectoryUser[] } {
    const page = super.users(p, input);
    const ghosts = this.deletedListed.get(p.accountId) ?? [];
    return { offset: page.offset, total: page.total + ghosts.length, users: [...page.users, ...ghosts] };
  }

  override usersNamed(p: Principal, userName: string): DirectoryUser[] {
    const found = super.usersNamed(p, userName);
    if (found.length) return found;
    return (this.deletedListed.get(p.accountId) ?? []).filter((u) => u.userName.toLowerCase() === userName.toLowerCase()).slice(0, 1);
  }

  override setUserActive(p: Principal, id: string, active: boolean): { user: DirectoryUser; warning: string | null } {
    const result = super.setUserActive(p, id, active);
    if (active && this.has('manual-disable-keeps-signin')) this.disabledByHand.delete(`${p.accountId}/${id}`);
    return result;
  }

  override deleteUser(p: Principal, id: string): { warning: string | null } {
    this.deleting = this.has('manual-delete-keeps-signin') ? this.directory.user(p.accountId, id) : undefined;
    try {
      return super.deleteUser(p, id);
    } finally {
      this.deleting = undefined;
    }
  }

  /** `manual-disable-keeps-signin` and `manual-delete-keeps-signin`: a change by hand leaves sign-in (and sessions) alone. */
  protected override lockOut(accountId: string, userId: string, why: 'disabled' | 'deleted'): void {
    if (why === 'disabled' && this.has('manual-disable-keeps-signin')) {
      this.disabledByHand.add(`${accountId}/${userId}`);
      return;
    }
    if (why === 'deleted' && this.deleting) {
      this.keepSigningIn(accountId, this.deleting);
      return;
    }
    super.lockOut(accountId, userId, why);
  }

  /** `deleted-user-stays-listed` and `idp-deleted-user-signs-in`: a user deleted through SCIM lingers. */
  private scimUserDeleted(e: ScimEvent): void {
    const name = e.userName ?? (typeof e.resource.userName === 'string' ? e.resource.userName : e.id);
    const user: DirectoryUser = {
      id: e.id,
      userName: name,
      name: personName(e.resource, name),
      email: preferredEmail(e.resource),
      status: 'Disabled',
      regions: [],
      source: 'SCIM',
    };
    if (this.has('deleted-user-stays-listed')) this.deletedListed.set(e.accountId, [...(this.deletedListed.get(e.accountId) ?? []), user]);
    if (this.has('idp-deleted-user-signs-in')) this.keepSigningIn(e.accountId, { ...user, status: 'Active' });
  }

  private keepSigningIn(accountId: string, user: DirectoryUser): void {
    this.deletedSigningIn.set(accountId, [...(this.deletedSigningIn.get(accountId) ?? []), user]);
  }

  // End-user sign-in ----------------------------------------------------------------------------------------------

  override userForSignIn(accountId: string, identifiers: string[]): DirectoryUser | undefined {
    const names = new Set(identifiers.map((i) => i.toLowerCase()));
    const found =
      super.userForSignIn(accountId, identifiers) ??
      this.deletedSigningIn.get(accountId)?.find((u) => names.has(u.userName.toLowerCase()) || (u.email !== null && names.has(u.email.toLowerCase())));
    return found && this.has('signin-refuses-scim-users') && found.source === 'SCIM' ? undefined : found;
  }

  override userForSession(accountId: string, userId: string): DirectoryUser | undefined {
    return super.userForSession(accountId, userId) ?? this.deletedSigningIn.get(accountId)?.find((u) => u.id === userId);
  }

  override canSignIn(accountId: string, user: DirectoryUser): boolean {
    if (this.has('disabled-user-signs-in')) return true;
    if (this.has('manual-disable-keeps-signin') && this.disabledByHand.has(`${accountId}/${user.id}`)) return true;
    return super.canSignIn(accountId, user);
  }
}

/** The product service for this set of defects: the correct one when none is a product defect. */
export function productService(defects: Defects, events: ScimEvents): (store: Store, config: ServiceConfig) => ProductService {
  return (store, config) => (defects.size > 0 ? new DefectiveProductService(store, config, defects, events) : new ProductService(store, config));
}
