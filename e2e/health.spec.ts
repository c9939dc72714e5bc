import { expect, test } from '@playwright/test';
import { snapshot } from './support/pages';
import { storageStatePath } from './support/users';

test('signed out, the status page says only ready or not, and that the provider is simulated', async ({ page }) => {
  await page.goto('/status');
  await expect(page.getByRole('heading', { name: 'Server health' })).toBeVisible();
  await expect(page.getByTestId('health-status')).toHaveText('All systems ready');
  await expect(page.getByTestId('health-details-hint')).toContainText('Sign in to see the database, provider and version.');
  await expect(page.getByTestId('health-database')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Simulated provider' })).toBeVisible();
});

test.describe('signed in', () => {
  test.use({ storageState: storageStatePath('alice') });

  test('the status page shows the server health with the simulated provider', async ({ page }, testInfo) => {
    await page.goto('/status');
    await expect(page.getByRole('link', { name: 'Sora Monitor' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Server status', level: 1 })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Server health' })).toBeVisible();
    await expect(page.getByTestId('health-status')).toHaveText('All systems ready');
    await expect(page.getByTestId('health-database')).toContainText('Embedded PGlite');
    await expect(page.getByTestId('health-provider')).toHaveText('Built-in simulator');
    await expect(page.getByRole('status').filter({ hasText: 'Simulated provider' })).toBeVisible();
    await snapshot(page, testInfo, 'health');
  });
});

test('a client-side route survives a reload (served index.html), while unknown API paths stay JSON 404s', async ({
  page,
  request,
}) => {
  const response = await page.goto('/videos/does-not-exist');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('link', { name: 'Sora Monitor' })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fvideos%2Fdoes-not-exist$/);

  const api = await request.get('/api/nothing-here');
  expect(api.status()).toBe(404);
  expect(await api.json()).toMatchObject({ error: 'not_found' });
});
