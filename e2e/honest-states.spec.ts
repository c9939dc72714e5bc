import { expect, test } from '@playwright/test';
import { startVideo, trpcQuery } from './support/api';
import { expectBadge, progressBar, progressValue, snapshot } from './support/pages';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('alice') });
// Each test follows a video of its own: they run side by side, on different workers.
test.describe.configure({ mode: 'parallel' });

interface StatusView {
  status: string;
  autoRetryAt: string | null;
}

test('a failure that will be retried automatically says so, counts down, and can be retried now', async ({ page, request }, testInfo) => {
  const video = await startVideo(request, { title: 'Retried', prompt: 'A lighthouse in fog [sim:fail=internal_error] [sim:faults-for=1]' });
  await page.goto(`/videos/${video.id}`);

  // Not a final failure: the badge, a countdown that moves, the attempt it will be.
  await expectBadge(page, 'Retrying soon');
  const countdown = page.getByTestId('auto-retry-countdown');
  await expect(countdown).toHaveText(/^Retrying automatically in \d+ s \(attempt 2 of 3\)$/);
  const first = Number(await countdown.getAttribute('data-seconds-left'));
  await expect.poll(async () => Number(await countdown.getAttribute('data-seconds-left'))).toBeLessThan(first);
  await expect(page.getByTestId('failure-help')).not.toContainText('may also be retried automatically');
  // (Retry shows its price: "Retry · $0.40".)
  await expect(page.getByRole('button', { name: /^Retry( ·|$)/ })).toHaveCount(0);
  await snapshot(page, testInfo, 'video-retrying-automatically');

  // Retry now: attempt 2 starts at once (the fault was for the first attempt only) and finishes.
  await page.getByRole('button', { name: 'Retry now' }).click();
  await expectBadge(page, 'Ready', 45_000);
  await expect(page.getByTestId('attempts').getByRole('listitem')).toHaveCount(2);
  await expect(page.getByTestId('auto-retry')).toHaveCount(0);
});

test('the automatic retry can be cancelled: the failure then stays, with Retry on offer', async ({ page, request }) => {
  const video = await startVideo(request, { title: 'Not again', prompt: 'A kite over dunes [sim:fail=internal_error] [sim:faults-for=1]' });
  await page.goto(`/videos/${video.id}`);
  await expect(page.getByTestId('auto-retry-countdown')).toBeVisible({ timeout: 30_000 });

  await page.getByRole('button', { name: 'Cancel automatic retry' }).click();
  await expectBadge(page, 'Failed');
  await expect(page.getByTestId('auto-retry')).toHaveCount(0);
  await expect(page.getByTestId('action-notice')).toHaveText('Automatic retry cancelled. Retry whenever you like.');
  await expect(page.getByRole('button', { name: /^Retry · \$\d+\.\d\d$/ })).toBeVisible();
  await expect(page.getByTestId('timeline')).toContainText('Automatic retry cancelled by you');
  const status = await trpcQuery<StatusView>(request, 'sora.status', { videoId: video.id });
  expect(status).toMatchObject({ status: 'failed', autoRetryAt: null });
});

test('time left is in seconds when it is that close, and a stalled generation gets no estimate', async ({ page, request }) => {
  const moving = await startVideo(request, { title: 'Close', prompt: 'A spinning top [sim:duration=30000]' });
  await page.goto(`/videos/${moving.id}`);
  await expectBadge(page, 'Generating');
  const remaining = page.getByTestId('time-remaining');
  await expect(remaining).toHaveText(/^(about \d+ s|a few seconds) left$/, { timeout: 30_000 });
  await expect(page.getByText('less than a minute left')).toHaveCount(0);

  const stuck = await startVideo(request, { title: 'Stalled', prompt: 'A frozen river [sim:stuck=40] [sim:duration=6000]' });
  await page.goto(`/videos/${stuck.id}`);
  const bar = progressBar(page);
  await expect.poll(() => progressValue(bar), { timeout: 20_000 }).toBe(40);
  // Well before the one-minute stuck notice: the estimate is withdrawn once nothing moves.
  await expect(remaining).toHaveText('no estimate while nothing moves', { timeout: 20_000 });
  await expect(page.getByTestId('stuck-notice')).toHaveCount(0);
});

