import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { TestOutcome } from '../../harness/reporting/results.ts';
import { conclude, dependencyFile, generateAllure, readOutcomes, runContextSchema, writeCertificate, type RunContext } from '../certify/run.ts';
import { CliError, EXIT } from '../errors.ts';
import { parseFlags } from '../flags.ts';

const HELP = `Usage: scimulator merge-reports SHARD_DIR... [--out DIR] [--signing-key FILE]

Joins the report directories of 'scimulator certify --shard i/n --out SHARD_DIR' runs into one signed
certificate (certificate.json, certificate.md) plus merged HTML, JUnit and Allure reports under --out
(default reports). Every shard must come from the same target and selection. Example:

  scimulator certify --target URL --token-file t --shard 1/2 --out reports/shard-1
  scimulator certify --target URL --token-file t --shard 2/2 --out reports/shard-2
  scimulator merge-reports reports/shard-1 reports/shard-2 --out reports/merged

Exit codes as certify: 0 no MUST requirement failed, 1 one did, 2 usage error, 3 harness failure.
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, { out: { type: 'string' }, 'signing-key': { type: 'string' } }, 'merge-reports');
  if (parsed.values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const dirs = parsed.positionals.map((d) => resolve(d));
  if (dirs.length === 0) throw new CliError('name the shard report directories to join: scimulator merge-reports DIR... [--out DIR].');
  const out = resolve(parsed.values.out ?? 'reports');
  if (dirs.includes(out)) throw new CliError('--out must be a directory other than the shard directories.');

  const contexts: RunContext[] = [];
  const tests = new Map<string, TestOutcome>();
  let durationMs = 0;
  for (const dir of dirs) {
    const runFile = join(dir, 'run.json');
    if (!existsSync(runFile)) throw new CliError(`${dir} is not a certify report directory (no run.json).`);
    const ctx = runContextSchema.safeParse(JSON.parse(readFileSync(runFile, 'utf8')));
    if (!ctx.success) throw new CliError(`${runFile} is not readable as a certify run record.`);
    contexts.push(ctx.data);
    const results = readOutcomes(join(dir, 'results.json'));
    for (const t of results.tests) tests.set(t.testId, t);
    durationMs = Math.max(durationMs, (results as { durationMs?: number }).durationMs ?? 0);
  }
  const first = contexts[0]!;
  for (const [i, ctx] of contexts.entries()) {
    if (ctx.scimUrl !== first.scimUrl || !isDeepStrictEqual(ctx.config, first.config)) {
      throw new CliError(`${dirs[i]} was run against another target or selection than ${dirs[0]}; only shards of one run can be joined.`);
    }
  }
  const total = first.shard?.total;
  const seen = new Set(contexts.map((c) => c.shard?.current));
  if (total !== undefined) {
    const missing = Array.from({ length: total }, (_, i) => i + 1).filter((n) => !seen.has(n));
    if (missing.length > 0)
      process.stderr.write(`merge-reports: WARNING: shard(s) ${missing.map((m) => `${m}/${total}`).join(', ')} missing; their requirements end not assessed\n`);
  }
  mkdirSync(out, { recursive: true });
  const startedAt = contexts.map((c) => c.startedAt).sort()[0]!;
  const ctx: RunContext = { ...first, startedAt, shard: null };
  const cert = writeCertificate(out, ctx, [...tests.values()], durationMs, parsed.values['signing-key'] ? resolve(parsed.values['signing-key']) : undefined);
  await mergeBlobs(dirs, out);
  await generateAllure(
    dirs.map((d) => join(d, 'allure-results')),
    join(out, 'allure-report'),
  );
  return conclude(cert, out);
}

/** Playwright's own merge of the shard blobs into one HTML report and one JUnit file (also certify's two phases). */
export async function mergeBlobs(dirs: string[], out: string): Promise<void> {
  const blobs = join(out, 'blob-merged');
  rmSync(blobs, { recursive: true, force: true });
  mkdirSync(blobs, { recursive: true });
  let count = 0;
  for (const dir of dirs) {
    const blobDir = join(dir, 'blob');
    if (!existsSync(blobDir)) continue;
    for (const f of readdirSync(blobDir).filter((n) => n.endsWith('.zip'))) {
      copyFileSync(join(blobDir, f), join(blobs, `${count++}-${f}`));
    }
  }
  if (count === 0) {
    process.stderr.write('merge-reports: no blob reports found; HTML and JUnit reports not merged\n');
    return;
  }
  await new Promise<void>((done) => {
    const child = spawn(process.execPath, [dependencyFile('@playwright/test', 'cli.js'), 'merge-reports', '--reporter', 'html,junit', blobs], {
      cwd: out,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        PLAYWRIGHT_HTML_OPEN: 'never',
        PLAYWRIGHT_HTML_OUTPUT_DIR: join(out, 'html'),
        PLAYWRIGHT_JUNIT_OUTPUT_FILE: join(out, 'junit.xml'),
        PLAYWRIGHT_JUNIT_OUTPUT_NAME: join(out, 'junit.xml'),
      },
    });
    child.on('error', () => done());
    child.on('exit', () => done());
  });
  rmSync(blobs, { recursive: true, force: true });
}
