import { expect, test } from '@playwright/test';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('dana') });

test('API tokens: create one (shown once), use it as a Bearer token, revoke it', async ({ page, playwright, baseURL }) => {
  await page.goto('/tokens');
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();

  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByText('name must not be empty')).toBeVisible();

  await page.getByLabel('Name').fill('e2e CLI');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('token-value').textContent()) ?? '';
  expect(token.length).toBeGreaterThan(20);
  await expect(page.getByTestId('tokens')).toContainText('e2e CLI');

  // The token works on its own, as the CLI would send it: no cookies.
  const client = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const me = await client.get('/trpc/me.get');
  expect((await me.json()).result.data).toMatchObject({ via: 'token' });

  await page.getByRole('button', { name: 'Revoke e2e CLI' }).click();
  await expect(page.getByTestId('tokens')).toHaveCount(0);
  const after = await client.get('/trpc/me.get');
  expect((await after.json()).result.data).toBeNull();
  await client.dispose();
});
