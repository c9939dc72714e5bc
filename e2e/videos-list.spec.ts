import { expect, test } from '@playwright/test';
import { createVideo, startVideo } from './support/api';
import { snapshot } from './support/pages';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('lena') });

test('my videos: newest first, paged with "Load more", filtered by status, live while generating', async ({ page, request }, testInfo) => {
  for (let index = 1; index <= 13; index += 1) {
    await createVideo(request, { title: `Draft ${String(index).padStart(2, '0')}`, prompt: `Draft number ${index}` });
  }
  const live = await startVideo(request, { title: 'Live one', prompt: 'Clouds over a valley [sim:duration=12000]' });

  await page.goto('/');
  const cards = page.getByTestId('video-card');
  await expect(cards).toHaveCount(12);
  // Newest first: the generation started last leads, then the drafts in reverse order.
  await expect(cards.nth(0)).toContainText('Live one');
  await expect(cards.nth(1)).toContainText('Draft 13');
  await expect(cards.nth(11)).toContainText('Draft 03');

  // The active one shows a live bar and its time left.
  const liveCard = cards.filter({ hasText: 'Live one' });
  const bar = liveCard.getByRole('progressbar', { name: 'Progress of Live one' });
  await expect(bar).toBeVisible();
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 20_000 }).toBeGreaterThan(0);
  await expect(liveCard.getByTestId('time-remaining')).toHaveText(/left|estimating/);
  await snapshot(page, testInfo, 'videos-list-active');

  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(cards).toHaveCount(14);
  await expect(cards.nth(13)).toContainText('Draft 01');
  await expect(page.getByText('All 14 videos shown.')).toBeVisible();

  // When it finishes: the badge turns Ready and the thumbnail replaces the bar.
  await expect(liveCard.getByTestId('status-badge')).toHaveText('Ready', { timeout: 30_000 });
  await expect(liveCard.locator('img')).toBeVisible();
  await expect(bar).toHaveCount(0);

  // Filters, also kept in the address.
  const filter = page.getByLabel('Status', { exact: true });
  await filter.selectOption('completed');
  await expect(page).toHaveURL(/\?status=completed$/);
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('Live one');
  await filter.selectOption('not_started');
  await expect(cards).toHaveCount(12);
  await filter.selectOption('failed');
  await expect(page.getByTestId('empty-state')).toContainText('No videos match these filters');
  await snapshot(page, testInfo, 'videos-list-filter-empty');
  await page.getByRole('button', { name: 'Show all videos' }).click();
  // The pages loaded earlier are still there.
  await expect(cards).toHaveCount(14);
  await snapshot(page, testInfo, 'videos-list');

  // A card opens its video.
  await liveCard.getByRole('link', { name: 'Live one' }).click();
  await expect(page).toHaveURL(`/videos/${live.id}`);
  await expect(page.getByRole('heading', { name: 'Live one' })).toBeVisible();
});
