import { z } from 'zod';

/** The profiles a run can select; each has its own catalog module and Playwright project. */
export const PROFILES = ['rfc', 'okta', 'entra', 'sailpoint', 'lifecycle', 'security'] as const;
export type Profile = (typeof PROFILES)[number];

/** The id prefix each profile's requirements carry (docs/contracts.md "Requirement catalog"). */
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
    /** The sentence of the source the requirement rests on, quoted word for word; its keyword sets the severity. */
    quote: z.string().min(10).optional(),
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
  entries: ReadonlyArray<readonly [id: string, severity: Severity, source: string, title: string, quote?: string]>,
): readonly Requirement[] {
  return Object.freeze(
    entries.map(([id, severity, source, title, quote]) =>
      requirementSchema.parse({ id, title, profile, kind, severity, source, ...(quote === undefined ? {} : { quote }) }),
    ),
  );
}

/**
 * A source is one or more citations joined by '; ', each a form anyone can follow:
 * - `RFC 7644 §3.4.2.2` (also `RFC 7644 §3.4.2.2, Table 9`): the RFC editor's page for that section;
 * - `<Vendor>: <page title> <https://...>`: an IdP vendor's (or other public) page, its URL in angle brackets;
 * - `docs/<file>.md[ §<section>]`: a file in this repository (the product guide, the IdP notes).
 */
export interface Citation {
  label: string;
  url: string;
}

const RFC_CITATION = /^RFC (\d{4})(?: §(\d+(?:\.\d+)*))?(?:,.*)?$/;
const URL_CITATION = /^(.+?) <(https:\/\/[^>\s]+)>$/;
const DOC_CITATION = /^(docs\/[A-Za-z0-9._/-]+\.md)(?: §.+)?$/;

/** The citations of a source, or undefined for a part that is none of the followable forms. */
export function citations(source: string): Array<Citation | undefined> {
  return source.split('; ').map((part) => {
    const rfc = RFC_CITATION.exec(part);
    if (rfc) return { label: part, url: `https://www.rfc-editor.org/rfc/rfc${rfc[1]}${rfc[2] ? `#section-${rfc[2]}` : ''}` };
    const web = URL_CITATION.exec(part);
    if (web) return { label: web[1]!, url: web[2]! };
    const doc = DOC_CITATION.exec(part);
    if (doc) return { label: part, url: doc[1]! };
    return undefined;
  });
}
