import { expect, test, type Page } from '@playwright/test';
import { createVideo, startVideo } from './support/api';
import { startOwnServer, type OwnServer } from './support/own-server';
import { snapshot } from './support/pages';
import { PASSWORD } from './support/users';

// Search, sort and filters of "My videos", all kept in the URL (reload and back restore them), and the counts per
// status. Its own server and a fresh account, so the counts are exactly this spec's videos.

let server: OwnServer;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startOwnServer({});
});
test.afterAll(() => server?.close());

const cards = (page: Page) => page.getByTestId('video-card');
const titles = (page: Page) => cards(page).getByRole('heading').allTextContents();

test('search, sort and filter the list; the URL keeps them through reload and back', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  const signUp = await page.request.post('/api/auth/sign-up/email', {
    data: { name: 'Sam Example', email: 'sam@example.com', password: PASSWORD },
  });
  expect(signUp.ok(), await signUp.text()).toBe(true);
  await createVideo(page.request, { title: 'Harbour at night', prompt: 'Boats in a harbour at night', seconds: 4 });
  await startVideo(page.request, { title: 'Desert caravan', prompt: 'Camels crossing dunes', model: 'sora-2-pro', seconds: 8 });
  await createVideo(page.request, { title: 'Harbour lights', prompt: 'Lights on the water', seconds: 12 });
  await createVideo(page.request, { title: 'Forest path', prompt: 'A path past the old HARBOUR wall', seconds: 8 });

  await page.goto('/');
  const counts = page.getByRole('navigation', { name: 'Videos by status' });
  await expect(counts.getByRole('button', { name: 'Ready 1' })).toBeVisible({ timeout: 30_000 });
  await expect(counts.getByRole('button', { name: 'All 4' })).toHaveAttribute('aria-pressed', 'true');
  await expect(counts.getByRole('button', { name: 'Not started 3' })).toBeVisible();
  await expect(cards(page).filter({ hasText: 'Desert caravan' })).toContainText('$2.40'); // the cost on the card

  // Search matches title or prompt, in any case.
  await page.getByLabel('Search').fill('harbour');
  await expect(page).toHaveURL(/\?q=harbour$/);
  await expect.poll(() => titles(page)).toEqual(['Forest path', 'Harbour lights', 'Harbour at night']);

  await page.getByLabel('Sort').selectOption({ label: 'Longest' });
  await expect(page).toHaveURL(/\?q=harbour&sort=duration$/);
  await expect.poll(() => titles(page)).toEqual(['Harbour lights', 'Forest path', 'Harbour at night']);

  await page.reload();
  await expect(page.getByLabel('Search')).toHaveValue('harbour');
  await expect(page.getByLabel('Sort')).toHaveValue('duration:desc');
  await expect.poll(() => titles(page)).toEqual(['Harbour lights', 'Forest path', 'Harbour at night']);
  await snapshot(page, testInfo, 'videos-search-sorted');

  // Filters: the status counts narrow the list; so does the model.
  await counts.getByRole('button', { name: 'Not started 3' }).click();
  await expect(page).toHaveURL(/status=not_started/);
  await expect.poll(() => titles(page)).toEqual(['Harbour lights', 'Forest path', 'Harbour at night']);
  await page.getByLabel('Search').fill('');
  await expect(page).toHaveURL(/\?status=not_started&sort=duration$/);
  await page.getByLabel('Model').selectOption('sora-2-pro');
  await expect(page.getByTestId('empty-state')).toContainText('No videos match these filters');
  await counts.getByRole('button', { name: 'All 4' }).click();
  await expect(page).toHaveURL(/\?model=sora-2-pro&sort=duration$/);
  await expect.poll(() => titles(page)).toEqual(['Desert caravan']);

  // Back returns to the previous choice, list included.
  await page.goBack();
  await expect(page).toHaveURL(/\?status=not_started&model=sora-2-pro&sort=duration$/);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await page.getByRole('button', { name: 'Show all videos' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(cards(page)).toHaveCount(4);
  await context.close();
});
