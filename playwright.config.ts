import { join } from 'node:path';
import { defineConfig, type ReporterDescription } from '@playwright/test';
import { chromiumLaunchOptions } from './harness/chromium.ts';
import type { TenantMode } from './fixtures/lifecycle.ts';
import { readSharedTenantEnv } from './harness/shared-tenant.ts';

/**
 * One project per certification profile. The target comes from env SCIMULATOR_TARGET (set by `scimulator
 * certify`); without it globalSetup starts the embedded reference server, so `npx playwright test` works alone.
 * `certify` also sets SCIMULATOR_REPORT_DIR, which switches on the report set of docs/contracts.md.
 */
const reportDir = process.env.SCIMULATOR_REPORT_DIR;

// A failing test's error-context.md would carry an ARIA snapshot of the page, and a console page may be showing a
// freshly generated SCIM token: no page snapshots in any report (workers inherit this environment).
process.env.PLAYWRIGHT_NO_COPY_PROMPT = '1';

function reporters(): ReporterDescription[] {
  if (!reportDir) {
    return [[process.env.CI ? 'dot' : 'list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/results.json' }]];
  }
  const list: ReporterDescription[] = [
    ['./fixtures/reporting/progress-reporter.ts'],
    ['./fixtures/reporting/requirements-reporter.ts', { outputFile: join(reportDir, 'results.json') }],
  ];
  if (process.env.SCIMULATOR_BLOB_DIR) {
    // shards: a blob for `merge-reports`; the HTML, JUnit and Allure reports are built from the merged blobs
    list.push(['blob', { outputDir: process.env.SCIMULATOR_BLOB_DIR }]);
    list.push(['allure-playwright', { resultsDir: join(reportDir, 'allure-results') }]);
  } else {
    list.push(['html', { outputFolder: join(reportDir, 'html'), open: 'never' }]);
    list.push(['junit', { outputFile: join(reportDir, 'junit.xml') }]);
    list.push(['allure-playwright', { resultsDir: join(reportDir, 'allure-results') }]);
  }
  return list;
}

// certify's plan runs the lifecycle checks on the main tenant in a phase of their own (cli/certify/plan.ts)
const shared = readSharedTenantEnv();
const tenantMode: TenantMode = shared ? { kind: 'shared', stateFile: shared.stateFile } : { kind: 'fresh' };

export default defineConfig<{ tenantMode: TenantMode }>({
  testDir: 'specs',
  testMatch: '**/*.spec.ts',
  globalSetup: './fixtures/global-setup.ts',
  fullyParallel: true,
  workers: 2,
  // certification runs without retries: a requirement passes only when every citing test passed the first time
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  reporter: reporters(),
  outputDir: reportDir ? join(reportDir, 'test-results') : 'test-results/artifacts',
  // traces and screenshots off: they would carry tokens in headers and pages
  use: { launchOptions: chromiumLaunchOptions(), trace: 'off', screenshot: 'off', video: 'off', tenantMode },
  projects: [
    { name: 'rfc', testDir: 'specs/rfc' },
    { name: 'security', testDir: 'specs/security' },
    { name: 'okta', testDir: 'specs/okta' },
    { name: 'entra', testDir: 'specs/entra' },
    { name: 'sailpoint', testDir: 'specs/sailpoint' },
    // the seed's product lifecycle through the target's console, mailbox and SSO sign-in in Chromium
    { name: 'lifecycle', testDir: 'specs/lifecycle' },
    // the reference app's own console walk, not a certification profile
    { name: 'reference-app', testDir: 'specs/reference-app' },
  ],
});
