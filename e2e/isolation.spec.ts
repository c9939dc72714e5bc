import { expect, test } from '@playwright/test';
import { startVideo } from './support/api';
import { snapshot } from './support/pages';
import { storageStatePath } from './support/users';

test("a second user can neither see nor open the first user's video", async ({ browser }, testInfo) => {
  const aliceContext = await browser.newContext({ storageState: storageStatePath('alice') });
  const alice = await aliceContext.newPage();
  const video = await startVideo(alice.request, { title: 'Alice private clip', prompt: 'A private garden at dawn' });
  await alice.goto(`/videos/${video.id}`);
  await expect(alice.getByRole('heading', { name: 'Alice private clip' })).toBeVisible();
  await expect(alice.locator('.video-header').getByTestId('status-badge')).toHaveText('Ready', { timeout: 30_000 });

  const bobContext = await browser.newContext({ storageState: storageStatePath('bob') });
  const bob = await bobContext.newPage();
  await bob.goto('/');
  await expect(bob.getByRole('heading', { name: 'My videos' })).toBeVisible();
  // Bob has nothing yet: the empty state invites his first generation, and Alice's video is not there.
  await expect(bob.getByTestId('empty-state')).toContainText('No videos yet');
  await expect(bob.getByRole('link', { name: 'Generate your first video' })).toBeVisible();
  await expect(bob.getByText('Alice private clip')).toHaveCount(0);
  await snapshot(bob, testInfo, 'videos-empty');

  // By URL: exactly like a video that does not exist.
  await bob.goto(`/videos/${video.id}`);
  await expect(bob.getByRole('heading', { name: 'Video not found' })).toBeVisible();
  await expect(bob.getByText('Alice private clip')).toHaveCount(0);
  await snapshot(bob, testInfo, 'video-not-found');
  await bob.goto('/videos/00000000-0000-4000-8000-000000000000');
  await expect(bob.getByRole('heading', { name: 'Video not found' })).toBeVisible();

  // Nor its file.
  expect((await bob.request.get(`/api/videos/${video.id}/content`)).status()).toBe(404);
  expect((await alice.request.get(`/api/videos/${video.id}/content`)).status()).toBe(200);

  await aliceContext.close();
  await bobContext.close();
});
