import { expect, test } from '@playwright/test';
import { expectBadge, snapshot } from './support/pages';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('alice') });

test('keyboard only: from the list to a new video and its page', async ({ page }, testInfo) => {
  await page.goto('/');
  // The skip link comes first and lands on the content (Tab once the app has drawn it: before, focus has nowhere to go).
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeAttached();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();

  await page.goto('/new');
  await page.getByLabel('Prompt').focus();
  await page.keyboard.type('A hummingbird hovering over a red flower, macro');
  // Tab to the model radios and pick sora-2-pro with the arrow keys.
  await page.getByRole('radio', { name: /^sora-2 / }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: /sora-2-pro/ })).toBeChecked();
  await expect(page.getByTestId('cost-estimate')).toContainText('$1.20');
  await page.getByRole('radio', { name: /sora-2-pro/ }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('radio', { name: /720 × 1280/ })).toBeFocused();
  await page.getByRole('button', { name: 'Start generation' }).focus();
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/videos\/[0-9a-f-]{36}$/);
  // Focus moves to the new page's heading, as a page load would.
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await expectBadge(page, 'Ready');
  await snapshot(page, testInfo, 'keyboard-video');
});
