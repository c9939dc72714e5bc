import { expect, test } from '@playwright/test';
import { startVideo } from './support/api';
import { expectBadge, progressBar, progressValue, snapshot } from './support/pages';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('alice') });

test('queued, then in progress: the bar and the time remaining move without a reload', async ({ page, request }, testInfo) => {
  const video = await startVideo(request, { title: 'Long take', prompt: 'A slow dolly shot through a greenhouse [sim:duration=40000]' });
  await page.goto(`/videos/${video.id}`);

  // Queued: 0%, waiting, and no made-up estimate.
  await expectBadge(page, 'Queued');
  const bar = progressBar(page);
  await expect(bar).toHaveAttribute('aria-valuenow', '0');
  await expect(page.getByTestId('status-message')).toHaveText('Your video is queued and will start shortly.');
  await expect(page.getByTestId('steps').locator('[data-step="queued"]')).toHaveAttribute('data-state', 'current');
  await snapshot(page, testInfo, 'video-queued');

  // In progress: the bar fills, the estimate appears, and both keep moving.
  await expectBadge(page, 'Generating');
  await expect.poll(() => progressValue(bar), { timeout: 20_000 }).toBeGreaterThan(0);
  const first = await progressValue(bar);
  await expect(page.getByTestId('progress-percent')).toHaveText(`${first}%`);
  const remaining = page.getByTestId('time-remaining');
  await expect(remaining).toHaveText(/left$/);
  await expect(remaining).toHaveAttribute('data-remaining-ms', /^\d+$/);
  const firstRemaining = Number(await remaining.getAttribute('data-remaining-ms'));
  await expect(bar).toHaveAttribute('aria-valuetext', new RegExp(`^${first}%, .+ left$`));
  await expect(page.getByTestId('steps').locator('[data-step="generating"]')).toHaveAttribute('data-state', 'current');
  await snapshot(page, testInfo, 'video-in-progress');

  await expect.poll(() => progressValue(bar), { timeout: 20_000 }).toBeGreaterThan(first);
  await expect.poll(async () => Number(await remaining.getAttribute('data-remaining-ms'))).toBeLessThan(firstRemaining);
  // A stuck-looking generation is not what this is: no reset on offer.
  await expect(page.getByRole('button', { name: /Reset/ })).toHaveCount(0);
});

test('a failed generation explains itself and what to try', async ({ page, request }, testInfo) => {
  const video = await startVideo(request, { title: 'Blocked', prompt: 'A crowded street [sim:fail=moderation_blocked]' });
  await page.goto(`/videos/${video.id}`);
  await expectBadge(page, 'Failed');

  const help = page.getByTestId('failure-help');
  await expect(help.getByRole('heading', { name: 'Blocked by the content policy' })).toBeVisible();
  await expect(help.getByTestId('failure-message')).toHaveText('Your request was blocked by our moderation system.');
  await expect(help).toContainText("The video service's safety system refused the prompt");
  await expect(help).toContainText('What to try');
  await expect(help).toContainText('Rephrase the prompt');
  // The step where it failed (as far as the checks saw it) is marked, with its time.
  const failedStep = page.getByTestId('steps').locator('[data-state="failed"]');
  await expect(failedStep).toHaveCount(1);
  await expect(failedStep).toContainText(/Failed while (queued|generating)/);
  await expect(failedStep.locator('time')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reset…' })).toBeVisible();
  await expect(page.getByTestId('timeline')).toContainText(/(Queued|Generating) → Failed/);
  await snapshot(page, testInfo, 'video-failed');
});

test('an expired job (404 upstream) says "Job not found - may have expired"', async ({ page, request }, testInfo) => {
  const video = await startVideo(request, { title: 'Expired', prompt: 'A lighthouse at night [sim:expire-after=1] [sim:duration=20000]' });
  await page.goto(`/videos/${video.id}`);
  await expectBadge(page, 'Failed');
  await expect(page.getByTestId('failure-message')).toHaveText('Job not found - may have expired');
  await expect(page.getByTestId('failure-help').getByRole('heading', { name: 'The job is gone' })).toBeVisible();
  await expect(page.getByTestId('failure-help')).toContainText('Retry the generation to start a new job.');
  await snapshot(page, testInfo, 'video-expired');
});

test('the provider being unavailable (503) is shown as temporary, and the video still completes', async ({ page, request }, testInfo) => {
  const video = await startVideo(request, { title: 'Flapping', prompt: 'Waves on a pier [sim:flap-503]' });
  await page.goto(`/videos/${video.id}`);

  const temporary = page.getByTestId('temporary-notice');
  await expect(temporary).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('status-message')).toContainText('temporarily unavailable');
  // A temporary condition, not an error: a polite status, no alert, no failure.
  await expect(page.getByTestId('status-message')).toHaveRole('status');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('failure-help')).toHaveCount(0);
  await snapshot(page, testInfo, 'video-temporarily-unavailable');

  await expectBadge(page, 'Ready', 45_000);
  await expect(temporary).toHaveCount(0);
});
