import { describe, expect, it } from 'vitest';
import {
  CANNOT_RESET_COMPLETED_MESSAGE,
  JOB_NOT_FOUND_MESSAGE,
  RESET_SUCCESS_MESSAGE,
  TEMPORARILY_UNAVAILABLE_MESSAGE,
  downloadFailedMessage,
  downloadRetryMessage,
  statusMessage,
  type GenerationState,
} from '../../src/domain';

type MessageState = Pick<GenerationState, 'status' | 'progress' | 'errorMessage'>;

describe('statusMessage', () => {
  it.each<[MessageState, string]>([
    [{ status: 'not_started', progress: 0, errorMessage: null }, 'No generation has been started yet.'],
    [{ status: 'queued', progress: 0, errorMessage: null }, 'Your video is queued and will start shortly.'],
    [{ status: 'in_progress', progress: 0, errorMessage: null }, 'Generating your video… 0% complete'],
    [{ status: 'in_progress', progress: 45, errorMessage: null }, 'Generating your video… 45% complete'],
    [{ status: 'in_progress', progress: 45.9, errorMessage: null }, 'Generating your video… 45% complete'],
    [{ status: 'in_progress', progress: 99, errorMessage: null }, 'Generating your video… 99% complete'],
    [{ status: 'in_progress', progress: 100, errorMessage: null }, 'Finishing your video…'],
    [{ status: 'completed', progress: 100, errorMessage: null }, 'Your video is ready.'],
    [
      { status: 'failed', progress: 10, errorMessage: 'Job not found - may have expired' },
      'Generation failed: Job not found - may have expired',
    ],
    [
      { status: 'failed', progress: 10, errorMessage: null },
      'Generation failed: The video service reported a failure without details.',
    ],
    [
      { status: 'failed', progress: 10, errorMessage: '   ' },
      'Generation failed: The video service reported a failure without details.',
    ],
  ])('%j -> %s', (state, expected) => {
    expect(statusMessage(state)).toBe(expected);
  });
});

describe('seed wording', () => {
  it.each([
    [JOB_NOT_FOUND_MESSAGE, 'Job not found - may have expired'],
    [RESET_SUCCESS_MESSAGE, 'Sora generation reset successfully. You can now retry.'],
    [CANNOT_RESET_COMPLETED_MESSAGE, 'Cannot reset completed generation'],
    [
      TEMPORARILY_UNAVAILABLE_MESSAGE,
      'The video service is temporarily unavailable; your video is still being tracked and will be checked again automatically.',
    ],
    [downloadFailedMessage('HTTP 500'), 'Video download failed: HTTP 500'],
    [downloadFailedMessage(' '), 'Video download failed: unknown error'],
    [
      downloadRetryMessage('connection reset'),
      'Your video is finished, but saving it failed (connection reset); it will be tried again automatically.',
    ],
  ])('%s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});
