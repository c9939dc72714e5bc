import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** Every page a test visits is kept as a full-page screenshot among the test's artifacts. */
export async function snapshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

export function progressBar(page: Page): Locator {
  return page.getByRole('progressbar', { name: 'Generation progress' });
}

export async function progressValue(bar: Locator): Promise<number> {
  return Number(await bar.getAttribute('aria-valuenow'));
}

export function statusBadge(page: Page): Locator {
  return page.locator('.video-header').getByTestId('status-badge');
}

/** Waits for the video page's badge to read `label` (generations run for seconds on the e2e simulator). */
export async function expectBadge(page: Page, label: string, timeout = 30_000): Promise<void> {
  await expect(statusBadge(page)).toHaveText(label, { timeout });
}

/** The page has no sideways scrolling: everything fits the viewport's width. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}
