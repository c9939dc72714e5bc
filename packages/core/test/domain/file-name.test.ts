import { describe, expect, it } from 'vitest';
import { MAX_SLUG_LENGTH, slugify, videoFileName } from '../../src/domain';

const ID = '0b7e6f1e-2c7a-4b8e-9d55-1f2e3a4b5c6d';

describe('slugify', () => {
  it.each([
    ['A paper boat on a stormy sea', 'a-paper-boat-on-a-stormy-sea'],
    ['A paper boat on a stormy sea at night, lit by…', 'a-paper-boat-on-a-stormy-sea-at-night'],
    ['Crème brûlée — über café', 'creme-brulee-uber-cafe'],
    ["Ada's storm", 'adas-storm'],
    ['  --Hello,   World!!--  ', 'hello-world'],
    ['🌊🚣', ''],
    ['', ''],
  ])('%j -> %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('cuts a long title at a word boundary, never mid-word or with a trailing dash', () => {
    const title = 'word '.repeat(40);
    const slug = slugify(title);
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug).toMatch(/^(word-)*word$/);
  });

  it('cuts one endless word at the limit', () => {
    expect(slugify('x'.repeat(200))).toBe('x'.repeat(MAX_SLUG_LENGTH));
  });
});

describe('videoFileName', () => {
  it('is the slug plus the id', () => {
    expect(videoFileName('A paper boat…', ID)).toBe(`a-paper-boat-${ID}.mp4`);
  });
  it('is the id alone when the title has nothing to keep', () => {
    expect(videoFileName('🌊', ID)).toBe(`${ID}.mp4`);
  });
});
