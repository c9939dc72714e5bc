import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { VIDEO_SECONDS, VIDEO_SIZES, type ContentVariant } from './wire';

/** Where the committed media lives (made once with ffmpeg by scripts/make-assets.sh). */
export const ASSETS_DIR = fileURLToPath(new URL('../assets/', import.meta.url));

export interface Asset {
  bytes: Buffer;
  contentType: string;
}

/**
 * The three media files, plus a test pattern per accepted size and duration (`assets/videos/<size>-<seconds>s.mp4`,
 * made by scripts/make-sized-videos.sh) so a job's video has the size and length it asked for.
 */
export type Assets = Readonly<Record<ContentVariant, Asset>> & { sized: ReadonlyMap<string, Buffer> };

const sizedKey = (size: string, seconds: string) => `${size}-${seconds}s`;

/** The video a job gets: the test pattern of its size and duration, or the default one for any other combination. */
export function videoFor(assets: Assets, size: string, seconds: string): Buffer {
  return assets.sized.get(sizedKey(size, seconds)) ?? assets.video.bytes;
}

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
  const [video, thumbnail, spritesheet, sized] = await Promise.all([
    load('video'),
    load('thumbnail'),
    load('spritesheet'),
    loadSized(`${dir.replace(/\/?$/, '/')}videos/`),
  ]);
  return { video, thumbnail, spritesheet, sized };
}

async function loadSized(dir: string): Promise<ReadonlyMap<string, Buffer>> {
  const entries = await Promise.all(
    VIDEO_SIZES.flatMap((size) =>
      VIDEO_SECONDS.map(async (seconds) => {
        const file = `${dir}${sizedKey(size, seconds)}.mp4`;
        try {
          return [sizedKey(size, seconds), await readFile(file)] as const;
        } catch (error) {
          throw new Error(`Simulator asset ${file} could not be read; it ships with @sora-monitor/simulator`, { cause: error });
        }
      }),
    ),
  );
  return new Map(entries);
}
