/** Image formats a thumbnail may be stored as, with the extension and media type it is served with. */
export const IMAGE_TYPES = {
  jpeg: { extension: 'jpg', mediaType: 'image/jpeg' },
  png: { extension: 'png', mediaType: 'image/png' },
  webp: { extension: 'webp', mediaType: 'image/webp' },
  gif: { extension: 'gif', mediaType: 'image/gif' },
} as const;

export type ImageType = keyof typeof IMAGE_TYPES;

/** Bytes `detectImageType` needs to decide (WebP's signature ends at byte 12). */
export const IMAGE_SIGNATURE_LENGTH = 12;

const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));

// null is "any byte" (WebP's RIFF chunk size).
const SIGNATURES: readonly (readonly [ImageType, readonly (number | null)[]])[] = [
  ['jpeg', [0xff, 0xd8, 0xff]],
  ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['webp', [...ascii('RIFF'), null, null, null, null, ...ascii('WEBP')]],
  ['gif', ascii('GIF87a')],
  ['gif', ascii('GIF89a')],
];

/**
 * The image format the first bytes of a file announce (its magic number), or null when they are not one of the
 * thumbnail formats: a gateway that ignores `variant=thumbnail` sends the MP4 again, whatever its Content-Type says.
 * Fewer than `IMAGE_SIGNATURE_LENGTH` bytes may still identify JPEG, PNG or GIF; too few to tell is null.
 */
export function detectImageType(bytes: Uint8Array): ImageType | null {
  const match = SIGNATURES.find(
    ([, signature]) =>
      bytes.length >= signature.length &&
      signature.every((byte, index) => byte === null || bytes[index] === byte),
  );
  return match?.[0] ?? null;
}
