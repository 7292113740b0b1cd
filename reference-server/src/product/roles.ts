/** Console roles and what each may do. Every rule is checked on the server, in the service layer. */
export const ROLES = ['Master Admin', 'Security Admin', 'Viewer'] as const;
export type Role = (typeof ROLES)[number];

export const RIGHTS = {
  /** Generate and revoke the SCIM token (the seed: Master Admin and Security Admin). */
  'scim-token.manage': ['Master Admin', 'Security Admin'],
  /** Configure, activate, deactivate and clear SSO. */
  'sso.manage': ['Master Admin', 'Security Admin'],
  /** Add, disable, enable and delete users by hand. */
  'users.manage': ['Master Admin'],
  /** Add console admins and admin API keys. */
  'admins.manage': ['Master Admin'],
  /** Read everything the console shows (users, regions, outbox, audit log, settings without secrets). */
  read: ['Master Admin', 'Security Admin', 'Viewer'],
} as const satisfies Record<string, readonly Role[]>;

export type Right = keyof typeof RIGHTS;

export function can(role: Role, right: Right): boolean {
  return (RIGHTS[right] as readonly Role[]).includes(role);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
