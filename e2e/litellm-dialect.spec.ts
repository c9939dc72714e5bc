import { expect, test } from '@playwright/test';
import { startVideo } from './support/api';
import { expectBadge } from './support/pages';
import { startOwnServer, type OwnServer } from './support/own-server';
import { PASSWORD } from './support/users';

// `SIM_DIALECT=litellm pnpm start`: the built-in simulator answers as LiteLLM's proxy, whose content route ignores
// `variant` and sends the MP4 for the thumbnail too. The app keeps no thumbnail and says so on the card ("No
// preview", not an endless placeholder), and the video itself plays.

let server: OwnServer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startOwnServer({ SIM_DIALECT: 'litellm', SIM_GENERATION_MS: '3000' });
});
test.afterAll(async () => {
  await server?.close();
});

test('a finished video from LiteLLM shows "No preview" on its card and plays on its page', async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  const signUp = await page.request.post('/api/auth/sign-up/email', {
    data: { name: 'Lee Example', email: 'lee@example.com', password: PASSWORD },
  });
  expect(signUp.ok(), await signUp.text()).toBe(true);

  const video = await startVideo(page.request, {
    title: 'Through LiteLLM',
    prompt: 'A tram crossing a bridge at night',
  });
  await page.goto(`/videos/${video.id}`);
  await expectBadge(page, 'Ready');
  const player = page.getByTestId('video-player');
  await expect(player).toBeVisible();
  await expect
    .poll(() => player.evaluate((element: HTMLVideoElement) => element.readyState), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(1);
  expect(await player.evaluate((element: HTMLVideoElement) => element.duration)).toBeGreaterThan(0);
  await player.evaluate((element: HTMLVideoElement) => {
    element.currentTime = element.duration / 2;
  });
  await expect.poll(() => player.evaluate((element: HTMLVideoElement) => element.currentTime > 0)).toBe(true);

  await page.goto('/');
  const card = page.getByTestId('video-card').filter({ hasText: 'Through LiteLLM' });
  await expect(card).toHaveAttribute('data-status', 'completed');
  await expect(card.getByTestId('thumb-placeholder')).toHaveText('No preview');
  await expect(card.locator('img')).toHaveCount(0);
  await context.close();
});
