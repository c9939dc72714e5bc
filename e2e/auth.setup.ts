import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test as setup } from '@playwright/test';
import { snapshot } from './support/pages';
import { PASSWORD, storageStatePath, USERS } from './support/users';

setup.beforeAll(() => {
  mkdirSync(path.dirname(storageStatePath('alice')), { recursive: true });
});

setup('alice signs up through the form', async ({ page }, testInfo) => {
  await page.goto('/sign-up');
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Name').fill(USERS.alice.name);
  await page.getByLabel('Email').fill(USERS.alice.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await snapshot(page, testInfo, 'sign-up');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'My videos' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText(USERS.alice.name);
  await page.context().storageState({ path: storageStatePath('alice') });
});

for (const key of ['bob', 'dana', 'lena', 'wes'] as const) {
  setup(`${key} has an account`, async ({ page }) => {
    const user = USERS[key];
    const response = await page.request.post('/api/auth/sign-up/email', {
      data: { name: user.name, email: user.email, password: PASSWORD },
    });
    expect(response.ok(), await response.text()).toBe(true);
    await page.context().storageState({ path: storageStatePath(key) });
  });
}
