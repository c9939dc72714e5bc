import { describe, expect, it } from 'vitest';
import {
  assertWithinDailySpendCap,
  BUILT_IN_MODELS,
  checkVideoOptions,
  createModelCatalog,
  DEFAULT_MODEL_CATALOG,
  defaultUnknownUsdPerSecond,
  defaultVideoOptions,
  findCatalogModel,
  generationCostUsd,
  highestCentsPerSecond,
  quickCatalogModel,
  spendCapPricing,
  spendToday,
  type CatalogModel,
} from '../../src/domain';

const veo: CatalogModel = {
  name: 'veo-3',
  label: 'Veo 3 (via LiteLLM)',
  description: null,
  sizes: ['1280x720', '720x1280'],
  seconds: [8],
  centsPerSecond: { '1280x720': 40, '720x1280': 40 },
  operations: { remix: false, extend: false, edit: false },
};
// The operator's catalog: a quick-form name with no known price, a priced entry, and a dated snapshot.
const catalog = createModelCatalog([quickCatalogModel('my-sora'), veo, quickCatalogModel('sora-2-2025-10-06')]);

describe('the built-in catalog', () => {
  it('offers sora-2 then sora-2-pro, defaulting to sora-2 at 720x1280 for 4 s', () => {
    expect(DEFAULT_MODEL_CATALOG.models.map((model) => model.name)).toEqual(['sora-2', 'sora-2-pro']);
    expect(defaultVideoOptions(DEFAULT_MODEL_CATALOG)).toEqual({ model: 'sora-2', size: '720x1280', seconds: 4 });
    expect(highestCentsPerSecond(DEFAULT_MODEL_CATALOG)).toBe(50);
  });
});

describe('quickCatalogModel (VIDEO_MODELS)', () => {
  it("gives an unknown name sora-2's sizes and durations and no price", () => {
    expect(quickCatalogModel('veo-3')).toEqual({
      name: 'veo-3',
      label: 'veo-3',
      description: null,
      sizes: ['720x1280', '1280x720'],
      seconds: [4, 8, 12],
      centsPerSecond: null,
      operations: { remix: false, extend: false, edit: false },
    });
  });

  it('keeps what is known about a built-in model or a dated snapshot of one', () => {
    expect(quickCatalogModel('sora-2-pro')).toEqual(BUILT_IN_MODELS[1]);
    expect(quickCatalogModel('sora-2-pro-2025-10-06')).toMatchObject({
      name: 'sora-2-pro-2025-10-06',
      label: 'sora-2-pro-2025-10-06',
      centsPerSecond: BUILT_IN_MODELS[1]!.centsPerSecond,
      sizes: BUILT_IN_MODELS[1]!.sizes,
    });
  });
});

describe('createModelCatalog', () => {
  it('refuses an empty catalog and a name listed twice', () => {
    expect(() => createModelCatalog([])).toThrow(/at least one model/);
    expect(() => createModelCatalog([veo, veo])).toThrow(/lists veo-3 twice/);
  });
});

describe('prices', () => {
  it.each<[string, string, number, number | null]>([
    ['veo-3', '1280x720', 8, 3.2],
    ['my-sora', '720x1280', 4, null], // unknown: never invented
    ['sora-2-2025-10-06', '720x1280', 8, 0.8], // a snapshot priced as its base
    ['veo-3-2025-10-06', '1280x720', 8, 3.2], // a dated snapshot of a listed model too
    ['sora-2', '720x1280', 4, null], // not in this catalog
    ['veo-3', '1792x1024', 8, null], // a size it does not render
  ])('%s %s %ss -> %s', (model, size, seconds, usd) => {
    expect(generationCostUsd(model, size, seconds, catalog)).toBe(usd);
  });

  it('knows the highest price per second, or none', () => {
    expect(highestCentsPerSecond(catalog)).toBe(40);
    expect(highestCentsPerSecond(createModelCatalog([quickCatalogModel('a'), quickCatalogModel('b')]))).toBeNull();
  });
});

