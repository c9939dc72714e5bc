import { expect, test } from '@playwright/test';
import { snapshot } from './support/pages';
import { PASSWORD, USERS } from './support/users';

// A session of its own (signed in here, not the saved ones other specs share), since this test ends it.
test.use({ storageState: { cookies: [], origins: [] } });

test('signing out in one tab sends the other open tab back to sign in, with no action there', async ({ context }, testInfo) => {
  const watching = await context.newPage();
  await watching.goto('/sign-in');
  await watching.getByLabel('Email').fill(USERS.dana.email);
  await watching.getByLabel('Password').fill(PASSWORD);
  await watching.getByRole('button', { name: 'Sign in' }).click();
  await expect(watching.getByRole('heading', { name: 'My videos' })).toBeVisible();

  const other = await context.newPage();
  await other.goto('/');
  await other.getByRole('button', { name: 'Sign out' }).click();
  await expect(other).toHaveURL('/sign-in');

  // Nothing polls on the list page: only the live-updates stream can notice, at its next session check (10 s).
  await expect(watching).toHaveURL(/\/sign-in/, { timeout: 13_000 });
  await expect(watching.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await snapshot(watching, testInfo, 'signed-out-elsewhere');
});
