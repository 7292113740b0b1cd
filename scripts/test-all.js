#!/usr/bin/env node
// `npm test`: the unit and route tests (Node's runner) and then the Playwright specs, one closing line for both.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tmp = join(root, '.tmp');
mkdirSync(tmp, { recursive: true });

// Node 20's test runner takes no glob patterns (they arrive in Node 21), so the test files are listed here.
const unitGlobs = ['catalog', 'reference-server', 'simulators', 'cli', 'fixtures', 'specs', 'bench', 'scripts'].flatMap((d) =>
  existsSync(join(root, d))
    ? readdirSync(join(root, d), { recursive: true }).filter((f) => f.endsWith('.test.ts') && !f.includes('node_modules')).map((f) => join(d, f))
    : [],
);
const tapFile = join(tmp, 'unit.tap');
rmSync(tapFile, { force: true });
const unit = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`, ...unitGlobs],
  { cwd: root, stdio: 'inherit', env: { ...process.env, SCIMULATOR_LOG_LEVEL: process.env.SCIMULATOR_LOG_LEVEL ?? 'silent' } },
);
const tap = safeRead(tapFile);
const count = (label) => Number(new RegExp('^# ' + label + ' (\\d+)$', 'm').exec(tap)?.[1] ?? 0);
const unitPassed = count('pass');
const unitFailed = count('fail') + count('cancelled') + (unit.status !== 0 && count('fail') === 0 ? 1 : 0);

const jsonFile = join(tmp, 'playwright.json');
rmSync(jsonFile, { force: true });
const pw = spawnSync(process.execPath, [join(root, 'node_modules/@playwright/test/cli.js'), 'test', '--pass-with-no-tests', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile, SCIMULATOR_TEST_RUN: '1' },
});
const stats = JSON.parse(safeRead(jsonFile) || '{}').stats ?? {};
const pwPassed = (stats.expected ?? 0) + (stats.flaky ?? 0);
const pwFailed = (stats.unexpected ?? 0) + (pw.status !== 0 && !stats.unexpected ? 1 : 0);

const passed = unitPassed + pwPassed;
const failed = unitFailed + pwFailed;
console.log(`\nunit: ${unitPassed} passed, ${unitFailed} failed; specs: ${pwPassed} passed, ${pwFailed} failed, ${stats.skipped ?? 0} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;

function safeRead(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
