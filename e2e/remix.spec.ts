import { expect, test } from '@playwright/test';
import { makePng } from '../packages/core/src/testing/images';
import { expectBadge, snapshot } from './support/pages';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('alice') });

test('image reference and remix: the picker checks the image, the video starts from it, a remix links both ways', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await page.goto('/new');
  await page.getByLabel('Prompt').fill('A lighthouse waking up at dawn');
  await page.getByLabel('Title').fill('Lighthouse from a photo');
  const picker = page.getByLabel(/Reference image/);

  // A landscape image for a portrait video is refused next to the field, before anything is sent.
  await picker.setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: makePng(1280, 720) });
  await expect(picker).toHaveAttribute('aria-invalid', 'true');
  await expect(picker).toHaveAccessibleDescription(/The image is 1280x720; a 720x1280 video needs an image of exactly 720x1280 pixels\./);
  await picker.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') });
  await expect(picker).toHaveAccessibleDescription(/not a JPEG, PNG or WebP image/);

  await picker.setInputFiles({ name: 'frame.png', mimeType: 'image/png', buffer: makePng(720, 1280, { rgb: [200, 120, 40] }) });
  await expect(picker).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('img', { name: /Reference image frame\.png/ })).toBeVisible();
  await snapshot(page, testInfo, 'new-video-with-image');
  await page.getByRole('button', { name: 'Start generation' }).click();

  // The video page shows where it came from, with the stored image served back to its owner.
  await expect(page).toHaveURL(/\/videos\/[0-9a-f-]{36}$/);
  const sourceUrl = page.url();
  const lineage = page.getByTestId('lineage');
  await expect(lineage.getByTestId('made-from')).toHaveText('Generated from a prompt and a reference image.');
  const reference = lineage.getByRole('img', { name: 'Reference image this video starts from' });
  await expect.poll(() => reference.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(720);
  await expectBadge(page, 'Ready');

  // Remix / Extend / Edit are offered once it is complete; a remix is a new video that links back.
  const actions = page.getByTestId('derive-actions');
  await expect(actions.getByRole('button')).toHaveText(['Remix', 'Extend', 'Edit']);
  await actions.getByRole('button', { name: 'Remix' }).click();
  await page.getByLabel('New prompt').fill('The same lighthouse in a snowstorm');
  await snapshot(page, testInfo, 'remix-form');
  await page.getByRole('button', { name: 'Start remix' }).click();
  await expect(page).not.toHaveURL(sourceUrl);
  await expect(page.getByRole('heading', { name: 'The same lighthouse in a snowstorm', level: 1 })).toBeVisible();
  await expect(page.getByTestId('made-from')).toHaveText('Remix of “Lighthouse from a photo”.');
  await expectBadge(page, 'Ready');
  await expect(page.getByTestId('video-player')).toBeVisible();
  await snapshot(page, testInfo, 'remix-ready');

  // The source lists what was made from it, and the list filters to it.
  await page.getByTestId('made-from').getByRole('link').click();
  await expect(page.getByTestId('made-into')).toContainText('The same lighthouse in a snowstorm');
  await page.getByRole('link', { name: 'See all videos made from this one' }).click();
  await expect(page.getByTestId('source-filter')).toContainText('Made from “Lighthouse from a photo”');
  await expect(page.getByRole('list', { name: 'Videos' }).getByRole('listitem')).toHaveCount(1);
  await snapshot(page, testInfo, 'remixes-of');
});
