import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ContentVariant } from './wire';

/** Where the committed media lives (made once with ffmpeg by scripts/make-assets.sh). */
export const ASSETS_DIR = fileURLToPath(new URL('../assets/', import.meta.url));

export interface Asset {
  bytes: Buffer;
  contentType: string;
}

export type Assets = Readonly<Record<ContentVariant, Asset>>;

const FILES: Readonly<Record<ContentVariant, { file: string; contentType: string }>> = {
  // A 4 s 320x180 H.264/AAC test pattern, moov first (+faststart) so a browser can start playing before the end.
  video: { file: 'video.mp4', contentType: 'video/mp4' },
  // Upstream serves the thumbnail as WebP and the spritesheet as JPEG.
  thumbnail: { file: 'thumbnail.webp', contentType: 'image/webp' },
  spritesheet: { file: 'spritesheet.jpg', contentType: 'image/jpeg' },
};

/** Reads the three small media files once per simulator. */
export async function loadAssets(dir: string = ASSETS_DIR): Promise<Assets> {
  const load = async (variant: ContentVariant): Promise<Asset> => {
    const { file, contentType } = FILES[variant];
    const path = `${dir.replace(/\/?$/, '/')}${file}`;
    try {
      return { bytes: await readFile(path), contentType };
    } catch (error) {
      throw new Error(`Simulator asset ${path} could not be read; it ships with @sora-monitor/simulator`, {
        cause: error,
      });
    }
  };
  const [video, thumbnail, spritesheet] = await Promise.all([
    load('video'),
    load('thumbnail'),
    load('spritesheet'),
  ]);
  return { video, thumbnail, spritesheet };
}
