import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { clientFor } from '../../harness/connection.ts';
import { runResultsSchema, type TestOutcome } from '../../harness/reporting/results.ts';
import { serviceProviderConfigSchema } from '../../harness/scim-schemas.ts';
import { TransportError } from '../../harness/scim-client.ts';
import type { Target } from '../../harness/target.ts';
import { findRequirement, requirementsFor, type Profile, type Requirement } from '../../catalog/index.ts';
import { CliError, EXIT } from '../errors.ts';
import { version } from '../version.ts';
import { configHash, judge, renderMarkdown, renderTable, signCertificate, summarize, type Certificate, type RunConfig } from './certificate.ts';
import { fingerprint, loadOrCreateSigningKey, publicKeyFromBase64 } from './signing.ts';

export const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * A file of a dependency, found the way Node finds the package from here: nested in this package's node_modules in
 * a checkout, hoisted beside it once installed from the registry (node_modules/scimulator's siblings).
 */
export function dependencyFile(pkg: string, file: string): string {
  for (const dir of createRequire(import.meta.url).resolve.paths(pkg) ?? []) {
    const found = join(dir, pkg, file);
    if (existsSync(found)) return found;
  }
  throw new CliError(`cannot find ${pkg}/${file}: scimulator's dependencies are not installed (npm install, or npm ci in a checkout).`, EXIT.harnessFailed);
}

/** What a run (or shard) records next to its results, so merge-reports can finish the certificate later. */
export const runContextSchema = z.object({
  scimUrl: z.string(),
  serviceProviderConfig: z.unknown(),
  config: z.object({
    profiles: z.array(z.string()),
    only: z.array(z.string()),
    waivers: z.array(z.object({ id: z.string(), reason: z.string() })),
    readOnly: z.boolean(),
    seed: z.number(),
  }),
  startedAt: z.string(),
  shard: z.object({ current: z.number(), total: z.number() }).nullable(),
});
export type RunContext = z.infer<typeof runContextSchema>;

/**
 * Reads /ServiceProviderConfig before anything runs: a target that is unreachable, refuses the credentials or
 * is not SCIM ends here with one readable paragraph (exit 2) instead of a hundred failed checks.
 */
export async function preflight(target: Target): Promise<unknown> {
  const client = clientFor(target);
  let res: Awaited<ReturnType<typeof client.get>>;
  try {
    res = await client.get('/ServiceProviderConfig');
  } catch (err) {
    if (err instanceof TransportError) throw new CliError(`cannot reach the target: ${err.message}.`);
    throw new CliError(`cannot reach the target: ${(err as Error).message}.`);
  }
  const where = `${target.scimUrl}/ServiceProviderConfig`;
  if (res.status === 401 || res.status === 403) {
    throw new CliError(
      `the target refused the credentials: GET ${where} answered ${res.status}. Check the token (--token, --token-file, env SCIMULATOR_TOKEN) and --auth.`,
    );
  }
  if (res.status === 404)
    throw new CliError(`no SCIM service at ${target.scimUrl}: GET ${where} answered 404. --target must be the SCIM base URL (the one /Users hangs off).`);
  if (res.status >= 300)
    throw new CliError(`the target cannot be certified: GET ${where} answered ${res.status}: ${res.safeText.slice(0, 200).replace(/\s+/g, ' ')}`);
  if (res.body === undefined)
    throw new CliError(
      `the target does not speak SCIM: GET ${where} answered ${res.status} with a body that is not JSON (${JSON.stringify(res.safeText.slice(0, 80))}).`,
    );
  const spc = serviceProviderConfigSchema.safeParse(res.body);
  if (!spc.success) {
    throw new CliError(
      `the target's ServiceProviderConfig is not usable, so the harness cannot tell what it claims: ${spc.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}.`,
    );
  }
  return res.body;
}

export interface PlaywrightRun {
  exitCode: number | null;
  interrupted: boolean;
}

/**
 * Playwright compiles the TypeScript config and specs itself, but not inside node_modules: installed from the
 * registry (node_modules/scimulator) they go through tsx, a dependency, as the CLI itself does (cli/bin.js).
 */
const INSTALLED_LOADER = ROOT.includes('/node_modules/') ? ['--import', 'tsx'] : [];

/** Runs Playwright as a child in its own process group; its output goes to our stderr (progress). */
export function runPlaywright(args: string[], env: NodeJS.ProcessEnv): Promise<PlaywrightRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [...INSTALLED_LOADER, dependencyFile('@playwright/test', 'cli.js'), 'test', '--config', join(ROOT, 'playwright.config.ts'), ...args],
      {
        cwd: ROOT,
        env,
        stdio: ['ignore', 2, 2],
        detached: true,
      },
    );
    let interrupted = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupted) return;
      interrupted = true;
      process.stderr.write(`\ncertify: ${signal} received, stopping the checks and cleaning up what they created...\n`);
      if (child.pid) process.kill(-child.pid, 'SIGINT');
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    child.on('error', reject);
    child.on('exit', (code) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolvePromise({ exitCode: code, interrupted });
    });
  });
}

