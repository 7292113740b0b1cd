import type { Browser, Page } from '@playwright/test';

/**
 * Runs `use` in a page of a new browser context (no cookies: a sign-in or admin session of its own), and closes the
 * context afterwards, also when `use` throws.
 */
export async function inFreshPage<T>(browser: Browser, use: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    return await use(await context.newPage());
  } finally {
    await context.close();
  }
}
