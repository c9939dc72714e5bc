import { expect, test } from '@playwright/test';
import { startVideo } from './support/api';
import { expectBadge } from './support/pages';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('alice') });

test('a status the app does not know is shown as the service reports it, once in the history, then tracking carries on', async ({
  page,
  request,
}) => {
  // The simulator answers "preprocessing" (outside the contract) for the first 30% of this job.
  const video = await startVideo(request, {
    title: 'Odd status',
    prompt: 'A heron on a jetty [sim:unknown-status] [sim:duration=30000]',
  });
  await page.goto(`/videos/${video.id}`);

  await expectBadge(page, 'Queued');
  await expect(page.getByTestId('status-message')).toHaveText(
    "The video service reports 'preprocessing', a status this app does not recognise; your video is still being tracked.",
  );
  await expect(page.getByTestId('temporary-notice')).toHaveCount(0);
  const noted = page.getByTestId('timeline').locator('.timeline-upstream_status_unknown');
  await expect(noted).toHaveCount(1);
  await expect(noted).toContainText('Unrecognised status from the video service');

  // Once the service reports a known status, the usual progress message returns; the history keeps one entry.
  await expect(page.getByTestId('status-message')).toHaveText(/^Generating your video… \d+% complete$/, {
    timeout: 30_000,
  });
  await expect(noted).toHaveCount(1);
});