export function readOutcomes(file: string): { tests: TestOutcome[]; status: string } {
  if (!existsSync(file))
    throw new CliError(`the checks ended without results (${file} is missing): the harness itself failed; see the output above.`, EXIT.harnessFailed);
  const parsed = runResultsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new CliError(`the results file ${file} is unreadable: the harness itself failed.`, EXIT.harnessFailed);
  return parsed.data;
}

export function selectedRequirements(config: RunContext['config']): Requirement[] {
  if (config.only.length > 0) return config.only.map((id) => findRequirement(id)).filter((r): r is Requirement => !!r);
  return requirementsFor(config.profiles as Profile[]);
}

/** Builds, signs and writes certificate.json and certificate.md; returns the certificate. */
export function writeCertificate(
  out: string,
  ctx: RunContext,
  tests: TestOutcome[],
  durationMs: number,
  signingKey?: string,
  emptyReasonOverride?: string,
): Certificate {
  const config: RunConfig = { ...ctx.config };
  const emptyReason = emptyReasonOverride ?? (ctx.config.readOnly ? 'not part of the --read-only smoke subset' : 'no check for it ran in this selection');
  const requirements = judge(selectedRequirements(ctx.config), tests, ctx.config.waivers, emptyReason);
  const key = loadOrCreateSigningKey(signingKey);
  const cert = signCertificate(
    {
      schemaVersion: 1,
      suite: { name: 'scimulator', version: version() },
      target: { scimUrl: ctx.scimUrl, serviceProviderConfig: ctx.serviceProviderConfig },
      config: {
        profiles: ctx.config.profiles,
        only: ctx.config.only,
        waivers: ctx.config.waivers,
        readOnly: ctx.config.readOnly,
        seed: ctx.config.seed,
        hash: configHash(config),
      },
      startedAt: ctx.startedAt,
      durationMs,
      summary: summarize(requirements),
      requirements,
    },
    key,
  );
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'certificate.json'), `${JSON.stringify(cert, null, 2)}\n`);
  writeFileSync(join(out, 'certificate.md'), renderMarkdown(cert, fingerprint(publicKeyFromBase64(key.publicKey))));
  return cert;
}

/** Generates the Allure HTML report from allure-results (the allure npm CLI, v3). */
export function generateAllure(resultsDirs: string[], outDir: string): Promise<boolean> {
  const existing = resultsDirs.filter((d) => existsSync(d));
  if (existing.length === 0) return Promise.resolve(false);
  return new Promise((resolvePromise) => {
    const child = spawn(
      process.execPath,
      [dependencyFile('allure', 'cli.js'), 'generate', ...existing, '--output', outDir, '--report-name', 'scimulator certification'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 180_000,
      },
    );
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString('utf8')).slice(-1000)));
    child.on('error', () => resolvePromise(false));
    child.on('exit', (code) => {
      if (code !== 0) process.stderr.write(`certify: the Allure report could not be generated (exit ${code}): ${err.trim().split('\n').pop() ?? ''}\n`);
      resolvePromise(code === 0);
    });
  });
}

/** The end of a run: the per-profile table on stdout, a loud warning when little was assessed, the exit code. */
export function conclude(cert: Certificate, out: string): number {
  const s = cert.summary;
  process.stdout.write(`\n${renderTable(cert.requirements)}\n\n`);
  const total = cert.requirements.length;
  const assessed = total - s.notAssessed;
  if (total > 0 && assessed * 2 < total) {
    process.stdout.write(`WARNING: only ${assessed} of ${total} selected requirements were assessed; this certificate says little about the target.\n`);
  }
  for (const r of cert.requirements.filter((x) => x.status === 'failed' && x.severity === 'MUST').slice(0, 15)) {
    process.stdout.write(`FAILED ${r.id} (MUST, ${r.source}): ${r.title}\n`);
  }
  process.stdout.write(`${s.mustFailed === 0 ? 'PASS: no MUST requirement failed' : `FAIL: ${s.mustFailed} MUST requirement(s) failed`}. Reports in ${out}\n`);
  return s.mustFailed > 0 ? EXIT.requirementFailed : EXIT.ok;
}
