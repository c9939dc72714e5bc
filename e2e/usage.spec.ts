import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { createDb } from '@sora-monitor/db';
import { seedAttemptHistory, type SeedAttempt } from '@sora-monitor/db/testing/seed';
import { trpcQuery } from './support/api';
import { preparedDataDir, startOwnServer, type OwnServer } from './support/own-server';
import { snapshot } from './support/pages';
import { PASSWORD } from './support/users';

// The usage page over history seeded across several days and models, read in Asia/Kolkata (the browser's zone).
// The server runs on its own data directory: it is stopped while the history is written into its database (PGlite
// allows one process), then started again on the same directory.

const TZ = 'Asia/Kolkata';
const at = (daysAgo: number, localTime: `${number}:${number}`) => ({ requested: { daysAgo, localTime } });
const S2 = { model: 'sora-2', size: '720x1280' };
const PRO = { model: 'sora-2-pro', size: '720x1280' };
const HISTORY: SeedAttempt[] = [
  { ...at(1, '09:00'), ...S2, seconds: 8, status: 'completed', readySeconds: 100 }, // $0.80
  { ...at(2, '00:15'), ...PRO, seconds: 4, status: 'completed', readySeconds: 400 }, // $1.20
  { ...at(2, '10:00'), ...S2, seconds: 4, status: 'failed', errorCode: 'moderation_blocked' },
  { ...at(3, '10:00'), ...S2, seconds: 4, status: 'failed', errorCode: 'moderation_blocked' },
  { ...at(3, '11:00'), ...S2, seconds: 4, status: 'failed', errorCode: 'reset' }, // $0.40, billed
  { ...at(4, '12:00'), ...S2, seconds: 4, status: 'failed', errorCode: 'stuck_timeout' }, // $0.40
];

// Its database already migrated (a copy of the template), so the first start does not migrate from scratch.
let dataDir: string;
const SERVER_ENV = { DAILY_SPEND_CAP_USD: '25' };
let server: OwnServer;

async function signedIn(browser: Browser, email: string, signUp: boolean): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, timezoneId: TZ });
  const page = await context.newPage();
  const response = await page.request.post(signUp ? '/api/auth/sign-up/email' : '/api/auth/sign-in/email', {
    data: { name: 'Uma Example', email, password: PASSWORD },
  });
  expect(response.ok(), await response.text()).toBe(true);
  return page;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  dataDir = await preparedDataDir();
  server = await startOwnServer(SERVER_ENV, 90_000, { dataDir });
  const page = await signedIn(browser, 'uma@example.com', true);
  const me = await trpcQuery<{ id: string }>(page.request, 'me.get', {});
  await page.context().close();
  await server.close();

  const database = await createDb({ dataDir: path.join(dataDir, 'pglite') });
  await seedAttemptHistory(database.db, { userId: me.id, timeZone: TZ, attempts: HISTORY });
  await database.close();
  server = await startOwnServer(SERVER_ENV, 90_000, { dataDir });
});
test.afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the usage page shows the numbers, each chart with a table view, and failure reasons ranked', async ({ browser }, testInfo) => {
  const page = await signedIn(browser, 'uma@example.com', false);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
  await expect(page).toHaveURL(/\/usage$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Usage' })).toBeVisible();
  // Chromium names India's zone by its older alias (Asia/Calcutta); the database knows both.
  await expect(page.getByText(/Days in your time zone \(Asia\/(Kolkata|Calcutta)\)/)).toBeVisible();

  const numbers = page.getByTestId('usage-numbers');
  await expect(numbers.getByRole('definition').filter({ hasText: 'daily limit' })).toContainText('$25.00');
  // 2 completed, 3 failed (two blocked, one stuck); the reset is left out.
  await expect(numbers).toContainText('40%');
  await expect(numbers).toContainText('4 min 10 s'); // median of 100 s and 400 s
  await expect(page.getByRole('button', { name: '30 days' })).toHaveAttribute('aria-pressed', 'true');

  const spend = page.getByTestId('spend-chart');
  await expect(spend.locator('figcaption')).toHaveText(/\$2\.80 in all.*daily limit of \$25\.00/);
  await expect(spend.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await spend.getByText('Table view').click();
  const spendTable = spend.getByRole('table');
  await expect(spendTable.getByRole('columnheader')).toHaveText(['Day', 'sora-2', 'sora-2-pro', 'Total']) // most spent first: $1.60, $1.20;
  await expect(spendTable.getByRole('row')).toHaveCount(31);

  const outcomes = page.getByTestId('outcomes-chart');
  await expect(outcomes.locator('figcaption')).toHaveText('6 generations over 30 days: 2 completed, 3 failed, 1 reset, 0 still running.');
  await outcomes.getByText('Table view').click();
  await expect(outcomes.getByRole('columnheader')).toContainText(['Completed', 'Failed: Blocked by the content policy', 'Reset']);

  const durations = page.getByTestId('durations-chart');
  await durations.getByText('Table view').click();
  await expect(durations.getByRole('row', { name: /sora-2-pro · 720x1280/ })).toContainText('6 min 40 s');
  await expect(durations.getByRole('row', { name: /sora-2 · 720x1280/ })).toContainText('1 min 40 s');

  const reasons = page.getByTestId('failure-reason');
  await expect(reasons).toHaveCount(2);
  await expect(reasons.first()).toContainText('Blocked by the content policy');
  await expect(reasons.first()).toContainText('2 failures');
  await snapshot(page, testInfo, 'usage-30-days');

  // The range is in the URL; the tables follow it.
  await page.getByRole('button', { name: '7 days' }).click();
  await expect(page).toHaveURL(/\/usage\?days=7$/);
  await expect(spendTable.getByRole('row')).toHaveCount(8);

  // Each reason leads to the videos that failed that way: the list filtered by kind of failure, named in a chip.
  await reasons.first().getByRole('link', { name: 'Blocked by the content policy' }).click();
  await expect(page).toHaveURL(/\/\?failure=moderation$/);
  await expect(page.getByTestId('failure-filter')).toHaveText(/Failed: Blocked by the content policy/);
  const cards = page.getByTestId('video-card');
  await expect(cards.getByRole('heading')).toHaveText(['Seeded sora-2 #3', 'Seeded sora-2 #4']);
  await snapshot(page, testInfo, 'usage-failure-reason-list');
  await page.getByRole('button', { name: 'Remove the filter “Blocked by the content policy”' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(cards).toHaveCount(HISTORY.length);
  await page.context().close();
});

test('a user with no history sees what each chart will show', async ({ browser }, testInfo) => {
  const page = await signedIn(browser, 'new@example.com', true);
  await page.goto('/usage?days=7');
  await expect(page.getByTestId('usage-numbers')).toContainText('nothing finished in this range');
  await expect(page.getByTestId('spend-chart').getByTestId('empty-state')).toContainText('stacked by model, with your daily limit as a line');
  await expect(page.getByTestId('outcomes-chart').getByTestId('empty-state')).toContainText('completed, failed (by kind) or reset');
  await expect(page.getByTestId('durations-chart').getByTestId('empty-state')).toContainText('from request to ready');
  await expect(page.getByTestId('failure-reasons').getByTestId('empty-state')).toContainText('the most frequent first');
  await snapshot(page, testInfo, 'usage-empty');
  await page.context().close();
});