describe('checkVideoOptions', () => {
  it('fills the defaults from the first model and its first size and duration', () => {
    expect(checkVideoOptions(catalog, {})).toEqual({ ok: true, options: { model: 'my-sora', size: '720x1280', seconds: 4 } });
    expect(checkVideoOptions(catalog, { model: 'veo-3' })).toEqual({ ok: true, options: { model: 'veo-3', size: '1280x720', seconds: 8 } });
  });

  it('refuses a model the catalog does not list, naming the ones it does', () => {
    expect(checkVideoOptions(catalog, { model: 'sora-2' })).toEqual({
      ok: false,
      issues: [{ field: 'model', message: 'model must be one of my-sora, veo-3, sora-2-2025-10-06 (the models this server offers)' }],
    });
  });

  it("refuses a size or duration the model does not offer, naming the model's own", () => {
    expect(checkVideoOptions(catalog, { model: 'veo-3', size: '640x480', seconds: 4 })).toEqual({
      ok: false,
      issues: [
        { field: 'size', message: 'size must be one of 1280x720, 720x1280 for veo-3' },
        { field: 'seconds', message: 'seconds must be one of 8 for veo-3' },
      ],
    });
    expect(checkVideoOptions(DEFAULT_MODEL_CATALOG, { model: 'sora-2', size: '1792x1024' })).toEqual({
      ok: false,
      issues: [{ field: 'size', message: 'size 1792x1024 is only available with sora-2-pro' }],
    });
  });

  it('finds entries by their exact name only', () => {
    expect(findCatalogModel(catalog, 'veo-3')).toBe(veo);
    expect(findCatalogModel(catalog, 'VEO-3')).toBeNull();
  });
});

describe('the daily spend cap and unknown prices', () => {
  // An attempt of today that counts toward the cap: its job runs (or ran) upstream.
  const running = { status: 'in_progress', errorCode: null, createOutcome: 'confirmed', progress: 50 } as const;
  const mySora = (seconds: number) => ({ model: 'my-sora', size: '720x1280', seconds, ...running });

  it("counts an unknown price at the catalog's highest price per second by default", () => {
    expect(defaultUnknownUsdPerSecond(catalog)).toBe(0.4);
    // No price known at all: the highest built-in one, sora-2-pro's $0.50.
    expect(defaultUnknownUsdPerSecond(createModelCatalog([quickCatalogModel('a')]))).toBe(0.5);
    const pricing = spendCapPricing(catalog, null);
    // 4 s at $0.40 = $1.60 exactly fits a $1.60 cap; one more second of it does not.
    expect(() => assertWithinDailySpendCap(1.6, mySora(4), [], pricing)).not.toThrow();
    expect(() => assertWithinDailySpendCap(1.6, mySora(4), [mySora(1)], pricing)).toThrow(
      'Daily spending limit reached: you have used $0.40 of your $1.60 limit today and this video would cost $1.60. ' +
        'Videos whose price is unknown count as $0.40 per second. The limit resets at 00:00 UTC.',
    );
  });

  it('counts a group of alike attempts once per attempt in it', () => {
    const pricing = spendCapPricing(catalog, null);
    // Three 1 s attempts at $0.40, grouped as the database lists them: $1.20 of $1.60, so 1 s more fits and 2 s do not.
    expect(spendToday(1.6, [{ ...mySora(1), count: 3 }], pricing)).toEqual({ spentUsd: 1.2, capUsd: 1.6, remainingUsd: 0.4 });
    expect(() => assertWithinDailySpendCap(1.6, mySora(1), [{ ...mySora(1), count: 3 }], pricing)).not.toThrow();
    expect(() => assertWithinDailySpendCap(1.6, mySora(2), [{ ...mySora(1), count: 3 }], pricing)).toThrow('you have used $1.20');
  });

  it("counts it at the operator's UNKNOWN_PRICE_PER_SECOND_USD when set, and known prices at list price", () => {
    const pricing = spendCapPricing(catalog, 0.035);
    // 12 s x $0.035 = $0.42; plus veo-3 8 s = $3.20: $3.62.
    expect(() => assertWithinDailySpendCap(3.62, mySora(12), [{ model: 'veo-3', size: '1280x720', seconds: 8, ...running }], pricing)).not.toThrow();
    expect(() => assertWithinDailySpendCap(3.61, mySora(12), [{ model: 'veo-3', size: '1280x720', seconds: 8, ...running }], pricing)).toThrow(
      /would cost \$0\.42\. Videos whose price is unknown count as \$0\.035 per second\./,
    );
    // Free is only free when the operator says so.
    expect(() => assertWithinDailySpendCap(0.01, mySora(12), [mySora(12)], spendCapPricing(catalog, 0))).not.toThrow();
  });

  it('says nothing about unknown prices when every price was known', () => {
    expect(() => assertWithinDailySpendCap(3, { model: 'veo-3', size: '1280x720', seconds: 8 }, [], spendCapPricing(catalog, null))).toThrow(
      'Daily spending limit reached: you have used $0.00 of your $3.00 limit today and this video would cost $3.20. The limit resets at 00:00 UTC.',
    );
  });
});
