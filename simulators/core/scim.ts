import { z } from 'zod';

/** SCIM URNs the simulators send. */
export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  /** Entra's non-standard second schema on group creates (docs/idp-patterns.md E8). */
  entraGroup: 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
} as const;

export type ScimResource = Record<string, unknown> & { id: string };

export const ResourceSchema = z.looseObject({ id: z.string().min(1) });

/** A ListResponse as the IdPs read it: paging fields must be JSON numbers (Okta's import breaks on strings). */
export const ListResponseSchema = z.looseObject({
  totalResults: z.number().int().nonnegative(),
  startIndex: z.number().int().optional(),
  itemsPerPage: z.number().int().optional(),
  Resources: z.array(ResourceSchema).optional(),
});

/** SailPoint's relax mode also reads a lower-case `resources` key (`aggregation_rootPath = $.resources[*]`). */
export const RelaxedListResponseSchema = ListResponseSchema.extend({ resources: z.array(ResourceSchema).optional() });

export type ListResponse = z.infer<typeof ListResponseSchema>;

export function patchOp(operations: Array<Record<string, unknown>>): Record<string, unknown> {
  return { schemas: [URN.patchOp], Operations: operations };
}

/** Escapes a value for a double-quoted SCIM filter literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function resourceOf(body: unknown): ScimResource | undefined {
  const r = ResourceSchema.safeParse(body);
  return r.success ? (r.data as ScimResource) : undefined;
}
