import type { Page } from '@playwright/test';
import { NotAssessed } from './outcomes.ts';

/**
 * The target adapter of docs/contracts.md: how the harness reaches the application around SCIM. Every
 * capability is optional; a requirement needing a missing one ends `not_assessed` with the reason.
 */
export type AdminRole = 'Master Admin' | 'Security Admin' | (string & {});
export type SsoState = 'unconfigured' | 'configured' | 'active';
export type UserStatus = 'Active' | 'Disabled' | 'Absent';

export interface IssuedToken {
  token: string;
  scimUrl: string;
}

export interface FreshTenant {
  scimUrl: string;
  token: string;
  adapter?: TargetAdapter;
}

export interface TargetAdapter {
  /** Shown in reports. */
  name?: string;
  /** Issues a new SCIM token as an admin of this role; `{refused}` carries the app's explanation. */
  issueToken?(opts: { role: AdminRole }): Promise<IssuedToken | { refused: string }>;
  /**
   * Revokes the current SCIM token (as a Master Admin, or as an admin of the given role). When the app refuses this
   * admin, `{refused}` carries its explanation (extends docs/contracts.md; an adapter returning nothing claims it revoked).
   */
  revokeToken?(opts?: { role: AdminRole }): Promise<void | { refused: string }>;
  /**
   * Starts Revoke as an admin would (three-dots menu -> Revoke) and cancels at the confirmation. Returns the
   * confirmation's question, or null when the app asked nothing (and so may have revoked already); `{refused}` when the
   * app offers this admin no Revoke. Extends docs/contracts.md.
   */
  cancelRevoke?(opts?: { role: AdminRole }): Promise<{ confirmation: string | null } | { refused: string }>;
  setSso?(state: SsoState): Promise<void>;
  /** The user's status as the app's own Users tab shows it. */
  userStatus?(userName: string): Promise<UserStatus>;
  userRegions?(userName: string): Promise<string[]>;
  /** Where the app sends its emails: the harness listens there. */
  mailbox?: { host: string; port: number };
  /**
   * The app must trust the harness's simulated IdP at this issuer (the harness listens on its port). A vendor adapter
   * also names the OIDC client its app uses and its callback URL, so the IdP can register it (extends docs/contracts.md).
   */
  ssoIdp?: { issuer: string; clientId?: string; clientSecret?: string; redirectUri?: string };
  signIn?(page: Page, userName: string): Promise<'signed-in' | 'refused'>;
  manualChangeWarning?(page: Page): Promise<boolean>;
  /** Disables this user by hand, as an admin in the app's Users tab (not through the IdP). Extends docs/contracts.md. */
  disableUser?(page: Page, userName: string): Promise<void>;
  /** Deletes this user by hand, as an admin in the app's Users tab, confirming if asked. Extends docs/contracts.md. */
  deleteUser?(page: Page, userName: string): Promise<void>;
  /** The email address of an admin of this role in this account (where the token emails go). Extends docs/contracts.md. */
  adminEmail?(role: AdminRole): Promise<string>;
  /**
   * Whether the app shows this (already issued) token anywhere again, once the Generate panel is closed: on a
   * fresh view of its settings, as an admin of the role that generated it. Extends docs/contracts.md.
   */
  tokenShownAgain?(page: Page, token: string, opts?: { role: AdminRole }): Promise<boolean>;
  /** A separate, empty tenant for destructive and cross-tenant checks. */
  freshTenant?(): Promise<FreshTenant>;
  /** Releases what the adapter holds (browsers, sessions, tenants it made). */
  dispose?(): Promise<void>;
  /** Why a capability the adapter lacks is unavailable in this run: the not-assessed reason. Extends docs/contracts.md. */
  unavailable?: Partial<Record<AdapterCapability, string>>;
}

export type AdapterCapability = Exclude<keyof TargetAdapter, 'name' | 'dispose' | 'unavailable'>;

/** An adapter known to provide the capabilities named: they are called without `!`. */
export type WithCapabilities<C extends AdapterCapability> = TargetAdapter & Required<Pick<TargetAdapter, C>>;

/** Typed identity helper for vendor adapter modules: `export default defineAdapter({...})`. */
export function defineAdapter<const A extends TargetAdapter>(adapter: A): A {
  return adapter;
}

/** The not-assessed reason for a missing adapter capability. */
export function missingCapability(adapter: TargetAdapter, capability: AdapterCapability): string | undefined {
  if (adapter[capability] !== undefined) return undefined;
  const why = adapter.unavailable?.[capability];
  return why
    ? `the target adapter (${adapter.name ?? 'none'}) cannot provide ${capability}(): ${why}`
    : `the target adapter (${adapter.name ?? 'none'}) does not provide ${capability}()`;
}

/**
 * The not-assessed reason of the first capability named that this run lacks (`reasonFor`, by default the adapter's
 * own), or undefined when it has them all: the one test behind needs(), withCapabilities() and hasCapabilities().
 */
export function capabilityGap<C extends AdapterCapability>(
  adapter: TargetAdapter,
  capabilities: readonly C[],
  reasonFor: (capability: C) => string | undefined = (c) => missingCapability(adapter, c),
): string | undefined {
  for (const c of capabilities) {
    const reason = reasonFor(c);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/** Whether the adapter provides every capability named (narrows it). */
export function hasCapabilities<C extends AdapterCapability>(adapter: TargetAdapter, ...capabilities: C[]): adapter is WithCapabilities<C> {
  return capabilityGap(adapter, capabilities) === undefined;
}

/**
 * The adapter narrowed to the capabilities named, for harness code that runs after a check asked for them; one
 * missing makes the check not assessed, with its reason, rather than a TypeError.
 */
export function withCapabilities<C extends AdapterCapability>(adapter: TargetAdapter, ...capabilities: C[]): WithCapabilities<C> {
  const gap = capabilityGap(adapter, capabilities);
  if (gap !== undefined) throw new NotAssessed(gap);
  return adapter as WithCapabilities<C>;
}

/** Loads a vendor adapter module (default export). */
export async function loadAdapterModule(path: string): Promise<TargetAdapter> {
  const { pathToFileURL } = await import('node:url');
  const { resolve } = await import('node:path');
  const mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  const adapter = mod.default;
  if (!adapter || typeof adapter !== 'object') throw new Error(`adapter module ${path} has no default export (use export default defineAdapter({...}))`);
  return { name: path, ...(adapter as TargetAdapter) };
}
