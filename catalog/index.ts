import { ENTRA } from './entra.ts';
import { LIFECYCLE } from './lifecycle.ts';
import { OKTA } from './okta.ts';
import { RFC } from './rfc.ts';
import { SAILPOINT } from './sailpoint.ts';
import { SECURITY } from './security.ts';
import type { Profile, Requirement } from './schema.ts';

export * from './schema.ts';

/** Every requirement of every profile module; later profiles add their module here. */
export const CATALOG: readonly Requirement[] = Object.freeze([...RFC, ...SECURITY, ...LIFECYCLE, ...OKTA, ...ENTRA, ...SAILPOINT]);

const BY_ID = new Map(CATALOG.map((r) => [r.id, r]));

export function findRequirement(id: string): Requirement | undefined {
  return BY_ID.get(id);
}

export function requirementsFor(profiles: readonly Profile[]): Requirement[] {
  return CATALOG.filter((r) => profiles.includes(r.profile));
}

/** Profiles that have a catalog module, i.e. that certify can run. */
export function availableProfiles(): Profile[] {
  return [...new Set(CATALOG.map((r) => r.profile))];
}
