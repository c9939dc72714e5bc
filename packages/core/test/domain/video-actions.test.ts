import { describe, expect, it } from 'vitest';
import {
  assertDeletable,
  assertRetryable,
  DELETE_WHILE_ACTIVE_MESSAGE,
  errorCodesOfKinds,
  failureKindTitle,
  FAILURE_KINDS,
  RETRY_COMPLETED_MESSAGE,
  RETRY_NEVER_STARTED_MESSAGE,
  summarizeBulkOutcomes,
} from '../../src/domain';

describe('summarizeBulkOutcomes', () => {
  it('says how many were done and, per refused video, which one and why', () => {
    expect(
      summarizeBulkOutcomes('retry', [
        { videoId: 'a', title: 'Boat', done: true },
        { videoId: 'b', title: 'Lake', done: true },
        { videoId: 'c', title: 'Cat video', done: false, code: 'CONFLICT', message: 'A generation is already in progress for this video.' },
      ]),
    ).toBe('2 retried; 1 refused: “Cat video”: A generation is already in progress for this video.');
  });

  it('names a video that is not the caller’s by its id only, and words each action', () => {
    const missing = { videoId: '7d1c4c8e-2f4b-4a52-9a57-3f3b7b0c9e11', title: null, done: false as const, code: 'NOT_FOUND' as const, message: 'Video not found' };
    expect(summarizeBulkOutcomes('delete', [missing])).toBe('0 deleted; 1 refused: video 7d1c4c8e-2f4b-4a52-9a57-3f3b7b0c9e11: Video not found.');
    expect(summarizeBulkOutcomes('reset', [{ videoId: 'a', title: 'A', done: true }])).toBe('1 reset.');
  });
});

describe('the single-video rules', () => {
  it('retries only a failed or reset generation', () => {
    expect(() => assertRetryable({ status: 'completed', hasGeneration: true })).toThrow(RETRY_COMPLETED_MESSAGE);
    expect(() => assertRetryable({ status: 'not_started', hasGeneration: false })).toThrow(RETRY_NEVER_STARTED_MESSAGE);
    expect(() => assertRetryable({ status: 'not_started', hasGeneration: true })).not.toThrow();
    expect(() => assertRetryable({ status: 'failed', hasGeneration: true })).not.toThrow();
  });

  it('deletes only a video that is not generating', () => {
    expect(() => assertDeletable('queued')).toThrow(DELETE_WHILE_ACTIVE_MESSAGE);
    expect(() => assertDeletable('in_progress')).toThrow(DELETE_WHILE_ACTIVE_MESSAGE);
    for (const status of ['not_started', 'completed', 'failed'] as const) expect(() => assertDeletable(status)).not.toThrow();
  });
});

describe('failure kinds for the list filter', () => {
  it('picks the stored codes of the kinds asked, however they are spelled', () => {
    const codes = ['moderation_blocked', 'http_400:moderation_blocked', 'server_error', 'HTTP_503', 'stuck_timeout', null, 'whatever'];
    expect(errorCodesOfKinds(codes, ['moderation'])).toEqual(['moderation_blocked', 'http_400:moderation_blocked']);
    expect(errorCodesOfKinds(codes, ['unknown'])).toEqual(['HTTP_503', null, 'whatever']);
    expect(errorCodesOfKinds(codes, ['stuck_timeout', 'upstream_error'])).toEqual(['server_error', 'stuck_timeout']);
  });

  it('has a title for every kind', () => {
    for (const kind of FAILURE_KINDS) expect(failureKindTitle(kind)).toMatch(/\w/);
    expect(failureKindTitle('moderation')).toBe('Blocked by the content policy');
  });
});
