import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { startVideo, trpcMutation, type CreatedVideo } from './support/api';
import { expectBadge, progressBar, statusBadge } from './support/pages';
import { PASSWORD } from './support/users';

/*
 * The seed's states, each as its owner sees the video page: queued, in progress, completed, failed, stuck, reset and
 * retrying automatically. Every run keeps them among the test's artifacts; with UPDATE_README_SCREENSHOT=1 they also
 * replace docs/screenshots/<state>.png, which the README shows (a plain run leaves the work tree clean).
 */
// Tall enough that each state's notice (the countdown, the stuck notice, the player) is in the picture.
test.use({ viewport: { width: 1280, height: 1000 } });

const SCREENSHOTS = path.join(import.meta.dirname, '..', 'docs', 'screenshots');

async function shoot(page: Page, testInfo: TestInfo, state: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${state}.png`) });
  if (process.env.UPDATE_README_SCREENSHOT === '1') {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${state}.png`) });
  }
}

test("the seed's states, one screenshot each", async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  // An account of its own: these videos must not show up in other specs' lists, nor use up their rate limits.
  const signUp = await page.request.post('/api/auth/sign-up/email', {
    data: { name: 'Sam Example', email: 'sam@example.com', password: PASSWORD },
  });
  expect(signUp.ok(), await signUp.text()).toBe(true);
  const start = (title: string, prompt: string) => startVideo(page.request, { title, prompt });
  // All started together, so the whole spec waits for the slowest state once. The e2e simulator's default
  // generation takes 4 s; a job is queued for its first 15 %.
  const [queued, generating, completed, failed, stuck, reset, retrying]: CreatedVideo[] = await Promise.all([
    start('A lighthouse at dusk', 'A lighthouse at dusk, waves below [sim:duration=300000]'),
    start('Waves on a rocky shore', 'Waves on a rocky shore at noon [sim:duration=120000]'),
    start('A paper boat', 'A paper boat on a quiet pond, morning light'),
    start('A crowded square', 'A crowded square at night [sim:fail=moderation_blocked]'),
    start('A windmill', 'A windmill turning slowly [sim:stuck=40]'),
    start('A kite', 'A red kite over a beach [sim:duration=300000]'),
    start('Northern lights', 'Northern lights over a lake [sim:fail=internal_error] [sim:faults-for=1]'),
  ]);

  await page.goto(`/videos/${queued!.id}`);
  await expectBadge(page, 'Queued');
  await shoot(page, testInfo, 'queued');

  await page.goto(`/videos/${completed!.id}`);
  await expectBadge(page, 'Ready');
  await expect(page.getByTestId('video-player')).toBeVisible();
  await shoot(page, testInfo, 'completed');

  await page.goto(`/videos/${failed!.id}`);
  await expectBadge(page, 'Failed');
  await expect(page.getByRole('button', { name: /Edit prompt and retry/ })).toBeVisible();
  await shoot(page, testInfo, 'failed');

  await page.goto(`/videos/${retrying!.id}`);
  await expectBadge(page, 'Retrying soon');
  await expect(page.getByTestId('auto-retry-countdown')).toContainText(/Retrying automatically in \d+/);
  await shoot(page, testInfo, 'retrying-automatically');

  await trpcMutation(page.request, 'sora.reset', { videoId: reset!.id });
  await page.goto(`/videos/${reset!.id}`);
  await expectBadge(page, 'Not started');
  await expect(page.getByTestId('timeline')).toContainText('Reset');
  await shoot(page, testInfo, 'reset');

  await page.goto(`/videos/${generating!.id}`);
  await expectBadge(page, 'Generating');
  await expect.poll(async () => Number(await progressBar(page).getAttribute('aria-valuenow')), { timeout: 20_000 }).toBeGreaterThan(5);
  await shoot(page, testInfo, 'in-progress');

  // Stuck: the page's clock is moved two minutes on, as a user coming back later would find it.
  const stuckPage = await (await browser.newContext({ storageState: await page.context().storageState() })).newPage();
  await stuckPage.clock.install();
  await stuckPage.goto(`/videos/${stuck!.id}`);
  await expect(progressBar(stuckPage)).toHaveAttribute('aria-valuenow', '40', { timeout: 20_000 });
  await stuckPage.clock.fastForward('02:00');
  await expect(statusBadge(stuckPage)).toHaveText('Stuck?');
  await expect(stuckPage.getByTestId('stuck-notice')).toBeVisible();
  await shoot(stuckPage, testInfo, 'stuck');
  await stuckPage.context().close();
});
