import { expect, test } from '@playwright/test';
import { startVideo } from './support/api';
import { expectBadge, progressBar, snapshot } from './support/pages';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('alice') });

test('the subscription alone keeps the page live: with status polling cut off, the video still arrives', async ({ page, request }, testInfo) => {
  // Every sora.status request from the page fails, so only the sora.onUpdate stream (fed by the server's webhook
  // handling and poller) can move the page along.
  let blocked = 0;
  await page.route(
    (url) => url.pathname.startsWith('/trpc/') && url.pathname.includes('sora.status'),
    async (route) => {
      blocked += 1;
      await route.abort();
    },
  );
  const stream = page.waitForResponse((response) => response.url().includes('/trpc/sora.onUpdate'));
  const video = await startVideo(request, { title: 'Pushed', prompt: 'Fireflies in a jar [sim:duration=3000]' });
  await page.goto(`/videos/${video.id}`);
  const response = await stream;
  expect(response.headers()['content-type']).toContain('text/event-stream');

  await expectBadge(page, 'Ready', 45_000);
  await expect(progressBar(page)).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('video-player')).toBeVisible();
  expect(blocked).toBeGreaterThan(0);
  await snapshot(page, testInfo, 'video-pushed');
});
