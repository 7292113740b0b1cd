import { findRequirement } from '../../catalog/index.ts';

/** Without freshTenant() the lifecycle profile runs on the main tenant: last, alone, one worker (docs/contracts.md). */
export const SERIAL_PROFILE = 'lifecycle';

/** What the plan needs to know of the options. */
export interface PlanOptions {
  profiles: string[];
  only: string[];
  readOnly: boolean;
  workers: number;
  shard?: { current: number; total: number } | undefined;
}

/** What the plan needs to know of the target: whether it has an adapter, and whether that adapter makes tenants. */
export interface PlanTarget {
  adapter: 'none' | 'reference' | 'module';
  freshTenants: boolean;
}

/** One Playwright start. */
export interface Phase {
  name: 'all' | 'parallel' | 'serial';
  projects: string[];
  workers: number;
  /** The phase's checks run on the main tenant, which is put back after each (harness/shared-tenant.ts). */
  sharedTenant: boolean;
}

export interface RunPlan {
  phases: Phase[];
  /** Playwright arguments every phase shares: selection, shard, no retries. */
  args: string[];
}

/** The `--grep` selecting tests by requirement tags (`--only`) and the read-only smoke subset. */
export function grepFor(only: readonly string[], readOnly: boolean): string | undefined {
  const ids = only.length > 0 ? `(?=.*@(?:${only.join('|')})(?:\\s|$))` : '';
  const ro = readOnly ? '(?=.*@readonly(?:\\s|$))' : '';
  return ids || ro ? `^${ro}${ids}` : undefined;
}

/** With --only, a profile none of whose requirements is selected runs nothing. */
export function profileSelected(profile: string, only: readonly string[]): boolean {
  return only.length === 0 || only.some((id) => findRequirement(id)?.profile === profile);
}

/**
 * The certify run as a value: which Playwright starts, with which projects, workers and arguments. One start normally;
 * two when the lifecycle checks must go to the main tenant (an adapter without freshTenant(), lifecycle selected,
 * neither --read-only, where nothing destructive runs, nor --shard, where other shards may use the tenant at the
 * same time and the lifecycle checks say how to run them instead): every other profile in parallel, then lifecycle
 * alone with one worker.
 */
export function planRun(options: PlanOptions, target: PlanTarget): RunPlan {
  const args: string[] = [];
  const grep = grepFor(options.only, options.readOnly);
  if (grep) args.push('--grep', grep);
  if (options.shard) args.push('--shard', `${options.shard.current}/${options.shard.total}`);
  args.push('--retries', '0', '--pass-with-no-tests');

  const serialLast =
    !options.readOnly &&
    !options.shard &&
    target.adapter !== 'none' &&
    !target.freshTenants &&
    options.profiles.includes(SERIAL_PROFILE) &&
    profileSelected(SERIAL_PROFILE, options.only);
  if (!serialLast) return { phases: [{ name: 'all', projects: options.profiles, workers: options.workers, sharedTenant: false }], args };

  const parallel = options.profiles.filter((p) => p !== SERIAL_PROFILE && profileSelected(p, options.only));
  const phases: Phase[] = [];
  if (parallel.length > 0) phases.push({ name: 'parallel', projects: parallel, workers: options.workers, sharedTenant: false });
  phases.push({ name: 'serial', projects: [SERIAL_PROFILE], workers: 1, sharedTenant: true });
  return { phases, args };
}
