import { expect, test } from '@playwright/test';
import { startVideo } from './support/api';
import { expectBadge, expectNoHorizontalOverflow, snapshot } from './support/pages';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('alice') });

test('every page fits a phone screen', async ({ page, request }, testInfo) => {
  const video = await startVideo(request, { title: 'On a phone', prompt: 'A paper plane over rooftops' });

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'My videos' })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await snapshot(page, testInfo, 'phone-videos');

  await page.goto('/new');
  await expect(page.getByRole('heading', { name: 'New video' })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await snapshot(page, testInfo, 'phone-new-video');

  await page.goto(`/videos/${video.id}`);
  await expectBadge(page, 'Ready');
  await expect(page.getByTestId('video-player')).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await snapshot(page, testInfo, 'phone-video');
});
