import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { createVideo, startVideo, trpcQuery } from './support/api';
import { startOwnServer, type OwnServer } from './support/own-server';
import { snapshot } from './support/pages';
import { PASSWORD } from './support/users';

// Several videos picked in "My videos" (checkboxes, by mouse and keyboard) and retried, reset or deleted in one go,
// each under the rules of its single-video action, with one summary of what was done and what was refused and why.
// Its own server and a fresh account, so "select all" picks exactly this spec's videos.

let server: OwnServer;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startOwnServer({ SIM_GENERATION_MS: '2000' });
});
test.afterAll(() => server?.close());

const cards = (page: Page) => page.getByTestId('video-card');
const checkbox = (page: Page, title: string) => page.getByRole('checkbox', { name: `Select “${title}”` });

async function waitForStatus(request: APIRequestContext, videoId: string, status: string) {
  await expect
    .poll(async () => (await trpcQuery<{ status: string }>(request, 'sora.status', { videoId })).status, { timeout: 30_000 })
    .toBe(status);
}

test('pick several videos, retry, delete and reset them in one go, with one summary naming each refusal', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  const signUp = await page.request.post('/api/auth/sign-up/email', { data: { name: 'Bea Example', email: 'bea@example.com', password: PASSWORD } });
  expect(signUp.ok(), await signUp.text()).toBe(true);
  const blocked = [
    await startVideo(page.request, { title: 'Lighthouse', prompt: 'A lighthouse [sim:fail=moderation_blocked] [sim:duration=600]' }),
    await startVideo(page.request, { title: 'Harbour', prompt: 'A harbour [sim:fail=moderation_blocked] [sim:duration=600]' }),
  ];
  await startVideo(page.request, { title: 'Cat video', prompt: 'A cat chasing a ball of wool [sim:duration=120000]' });
  await createVideo(page.request, { title: 'Draft', prompt: 'Not started yet' });
  for (const video of blocked) await waitForStatus(page.request, video.id, 'failed');

  await page.goto('/');
  await expect(cards(page)).toHaveCount(4);
  const bar = page.getByRole('group', { name: 'Act on several videos' });
  await expect(bar.getByRole('button', { name: 'Retry' })).toBeDisabled();

  // By keyboard: tab to a card's checkbox and press Space; the others by mouse.
  await checkbox(page, 'Lighthouse').focus();
  await page.keyboard.press('Space');
  await expect(checkbox(page, 'Lighthouse')).toBeChecked();
  await checkbox(page, 'Harbour').check();
  await checkbox(page, 'Cat video').check();
  await expect(bar).toContainText('3 selected');
  await expect(bar.getByRole('checkbox', { name: 'Select all on this page' })).toHaveJSProperty('indeterminate', true);

  await bar.getByRole('button', { name: 'Retry' }).click();
  const summary = page.getByTestId('bulk-summary');
  await expect(summary).toContainText('2 retried; 1 refused:');
  await expect(summary.getByRole('listitem')).toHaveText(['“Cat video”: A generation is already in progress for this video.']);
  await snapshot(page, testInfo, 'bulk-retry-summary');
  // The videos stay picked for a next step; the retried ones each got a second attempt.
  await expect(bar).toContainText('3 selected');
  for (const video of blocked) {
    const history = await trpcQuery<{ attempts: unknown[] }>(page.request, 'sora.history', { videoId: video.id });
    expect(history.attempts).toHaveLength(2);
  }

  // Delete asks first; a video still generating is refused, the draft goes.
  await checkbox(page, 'Lighthouse').uncheck();
  await checkbox(page, 'Harbour').uncheck();
  await checkbox(page, 'Draft').check();
  await expect(bar).toContainText('2 selected');
  await bar.getByRole('button', { name: 'Delete…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete 2 videos?' });
  await expect(dialog).toBeVisible();
  await snapshot(page, testInfo, 'bulk-delete-confirm');
  await dialog.getByRole('button', { name: 'Delete 2 videos' }).click();
  await expect(dialog).toBeHidden();
  await expect(summary).toContainText('1 deleted; 1 refused:');
  await expect(summary.getByRole('listitem')).toHaveText(['“Cat video”: This video is still generating. Reset it first, then delete it.']);
  await expect(cards(page)).toHaveCount(3);
  await expect(cards(page).filter({ hasText: 'Draft' })).toHaveCount(0);

  // As the message says: reset it, then delete it (the deleted draft left the selection).
  await expect(bar).toContainText('1 selected');
  await expect(checkbox(page, 'Cat video')).toBeChecked();
  await bar.getByRole('button', { name: 'Reset' }).click();
  await expect(summary).toHaveText('1 reset.');
  await bar.getByRole('button', { name: 'Delete…' }).click();
  await page.getByRole('dialog', { name: 'Delete this video?' }).getByRole('button', { name: 'Delete video' }).click();
  await expect(summary).toHaveText('1 deleted.');
  await expect(cards(page)).toHaveCount(2);

  // Select all on this page picks every card shown, and unpicks them again.
  const selectAll = bar.getByRole('checkbox', { name: 'Select all on this page' });
  await selectAll.focus();
  await page.keyboard.press('Space');
  await expect(bar).toContainText('2 selected');
  await expect(checkbox(page, 'Lighthouse')).toBeChecked();
  await expect(checkbox(page, 'Harbour')).toBeChecked();
  await selectAll.uncheck();
  await expect(bar).toContainText('0 selected');
  await snapshot(page, testInfo, 'bulk-after');
  await context.close();
});
