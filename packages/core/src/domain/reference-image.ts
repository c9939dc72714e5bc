import { imageSize } from 'image-size';
import { AppError } from './errors';

// The input reference image of an image-to-video generation (`input_reference`). Checked here, from its bytes,
// before anything is stored or sent: its type by magic bytes, its size, and its dimensions against the video's size
// (the Videos API requires the image to match the output resolution).

/** 5 MiB: a 1792x1024 photo as PNG is about 3-5 MB, as JPEG or WebP far less. Keeps tRPC bodies small (base64). */
export const REFERENCE_IMAGE_MAX_BYTES = 5 * 1024 * 1024;
/** The longest base64 text of an image within the cap. */
export const REFERENCE_IMAGE_MAX_BASE64_LENGTH = Math.ceil(REFERENCE_IMAGE_MAX_BYTES / 3) * 4;

export const REFERENCE_IMAGE_TYPES = {
  jpg: { mimeType: 'image/jpeg', extension: 'jpg' },
  png: { mimeType: 'image/png', extension: 'png' },
  webp: { mimeType: 'image/webp', extension: 'webp' },
} as const;

export interface ReferenceImage {
  mimeType: (typeof REFERENCE_IMAGE_TYPES)[keyof typeof REFERENCE_IMAGE_TYPES]['mimeType'];
  extension: (typeof REFERENCE_IMAGE_TYPES)[keyof typeof REFERENCE_IMAGE_TYPES]['extension'];
  width: number;
  height: number;
}

const MIB = 1024 * 1024;
const refuse = (message: string) => new AppError('BAD_REQUEST', message, { field: 'image' });

/** Reads the type (magic bytes) and dimensions (image header) of `bytes`, or null when it is not a JPEG, PNG or WebP. */
export function readImageHeader(bytes: Uint8Array): ReferenceImage | null {
  let result: ReturnType<typeof imageSize>;
  try {
    result = imageSize(bytes);
  } catch {
    return null;
  }
  const type = REFERENCE_IMAGE_TYPES[result.type as keyof typeof REFERENCE_IMAGE_TYPES] as (typeof REFERENCE_IMAGE_TYPES)[keyof typeof REFERENCE_IMAGE_TYPES] | undefined;
  if (!type || !result.width || !result.height) return null;
  // EXIF orientations 5-8 turn a JPEG a quarter: it is shown (and rendered) with width and height swapped.
  const turned = (result.orientation ?? 1) >= 5;
  return { ...type, width: turned ? result.height : result.width, height: turned ? result.width : result.height };
}

/**
 * Accepts a reference image for a video of `size` (`WIDTHxHEIGHT`), or throws BAD_REQUEST (field `image`) naming the
 * problem: empty, too large, not a JPEG/PNG/WebP, or not exactly the video's dimensions.
 */
export function checkReferenceImage(bytes: Uint8Array, size: string): ReferenceImage {
  if (bytes.byteLength === 0) throw refuse('The image is empty.');
  if (bytes.byteLength > REFERENCE_IMAGE_MAX_BYTES) {
    throw refuse(`The image is ${(bytes.byteLength / MIB).toFixed(1)} MB; the limit is ${REFERENCE_IMAGE_MAX_BYTES / MIB} MB.`);
  }
  const image = readImageHeader(bytes);
  if (!image) throw refuse('The file is not a JPEG, PNG or WebP image.');
  const [width, height] = size.split('x').map(Number);
  if (image.width !== width || image.height !== height) {
    throw refuse(`The image is ${image.width}x${image.height}; a ${size} video needs an image of exactly ${size} pixels.`);
  }
  return image;
}
