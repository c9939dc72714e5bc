import { expect, test } from '@playwright/test';
import { createVideo, startVideo, trpcQuery } from './support/api';
import { expectBadge, progressBar, snapshot } from './support/pages';
import { storageStatePath } from './support/users';

test.use({ storageState: storageStatePath('alice') });

test('the subscription alone keeps the page live: with status polling cut off, the video still arrives', async ({ page, request }, testInfo) => {
  // Every sora.status request from the page fails, so only the sora.onUpdate stream (fed by the server's webhook
  // handling and poller) can move the page along.
  let blocked = 0;
  await page.route(
    (url) => url.pathname.startsWith('/trpc/') && url.pathname.includes('sora.status'),
    async (route) => {
      blocked += 1;
      await route.abort();
    },
  );
  const stream = page.waitForResponse((response) => response.url().includes('/trpc/sora.onUpdate'));
  const video = await startVideo(request, { title: 'Pushed', prompt: 'Fireflies in a jar [sim:duration=3000]' });
  await page.goto(`/videos/${video.id}`);
  const response = await stream;
  expect(response.headers()['content-type']).toContain('text/event-stream');

  await expectBadge(page, 'Ready', 45_000);
  await expect(progressBar(page)).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('video-player')).toBeVisible();
  expect(blocked).toBeGreaterThan(0);
  await snapshot(page, testInfo, 'video-pushed');
});

test('a status answer read before a pushed change does not put the page back: Queued→Generating shows at once and stays', async ({ page, request }) => {
  const video = await startVideo(request, { title: 'No going back', prompt: 'A hot air balloon rising at dawn [sim:duration=40000]' });
  // Every text the badge shows, in order, so a flash back to Queued cannot hide between two checks.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { badgeTexts: string[] }).badgeTexts = seen;
    new MutationObserver(() => {
      const text = document.querySelector('.video-header [data-testid="status-badge"]')?.textContent ?? null;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  // The page's first status answer (queued) is held back until the switch to Generating has been pushed: a poll that
  // was on its way while the server committed the change.
  let releaseHeld: () => void = () => {};
  const held = new Promise<void>((resolve) => (releaseHeld = resolve));
  let holding = false;
  let answeredAfterRelease = 0;
  let released = false;
  await page.route(
    (url) => url.pathname.startsWith('/trpc/') && url.pathname.includes('sora.status'),
    async (route) => {
      const response = await route.fetch();
      const body = await response.text();
      if (!holding && body.includes('"queued"')) {
        holding = true;
        await held;
      } else if (released) {
        answeredAfterRelease += 1;
      }
      await route.fulfill({ response, body });
    },
  );
  await page.goto(`/videos/${video.id}`);
  await expect.poll(() => holding).toBe(true);

  // Another client's status request makes the server look upstream; the change reaches the page by subscription only.
  await expect
    .poll(async () => (await trpcQuery<{ status: string }>(request, 'sora.status', { videoId: video.id })).status, { timeout: 20_000 })
    .toBe('in_progress');
  await expectBadge(page, 'Generating');

  released = true;
  releaseHeld();
  // The page asks again only once the held answer has been taken in.
  await expect.poll(() => answeredAfterRelease, { timeout: 15_000 }).toBeGreaterThan(0);
  await expectBadge(page, 'Generating');
  const texts = await page.evaluate(() => (window as unknown as { badgeTexts: string[] }).badgeTexts);
  expect(texts.slice(texts.indexOf('Generating'))).toEqual(['Generating']);
});

test('the list catches up on a video made while its live stream could not connect', async ({ page, request }, testInfo) => {
  // The list's stream is refused until after the list was read and a video was made elsewhere (another tab, the CLI).
  const stream = (url: URL) => url.pathname.includes('sora.onUpdate');
  let refused = 0;
  await page.route(stream, async (route) => {
    refused += 1;
    await route.abort();
  });
  const token = `caught-up-${Date.now()}`;
  await page.goto(`/?q=${token}`);
  await expect(page.getByRole('heading', { name: 'No videos match these filters' })).toBeVisible();
  await expect.poll(() => refused).toBeGreaterThan(0);
  const made = await createVideo(request, { title: `Made while away ${token}`, prompt: 'A kite over dunes' });
  await page.unroute(stream);

  // The stream's next try starts where the list stood, so the new video's "created" reaches the page: no reload.
  await expect(page.getByTestId('video-card').filter({ hasText: made.title })).toBeVisible({ timeout: 20_000 });
  await snapshot(page, testInfo, 'list-caught-up');
});
