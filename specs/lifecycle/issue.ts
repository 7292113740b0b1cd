import type { AdminRole, IssuedToken } from '../../harness/adapter.ts';
import { expect, given, type LifecycleTenant } from '../../fixtures/lifecycle.ts';

/**
 * Generate as an admin of this role, where the check needs it to succeed: a refusal fails the check with the app's
 * reason, and an issued token joins the tenant's secrets so no report carries it. Undefined only if refused.
 */
export async function issueExpectingToken(tenant: LifecycleTenant, role: AdminRole, refusedMessage: string): Promise<IssuedToken | undefined> {
  const issued = await tenant.adapter.issueToken!({ role });
  if (!('refused' in issued)) tenant.secrets.push(issued.token);
  expect('refused' in issued ? issued.refused : '', refusedMessage).toBe('');
  if ('refused' in issued) return undefined;
  return issued;
}

/** The same where a token is only the set-up of a check: a refusal blocks the check (not assessed), owned by `owner`. */
export async function issuedForCheck(tenant: LifecycleTenant, role: AdminRole, owner: string): Promise<IssuedToken> {
  return given(`Generate as ${role}`, async () => (await issueExpectingToken(tenant, role, `Generate as ${role} was refused`))!, owner);
}
