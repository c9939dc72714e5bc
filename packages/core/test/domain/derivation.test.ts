import { describe, expect, it } from 'vitest';
import {
  AppError,
  checkReferenceImage,
  createModelCatalog,
  DEFAULT_MODEL_CATALOG,
  planDerivedVideo,
  quickCatalogModel,
  readImageHeader,
  supportedOperations,
} from '../../src/domain';
import { makePng, TINY_GIF } from '../../src/testing/images';

const source = { id: 'src', model: 'sora-2', size: '720x1280', seconds: 8, status: 'completed' as const, jobId: 'video_1' };

const catalog = DEFAULT_MODEL_CATALOG;

describe('supportedOperations', () => {
  it("follows the catalog entry's operations: built-in sora-2, sora-2-pro and their dated snapshots offer all three", () => {
    for (const model of ['sora-2', 'sora-2-pro', 'sora-2-2025-10-06']) {
      expect(supportedOperations(catalog, model)).toEqual({ remix: true, extend: true, edit: true });
    }
    expect(supportedOperations(catalog, 'my-gateway-video-model')).toEqual({ remix: false, extend: false, edit: false });
  });

  it('offers what the operator configured, and nothing for a model the catalog does not list', () => {
    const configured = createModelCatalog([
      { ...quickCatalogModel('sora-2'), operations: { remix: true, extend: false, edit: false } },
      quickCatalogModel('my-gateway-video-model'),
    ]);
    expect(supportedOperations(configured, 'sora-2')).toEqual({ remix: true, extend: false, edit: false });
    expect(supportedOperations(configured, 'sora-2-2025-10-06')).toEqual({ remix: true, extend: false, edit: false });
    expect(supportedOperations(configured, 'my-gateway-video-model')).toEqual({ remix: false, extend: false, edit: false });
    expect(supportedOperations(configured, 'sora-2-pro')).toEqual({ remix: false, extend: false, edit: false });
  });
});

describe('planDerivedVideo', () => {
  it("keeps the source's model and size; an extension's seconds are the stitched total", () => {
    expect(planDerivedVideo(catalog, source, { operation: 'remix', prompt: 'p' })).toEqual({
      operation: 'remix',
      prompt: 'p',
      model: 'sora-2',
      size: '720x1280',
      seconds: 8,
      sourceVideoId: 'src',
      sourceJobId: 'video_1',
      extensionSeconds: null,
    });
    expect(planDerivedVideo(catalog, source, { operation: 'extend', prompt: 'p', extensionSeconds: 4 })).toMatchObject({ seconds: 12, extensionSeconds: 4 });
  });

  it('refuses a source that is not completed, or whose model cannot do it, naming why', () => {
    expect(() => planDerivedVideo(catalog, { ...source, status: 'in_progress', jobId: 'video_1' }, { operation: 'edit', prompt: 'p' })).toThrow(
      'Only a completed video can be edited; this one is in progress.',
    );
    expect(() => planDerivedVideo(catalog, { ...source, model: 'other-model' }, { operation: 'remix', prompt: 'p' })).toThrow(
      'Videos made with other-model cannot be remixed on this server.',
    );
    expect(() => planDerivedVideo(catalog, source, { operation: 'extend', prompt: 'p' })).toThrow(AppError);
  });
});

describe('checkReferenceImage', () => {
  it('reads type and dimensions from the header bytes', () => {
    expect(readImageHeader(makePng(1280, 720))).toEqual({ mimeType: 'image/png', extension: 'png', width: 1280, height: 720 });
    expect(readImageHeader(TINY_GIF)).toBeNull();
    expect(readImageHeader(Buffer.from('not an image'))).toBeNull();
  });

  it('accepts an image of exactly the video size and refuses the rest with the reason', () => {
    expect(checkReferenceImage(makePng(720, 1280), '720x1280').extension).toBe('png');
    expect(() => checkReferenceImage(new Uint8Array(), '720x1280')).toThrow('The image is empty.');
    expect(() => checkReferenceImage(makePng(720, 1280), '1024x1792')).toThrow('The image is 720x1280; a 1024x1792 video needs');
    expect(() => checkReferenceImage(TINY_GIF, '720x1280')).toThrow('not a JPEG, PNG or WebP image');
    const tooBig = new Uint8Array(5 * 1024 * 1024 + 1);
    expect(() => checkReferenceImage(tooBig, '720x1280')).toThrow('The image is 5.0 MB; the limit is 5 MB.');
  });
});
