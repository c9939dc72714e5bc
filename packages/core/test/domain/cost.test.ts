import { describe, expect, it } from 'vitest';
import {
  DEFAULTS,
  MODELS,
  PROMPT_MAX_LENGTH,
  SECONDS,
  SIZES,
  TITLE_MAX_LENGTH,
  baseModel,
  generationCostUsd,
  isModel,
  isSeconds,
  isSize,
  isSizeAllowed,
  toSdkSeconds,
} from '../../src/domain';

// Every model x size x seconds, with the list price it must produce (null: not offered).
const PRICE_TABLE: [model: string, size: string, seconds: number, usd: number | null][] = [
  ['sora-2', '720x1280', 4, 0.4],
  ['sora-2', '720x1280', 8, 0.8],
  ['sora-2', '720x1280', 12, 1.2],
  ['sora-2', '1280x720', 4, 0.4],
  ['sora-2', '1280x720', 8, 0.8],
  ['sora-2', '1280x720', 12, 1.2],
  ['sora-2', '1024x1792', 4, null],
  ['sora-2', '1024x1792', 8, null],
  ['sora-2', '1024x1792', 12, null],
  ['sora-2', '1792x1024', 4, null],
  ['sora-2', '1792x1024', 8, null],
  ['sora-2', '1792x1024', 12, null],
  ['sora-2-pro', '720x1280', 4, 1.2],
  ['sora-2-pro', '720x1280', 8, 2.4],
  ['sora-2-pro', '720x1280', 12, 3.6],
  ['sora-2-pro', '1280x720', 4, 1.2],
  ['sora-2-pro', '1280x720', 8, 2.4],
  ['sora-2-pro', '1280x720', 12, 3.6],
  ['sora-2-pro', '1024x1792', 4, 2],
  ['sora-2-pro', '1024x1792', 8, 4],
  ['sora-2-pro', '1024x1792', 12, 6],
  ['sora-2-pro', '1792x1024', 4, 2],
  ['sora-2-pro', '1792x1024', 8, 4],
  ['sora-2-pro', '1792x1024', 12, 6],
];

describe('generationCostUsd', () => {
  it('the table covers every model x size x seconds', () => {
    expect(PRICE_TABLE).toHaveLength(MODELS.length * SIZES.length * SECONDS.length);
  });

  it.each(PRICE_TABLE)('%s %s %ss -> %s', (model, size, seconds, usd) => {
    expect(generationCostUsd(model, size, seconds)).toBe(usd);
    // The SDK's string seconds price the same.
    expect(generationCostUsd(model, size, String(seconds))).toBe(usd);
  });

  it.each([
    ['sora-2-2025-10-06', '720x1280', 8, 0.8],
    ['sora-2-2025-12-08', '1280x720', 4, 0.4],
    ['sora-2-pro-2025-10-06', '1792x1024', 12, 6],
    ['sora-2-pro-2025-10-06', '720x1280', 4, 1.2],
  ] as const)('dated %s priced as its base', (model, size, seconds, usd) => {
    expect(generationCostUsd(model, size, seconds)).toBe(usd);
  });

  it.each<[string, string, number | string, number | null]>([
    ['sora-2', '720x1280', 3, 0.3],
    ['sora-2', '720x1280', 20, 2],
    ['sora-2-pro', '1024x1792', 2.5, 1.25],
    ['sora-2', '720x1280', 0.333, 0.03],
    ['sora-2', '720x1280', 0, null],
    ['sora-2', '720x1280', -4, null],
    ['sora-2', '720x1280', Number.NaN, null],
    ['sora-2', '720x1280', '', null],
    ['sora-2', '720x1280', 'four', null],
    ['veo-3', '720x1280', 4, null],
    ['sora-3', '720x1280', 4, null],
    ['sora-2-pro-latest', '720x1280', 4, null],
    ['sora-2', '640x480', 4, null],
  ])('%s %s %j -> %s (no made-up prices)', (model, size, seconds, usd) => {
    expect(generationCostUsd(model, size, seconds)).toBe(usd);
  });
});

describe('accepted values', () => {
  it('defaults are valid together', () => {
    expect(DEFAULTS).toEqual({ model: 'sora-2', size: '720x1280', seconds: 4 });
    expect(isSizeAllowed(DEFAULTS.model, DEFAULTS.size)).toBe(true);
    expect(isSeconds(DEFAULTS.seconds)).toBe(true);
  });

  it.each(MODELS.flatMap((model) => SIZES.map((size) => [model, size] as const)))(
    'isSizeAllowed(%s, %s)',
    (model, size) => {
      const large = size === '1024x1792' || size === '1792x1024';
      expect(isSizeAllowed(model, size)).toBe(model === 'sora-2-pro' || !large);
      expect(isSizeAllowed(`${model}-2025-10-06`, size)).toBe(model === 'sora-2-pro' || !large);
    },
  );

  it.each([
    ['sora-2', 'sora-2'],
    ['sora-2-pro', 'sora-2-pro'],
    ['sora-2-2025-10-06', 'sora-2'],
    ['sora-2-pro-2025-10-06', 'sora-2-pro'],
    ['sora-2-pro-', null],
    ['gpt-4o', null],
    ['', null],
  ])('baseModel(%j) -> %j', (model, expected) => {
    expect(baseModel(model)).toBe(expected);
  });

  it('guards and SDK seconds', () => {
    expect(isModel('sora-2-pro')).toBe(true);
    expect(isModel('sora-2-2025-10-06')).toBe(false);
    expect(isSize('1792x1024')).toBe(true);
    expect(isSize('1792x1025')).toBe(false);
    expect(isSizeAllowed('unknown', '720x1280')).toBe(false);
    expect(isSizeAllowed('sora-2', 'huge')).toBe(false);
    expect(SECONDS).toEqual([4, 8, 12]);
    expect(isSeconds(5)).toBe(false);
    expect(SECONDS.map(toSdkSeconds)).toEqual(['4', '8', '12']);
    expect(PROMPT_MAX_LENGTH).toBe(2000);
    expect(TITLE_MAX_LENGTH).toBe(200);
  });
});
