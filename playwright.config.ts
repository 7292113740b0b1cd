import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './fixtures/chromium.ts';

// Placeholder until the harness core lands: one project per profile is added there.
export default defineConfig({
  testDir: 'specs',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json']],
  use: { launchOptions: chromiumLaunchOptions(), trace: 'off', screenshot: 'off' },
});
