import { expect, test } from '@playwright/test';
import { startVideo, trpcQuery } from './support/api';
import { expectBadge, progressBar, snapshot, statusBadge } from './support/pages';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('alice') });

test('a stuck generation is detected, reset after confirmation, and retried to completion', async ({ page, request }, testInfo) => {
  const video = await startVideo(request, { title: 'Stuck at 40', prompt: 'A windmill turning [sim:stuck=40] [sim:faults-for=2]' });
  // Attempts 1 and 2 get stuck at 40%; the simulator runs the third one clean, as a real retry usually would.
  // The browser's clock is ours to move: "a minute without progress" without waiting a minute.
  await page.clock.install();
  await page.goto(`/videos/${video.id}`);

  await expect(progressBar(page)).toHaveAttribute('aria-valuenow', '40', { timeout: 20_000 });
  await expect(page.getByTestId('stuck-notice')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Reset/ })).toHaveCount(0);

  await page.clock.fastForward('02:00');
  const stuck = page.getByTestId('stuck-notice');
  await expect(stuck).toBeVisible();
  await expect(stuck).toContainText('This generation looks stuck');
  await expect(stuck).toContainText(/No progress for \d+ min/);
  await expect(stuck).toContainText('(at 40%)');
  await expect(statusBadge(page)).toHaveText('Stuck?');
  await snapshot(page, testInfo, 'video-stuck');

  // Reset asks first; cancelling changes nothing.
  await page.getByRole('button', { name: 'Reset…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset this generation?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await snapshot(page, testInfo, 'video-reset-dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(statusBadge(page)).toHaveText('Stuck?');

  await page.getByRole('button', { name: 'Reset…' }).click();
  await dialog.getByRole('button', { name: 'Reset generation' }).click();
  await expect(page.getByTestId('action-notice')).toHaveText('Sora generation reset successfully. You can now retry.');
  await expectBadge(page, 'Not started');
  await expect(page.getByTestId('timeline')).toContainText('Reset');
  await snapshot(page, testInfo, 'video-reset');
  // Back to real time, so the next attempt is not judged by the skipped minutes.
  await page.clock.setSystemTime(new Date());

  // Retry starts a second attempt of the same video.
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(statusBadge(page)).toHaveText(/Queued|Generating/);
  await expect(page.getByTestId('attempts').getByRole('listitem')).toHaveCount(2);
  await expect(page.getByTestId('attempts')).toContainText('Attempt 2');
  await expect(progressBar(page)).toHaveAttribute('aria-valuenow', '40', { timeout: 20_000 });
  await snapshot(page, testInfo, 'video-retried');

  // Stuck again: Retry straight away resets and starts over, after confirming.
  await page.clock.fastForward('02:00');
  await expect(page.getByTestId('stuck-notice')).toBeVisible();
  await page.getByRole('button', { name: 'Retry' }).click();
  const retryDialog = page.getByRole('dialog', { name: 'Reset and retry this generation?' });
  await retryDialog.getByRole('button', { name: 'Reset and retry' }).click();
  await expect(retryDialog).toBeHidden();
  await page.clock.setSystemTime(new Date());
  await expect(page.getByTestId('attempts').getByRole('listitem')).toHaveCount(3);
  await expect(page.getByTestId('stuck-notice')).toHaveCount(0);

  // The third attempt completes: the video plays.
  await expectBadge(page, 'Ready', 45_000);
  const player = page.locator('video');
  await expect(player).toBeVisible();
  await expect.poll(() => player.evaluate((element: HTMLVideoElement) => element.duration), { timeout: 15_000 }).toBeGreaterThan(0);
  await snapshot(page, testInfo, 'video-retried-to-completion');

  const history = await trpcQuery<{ attempts: { attempt: number; status: string }[] }>(request, 'sora.history', { videoId: video.id });
  expect(history.attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
    [3, 'completed'],
    [2, 'failed'],
    [1, 'failed'],
  ]);
});
