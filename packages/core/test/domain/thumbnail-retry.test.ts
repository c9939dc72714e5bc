import { describe, expect, it } from 'vitest';
import { isThumbnailRetryDue, planThumbnailRetry, THUMBNAIL_MAX_TRIES, thumbnailRetryAt } from '../../src/domain';

const now = new Date('2026-01-01T12:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const missing = { kind: 'missing', retryable: true } as const;

describe('thumbnailRetryAt', () => {
  it('doubles the delay per try and stops after THUMBNAIL_MAX_TRIES', () => {
    expect(thumbnailRetryAt(missing, 1, now, null, 1000)).toEqual(later(1000));
    expect(thumbnailRetryAt(missing, 2, now, null, 1000)).toEqual(later(2000));
    expect(thumbnailRetryAt(missing, 3, now, null, 1000)).toEqual(later(4000));
    expect(thumbnailRetryAt(missing, THUMBNAIL_MAX_TRIES, now, null, 1000)).toBeNull();
  });

  it('plans nothing the service cannot give any more: past its expiry, not an image or refused, or already stored', () => {
    expect(thumbnailRetryAt(missing, 1, now, later(999), 1000)).toBeNull();
    expect(thumbnailRetryAt(missing, 1, now, later(1001), 1000)).toEqual(later(1000));
    expect(thumbnailRetryAt({ kind: 'missing', retryable: false }, 1, now, null, 1000)).toBeNull();
    expect(thumbnailRetryAt({ kind: 'stored', key: 'k' }, 1, now, null, 1000)).toBeNull();
  });
});

describe('planThumbnailRetry', () => {
  it('stores a fetched thumbnail and clears the plan', () => {
    expect(planThumbnailRetry({ pollFailures: 2, upstreamExpiresAt: null }, { kind: 'stored', key: 'k' }, now, 1000)).toEqual({
      thumbnailKey: 'k',
      nextPollAt: null,
      pollFailures: 0,
    });
  });

  it('counts a failed try and plans the next, until the tries are used up', () => {
    expect(planThumbnailRetry({ pollFailures: 1, upstreamExpiresAt: null }, missing, now, 1000)).toEqual({ nextPollAt: later(2000), pollFailures: 2 });
    expect(planThumbnailRetry({ pollFailures: THUMBNAIL_MAX_TRIES - 1, upstreamExpiresAt: null }, missing, now, 1000)).toEqual({
      nextPollAt: null,
      pollFailures: THUMBNAIL_MAX_TRIES,
    });
  });
});

describe('isThumbnailRetryDue', () => {
  const waiting = { status: 'completed' as const, thumbnailKey: null, nextPollAt: now, upstreamExpiresAt: later(60_000) };
  it('only for a completed video without a thumbnail whose try is due before the expiry', () => {
    expect(isThumbnailRetryDue(waiting, now)).toBe(true);
    expect(isThumbnailRetryDue({ ...waiting, nextPollAt: later(1) }, now)).toBe(false);
    expect(isThumbnailRetryDue({ ...waiting, nextPollAt: null }, now)).toBe(false);
    expect(isThumbnailRetryDue({ ...waiting, thumbnailKey: 'k' }, now)).toBe(false);
    expect(isThumbnailRetryDue({ ...waiting, status: 'failed' }, now)).toBe(false);
    expect(isThumbnailRetryDue({ ...waiting, upstreamExpiresAt: now }, now)).toBe(false);
  });
});
