import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAdapterModule, type TargetAdapter } from '../../harness/adapter.ts';
import type { RunResults, TestOutcome } from '../../harness/reporting/results.ts';
import { readSharedState, SHARED_TENANT_ENV, type SharedState } from '../../harness/shared-tenant.ts';
import { targetSchema, type Target } from '../../harness/target.ts';
import { mergeBlobs } from '../commands/merge-reports.ts';
import { CliError } from '../errors.ts';
import type { RunPlan } from './plan.ts';
import { readOutcomes, runPlaywright } from './run.ts';

/**
 * The run where the lifecycle checks go to the main tenant (planRun's two phases, cli/certify/plan.ts): the phases
 * run one after the other and their result sets and blob reports are joined the way merge-reports joins shards.
 * Project `dependencies` would not do: Playwright skips dependants when a dependency fails.
 */

/** A vendor adapter module as the workers load it; a module that fails to load is a usage error. */
export async function loadVendorAdapter(path: string): Promise<TargetAdapter> {
  try {
    return await loadAdapterModule(path);
  } catch (err) {
    throw new CliError(`cannot load the adapter module ${path}: ${(err as Error).message}`);
  }
}

/** Whether the run's adapter offers fresh tenants (what planRun needs to know of the target). */
export async function adapterHasFreshTenant(target: Target): Promise<boolean> {
  // a reference target is resolved already (resolveReferenceTarget / embeddedTarget asked whoami): the reference
  // adapters offer freshTenant() exactly when that answer says operator key (freshTenantsOf, reference-api.ts)
  if (target.adapter.kind === 'reference') return target.adapter.freshTenants;
  // the module instance is shared with the rest of certify: nothing to release for a presence check
  if (target.adapter.kind === 'module') return typeof (await loadVendorAdapter(target.adapter.path)).freshTenant === 'function';
  return false;
}

export interface SerialLastRun {
  interrupted: boolean;
  /** Both phases' outcomes, as one results.json would hold them. */
  results: Pick<RunResults, 'tests' | 'status'>;
  /** What the serial phase left: the newest token (for clean-up on interrupt) and whether the given one was replaced. */
  tenant: SharedState;
}

const PHASES_DIR = 'phases';

/**
 * Runs the plan's phases in turn, each into `out/phases/<name>` with a blob report (the shared-tenant phase with the
 * state file its workers keep the newest token in); then writes `out/results.json`, `out/allure-results`, `out/html`
 * and `out/junit.xml` from all of them, as a single run would have.
 */
export async function runPhases(p: { out: string; plan: RunPlan; env: NodeJS.ProcessEnv }): Promise<SerialLastRun> {
  const phasesRoot = join(p.out, PHASES_DIR);
  rmSync(phasesRoot, { recursive: true, force: true });
  // the newest token lives in a private directory (mkdtemp: mode 0700) for the lifecycle workers, deleted at the end
  const stateDir = mkdtempSync(join(tmpdir(), 'scimulator-tenant-'));
  const stateFile = join(stateDir, 'state.json');
  const phases = p.plan.phases.map((phase) => ({ ...phase, env: phase.sharedTenant ? { [SHARED_TENANT_ENV]: JSON.stringify({ stateFile }) } : {} }));

  const dirs: string[] = [];
  let tenant: SharedState;
  try {
    for (const phase of phases) {
      const dir = join(phasesRoot, phase.name);
      mkdirSync(dir, { recursive: true });
      dirs.push(dir);
      if (phase.sharedTenant)
        process.stderr.write('certify: the lifecycle checks now run on the main tenant, one at a time (the adapter has no freshTenant())\n');
      const args = [...phase.projects.flatMap((x) => ['--project', x]), ...p.plan.args, '--workers', String(phase.workers)];
      const pw = await runPlaywright(args, { ...p.env, ...phase.env, SCIMULATOR_REPORT_DIR: dir, SCIMULATOR_BLOB_DIR: join(dir, 'blob') });
      if (pw.interrupted) return { interrupted: true, results: { tests: [], status: 'interrupted' }, tenant: readSharedState(stateFile) };
    }
    tenant = readSharedState(stateFile);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }

  const tests: TestOutcome[] = [];
  const statuses: RunResults['status'][] = [];
  for (const dir of dirs) {
    const r = readOutcomes(join(dir, 'results.json'));
    tests.push(...r.tests);
    statuses.push(r.status as RunResults['status']);
  }
  const status = statuses.includes('interrupted')
    ? 'interrupted'
    : statuses.includes('timedout')
      ? 'timedout'
      : statuses.includes('failed')
        ? 'failed'
        : 'passed';
  writeFileSync(join(p.out, 'results.json'), `${JSON.stringify({ status, tests }, null, 2)}\n`);
  for (const dir of dirs) {
    if (existsSync(join(dir, 'allure-results'))) cpSync(join(dir, 'allure-results'), join(p.out, 'allure-results'), { recursive: true });
  }
  await mergeBlobs(dirs, p.out);
  rmSync(phasesRoot, { recursive: true, force: true });
  return { interrupted: false, results: { tests, status }, tenant };
}

/** The target as the serial phase left it: the newest token the adapter issued, if any (for clean-up). */
export function targetAfter(target: Target, tenant: SharedState): Target {
  if (!tenant.token || target.auth.type !== 'bearer') return target;
  return targetSchema.parse({ ...target, auth: { type: 'bearer', token: tenant.token } });
}

/** certify's stderr summary line about the token given with --token, when the checks revoked or replaced it. */
export function tokenNotice(tenant: SharedState): string | undefined {
  if (!tenant.givenTokenReplaced) return undefined;
  return (
    'certify: the destructive lifecycle checks revoked or replaced the SCIM token given with --token (or --token-file / SCIMULATOR_TOKEN) on the main tenant. ' +
    'The tenant is left with SSO active and a token the harness issued, which it never prints and has discarded: generate a new token in the app and give it to the IdP.\n'
  );
}
