import { readFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';

export interface PlayedVideo {
  /** Seconds, as the browser's player reads them from the file. */
  duration: number;
  width: number;
  height: number;
}

/** What the video page's player loaded: its length and picture size, once the browser has read the metadata. */
export async function playedVideo(page: Page): Promise<PlayedVideo> {
  const player = page.getByTestId('video-player');
  await expect.poll(() => player.evaluate((element: HTMLVideoElement) => element.readyState)).toBeGreaterThanOrEqual(1);
  return player.evaluate((element: HTMLVideoElement) => ({ duration: element.duration, width: element.videoWidth, height: element.videoHeight }));
}

/** The bytes the video page's "Download MP4" link saves. */
export async function downloadedVideo(page: Page): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-link').click()]);
  return readFile(await download.path());
}
