import type { AdminRole, IssuedToken } from '../../fixtures/adapter.ts';
import { expect, type LifecycleTenant } from '../../fixtures/lifecycle.ts';

/**
 * Generate as an admin of this role, where the check needs it to succeed: a refusal fails the check with the app's
 * reason, and an issued token joins the tenant's secrets so no report carries it. Undefined only if refused.
 */
export async function issueExpectingToken(tenant: LifecycleTenant, role: AdminRole, refusedMessage: string): Promise<IssuedToken | undefined> {
  const issued = await tenant.adapter.issueToken!({ role });
  expect('refused' in issued ? issued.refused : '', refusedMessage).toBe('');
  if ('refused' in issued) return undefined;
  tenant.secrets.push(issued.token);
  return issued;
}
