import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { expectBadge, progressBar, snapshot } from './support/pages';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('alice') });

const README_SCREENSHOT = path.join(import.meta.dirname, '..', 'docs', 'screenshots', 'video-page.png');

test('new video: sizes follow the model, the cost is shown before starting, and errors sit next to their field', async ({ page }, testInfo) => {
  await page.goto('/new');
  await expect(page.getByRole('heading', { name: 'New video' })).toBeVisible();
  const sizes = page.getByRole('group', { name: 'Size' });
  const estimate = page.getByTestId('cost-estimate');

  // sora-2: the two 720p sizes only; 4 s at $0.10/s.
  await expect(sizes.getByRole('radio')).toHaveCount(2);
  await expect(estimate).toContainText('$0.40');
  await page.getByRole('radio', { name: /12 seconds/ }).check();
  await expect(estimate).toContainText('$1.20');

  // sora-2-pro unlocks the large sizes, priced higher.
  await page.getByRole('radio', { name: /sora-2-pro/ }).check();
  await expect(sizes.getByRole('radio')).toHaveCount(4);
  await expect(estimate).toContainText('$3.60');
  await sizes.getByRole('radio', { name: /1792 × 1024/ }).check();
  await expect(estimate).toContainText('$6.00');
  // Back to sora-2: a size it cannot render falls back to the default.
  await page.getByRole('radio', { name: /^sora-2 / }).check();
  await expect(sizes.getByRole('radio', { name: /720 × 1280/ })).toBeChecked();
  await expect(estimate).toContainText('$1.20');

  // A model the operator added in VIDEO_MODELS: offered, with sora-2's sizes, and a price that is unknown, not $0.
  const veo = page.getByRole('radio', { name: /^veo-3/ });
  await expect(veo).toHaveAccessibleName('veo-3 price unknown');
  await veo.check();
  await expect(sizes.getByRole('radio')).toHaveCount(2);
  await expect(estimate.locator('.estimate-value')).toHaveText('unknown');
  await expect(page.getByTestId('unknown-price-note')).toHaveText(
    'This server does not know the price of veo-3. Toward your daily limit of $50.00 it counts as $0.50 per second.',
  );
  await page.getByRole('radio', { name: /^sora-2 / }).check();
  await expect(estimate).toContainText('$1.20');

  // The server's validation messages appear next to the field they are about.
  await page.getByRole('button', { name: 'Start generation' }).click();
  const prompt = page.getByLabel('Prompt');
  await expect(prompt).toHaveAttribute('aria-invalid', 'true');
  await expect(prompt).toHaveAccessibleDescription(/Prompt must not be empty\./);
  await expect(page.getByTestId('field-error')).toHaveText('Prompt must not be empty.');
  await prompt.fill('x'.repeat(2001));
  await page.getByRole('button', { name: 'Start generation' }).click();
  await expect(page.getByTestId('field-error')).toHaveText('Prompt must be at most 2000 characters.');
  await snapshot(page, testInfo, 'new-video-validation');
});

test('happy path: start a generation and watch it become a playable, seekable video', async ({ page, request }, testInfo) => {
  await page.goto('/new');
  await page.getByLabel('Prompt').fill('A paper boat drifting down a rain-soaked street at dusk, close-up');
  await page.getByLabel('Title').fill('Paper boat');
  await snapshot(page, testInfo, 'new-video');
  await page.getByRole('button', { name: 'Start generation' }).click();

  await expect(page).toHaveURL(/\/videos\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'Paper boat', level: 1 })).toBeVisible();
  const bar = progressBar(page);
  await expect(bar).toHaveAttribute('aria-valuemin', '0');
  await expect(bar).toHaveAttribute('aria-valuemax', '100');
  await snapshot(page, testInfo, 'video-generating');

  await expectBadge(page, 'Ready');
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('status-message')).toHaveText('Your video is ready.');

  // The player loads the stored video and knows its length; the server's Range support makes it seekable.
  const video = page.getByTestId('video-player');
  await expect(video).toBeVisible();
  await expect.poll(() => video.evaluate((element: HTMLVideoElement) => element.readyState), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  const duration = await video.evaluate((element: HTMLVideoElement) => element.duration);
  expect(duration).toBeGreaterThan(0);
  await video.evaluate((element: HTMLVideoElement) => {
    element.currentTime = element.duration / 2;
  });
  await expect.poll(() => video.evaluate((element: HTMLVideoElement) => element.seekable.length > 0 && element.currentTime > 0)).toBe(true);

  await expect(page.getByTestId('download-link')).toHaveAttribute('href', /\/api\/videos\/[0-9a-f-]{36}\/content$/);
  await expect(page.getByTestId('download-link')).toHaveAttribute('download', /^paper-boat-[0-9a-f-]{36}\.mp4$/);
  await expect(page.getByTestId('video-cost')).toHaveText('$0.40');

  // Every step reached, with its time.
  const steps = page.getByTestId('steps').getByRole('listitem');
  await expect(steps).toHaveCount(5);
  for (const step of await steps.all()) {
    await expect(step).toHaveAttribute('data-state', 'done');
    await expect(step.locator('time')).toHaveCount(1);
  }

  // The history: the attempt and who changed what.
  await expect(page.getByTestId('attempts').getByRole('listitem')).toHaveCount(1);
  await expect(page.getByTestId('attempts')).toContainText('Attempt 1');
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText('Video created');
  await expect(timeline).toContainText('Generation requested');
  await expect(timeline).toContainText('Accepted by the video service');
  await expect(timeline).toContainText('Generating → Ready');
  await expect(timeline).toContainText('by you');

  // A completed video is final: reset is not offered (nor explained unasked), and the server refuses it too.
  await expect(page.getByRole('button', { name: /Reset/ })).toHaveCount(0);
  await expect(page.getByTestId('reset-unavailable')).toHaveCount(0);
  const videoId = page.url().split('/').at(-1);
  const refused = await request.post('/trpc/sora.reset', { data: { videoId } });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain('Cannot reset completed generation');

  await page.evaluate(() => window.scrollTo(0, 0));
  await snapshot(page, testInfo, 'video-completed');
  // The README's picture is refreshed on request only, so a test run leaves the work tree clean.
  if (process.env.UPDATE_README_SCREENSHOT === '1') {
    mkdirSync(path.dirname(README_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: README_SCREENSHOT, fullPage: true });
  }

  // Back in the list: its thumbnail and the Ready badge.
  await page.getByRole('link', { name: '← My videos' }).click();
  // By its exact name: other specs' videos for this user may mention a paper boat too.
  const card = page.getByRole('listitem', { name: 'Paper boat', exact: true });
  await expect(card.getByTestId('status-badge')).toHaveText('Ready');
  await expect(card.locator('img')).toHaveJSProperty('complete', true);
  expect(await card.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
});
