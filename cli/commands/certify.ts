import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientFor } from '../../harness/connection.ts';
import { sweepRun } from '../../harness/data.ts';
import { removeRunTenants } from '../../harness/adapters/reference-operator.ts';
import { embeddedTarget, type EmbeddedServer } from '../../harness/embedded-server.ts';
import { LIFECYCLE_ENV, startEmbeddedWithServices, startLifecycleServices, type LifecycleServices } from '../../harness/lifecycle-services.ts';
import { bearerTarget, newRunId, TARGET_ENV, targetSchema, type Target, type TargetInput } from '../../harness/target.ts';
import { CERTIFY_HELP, parseCertifyArgs } from '../certify/options.ts';
import { resolveReferenceTarget } from '../certify/reference-target.ts';
import { judge, summarize } from '../certify/certificate.ts';
import { conclude, generateAllure, preflight, readOutcomes, runPlaywright, selectedRequirements, writeCertificate, type RunContext } from '../certify/run.ts';
import { adapterHasFreshTenant, loadVendorAdapter, runPhases, targetAfter, tokenNotice } from '../certify/destructive.ts';
import { planRun, type Phase } from '../certify/plan.ts';
import type { TestOutcome } from '../../harness/reporting/results.ts';
import { findChromium, noChromiumMessage } from '../../harness/chromium.ts';
import { PROFILES } from '../../catalog/index.ts';
import { CliError, EXIT } from '../errors.ts';

/** A vendor adapter declares where its app sends mail and which IdP it trusts: the harness listens there. */
async function servicesForVendorAdapter(path: string, scimUrl: string): Promise<LifecycleServices | undefined> {
  const adapter = await loadVendorAdapter(path);
  if (!adapter.mailbox && !adapter.ssoIdp) return undefined;
  const issuer = adapter.ssoIdp ? new URL(adapter.ssoIdp.issuer) : undefined;
  try {
    return await startLifecycleServices({
      appUrl: new URL(scimUrl).origin,
      ...(adapter.mailbox ? { mailboxHost: adapter.mailbox.host, mailboxPort: adapter.mailbox.port } : {}),
      ...(issuer && adapter.ssoIdp
        ? {
            idp: {
              port: Number(issuer.port),
              ...(adapter.ssoIdp.clientId ? { clientId: adapter.ssoIdp.clientId } : {}),
              ...(adapter.ssoIdp.clientSecret ? { clientSecret: adapter.ssoIdp.clientSecret } : {}),
              ...(adapter.ssoIdp.redirectUri ? { redirectUri: adapter.ssoIdp.redirectUri } : {}),
            },
          }
        : {}),
    });
  } catch (err) {
    throw new CliError(
      `cannot listen where the adapter says its app sends mail or signs in (${adapter.mailbox ? `${adapter.mailbox.host}:${adapter.mailbox.port}` : ''} ${adapter.ssoIdp?.issuer ?? ''}): ${(err as Error).message}`,
    );
  } finally {
    await adapter.dispose?.();
  }
}

/**
 * Deletes the fresh tenants of this run still on a running reference server (workers killed before their dispose):
 * null when the target makes none. An embedded server goes away with the run, tenants and all.
 */
async function sweepRunTenants(target: Target, runId: string): Promise<number | null> {
  const a = target.adapter;
  if (target.embedded || a.kind !== 'reference' || !a.freshTenants || !a.adminApiKey) return null;
  return removeRunTenants(a.adminApiUrl, a.adminApiKey, runId, target.timeoutMs);
}

/** An interrupted run removes what it created (with the newest token, when the checks replaced the given one). */
async function interrupted(target: Target, runId: string): Promise<number> {
  if (!target.readOnly && !target.embedded) {
    const removed = await sweepRun(clientFor(target), runId).catch(() => 0);
    const tenants = await sweepRunTenants(target, runId);
    process.stderr.write(
      `certify: interrupted; removed ${removed} leftover resource(s)${tenants === null ? '' : ` and ${tenants} fresh tenant(s)`} of this run\n`,
    );
  }
  return EXIT.harnessFailed;
}

