import { withCapabilities, type AdminRole, type IssuedToken, type TargetAdapter } from '../../harness/adapter.ts';
import { expect, given, type LifecycleTenant } from '../../fixtures/lifecycle.ts';

/**
 * Token steps of the lifecycle checks. Who may generate or revoke is the LC-TOKEN-ROLE-* and LC-REVOKE-ROLE-*
 * checks' question; every other check only needs a token manager to act, so it asks one admin of each managing
 * role in turn ("Master Admin users and Security Admin users can create or revoke tokens") and a role refused the
 * right fails only the role check that owns it.
 */
export const TOKEN_MANAGERS: readonly AdminRole[] = ['Master Admin', 'Security Admin'];

type Refused = { refused: string };
export const isRefused = (r: unknown): r is Refused => typeof r === 'object' && r !== null && 'refused' in r;

/** `act` as each token manager in turn until one is not refused; the refusals, worded per role, when all are. */
export async function asTokenManager<T>(act: (role: AdminRole) => Promise<T | Refused>): Promise<T | Refused> {
  const refusals: string[] = [];
  for (const role of TOKEN_MANAGERS) {
    const r = await act(role);
    if (!isRefused(r)) return r;
    refusals.push(`${role}: ${r.refused}`);
  }
  return { refused: refusals.join('; ') };
}

/** Generate as this role; an issued token joins the tenant's secrets so no report carries it. */
async function issueAs(tenant: LifecycleTenant, role: AdminRole): Promise<IssuedToken | Refused> {
  const issued = await withCapabilities(tenant.adapter, 'issueToken').issueToken({ role });
  if (!isRefused(issued)) tenant.secrets.push(issued.token);
  return issued;
}

/**
 * Generate where the check's rule needs it to succeed (as this role, or as any token manager): a refusal fails the
 * check with the app's reason. Undefined only if refused.
 */
export async function issueExpectingToken(
  tenant: LifecycleTenant,
  role: AdminRole | 'a token manager',
  refusedMessage: string,
): Promise<IssuedToken | undefined> {
  const issued = role === 'a token manager' ? await asTokenManager((r) => issueAs(tenant, r)) : await issueAs(tenant, role);
  expect(isRefused(issued) ? issued.refused : '', refusedMessage).toBe('');
  return isRefused(issued) ? undefined : issued;
}

/** Generate as every token manager in turn: each must be refused (a rule where Generate must not work). */
export async function expectEveryManagerRefused(tenant: LifecycleTenant, message: string): Promise<void> {
  for (const role of TOKEN_MANAGERS) expect(isRefused(await issueAs(tenant, role)), `${message} (as ${role})`).toBe(true);
}

/** Generate where a token is only the set-up of a check: refused for every manager, the check is blocked. */
export async function issuedForCheck(tenant: LifecycleTenant): Promise<IssuedToken> {
  return given(
    'Generate as a token manager',
    async () => (await issueExpectingToken(tenant, 'a token manager', 'Generate was refused to every token-managing admin'))!,
    'LC-TOKEN-ROLE-MASTER',
  );
}

/** Revoke as a token manager; the app's refusals when every manager is refused. */
export function revokeAsTokenManager(adapter: Required<Pick<TargetAdapter, 'revokeToken'>>) {
  return asTokenManager((role) => adapter.revokeToken({ role }));
}

/**
 * Revoke as the set-up of a check: accepted by a token manager (or blocked, owned by LC-REVOKE-ROLE-SECURITY), and,
 * where the check builds on SCIM being off (`takesEffect`), the token refused at once (or blocked, owned by
 * LC-REVOKE-NEXT-REQUEST-REFUSED: a Revoke that does not stop the token is that check's failure, not this one's).
 */
export async function revokedForCheck(tenant: LifecycleTenant, opts: { takesEffect: boolean }): Promise<void> {
  await given(
    'Revoke as a token manager',
    async () => {
      const r = await revokeAsTokenManager(tenant.adapter as Required<Pick<TargetAdapter, 'revokeToken'>>);
      if (isRefused(r)) throw new Error(`Revoke was refused: ${r.refused}`);
    },
    'LC-REVOKE-ROLE-SECURITY',
  );
  if (opts.takesEffect)
    await given('the revoked token is refused', async () => expect((await tenant.probe()).status).toBe(401), 'LC-REVOKE-NEXT-REQUEST-REFUSED');
}
