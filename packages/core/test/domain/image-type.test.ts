import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IMAGE_SIGNATURE_LENGTH, IMAGE_TYPES, detectImageType, type ImageType } from '../../src/domain';

const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(
    values.flatMap((value) =>
      typeof value === 'string' ? Array.from(value, (c) => c.charCodeAt(0)) : [value],
    ),
  );

// The simulator's real assets: a WebP thumbnail, a JPEG spritesheet and the MP4 video.
const asset = async (file: string) =>
  new Uint8Array(
    await readFile(fileURLToPath(new URL(`../../../simulator/assets/${file}`, import.meta.url))),
  );

describe('detectImageType', () => {
  it.each<[string, Uint8Array, ImageType | null]>([
    ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF'), 'jpeg'],
    ['JPEG, only its 3-byte signature', bytes(0xff, 0xd8, 0xff), 'jpeg'],
    ['PNG', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d), 'png'],
    ['WebP', bytes('RIFF', 0x24, 0x10, 0, 0, 'WEBPVP8 '), 'webp'],
    ['GIF87a', bytes('GIF87a', 1, 0), 'gif'],
    ['GIF89a', bytes('GIF89a', 1, 0), 'gif'],
    // Not images
    ['MP4 (ftyp box)', bytes(0, 0, 0, 0x20, 'ftypisom', 0, 0, 2, 0), null],
    ['WAV (RIFF but not WEBP)', bytes('RIFF', 0x24, 0x10, 0, 0, 'WAVEfmt '), null],
    ['JSON error body', bytes('{"error":{"message":"x"}}'), null],
    ['HTML', bytes('<!doctype html>'), null],
    ['PNG cut short', bytes(0x89, 'PNG', 0x0d, 0x0a), null],
    ['WebP cut short', bytes('RIFF', 0x24, 0x10, 0, 0, 'WEB'), null],
    ['JPEG almost', bytes(0xff, 0xd8, 0x00), null],
    ['GIF with a bad version', bytes('GIF90a'), null],
    ['empty', bytes(), null],
  ])('%s -> %j', (_name, head, expected) => {
    expect(detectImageType(head)).toBe(expected);
  });

  it('recognises the real files: the simulator thumbnail (WebP) and spritesheet (JPEG), not its MP4', async () => {
    expect(detectImageType(await asset('thumbnail.webp'))).toBe('webp');
    expect(detectImageType(await asset('spritesheet.jpg'))).toBe('jpeg');
    expect(detectImageType(await asset('video.mp4'))).toBeNull();
  });

  it('needs no more than IMAGE_SIGNATURE_LENGTH bytes: trailing bytes never change the answer', () => {
    const heads = [
      bytes(0xff, 0xd8, 0xff),
      bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a),
      bytes('RIFF', 1, 2, 3, 4, 'WEBP'),
      bytes('GIF89a'),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...heads), fc.uint8Array({ maxLength: 64 }), (head, tail) => {
        expect(head.length).toBeLessThanOrEqual(IMAGE_SIGNATURE_LENGTH);
        const file = new Uint8Array([...head, ...tail]);
        expect(detectImageType(file)).toBe(detectImageType(head));
        expect(detectImageType(file.subarray(0, IMAGE_SIGNATURE_LENGTH))).toBe(detectImageType(head));
      }),
    );
  });

  it('every format has an extension and an image/* media type', () => {
    for (const type of Object.values(IMAGE_TYPES)) {
      expect(type.extension).toMatch(/^[a-z]+$/);
      expect(type.mediaType).toMatch(/^image\//);
    }
  });
});
