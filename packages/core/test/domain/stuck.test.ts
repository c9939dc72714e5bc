import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STUCK_TIMEOUT_MS,
  classifyFailure,
  isStuck,
  stuckFailureEvent,
  stuckFailureMessage,
  stuckFailurePatch,
  type GenerationStatus,
} from '../../src/domain';

const STARTED = new Date('2026-03-01T12:00:00.000Z');
const at = (minutes: number, seconds = 0) => new Date(STARTED.getTime() + minutes * 60_000 + seconds * 1000);
const FIFTEEN = DEFAULT_STUCK_TIMEOUT_MS;

describe('isStuck (15 minute timeout, database clock)', () => {
  it.each<[string, Date, boolean]>([
    ['14:59', at(14, 59), false],
    ['14:59.999', new Date(at(15).getTime() - 1), false],
    ['15:00 (exactly the timeout: stuck)', at(15), true],
    ['15:01', at(15, 1), true],
    ['a day later', at(24 * 60), true],
    ['clock behind the row', at(-1), false],
  ])('no progress since start, now %s -> %s', (_name, dbNow, expected) => {
    expect(
      isStuck({ status: 'in_progress', startedAt: STARTED, progressChangedAt: null }, dbNow, FIFTEEN),
    ).toBe(expected);
  });

  it.each<[string, Date, boolean]>([
    ['14:59 after the last progress', at(24, 59), false],
    ['15:00 after the last progress', at(25), true],
  ])('measures from the last progress change: %s -> %s', (_name, dbNow, expected) => {
    const state = { status: 'queued' as const, startedAt: STARTED, progressChangedAt: at(10) };
    expect(isStuck(state, dbNow, FIFTEEN)).toBe(expected);
  });

  it.each<[GenerationStatus, boolean]>([
    ['not_started', false],
    ['queued', true],
    ['in_progress', true],
    ['completed', false],
    ['failed', false],
  ])('only active generations: %s -> %s', (status, expected) => {
    expect(isStuck({ status, startedAt: STARTED, progressChangedAt: null }, at(60), FIFTEEN)).toBe(expected);
  });

  it('without any timestamp there is nothing to measure', () => {
    expect(
      isStuck({ status: 'in_progress', startedAt: null, progressChangedAt: null }, at(60), FIFTEEN),
    ).toBe(false);
  });
});

describe('stuckFailurePatch', () => {
  it('fails with stuck_timeout and the minutes derived from the timeout', () => {
    expect(stuckFailurePatch(FIFTEEN)).toEqual({
      status: 'failed',
      errorCode: 'stuck_timeout',
      errorMessage: 'No progress for 15 minutes, so the generation was stopped. You can retry it.',
      nextPollAt: null,
      leaseOwner: null,
      leaseUntil: null,
    });
    expect(classifyFailure('stuck_timeout', null)).toMatchObject({
      kind: 'stuck_timeout',
      autoRetryable: true,
    });
  });

  it.each([
    [60_000, 'No progress for 1 minute, so the generation was stopped. You can retry it.'],
    [5 * 60_000, 'No progress for 5 minutes, so the generation was stopped. You can retry it.'],
    [90 * 60_000, 'No progress for 90 minutes, so the generation was stopped. You can retry it.'],
    [150_000, 'No progress for 3 minutes, so the generation was stopped. You can retry it.'],
    [30_000, 'No progress for 30 seconds, so the generation was stopped. You can retry it.'],
    [1000, 'No progress for 1 second, so the generation was stopped. You can retry it.'],
  ])('%s ms -> %s', (timeoutMs, message) => {
    expect(stuckFailureMessage(timeoutMs)).toBe(message);
  });

  it('drafts the audit event', () => {
    expect(stuckFailureEvent('in_progress', FIFTEEN)).toEqual({
      type: 'status_changed',
      fromStatus: 'in_progress',
      toStatus: 'failed',
      message:
        'Generation failed: No progress for 15 minutes, so the generation was stopped. You can retry it.',
      data: { errorCode: 'stuck_timeout', timeoutMs: FIFTEEN },
    });
  });
});
