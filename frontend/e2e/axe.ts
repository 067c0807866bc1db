import AxeBuilder from '@axe-core/playwright';
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

/** WCAG 2.1 A and AA: the rules we hold every page to. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Waits for drawers and modals to finish moving: half-faded text would be judged mid-transition. */
async function settle(page: Page) {
  const idle = () => document.getAnimations().every((a) => a.playState !== 'running');
  // A transition starts a frame or two after the click that opens a drawer: let it start first.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.waitForFunction(idle);
  await page.waitForTimeout(100);
  await page.waitForFunction(idle);
}

export async function expectAccessible(page: Page, what: string) {
  await settle(page);
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const serious = violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.impact ?? ''} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  expect(serious, `${what}: critical and serious axe violations`).toEqual([]);
}
