import { expect, test } from '@playwright/test';
import { snapshot } from './support/pages';
import { PASSWORD, USERS } from './support/users';

test('a signed-out visitor is sent to sign in, and comes back where they were going', async ({ page }, testInfo) => {
  await page.goto('/new');
  await expect(page).toHaveURL('/sign-in?next=%2Fnew');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // The simulator notice is visible to everyone, signed in or not.
  await expect(page.getByRole('status').filter({ hasText: 'Simulated provider' })).toBeVisible();
  await snapshot(page, testInfo, 'sign-in');

  await page.getByLabel('Email').fill(USERS.alice.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Invalid email or password');
  await snapshot(page, testInfo, 'sign-in-error');

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/new');
  await expect(page.getByRole('heading', { name: 'New video' })).toBeVisible();

  // Signed out: the app is closed again, a reload included.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/sign-in');
  await page.goto('/');
  await expect(page).toHaveURL('/sign-in');
  const me = await page.request.get('/trpc/me.get');
  expect(((await me.json()) as { result: { data: unknown } }).result.data).toBeNull();
});

test('sign-up explains a bad password next to the field', async ({ page }, testInfo) => {
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL('/sign-up');
  await page.getByLabel('Name').fill('Short Password');
  await page.getByLabel('Email').fill('short@example.com');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  const password = page.getByLabel('Password');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription(/Password too short/);
  await expect(password).toBeFocused();
  await snapshot(page, testInfo, 'sign-up-error');
});
