import { expect, test } from '@playwright/test';
import { startVideo } from './support/api';
import { expectBadge, progressBar, progressValue, snapshot } from './support/pages';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('alice') });
// Each test follows a video of its own: they run side by side, on different workers.
test.describe.configure({ mode: 'parallel' });

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
  await expect(page.getByRole('button', { name: 'Edit prompt and retry' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reset…' })).toBeVisible();
  await expect(page.getByTestId('timeline')).toContainText(/(Queued|Generating) → Failed/);
  await snapshot(page, testInfo, 'video-failed');
});

test('an expired job (404 upstream) says "Job not found - may have expired"', async ({ page, request }, testInfo) => {
  const video = await startVideo(request, { title: 'Expired', prompt: 'A lighthouse at night [sim:expire-after=1] [sim:duration=20000]' });
  await page.goto(`/videos/${video.id}`);
  // The job vanished before it produced a video, so a new attempt is planned automatically (a job that had finished
  // would not be). The seed's message stays.
  await expectBadge(page, 'Retrying soon');
  await expect(page.getByTestId('failure-message')).toHaveText('Job not found - may have expired');
  await expect(page.getByTestId('failure-help').getByRole('heading', { name: 'The job is gone' })).toBeVisible();
  await expect(page.getByTestId('failure-help')).toContainText('Retry the generation to start a new job.');
  await snapshot(page, testInfo, 'video-expired');
});

test('the provider being unavailable (503) is shown as temporary, and the video still completes', async ({ page, request }) => {
  // Every other upstream request answers 503 with a short retry-after, which is honoured as the next poll: the notice
  // can last less than one check of an expectation. So the page records what it showed the moment the notice appeared.
  await page.addInitScript(() => {
    const seen: Array<{ notice: string; message: string; role: string | null; alerts: number; failureHelp: number }> = [];
    Object.assign(window, { temporarySeen: seen });
    new MutationObserver(() => {
      const notice = document.querySelector('[data-testid="temporary-notice"]');
      if (!notice || seen.length > 0) return;
      const message = document.querySelector('[data-testid="status-message"]');
      seen.push({
        notice: notice.textContent ?? '',
        message: message?.textContent ?? '',
        role: message?.getAttribute('role') ?? null,
        alerts: document.querySelectorAll('[role="alert"]').length,
        failureHelp: document.querySelectorAll('[data-testid="failure-help"]').length,
      });
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const video = await startVideo(request, { title: 'Flapping', prompt: 'Waves on a pier [sim:flap-503]' });
  await page.goto(`/videos/${video.id}`);

  const seen = () => page.evaluate(() => (window as unknown as { temporarySeen: unknown[] }).temporarySeen);
  await expect.poll(async () => (await seen()).length, { timeout: 20_000 }).toBe(1);
  const [shown] = (await seen()) as Array<{ notice: string; message: string; role: string | null; alerts: number; failureHelp: number }>;
  expect(shown!.message).toContain('temporarily unavailable');
  // A temporary condition, not an error: a polite status, no alert, no failure.
  expect(shown).toMatchObject({ role: 'status', alerts: 0, failureHelp: 0 });

  await expectBadge(page, 'Ready', 45_000);
  await expect(page.getByTestId('temporary-notice')).toHaveCount(0);
});

test('a 429 is called a rate limit, says when the next check is, and the video still completes', async ({ page, request }) => {
  const video = await startVideo(request, { title: 'Slow down', prompt: 'A carousel at a fair [sim:429-burst=12]' });
  await page.goto(`/videos/${video.id}`);

  const temporary = page.getByTestId('temporary-notice');
  await expect(temporary).toHaveText('Rate limited', { timeout: 20_000 });
  await expect(page.getByTestId('status-message')).toContainText(
    /The video service asked us to slow down; (next check in \d+ s|checking again now)/,
  );
  await expect(page.getByRole('alert')).toHaveCount(0);

  await expectBadge(page, 'Ready', 45_000);
  await expect(temporary).toHaveCount(0);
});