/** Profiles whose checks drive a browser (end-user sign-in through the app and the harness IdP, admin consoles). */
const BROWSER_PROFILES = new Set(['lifecycle']);

/** A run that needs a browser stops before anything runs when there is none, saying how to provide one (exit 2). */
function requireChromium(profiles: readonly string[]): void {
  const needing = profiles.filter((p) => BROWSER_PROFILES.has(p));
  if (needing.length === 0) return;
  let found: string | undefined;
  try {
    found = findChromium();
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  if (!found)
    throw new CliError(
      `the ${needing.join(', ')} profile drives a browser, and ${noChromiumMessage()}\nOr leave the profile out: --profile ${PROFILES.filter((p) => !BROWSER_PROFILES.has(p)).join(',')}`,
    );
}

/** The second tenant answers its ServiceProviderConfig with its own token, or the run stops here (exit 2). */
async function preflightSecond(target: Target): Promise<void> {
  const second = target.secondTarget!;
  try {
    await preflight(bearerTarget(target, second.scimUrl, second.token));
  } catch (err) {
    if (err instanceof CliError) throw new CliError(`--second-target ${second.scimUrl}: ${err.message}`, err.exitCode);
    throw err;
  }
  process.stderr.write(`certify: second tenant ${second.scimUrl} for the tenant isolation checks\n`);
}

/** `scimulator certify`: preflight, the Playwright profiles, then the signed certificate and reports. */
export async function run(argv: string[]): Promise<number> {
  const options = parseCertifyArgs(argv);
  if (options === 'help') {
    process.stdout.write(CERTIFY_HELP);
    return EXIT.ok;
  }
  requireChromium(options.profiles);
  const startedAt = new Date();
  const runId = newRunId();
  let server: EmbeddedServer | undefined;
  // the mailbox and simulated SSO IdP of the lifecycle profile (harness/lifecycle-services.ts)
  let services: LifecycleServices | undefined;
  try {
    let target: Target;
    if (options.target) {
      target = targetSchema.parse({
        ...options.target,
        ...(options.secondTarget ? { secondTarget: options.secondTarget } : {}),
        timeoutMs: options.timeoutMs,
        readOnly: options.readOnly,
        seed: options.seed,
        runId,
      });
      // whoami once: the key's account, and whether it is an operator key that can make fresh tenants
      target = await resolveReferenceTarget(target);
      if (target.adapter.kind === 'reference' && options.profiles.includes('lifecycle')) {
        try {
          services = await startLifecycleServices({ appUrl: new URL(target.adapter.adminApiUrl).origin, ...(options.mailbox ?? {}) });
        } catch (err) {
          throw new CliError(`cannot start the harness mailbox or SSO IdP: ${(err as Error).message}`);
        }
      } else if (target.adapter.kind === 'module' && options.profiles.includes('lifecycle')) {
        services = await servicesForVendorAdapter(target.adapter.path, target.scimUrl);
      }
    } else {
      process.stderr.write('certify: no --target given, starting the embedded reference server\n');
      let input: TargetInput;
      try {
        const embedded = await startEmbeddedWithServices();
        ({ server, services } = embedded);
        // the same whoami as for a running server (embeddedTarget asks it): the demo key is an operator key
        input = await embeddedTarget(server, runId, options.timeoutMs);
      } catch (err) {
        throw new CliError((err as Error).message, EXIT.harnessFailed);
      }
      target = targetSchema.parse({ ...input, timeoutMs: options.timeoutMs, readOnly: options.readOnly, seed: options.seed });
    }
    process.stderr.write(
      `certify: target ${target.scimUrl} (profiles ${options.profiles.join(', ')}${options.only.length ? `; only ${options.only.join(', ')}` : ''}${options.readOnly ? '; read-only' : ''})\n`,
    );
    const serviceProviderConfig = await preflight(target);
    if (target.secondTarget) await preflightSecond(target);

    const out = options.out;
    const blobDir = options.shard ? join(out, 'blob') : undefined;
    for (const stale of [
      'results.json',
      'html',
      'allure-results',
      'allure-report',
      'junit.xml',
      'certificate.json',
      'certificate.md',
      'blob',
      'test-results',
      'phases',
    ])
      rmSync(join(out, stale), { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const ctx: RunContext = {
      scimUrl: target.scimUrl,
      serviceProviderConfig,
      config: { profiles: options.profiles, only: options.only, waivers: options.waivers, readOnly: options.readOnly, seed: options.seed },
      startedAt: startedAt.toISOString(),
      shard: options.shard ?? null,
    };
    writeFileSync(join(out, 'run.json'), `${JSON.stringify(ctx, null, 2)}\n`);

    const plan = planRun(options, { adapter: target.adapter.kind, freshTenants: await adapterHasFreshTenant(target) });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      [TARGET_ENV]: JSON.stringify(target),
      SCIMULATOR_REPORT_DIR: out,
      ...(services ? { [LIFECYCLE_ENV]: JSON.stringify(services.env) } : {}),
      PLAYWRIGHT_HTML_OPEN: 'never',
      ...(blobDir ? { SCIMULATOR_BLOB_DIR: blobDir } : {}),
    };
    delete env.SCIMULATOR_TOKEN;
    delete env.SCIMULATOR_SECOND_TOKEN;
    delete env.SCIMULATOR_CLIENT_SECRET;
    let results: { tests: TestOutcome[] };
    let tokenReplaced: string | undefined;
    if (plan.phases.length > 1 || plan.phases.some((p) => p.sharedTenant)) {
      // without freshTenant() the lifecycle checks run last, serially, on the main tenant (cli/certify/plan.ts)
      const phased = await runPhases({ out, plan, env });
      tokenReplaced = tokenNotice(phased.tenant);
      if (phased.interrupted) {
        if (tokenReplaced) process.stderr.write(tokenReplaced);
        return await interrupted(targetAfter(target, phased.tenant), runId);
      }
      results = phased.results;
    } else {
      const [phase] = plan.phases as [Phase];
      const pw = await runPlaywright([...phase.projects.flatMap((p) => ['--project', p]), ...plan.args, '--workers', String(phase.workers)], env);
      if (pw.interrupted) return await interrupted(target, runId);
      // the workers delete their tenants in dispose(); one a crashed worker missed goes here, before reading can fail
      // (the serial-last path above makes no fresh tenants)
      const strayTenants = await sweepRunTenants(target, runId);
      if (strayTenants) process.stderr.write(`certify: removed ${strayTenants} fresh tenant(s) of this run that its checks left behind\n`);
      results = readOutcomes(join(out, 'results.json'));
    }
    const durationMs = Date.now() - startedAt.getTime();
    if (options.shard) {
      const judged = judge(selectedRequirements(ctx.config), results.tests, ctx.config.waivers, '');
      const mustFailed = summarize(judged.filter((r) => results.tests.some((t) => t.requirements.includes(r.id)))).mustFailed;
      process.stdout.write(
        `shard ${options.shard.current}/${options.shard.total} done (${results.tests.length} checks) in ${out}; join the shards with 'scimulator merge-reports <shard dirs...> --out DIR'\n`,
      );
      return mustFailed > 0 ? EXIT.requirementFailed : EXIT.ok;
    }
    const cert = writeCertificate(out, ctx, results.tests, durationMs, options.signingKey);
    await generateAllure([join(out, 'allure-results')], join(out, 'allure-report'));
    if (tokenReplaced) process.stderr.write(tokenReplaced);
    return conclude(cert, out);
  } finally {
    await server?.stop();
    await services?.stop();
  }
}
