import { expect, test, type Page } from '@playwright/test';
import { startVideo } from './support/api';
import { expectBadge, snapshot, statusBadge } from './support/pages';
import { downloadedVideo, playedVideo } from './support/player';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('alice') });
// Each test follows a video of its own: they run side by side, on different workers.
test.describe.configure({ mode: 'parallel' });

// The simulator serves each job the clip of its size and length, and marks a derived video's file with
// "sora-simulator <kind> of <source job>", so what the browser plays and downloads tells a derived video apart.

/** Opens a finished 4 s sora-2 portrait video's page and reads what its owner can see of it. */
async function openFinishedSource(page: Page, request: Parameters<typeof startVideo>[0], title: string, prompt: string) {
  const source = await startVideo(request, { title, prompt, model: 'sora-2', size: '720x1280', seconds: 4 });
  await page.goto(`/videos/${source.id}`);
  await expectBadge(page, 'Ready');
  const jobId = (await page.getByTestId('attempts').locator('.job-id').first().textContent()) ?? '';
  expect(jobId).not.toBe('');
  return { ...source, url: page.url(), jobId, played: await playedVideo(page), bytes: await downloadedVideo(page) };
}

function deriveForm(page: Page, name: 'Extend' | 'Edit') {
  return page.getByRole('form', { name });
}

test('extend: the price of the whole length shows first, and the longer video it makes links back to its source', async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const source = await openFinishedSource(page, request, 'Rocks at low tide', 'Rocks at low tide, seen from a cliff');
  expect(source.played.duration).toBeCloseTo(4, 0);

  await page.getByTestId('derive-actions').getByRole('button', { name: 'Extend' }).click();
  const form = deriveForm(page, 'Extend');
  const estimate = form.getByTestId('cost-estimate');
  // Priced before anything starts: the source's 4 s plus the new footage, at sora-2's $0.10 a second.
  await expect(estimate.locator('.estimate-value')).toHaveText('$0.80');
  await expect(estimate.getByTestId('cost-breakdown')).toHaveText("8 s × $0.10 per second (sora-2, 720 × 1280): this video's 4 s and 4 s of new footage");
  await form.getByRole('radio', { name: '8 seconds' }).check();
  await expect(estimate.locator('.estimate-value')).toHaveText('$1.20');
  await expect(estimate.getByTestId('cost-breakdown')).toHaveText("12 s × $0.10 per second (sora-2, 720 × 1280): this video's 4 s and 8 s of new footage");
  await expect(estimate.getByTestId('spend-today')).toHaveText(/^Today: \$\d+\.\d{2} of your \$50\.00 daily limit used \(\$\d+\.\d{2} left\)\.$/);

  // An empty prompt is refused next to the field, and nothing starts.
  await form.getByRole('button', { name: 'Start extension' }).click();
  await expect(form.getByLabel('New prompt')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('New prompt')).toHaveAccessibleDescription('Prompt must not be empty.');
  await expect(page).toHaveURL(source.url);

  await form.getByLabel('New prompt').fill('The tide comes in and covers the rocks');
  await snapshot(page, testInfo, 'extend-form');
  await form.getByRole('button', { name: 'Start extension' }).click();

  // The new video's page: linked to its source, 12 s long, generated and stored like any video.
  await expect(page).not.toHaveURL(source.url);
  await expect(page.getByRole('heading', { name: 'The tide comes in and covers the rocks', level: 1 })).toBeVisible();
  await expect(page.getByTestId('made-from')).toHaveText('Extension of “Rocks at low tide” (+8 s).');
  await expect(page.locator('.video-header')).toContainText('sora-2 · 720 × 1280 · 12 s');
  await expectBadge(page, 'Ready');
  await expect(page.getByTestId('video-cost')).toHaveText('$1.20');
  const jobId = await page.getByTestId('attempts').locator('.job-id').first().textContent();
  expect(jobId).not.toBe(source.jobId);

  // What plays is the longer clip, in the source's picture size; what downloads is the extension of the source's job.
  const played = await playedVideo(page);
  expect(played.duration).toBeCloseTo(12, 0);
  expect({ width: played.width, height: played.height }).toEqual({ width: source.played.width, height: source.played.height });
  const bytes = await downloadedVideo(page);
  expect(bytes.equals(source.bytes)).toBe(false);
  expect(bytes.includes(`sora-simulator extension of ${source.jobId}`)).toBe(true);
  await snapshot(page, testInfo, 'extension-ready');

  // The source lists it among what was made from it.
  await page.getByTestId('made-from').getByRole('link', { name: '“Rocks at low tide”' }).click();
  await expect(page).toHaveURL(source.url);
  await expect(page.getByTestId('made-into').getByRole('listitem')).toHaveText(['The tide comes in and covers the rocks (extend)']);
});

