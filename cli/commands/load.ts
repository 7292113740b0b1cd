import { z } from 'zod';
import { runLoad, type LoadReport } from '../../simulators/load/load.ts';
import { CliError, EXIT } from '../errors.ts';
import { parseFlags } from '../flags.ts';
import { TARGET_HELP, TARGET_OPTIONS, idpHelp, parseIdp, parseTargetArgs } from './simulate.ts';
import { formatIssues } from '../../simulators/core/issues.ts';

const HELP = `Usage: scimulator load <okta|entra|sailpoint> --users N [--groups G] [--concurrency C] --target URL --token T [--json]

Replays an IdP's initial sync of N users (and G groups with their members) at that IdP's concurrency
(Okta 4, Entra 8, SailPoint 10 unless --concurrency), then prints throughput, latency percentiles and errors.
Okta: existence check + create per user, then Push Groups. Entra: initial cycle (match + create), then
groups and member adds. SailPoint: Create Account per user, then groups and one Add Entitlement per member.
Exit codes: 0 no request failed, 1 some failed, 2 usage or connection error.

  --users N               users to provision (1..200000, required)
  --groups G              groups to create and fill (default 0)
  --concurrency C         requests in flight (default: the IdP's own)
${TARGET_HELP}

${idpHelp()}
`;

const count = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `--${name} expects a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `--${name} must be at least ${min}`).max(max, `--${name} must be at most ${max}`));

function num(schema: z.ZodType<number>, value: unknown): number {
  const r = schema.safeParse(value);
  if (!r.success) throw new CliError(formatIssues(r.error, { paths: false }));
  return r.data;
}

export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { ...TARGET_OPTIONS, users: { type: 'string' }, groups: { type: 'string' }, concurrency: { type: 'string' } },
    'load',
  );
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const idp = parseIdp(positionals[0], 'load');
  if (positionals.length > 1) throw new CliError(`unexpected argument '${positionals[1]}'.`);
  if (values.users === undefined) throw new CliError("--users N is required. Run 'scimulator load --help'.");
  const users = num(count('users', 1, 200_000), values.users);
  const groups = values.groups === undefined ? 0 : num(count('groups', 0, 1000), values.groups);
  const concurrency = values.concurrency === undefined ? undefined : num(count('concurrency', 1, 256), values.concurrency);
  const args = parseTargetArgs(idp, values, env, 'load');
  const bar = process.stderr.isTTY ? progressBar() : undefined;
  const report = await runLoad({
    idp,
    users,
    groups,
    ...(concurrency ? { concurrency } : {}),
    target: { scimUrl: args.scimUrl, auth: args.auth },
    ...(args.mode ? { mode: args.mode } : {}),
    seed: args.seed,
    options: args.options,
    ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}),
    ...(bar ? { onProgress: bar.update } : {}),
  });
  bar?.finish();
  if ((report.errors.byKind.network ?? 0) === report.errors.total && report.errors.total > 0 && report.requests === 0) {
    throw new CliError(`could not reach the target ${args.scimUrl}: ${report.errors.samples[0] ?? 'connection failed'}.`);
  }
  process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : table(report));
  return report.errors.total === 0 ? EXIT.ok : EXIT.requirementFailed;
}

/** A one-line bar redrawn at most ~10 times a second; only ever on a terminal. */
function progressBar() {
  let last = 0;
  const started = Date.now();
  const draw = (done: number, total: number) => {
    const width = 30;
    const filled = Math.round((done / Math.max(1, total)) * width);
    const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}  ${rate.toFixed(0)} objects/s `);
  };
  return {
    update(done: number, total: number) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done, total);
    },
    finish() {
      process.stderr.write('\n');
    },
  };
}

function table(r: LoadReport): string {
  const rows: Array<[string, string]> = [
    ['IdP (mode)', `${r.idp} (${r.mode})`],
    ['users / groups', `${r.users} / ${r.groups}`],
    ['concurrency', String(r.concurrency)],
    ['duration', `${r.durationS} s`],
    ['requests', String(r.requests)],
    ['throughput', `${r.throughput} requests/s (${r.usersPerSecond} users/s)`],
    ['latency p50 / p95 / p99', `${r.latencyMs.p50} / ${r.latencyMs.p95} / ${r.latencyMs.p99} ms (max ${r.latencyMs.max})`],
    ['retries', String(r.retries)],
    [
      'errors',
      r.errors.total === 0
        ? '0'
        : `${r.errors.total} (${Object.entries(r.errors.byKind)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')})`,
    ],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`);
  for (const s of r.errors.samples) lines.push(`  e.g. ${s}`);
  return `${lines.join('\n')}\n`;
}
