#!/usr/bin/env node
// The test tiers, one closing line "N passed, N failed" each:
//   node scripts/test-all.js             `npm test`: unit and route tests (Node's runner), then the Playwright specs
//   node scripts/test-all.js --unit      `npm run test:unit`: only the unit and route tests of that tier
//   node scripts/test-all.js --detection `npm run test:detection`: certify against every --defect of the reference
//                                        server, and the CLI's end-to-end certify runs (minutes each)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tmp = join(root, '.tmp');
mkdirSync(tmp, { recursive: true });
const tier = process.argv.includes('--detection') ? 'detection' : process.argv.includes('--unit') ? 'unit' : 'fast';
const passThrough = process.argv.slice(2).filter((a) => !['--detection', '--unit'].includes(a));

/** Files of the detection tier: each starts reference servers and runs whole certifications against them, most with defects. */
const DETECTION = [
  /^cli\/detection\//,
  /^cli\/certify\/destructive\.test\.ts$/,
  /^cli\/commands\/certify-(targets|interrupt|second-target)\.test\.ts$/,
  /^cli\/commands\/diff-defect\.test\.ts$/,
  /^scripts\/ci-recipes\.test\.ts$/,
];
const isDetection = (f) => DETECTION.some((re) => re.test(f));

// Node 20's test runner takes no glob patterns (they arrive in Node 21), so the test files are listed here.
const testFiles = ['catalog', 'harness', 'reference-server', 'simulators', 'cli', 'fixtures', 'specs', 'bench', 'scripts'].flatMap((d) =>
  existsSync(join(root, d))
    ? readdirSync(join(root, d), { recursive: true })
        .filter((f) => f.endsWith('.test.ts') && !f.includes('node_modules'))
        .map((f) => join(d, f))
    : [],
);
const files = testFiles.filter((f) => (tier === 'detection' ? isDetection(f) : !isDetection(f)));

const tapFile = join(tmp, `${tier}.tap`);
rmSync(tapFile, { force: true });
const jsonFile = join(tmp, 'playwright.json');
rmSync(jsonFile, { force: true });

// The fast tier runs the node:test files and the Playwright specs side by side: the specs spend most of their time
// waiting on Chromium and the server, so on two cores the pair takes little longer than the slower half alone.
// The unit output streams live; the specs' output is held and printed, whole, after it.
const unitRun = run(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { SCIMULATOR_LOG_LEVEL: process.env.SCIMULATOR_LOG_LEVEL ?? 'silent' },
  false,
);
const pwRun =
  tier === 'fast'
    ? run(
        process.execPath,
        [join(root, 'node_modules/@playwright/test/cli.js'), 'test', '--pass-with-no-tests', ...passThrough],
        { PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile, SCIMULATOR_TEST_RUN: '1' },
        true,
      )
    : undefined;
const unit = await unitRun;
const tap = safeRead(tapFile);
const count = (label) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
const unitPassed = count('pass');
const unitFailed = count('fail') + count('cancelled') + (unit.status !== 0 && count('fail') === 0 ? 1 : 0);

let pwPassed = 0;
let pwFailed = 0;
let pwSkipped = 0;
if (pwRun) {
  const pw = await pwRun;
  process.stdout.write(pw.output);
  const stats = JSON.parse(safeRead(jsonFile) || '{}').stats ?? {};
  pwPassed = (stats.expected ?? 0) + (stats.flaky ?? 0);
  pwFailed = (stats.unexpected ?? 0) + (pw.status !== 0 && !stats.unexpected ? 1 : 0);
  pwSkipped = stats.skipped ?? 0;
}

const passed = unitPassed + pwPassed;
const failed = unitFailed + pwFailed;
const label = tier === 'detection' ? 'detection' : 'unit';
console.log(
  `\n${label}: ${unitPassed} passed, ${unitFailed} failed${tier === 'fast' ? `; specs: ${pwPassed} passed, ${pwFailed} failed, ${pwSkipped} skipped` : ''}`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;

function safeRead(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Runs a command in the repository with extra environment; a `held` run's output is kept and returned, not printed. */
function run(command, args, env, held) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, ...env } });
    const chunks = [];
    child.stdout?.on('data', (c) => chunks.push(c));
    child.stderr?.on('data', (c) => chunks.push(c));
    child.on('close', (status) => resolve({ status: status ?? 1, output: Buffer.concat(chunks) }));
  });
}
