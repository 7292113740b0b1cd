import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAdapterModule, type TargetAdapter } from '../../fixtures/adapter.ts';
import type { RunResults, TestOutcome } from '../../fixtures/reporting/results.ts';
import { readSharedState, SHARED_ACCOUNT_ENV, type SharedState } from '../../fixtures/shared-account.ts';
import { targetSchema, type Target } from '../../fixtures/target.ts';
import { findRequirement } from '../../catalog/index.ts';
import { mergeBlobs } from '../commands/merge-reports.ts';
import { CliError } from '../errors.ts';
import { readOutcomes, runPlaywright } from './run.ts';

/**
 * contracts.md, Target adapter: "freshTenant() ... (destructive checks run there; without it they run last,
 * serially)". Without freshTenant() the lifecycle profile runs on the main account, so it must not overlap with
 * anything: certify runs Playwright twice, first every other profile (in parallel, as usual), then the lifecycle
 * project alone with one worker, and joins the two result sets and blob reports the way merge-reports joins shards.
 * Project `dependencies` would not do: Playwright skips dependants when a dependency fails.
 */
export const SERIAL_PROFILE = 'lifecycle';

/** A vendor adapter module as the workers load it; a module that fails to load is a usage error. */
export async function loadVendorAdapter(path: string): Promise<TargetAdapter> {
  try {
    return await loadAdapterModule(path);
  } catch (err) {
    throw new CliError(`cannot load the adapter module ${path}: ${(err as Error).message}`);
  }
}

/** Whether the run's adapter offers fresh tenants. */
async function adapterHasFreshTenant(target: Target): Promise<boolean> {
  // a reference target is resolved already (resolveReferenceTarget / embeddedTarget asked whoami): the reference
  // adapters offer freshTenant() exactly when that answer says operator key (freshTenantsOf, reference-api.ts)
  if (target.adapter.kind === 'reference') return target.adapter.freshTenants;
  // the module instance is shared with the rest of certify: nothing to release for a presence check
  if (target.adapter.kind === 'module') return typeof (await loadVendorAdapter(target.adapter.path)).freshTenant === 'function';
  return false;
}

/** With --only, a profile none of whose requirements is selected runs nothing. */
const profileSelected = (profile: string, only: string[]) => only.length === 0 || only.some((id) => findRequirement(id)?.profile === profile);

/**
 * True when the lifecycle checks of this run go to the main account: an adapter without freshTenant(), lifecycle
 * selected, and neither --read-only (nothing destructive runs) nor --shard (other shards may be using the account at
 * the same time; the lifecycle checks then say how to run them instead). With no adapter at all every lifecycle check
 * is not assessed anyway.
 */
export async function lifecycleOnMainAccount(target: Target, sel: { profiles: string[]; only: string[]; readOnly: boolean; shard?: unknown }): Promise<boolean> {
  if (sel.readOnly || sel.shard || !sel.profiles.includes(SERIAL_PROFILE) || target.adapter.kind === 'none') return false;
  if (!profileSelected(SERIAL_PROFILE, sel.only)) return false;
  return !(await adapterHasFreshTenant(target));
}

export interface SerialLastRun {
  interrupted: boolean;
  /** Both phases' outcomes, as one results.json would hold them. */
  results: Pick<RunResults, 'tests' | 'status'>;
  /** What the serial phase left: the newest token (for clean-up on interrupt) and whether the given one was replaced. */
  account: SharedState;
}

const PHASES_DIR = 'phases';

/**
 * Runs every selected profile but lifecycle, then lifecycle alone with one worker on the main account, each phase
 * into `out/phases/<name>` with a blob report; then writes `out/results.json`, `out/allure-results`, `out/html` and
 * `out/junit.xml` from both, as a single run would have. `args` are the common Playwright arguments (grep, retries).
 */
export async function runSerialLast(p: { out: string; profiles: string[]; only: string[]; workers: number; args: string[]; env: NodeJS.ProcessEnv }): Promise<SerialLastRun> {
  const phasesRoot = join(p.out, PHASES_DIR);
  rmSync(phasesRoot, { recursive: true, force: true });
  const phases: Array<{ name: string; projects: string[]; workers: number; env: NodeJS.ProcessEnv }> = [];
  // with --only, a profile none of whose requirements is selected needs no Playwright start
  const parallel = p.profiles.filter((x) => x !== SERIAL_PROFILE && profileSelected(x, p.only));
  if (parallel.length > 0) phases.push({ name: 'parallel', projects: parallel, workers: p.workers, env: {} });
  // the newest token lives in a private directory (mkdtemp: mode 0700) for the lifecycle workers, deleted at the end
  const stateDir = mkdtempSync(join(tmpdir(), 'scimulator-account-'));
  const stateFile = join(stateDir, 'state.json');
  phases.push({ name: 'serial', projects: [SERIAL_PROFILE], workers: 1, env: { [SHARED_ACCOUNT_ENV]: JSON.stringify({ stateFile }) } });

  const dirs: string[] = [];
  let account: SharedState;
  try {
    for (const phase of phases) {
      const dir = join(phasesRoot, phase.name);
      mkdirSync(dir, { recursive: true });
      dirs.push(dir);
      if (phase.name === 'serial') process.stderr.write('certify: the lifecycle checks now run on the main account, one at a time (the adapter has no freshTenant())\n');
      const args = [...phase.projects.flatMap((x) => ['--project', x]), ...p.args, '--workers', String(phase.workers)];
      const pw = await runPlaywright(args, { ...p.env, ...phase.env, SCIMULATOR_REPORT_DIR: dir, SCIMULATOR_BLOB_DIR: join(dir, 'blob') });
      if (pw.interrupted) return { interrupted: true, results: { tests: [], status: 'interrupted' }, account: readSharedState(stateFile) };
    }
    account = readSharedState(stateFile);
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
  const status = statuses.includes('interrupted') ? 'interrupted' : statuses.includes('timedout') ? 'timedout' : statuses.includes('failed') ? 'failed' : 'passed';
  writeFileSync(join(p.out, 'results.json'), `${JSON.stringify({ status, tests }, null, 2)}\n`);
  for (const dir of dirs) {
    if (existsSync(join(dir, 'allure-results'))) cpSync(join(dir, 'allure-results'), join(p.out, 'allure-results'), { recursive: true });
  }
  await mergeBlobs(dirs, p.out);
  rmSync(phasesRoot, { recursive: true, force: true });
  return { interrupted: false, results: { tests, status }, account };
}

/** The target as the serial phase left it: the newest token the adapter issued, if any (for clean-up). */
export function targetAfter(target: Target, account: SharedState): Target {
  if (!account.token || target.auth.type !== 'bearer') return target;
  return targetSchema.parse({ ...target, auth: { type: 'bearer', token: account.token } });
}

/** certify's stderr summary line about the token given with --token, when the checks revoked or replaced it. */
export function tokenNotice(account: SharedState): string | undefined {
  if (!account.givenTokenReplaced) return undefined;
  return (
    "certify: the destructive lifecycle checks revoked or replaced the SCIM token given with --token (or --token-file / SCIMULATOR_TOKEN) on the main account. " +
    'The account is left with SSO active and a token the harness issued, which it never prints and has discarded: generate a new token in the app and give it to the IdP.\n'
  );
}
