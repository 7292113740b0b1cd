import { z } from 'zod';

/** The profiles a run can select; each has its own catalog module and Playwright project. */
export const PROFILES = ['rfc', 'okta', 'entra', 'sailpoint', 'lifecycle', 'security'] as const;
export type Profile = (typeof PROFILES)[number];

/** The id prefix each profile's requirements carry (contracts.md "Requirement catalog"). */
export const PROFILE_PREFIX: Record<Profile, string> = {
  rfc: 'RFC',
  okta: 'OKTA',
  entra: 'ENTRA',
  sailpoint: 'SP',
  lifecycle: 'LC',
  security: 'SEC',
};

/** `<PROFILE>-<AREA>-<NAME>`: upper case, hyphen separated, at least three parts. */
export const REQUIREMENT_ID = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+){2,}$/;

export const requirementSchema = z
  .object({
    id: z.string().regex(REQUIREMENT_ID, 'id must look like <PROFILE>-<AREA>-<NAME> in upper case'),
    title: z.string().min(10),
    profile: z.enum(PROFILES),
    kind: z.enum(['rfc', 'idp-compat', 'product', 'security']),
    severity: z.enum(['MUST', 'SHOULD', 'MAY']),
    source: z.string().min(3),
  })
  .strict()
  .refine((r) => r.id.startsWith(`${PROFILE_PREFIX[r.profile]}-`), {
    message: 'id prefix does not match the profile',
    path: ['id'],
  });

export type Requirement = z.infer<typeof requirementSchema>;
export type Severity = Requirement['severity'];

/** Parses one profile module's entries; a malformed entry stops the harness at import time. */
export function defineCatalog(
  profile: Profile,
  kind: Requirement['kind'],
  entries: ReadonlyArray<readonly [id: string, severity: Severity, source: string, title: string]>,
): readonly Requirement[] {
  return Object.freeze(
    entries.map(([id, severity, source, title]) => requirementSchema.parse({ id, title, profile, kind, severity, source })),
  );
}
