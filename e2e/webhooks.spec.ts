import { expect, test } from '@playwright/test';
import { startVideo } from './support/api';
import { snapshot } from './support/pages';
import { storageStatePath } from './support/users';
import { startReceiver, type Receiver } from './support/webhook-receiver';

test.use({ storageState: storageStatePath('wes') });

let receiver: Receiver;
test.beforeAll(async () => {
  receiver = await startReceiver();
});
test.afterAll(async () => {
  await receiver.close();
});

test('webhooks: add an endpoint, see its secret once, a test event retried then delivered, a completed video delivered, delete it', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/settings\/webhooks$/);

  // A private address is refused with the reason (the e2e server allows only 127.0.0.0/8, for the receiver below).
  await page.getByLabel('URL').fill('http://10.0.0.7/hooks');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByText(/10\.0\.0\.7 is a private \(RFC 1918\) address: webhooks only go to public addresses/)).toBeVisible();

  await page.getByLabel('URL').fill(receiver.url);
  await expect(page.getByRole('checkbox', { name: /Completed/ })).toBeChecked();
  await page.getByRole('checkbox', { name: /Failed/ }).uncheck();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const secret = (await page.getByTestId('webhook-secret').textContent()) ?? '';
  expect(secret).toMatch(/^whsec_/);
  receiver.setSecret(secret);
  const endpoint = page.getByTestId('webhook-endpoint').filter({ hasText: receiver.url });
  await expect(endpoint).toContainText('video.completed');
  await expect(endpoint).not.toContainText('video.failed');

  // The receiver is busy: the log shows the 503 and the next try; once it accepts, the retry is delivered.
  receiver.setBusy(true);
  await endpoint.getByRole('button', { name: 'Send test event' }).click();
  const testRow = endpoint.getByTestId('delivery-log').getByRole('row').filter({ hasText: 'webhook.test' });
  await expect(testRow).toContainText('HTTP 503');
  await expect(testRow).toContainText('The receiver answered HTTP 503');
  await expect(testRow).toContainText('Waiting');
  receiver.setBusy(false);
  await expect(testRow).toContainText('Delivered', { timeout: 20_000 });
  await expect(testRow).toContainText('HTTP 200');
  await expect(testRow).toContainText(/\d+ ms/);

  const video = await startVideo(page.request, { prompt: 'A lighthouse that rings a webhook' });
  const completedRow = endpoint.getByTestId('delivery-log').getByRole('row').filter({ hasText: 'video.completed' });
  await expect(completedRow).toContainText('Delivered', { timeout: 30_000 });
  await snapshot(page, testInfo, 'webhooks-delivery-log');

  // What the receiver got: signed deliveries it verified with the secret shown once.
  const testTries = receiver.received.filter((entry) => (JSON.parse(entry.body) as { type: string }).type === 'webhook.test');
  expect(testTries.at(0)?.status).toBe(503);
  expect(testTries.at(-1)?.status).toBe(200);
  expect(new Set(testTries.map((entry) => entry.headers['webhook-id'])).size).toBe(1);
  const accepted = receiver.received.filter((entry) => entry.status === 200);
  expect(accepted.map((entry) => (JSON.parse(entry.body) as { type: string }).type)).toEqual(['webhook.test', 'video.completed']);
  expect(accepted.every((entry) => entry.verified)).toBe(true);
  expect(JSON.parse(accepted[1]!.body)).toMatchObject({ data: { videoId: video.id, status: 'completed' } });

  await endpoint.getByRole('button', { name: `Delete the endpoint ${receiver.url}` }).click();
  await expect(page.getByTestId('webhook-endpoint').filter({ hasText: receiver.url })).toHaveCount(0);
});