test('a slow download shows the Downloading step with bytes and a bar', async ({ page, request }) => {
  const video = await startVideo(request, { title: 'Big file', prompt: 'A waterfall [sim:slow-download=10000]' });
  await page.goto(`/videos/${video.id}`);
  await expectBadge(page, 'Downloading', 30_000);
  await expect(page.getByTestId('steps').locator('[data-step="downloading"]')).toHaveAttribute('data-state', 'current');
  const download = page.getByTestId('download-progress');
  await expect(download).toContainText(/Downloading the finished video: [\d.]+ KB of [\d.]+ KB/);
  await expect.poll(async () => Number(await download.getAttribute('data-bytes'))).toBeGreaterThan(0);
  await expect(page.getByRole('progressbar', { name: 'Download progress' })).toBeVisible();
  await expectBadge(page, 'Ready', 30_000);
  // The log stays readable: the download's progress is on the step, not one row per record.
  await expect(page.getByTestId('timeline')).not.toContainText('Storing the finished video');
});

test('the download bar moves even when the live stream is blocked (a proxy that holds SSE back)', async ({ page, request }) => {
  await page.route((url) => url.pathname.includes('sora.onUpdate'), (route) => route.abort());
  const video = await startVideo(request, { title: 'Behind a proxy', prompt: 'A canyon at noon [sim:slow-download=12000]' });
  await page.goto(`/videos/${video.id}`);
  await expectBadge(page, 'Downloading', 30_000);
  const download = page.getByTestId('download-progress');
  // Two different byte counts, each from the history asked for on the poll's interval while the step is current.
  const first = await expect.poll(async () => Number(await download.getAttribute('data-bytes'))).toBeGreaterThan(0).then(
    async () => Number(await download.getAttribute('data-bytes')),
  );
  await expect.poll(async () => Number(await download.getAttribute('data-bytes'))).toBeGreaterThan(first);
  await expectBadge(page, 'Ready', 30_000);
});

test('a finished video: no refusal nobody asked for, truthful actors, run facts, a clean file name', async ({ page, request }) => {
  const video = await startVideo(request, { title: 'A paper boat on a stormy sea at night, lit by…', prompt: 'A paper boat [sim:429-burst=2]' });
  await page.goto(`/videos/${video.id}`);
  await expectBadge(page, 'Ready', 45_000);

  await expect(page.getByTestId('reset-unavailable')).toHaveCount(0);
  await expect(page.getByText(/Reset is not offered|Cannot reset completed/)).toHaveCount(0);

  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText(/Generation requested Not started → Queued by you/);
  await expect(timeline).toContainText(/Generating → Ready by background check|Generating → Ready by provider notification/);
  // Only what the owner did is "you": checks made while the page was open are background checks.
  for (const row of await timeline.locator('.timeline-item').all()) {
    const title = (await row.locator('.timeline-title').textContent()) ?? '';
    if (/^(Progress|Status changed|Temporary problem)/.test(title)) expect(title).not.toContain('by you');
  }
  // The 429s it went through, with their times.
  await expect(timeline).toContainText('The video service asked us to slow down (429)');
  // The provider's own answer, collapsed, for support.
  const answer = timeline.getByTestId('provider-answer').first();
  await expect(answer.locator('pre')).toBeHidden();
  await answer.getByText('Provider answer').click();
  await expect(answer.locator('pre')).toContainText('"status": "completed"');
  // To the second.
  await expect(timeline.locator('time').first()).toHaveText(/\d{1,2}:\d{2}:\d{2}/);

  await expect(page.getByTestId('run-facts')).toHaveText(/^Generated in \d+ s · \d+ s queued$/);

  const link = page.getByTestId('download-link');
  await expect(link).toHaveAttribute('download', `a-paper-boat-on-a-stormy-sea-at-night-${video.id}.mp4`);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe(`a-paper-boat-on-a-stormy-sea-at-night-${video.id}.mp4`);
});

test('a failure 60% of the way through says it failed while generating', async ({ page, request }) => {
  const video = await startVideo(request, { title: 'Late failure', prompt: 'A glacier [sim:fail=moderation_blocked] [sim:duration=1500]' });
  await page.goto(`/videos/${video.id}`);
  await expectBadge(page, 'Failed');
  const failedStep = page.getByTestId('steps').locator('[data-state="failed"]');
  await expect(failedStep).toHaveAttribute('data-step', 'generating');
  await expect(failedStep).toContainText('Failed while generating');
});