test('edit: the price shows first, and the edited video keeps the source length, links back and differs from it', async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const source = await openFinishedSource(page, request, 'Street market', 'A busy street market at noon');

  await page.getByTestId('derive-actions').getByRole('button', { name: 'Edit' }).click();
  const form = deriveForm(page, 'Edit');
  const estimate = form.getByTestId('cost-estimate');
  await expect(estimate.locator('.estimate-value')).toHaveText('$0.40');
  await expect(estimate.getByTestId('cost-breakdown')).toHaveText('4 s × $0.10 per second (sora-2, 720 × 1280)');
  // An edit adds no footage, so there is no length to choose.
  await expect(form.getByRole('radio')).toHaveCount(0);
  await form.getByLabel('New prompt').fill('The same market in the rain, umbrellas everywhere');
  await snapshot(page, testInfo, 'edit-form');
  await form.getByRole('button', { name: 'Start edit' }).click();

  await expect(page).not.toHaveURL(source.url);
  await expect(page.getByRole('heading', { name: 'The same market in the rain, umbrellas everywhere', level: 1 })).toBeVisible();
  await expect(page.getByTestId('made-from')).toHaveText('Edit of “Street market”.');
  await expect(page.locator('.video-header')).toContainText('sora-2 · 720 × 1280 · 4 s');
  await expectBadge(page, 'Ready');
  await expect(page.getByTestId('video-cost')).toHaveText('$0.40');

  // Same length and picture as the source; the file is the source's clip carrying the edit's mark.
  const played = await playedVideo(page);
  expect(played).toEqual(source.played);
  const bytes = await downloadedVideo(page);
  expect(bytes.equals(source.bytes)).toBe(false);
  expect(bytes.subarray(0, source.bytes.length).equals(source.bytes)).toBe(true);
  expect(bytes.includes(`sora-simulator edit of ${source.jobId}`)).toBe(true);
  await snapshot(page, testInfo, 'edit-ready');

  await page.getByTestId('made-from').getByRole('link', { name: '“Street market”' }).click();
  await expect(page.getByTestId('made-into').getByRole('listitem')).toHaveText(['The same market in the rain, umbrellas everywhere (edit)']);
  await page.getByRole('link', { name: 'See all videos made from this one' }).click();
  await expect(page.getByRole('list', { name: 'Videos' }).getByRole('listitem')).toHaveCount(1);
});

test('nothing is offered for a video that is still generating, or whose model the upstream cannot extend or edit', async ({ page, request }) => {
  // Only a completed video can be remixed, extended or edited: while it generates the actions are not there.
  const running = await startVideo(request, { title: 'Slow clip', prompt: 'A glacier calving [sim:duration=60000]', model: 'sora-2', size: '720x1280', seconds: 4 });
  await page.goto(`/videos/${running.id}`);
  await expect(statusBadge(page)).toHaveText(/^(Queued|Generating)$/);
  await expect(page.getByTestId('lineage')).toBeVisible();
  await expect(page.getByTestId('derive-actions')).toHaveCount(0);

  // veo-3 is offered by name (VIDEO_MODELS) with no catalog entry saying it supports remix, extend or edit.
  const video = await startVideo(request, { title: 'Veo clip', prompt: 'A kite over a beach', model: 'veo-3', size: '720x1280', seconds: 4 });
  await page.goto(`/videos/${video.id}`);
  await expectBadge(page, 'Ready');
  await expect(page.getByTestId('video-player')).toBeVisible();
  await expect(page.getByTestId('derive-actions')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^(Remix|Extend|Edit)$/ })).toHaveCount(0);
});
