import { given, type LifecycleTenant } from '../../fixtures/lifecycle.ts';
import type { Step } from '../../simulators/index.ts';

/**
 * An IdP action a check builds on (provisioning the user it then deprovisions, say): it must succeed, or the check
 * cannot reach its rule and its requirement is not assessed, blocked by this step (owned by `owner` when given).
 */
export function provided(tenant: LifecycleTenant, step: Promise<Step>, what: string, owner?: string): Promise<Step> {
  return given(
    what,
    async () => {
      const s = await tenant.act(step);
      if (!s.ok) throw new Error(`${s.name}: ${s.message}`);
      return s;
    },
    owner,
  );
}
