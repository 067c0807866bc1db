import { expect } from '@playwright/test';
import type { APIRequestContext, Page } from '@playwright/test';

// Users created by e2e/start-server.sh, on the demo data (seed 42) it loads.
export const ADMIN = { email: 'admin@example.com', password: 'e2e-Password-1', name: 'Ada Admin' };

export async function logIn(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/$/);
}

export async function getJson<T>(request: APIRequestContext, url: string): Promise<T> {
  const response = await request.get(url);
  expect(response.ok(), `GET ${url}`).toBeTruthy();
  return (await response.json()) as T;
}

/**
 * Chromium logs every 4xx answer as a console error. Tolerated: the 401 of `me` before logging in,
 * and the statuses a test provokes on purpose (`also`, e.g. a 404 for a missing customer).
 */
export function unexpected(errors: string[], also: RegExp[] = []): string[] {
  return errors.filter(
    (e) =>
      !(e.includes('the server responded with a status of 401') && /\/api\/auth\/(me|login)\b/.test(e)) &&
      !also.some((pattern) => pattern.test(e)),
  );
}

/** Whether the page scrolls sideways (the document is wider than the viewport). */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
}
