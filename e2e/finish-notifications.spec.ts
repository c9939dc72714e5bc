import { expect, test, type Page } from '@playwright/test';
import { startVideo } from './support/api';
import { startOwnServer, type OwnServer } from './support/own-server';
import { snapshot } from './support/pages';
import { PASSWORD } from './support/users';

// "Notify me when videos finish": a video that completes or fails for good while the tab is in the background shows
// a browser Notification (only once the user turned it on) and a badge on the tab's title and icon until the tab is
// looked at again. The page's Notification is wrapped to record what it is asked to show, and the tab is sent to the
// background by overriding document.visibilityState (a headless tab is always visible). Its own server and account,
// so only this spec's videos finish in it.

let server: OwnServer;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startOwnServer({ SIM_GENERATION_MS: '2000' });
});
test.afterAll(() => server?.close());

interface Shown {
  title: string;
  body: string;
  tag: string;
}

declare global {
  interface Window {
    shownNotifications: Shown[];
    setTabHidden: (hidden: boolean) => void;
  }
}

function recordNotificationsAndVisibility() {
  window.shownNotifications = [];
  const Real = window.Notification;
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      window.shownNotifications.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
      super(title, options);
    }
  }
  window.Notification = Recorded;
  let hidden = false;
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  window.setTabHidden = (value) => {
    hidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
  };
}

const shown = (page: Page) => page.evaluate(() => window.shownNotifications);
const setHidden = (page: Page, hidden: boolean) => page.evaluate((value) => window.setTabHidden(value), hidden);
const iconBadge = (page: Page) => page.locator('link[rel="icon"]').getAttribute('data-badge');

test('a video that finishes in a background tab is announced by a Notification and on the tab, once allowed', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ baseURL: server.url });
  await context.grantPermissions(['notifications']);
  await context.addInitScript(recordNotificationsAndVisibility);
  const page = await context.newPage();
  const signUp = await page.request.post('/api/auth/sign-up/email', { data: { name: 'Nia Example', email: 'nia@example.com', password: PASSWORD } });
  expect(signUp.ok(), await signUp.text()).toBe(true);

  await page.goto('/');
  await expect(page).toHaveTitle('My videos · Sora Monitor');
  await page.getByRole('button', { name: 'Notify me when videos finish' }).click();
  await expect(page.getByRole('button', { name: 'Turn off notifications' })).toBeVisible();
  await snapshot(page, testInfo, 'notifications-on');

  // In the background: one completes, one fails for good (moderation is never retried automatically).
  await setHidden(page, true);
  const boat = await startVideo(page.request, { title: 'Paper boat', prompt: 'A paper boat [sim:duration=1500]' });
  await expect.poll(() => shown(page), { timeout: 30_000 }).toEqual([{ title: 'Your video is ready', body: '“Paper boat”', tag: boat.id }]);
  await expect(page).toHaveTitle('✓ “Paper boat” is ready · My videos · Sora Monitor');
  expect(await iconBadge(page)).toBe('completed');

  const blocked = await startVideo(page.request, { title: 'Blocked clip', prompt: 'A clip [sim:fail=moderation_blocked] [sim:duration=1500]' });
  await expect.poll(async () => (await shown(page)).length, { timeout: 30_000 }).toBe(2);
  expect((await shown(page))[1]).toMatchObject({ title: 'Your video failed', body: expect.stringMatching(/^“Blocked clip”: .+/), tag: blocked.id });
  await expect(page).toHaveTitle('(2) videos finished · My videos · Sora Monitor');
  expect(await iconBadge(page)).toBe('failed');

  // Looking at the tab clears the badges.
  await setHidden(page, false);
  await expect(page).toHaveTitle('My videos · Sora Monitor');
  expect(await iconBadge(page)).toBeNull();

  // A video that finishes while the tab is visible needs no announcement: the page shows it.
  await startVideo(page.request, { title: 'Seen live', prompt: 'Seen live [sim:duration=1500]' });
  await expect(page.getByTestId('video-card').filter({ hasText: 'Seen live' }).getByTestId('status-badge')).toHaveText('Ready', { timeout: 30_000 });
  expect(await shown(page)).toHaveLength(2);

  // The video page announces too (its own live updates).
  const watched = await startVideo(page.request, { title: 'Watched one', prompt: 'Watched [sim:duration=6000]' });
  await page.goto(`/videos/${watched.id}`);
  await expect(page.getByRole('heading', { name: 'Watched one' })).toBeVisible();
  await setHidden(page, true);
  await expect.poll(() => shown(page), { timeout: 30_000 }).toEqual([{ title: 'Your video is ready', body: '“Watched one”', tag: watched.id }]);
  await expect(page).toHaveTitle('✓ “Watched one” is ready · Watched one · Sora Monitor');
  await setHidden(page, false);
  await expect(page).toHaveTitle('Watched one · Sora Monitor');

  // Turned off: no Notification, but the tab still says it.
  await page.goto('/');
  await page.getByRole('button', { name: 'Turn off notifications' }).click();
  await expect(page.getByRole('button', { name: 'Notify me when videos finish' })).toBeVisible();
  await setHidden(page, true);
  await startVideo(page.request, { title: 'Quiet one', prompt: 'Quiet [sim:duration=1500]' });
  await expect(page).toHaveTitle('✓ “Quiet one” is ready · My videos · Sora Monitor', { timeout: 30_000 });
  expect(await shown(page)).toEqual([]);
  await context.close();
});
