import { describe, expect, it } from 'vitest';
import {
  GENERATION_STATUSES,
  applyPatch,
  refreshTransition,
  statusMessage,
  type GenerationStatus,
  type Observation,
  type RefreshOutcome,
  type TransitionState,
} from '../../src/domain';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const EARLIER = new Date('2026-03-01T11:55:00.000Z');
const EXPIRES = new Date('2026-03-01T13:00:00.000Z');
const DONE_AT = new Date('2026-03-01T11:59:00.000Z');

function stateOf(status: GenerationStatus, overrides: Partial<TransitionState> = {}): TransitionState {
  const progress = { not_started: 0, queued: 0, in_progress: 40, completed: 100, failed: 30 }[status];
  return {
    status,
    progress,
    pollFailures: 0,
    upstreamExpiresAt: null,
    errorCode: status === 'failed' ? 'server_error' : null,
    errorMessage: status === 'failed' ? 'Boom' : null,
    ...overrides,
  };
}

const OBSERVATIONS = {
  'video queued': { kind: 'video', status: 'queued', progress: 0 },
  'video in_progress 55': { kind: 'video', status: 'in_progress', progress: 55 },
  'video processing 55': { kind: 'video', status: 'processing', progress: 55 },
  'video completed': {
    kind: 'video',
    status: 'completed',
    progress: 100,
    completedAt: DONE_AT,
    expiresAt: EXPIRES,
  },
  'video succeeded': { kind: 'video', status: 'succeeded' },
  'video failed': {
    kind: 'video',
    status: 'failed',
    error: { code: 'moderation_blocked', message: 'Blocked.' },
  },
  'video error': { kind: 'video', status: 'error', error: null },
  'video expired': { kind: 'video', status: 'expired' },
  'video CANCELED': { kind: 'video', status: ' CANCELED ', error: { code: 'server_error', message: 'x' } },
  'video IN_PROGRESS 45': { kind: 'video', status: 'IN_PROGRESS', progress: 45 },
  'video SUCCESS': { kind: 'video', status: 'SUCCESS' },
  'video FAILURE': { kind: 'video', status: 'FAILURE', error: { message: 'Upstream task failed.' } },
  'video NOT_START': { kind: 'video', status: 'NOT_START' },
  'video unknown': { kind: 'video', status: 'paused', progress: 70 },
  'not found': { kind: 'not_found' },
  'unavailable server_error': { kind: 'unavailable', reason: 'server_error' },
  'unavailable rate_limited': { kind: 'unavailable', reason: 'rate_limited', retryAfterMs: 2000 },
  'unavailable network': { kind: 'unavailable', reason: 'network' },
  'unavailable timeout': { kind: 'unavailable', reason: 'timeout' },
  downloaded: {
    kind: 'downloaded',
    blob: { key: 'videos/v1.mp4', size: 1234, sha256: 'ab'.repeat(32) },
    thumbnailKey: 'videos/v1.webp',
    costUsd: 0.4,
    completedAt: DONE_AT,
  },
  'download failed (retryable)': { kind: 'download_failed', reason: 'connection reset', retryable: true },
  'download failed (fatal)': { kind: 'download_failed', reason: 'HTTP 404', retryable: false },
} satisfies Record<string, Observation>;

type ObservationName = keyof typeof OBSERVATIONS;
type Expectation = [status: GenerationStatus, outcome: RefreshOutcome['kind'], events: string[]];

// The whole matrix for the two active statuses: stored status after, outcome, event types.
// queued starts at 0%, in_progress at 40%.
const ACTIVE_MATRIX: Record<'queued' | 'in_progress', Record<ObservationName, Expectation>> = {
  queued: {
    'video queued': ['queued', 'tracking', []],
    'video in_progress 55': ['in_progress', 'tracking', ['status_changed']],
    'video processing 55': ['in_progress', 'tracking', ['status_changed']],
    'video completed': ['in_progress', 'needs_download', ['status_changed']],
    'video succeeded': ['in_progress', 'needs_download', ['status_changed']],
    'video failed': ['failed', 'failed', ['status_changed']],
    'video error': ['failed', 'failed', ['status_changed']],
    'video expired': ['failed', 'failed', ['status_changed']],
    'video CANCELED': ['failed', 'failed', ['status_changed']],
    'video IN_PROGRESS 45': ['in_progress', 'tracking', ['status_changed']],
    'video SUCCESS': ['in_progress', 'needs_download', ['status_changed']],
    'video FAILURE': ['failed', 'failed', ['status_changed']],
    'video NOT_START': ['queued', 'tracking', []],
    'video unknown': ['queued', 'unknown_status', []],
    'not found': ['failed', 'failed', ['status_changed']],
    'unavailable server_error': ['queued', 'temporarily_unavailable', []],
    'unavailable rate_limited': ['queued', 'temporarily_unavailable', []],
    'unavailable network': ['queued', 'temporarily_unavailable', []],
    'unavailable timeout': ['queued', 'temporarily_unavailable', []],
    downloaded: ['completed', 'completed', ['status_changed']],
    'download failed (retryable)': ['queued', 'download_retry', []],
    'download failed (fatal)': ['failed', 'failed', ['status_changed']],
  },
  in_progress: {
    // Status never moves back: a late "queued" is ignored.
    'video queued': ['in_progress', 'tracking', []],
    'video in_progress 55': ['in_progress', 'tracking', ['progress']],
    'video processing 55': ['in_progress', 'tracking', ['progress']],
    'video completed': ['in_progress', 'needs_download', ['progress']],
    'video succeeded': ['in_progress', 'needs_download', ['progress']],
    'video failed': ['failed', 'failed', ['status_changed']],
    'video error': ['failed', 'failed', ['status_changed']],
    'video expired': ['failed', 'failed', ['status_changed']],
    'video CANCELED': ['failed', 'failed', ['status_changed']],
    'video IN_PROGRESS 45': ['in_progress', 'tracking', ['progress']],
    'video SUCCESS': ['in_progress', 'needs_download', ['progress']],
    'video FAILURE': ['failed', 'failed', ['status_changed']],
    'video NOT_START': ['in_progress', 'tracking', []],
    'video unknown': ['in_progress', 'unknown_status', []],
    'not found': ['failed', 'failed', ['status_changed']],
    'unavailable server_error': ['in_progress', 'temporarily_unavailable', []],
    'unavailable rate_limited': ['in_progress', 'temporarily_unavailable', []],
    'unavailable network': ['in_progress', 'temporarily_unavailable', []],
    'unavailable timeout': ['in_progress', 'temporarily_unavailable', []],
    downloaded: ['completed', 'completed', ['status_changed']],
    'download failed (retryable)': ['in_progress', 'download_retry', []],
    'download failed (fatal)': ['failed', 'failed', ['status_changed']],
  },
};

const NAMES = Object.keys(OBSERVATIONS) as ObservationName[];

describe('refreshTransition: every active status x every observation', () => {
  const cases = (['queued', 'in_progress'] as const).flatMap((status) =>
    NAMES.map((name) => [status, name, ...ACTIVE_MATRIX[status][name]] as const),
  );

  it.each(cases)('%s + %s -> %s (%s) %j', (status, name, nextStatus, outcome, eventTypes) => {
    const before = stateOf(status);
    const result = refreshTransition(before, OBSERVATIONS[name], NOW);
    expect(applyPatch(before, result.patch).status).toBe(nextStatus);
    expect(result.outcome.kind).toBe(outcome);
    expect(result.events.map((event) => event.type)).toEqual(eventTypes);
    // One status_changed event exactly when the status changes, and it names both ends.
    for (const event of result.events) {
      expect(event.fromStatus).toBe(status);
      expect(event.toStatus).toBe(nextStatus);
    }
    // progressChangedAt moves only together with an event (status or progress moved).
    expect(result.patch.progressChangedAt).toBe(result.events.length > 0 ? NOW : undefined);
  });
});

describe('refreshTransition: inactive statuses ignore every observation', () => {
  const cases = GENERATION_STATUSES.filter(
    (status) => status !== 'queued' && status !== 'in_progress',
  ).flatMap((status) => NAMES.map((name) => [status, name] as const));

  it.each(cases)('%s + %s: no patch, no events', (status, name) => {
    const result = refreshTransition(stateOf(status, { pollFailures: 3 }), OBSERVATIONS[name], NOW);
    expect(result.patch).toEqual({});
    expect(result.events).toEqual([]);
    expect(result.outcome).toEqual(
      status === 'not_started' ? { kind: 'not_started' } : { kind: 'terminal', status },
    );
  });
});

describe('refreshTransition: progress', () => {
  it.each<[string, number, number | null | undefined, number]>([
    ['moves forward', 40, 55, 55],
    ['rounds down to an integer', 40, 55.9, 55],
    ['never goes backwards', 60, 50, 60],
    ['clamps above 100', 40, 150, 100],
    ['ignores a negative value', 40, -5, 40],
    ['ignores null', 40, null, 40],
    ['ignores absence', 40, undefined, 40],
    ['ignores NaN', 40, Number.NaN, 40],
    ['ignores Infinity', 40, Number.POSITIVE_INFINITY, 40],
  ])('%s (%s + %s -> %s)', (_name, stored, observed, expected) => {
    const before = stateOf('in_progress', { progress: stored });
    const result = refreshTransition(
      before,
      { kind: 'video', status: 'in_progress', progress: observed },
      NOW,
    );
    expect(result.outcome).toEqual({ kind: 'tracking', status: 'in_progress', progress: expected });
    expect(applyPatch(before, result.patch).progress).toBe(expected);
    if (expected === stored) {
      expect(result.patch).toEqual({});
      expect(result.events).toEqual([]);
    } else {
      expect(result.patch).toEqual({ progress: expected, progressChangedAt: NOW });
      expect(result.events).toEqual([
        {
          type: 'progress',
          fromStatus: 'in_progress',
          toStatus: 'in_progress',
          message: statusMessage({ status: 'in_progress', progress: expected, errorMessage: null }),
          data: { fromProgress: stored, toProgress: expected },
        },
      ]);
    }
  });

  it('records a status change with the progress it brought, in one event', () => {
    const result = refreshTransition(
      stateOf('queued'),
      { kind: 'video', status: 'in_progress', progress: 12 },
      NOW,
    );
    expect(result.patch).toEqual({ status: 'in_progress', progress: 12, progressChangedAt: NOW });
    expect(result.events).toEqual([
      {
        type: 'status_changed',
        fromStatus: 'queued',
        toStatus: 'in_progress',
        message: 'Generating your video… 12% complete',
        data: { progress: 12 },
      },
    ]);
  });

  it('changes status without touching progress when progress did not move', () => {
    const result = refreshTransition(
      stateOf('queued'),
      { kind: 'video', status: 'in_progress', progress: 0 },
      NOW,
    );
    expect(result.patch).toEqual({ status: 'in_progress', progressChangedAt: NOW });
  });
});

describe('refreshTransition: poll failures', () => {
  it.each<[ObservationName, number | undefined]>([
    ['video in_progress 55', 0],
    ['video unknown', 0],
    ['video completed', 0],
    ['video failed', 0],
    ['not found', 0],
    ['unavailable server_error', 4],
    ['download failed (retryable)', 4],
    ['download failed (fatal)', undefined],
  ])('after 3 failures, %s -> pollFailures %s', (name, expected) => {
    const result = refreshTransition(stateOf('in_progress', { pollFailures: 3 }), OBSERVATIONS[name], NOW);
    expect(result.patch.pollFailures).toBe(expected);
  });

  it('does not write pollFailures when it is already 0', () => {
    const result = refreshTransition(stateOf('in_progress'), OBSERVATIONS['video unknown'], NOW);
    expect(result.patch).toEqual({});
  });
});

describe('refreshTransition: outcomes and messages', () => {
  it('404: failed with the seed message and job_not_found', () => {
    const result = refreshTransition(stateOf('in_progress'), { kind: 'not_found' }, NOW);
    expect(result.patch).toEqual({
      status: 'failed',
      errorCode: 'job_not_found',
      errorMessage: 'Job not found - may have expired',
      progressChangedAt: NOW,
    });
    expect(result.outcome).toEqual({
      kind: 'failed',
      errorCode: 'job_not_found',
      errorMessage: 'Job not found - may have expired',
    });
    expect(result.events).toEqual([
      {
        type: 'status_changed',
        fromStatus: 'in_progress',
        toStatus: 'failed',
        message: 'Generation failed: Job not found - may have expired',
        data: { errorCode: 'job_not_found', step: 'generating' },
      },
    ]);
  });

  it.each<[string, TransitionState, number | undefined, string]>([
    ['queued, upstream failed at 60%: failed while generating', stateOf('queued'), 60, 'generating'],
    ['queued, upstream failed at 0%: failed while queued', stateOf('queued'), 0, 'queued'],
    ['in progress at 30%, no progress in the answer', stateOf('in_progress', { progress: 30 }), undefined, 'generating'],
  ])('records the step a failure happened in: %s', (_name, state, progress, step) => {
    const result = refreshTransition(
      state,
      { kind: 'video', status: 'failed', progress, error: { code: 'internal_error', message: 'Boom' } },
      NOW,
    );
    expect(result.events[0]?.data).toEqual({ errorCode: 'internal_error', step });
    if (progress) expect(result.patch.progress).toBe(progress);
  });

  const OUTAGE = 'The video service is temporarily unavailable; your video is still being tracked and will be checked again automatically.';
  const SLOW_DOWN = 'The video service asked us to slow down; your video is still being tracked and will be checked again automatically.';
  it.each([
    ['server_error', undefined, null, OUTAGE],
    ['rate_limited', 2000, 2000, SLOW_DOWN],
    ['network', null, null, OUTAGE],
    ['timeout', undefined, null, OUTAGE],
  ] as const)(
    'unavailable (%s): status kept, never failed, clear message (a rate limit called one)',
    (reason, retryAfterMs, expected, message) => {
      const result = refreshTransition(
        stateOf('queued', { pollFailures: 1 }),
        { kind: 'unavailable', reason, retryAfterMs },
        NOW,
      );
      expect(result.patch).toEqual({ pollFailures: 2 });
      expect(result.events).toEqual([]);
      expect(result.outcome).toEqual({
        kind: 'temporarily_unavailable',
        reason,
        message,
        retryAfterMs: expected,
        pollFailures: 2,
      });
    },
  );

  it('unknown upstream status: unchanged, carries the raw status and what to tell the user', () => {
    const result = refreshTransition(
      stateOf('in_progress'),
      { kind: 'video', status: 'Paused', progress: 90 },
      NOW,
    );
    expect(result).toEqual({
      patch: {},
      events: [],
      outcome: {
        kind: 'unknown_status',
        rawStatus: 'Paused',
        message:
          "The video service reports 'Paused', a status this app does not recognise; your video is still being tracked.",
      },
    });
  });

  it.each([
    [
      'expired',
      'job_expired',
      'The video service says this job has expired: it keeps jobs and their videos only for a limited time.',
    ],
    [
      '  EXPIRED',
      'job_expired',
      'The video service says this job has expired: it keeps jobs and their videos only for a limited time.',
    ],
    ['cancelled', 'job_cancelled', 'The video service says this job was cancelled before it finished.'],
    ['Canceled', 'job_cancelled', 'The video service says this job was cancelled before it finished.'],
  ])(
    '%j: failed with its own code and plain message, whatever error upstream attached',
    (status, code, message) => {
      const result = refreshTransition(
        stateOf('in_progress'),
        { kind: 'video', status, error: { code: 'internal_error', message: 'Something about expiry' } },
        NOW,
      );
      expect(result.patch).toMatchObject({ status: 'failed', errorCode: code, errorMessage: message });
      expect(result.outcome).toEqual({ kind: 'failed', errorCode: code, errorMessage: message });
      expect(result.events[0]?.message).toBe(`Generation failed: ${message}`);
    },
  );

  it('FAILURE (new-api) is a plain failure with the upstream message', () => {
    const result = refreshTransition(stateOf('queued'), OBSERVATIONS['video FAILURE'], NOW);
    expect(result.outcome).toEqual({
      kind: 'failed',
      errorCode: null,
      errorMessage: 'Upstream task failed.',
    });
  });

  it.each<
    [string, { code?: string | null; message?: string | null } | null | undefined, string | null, string]
  >([
    [
      'code and message',
      { code: 'moderation_blocked', message: 'Blocked by moderation.' },
      'moderation_blocked',
      'Blocked by moderation.',
    ],
    ['message without code', { message: 'It broke.' }, null, 'It broke.'],
    [
      'code without message',
      { code: 'internal_error', message: null },
      'internal_error',
      'The video service reported a failure without details.',
    ],
    [
      'blank message',
      { code: ' ', message: '  ' },
      null,
      'The video service reported a failure without details.',
    ],
    ['no error at all', undefined, null, 'The video service reported a failure without details.'],
    ['null error', null, null, 'The video service reported a failure without details.'],
  ])('upstream failed with %s', (_name, error, code, message) => {
    const result = refreshTransition(stateOf('in_progress'), { kind: 'video', status: 'failed', error }, NOW);
    expect(result.patch).toMatchObject({ status: 'failed', errorCode: code, errorMessage: message });
    expect(result.outcome).toEqual({ kind: 'failed', errorCode: code, errorMessage: message });
    expect(result.events[0]?.message).toBe(`Generation failed: ${message}`);
  });

  it('upstream completed: in_progress at 100% until stored, expiry recorded', () => {
    const result = refreshTransition(stateOf('in_progress'), OBSERVATIONS['video completed'], NOW);
    expect(result.patch).toEqual({ progress: 100, progressChangedAt: NOW, upstreamExpiresAt: EXPIRES });
    expect(result.outcome).toEqual({ kind: 'needs_download', completedAt: DONE_AT, expiresAt: EXPIRES });
    expect(result.events[0]?.message).toBe('Finishing your video…');
  });

  it('upstream completed again (after a retryable download failure): nothing to write', () => {
    const before = stateOf('in_progress', { progress: 100, upstreamExpiresAt: EXPIRES });
    const result = refreshTransition(before, OBSERVATIONS['video completed'], NOW);
    expect(result.patch).toEqual({});
    expect(result.events).toEqual([]);
    expect(result.outcome).toEqual({ kind: 'needs_download', completedAt: DONE_AT, expiresAt: EXPIRES });
  });

  it('upstream completed without dates: falls back to the stored expiry', () => {
    const before = stateOf('in_progress', { upstreamExpiresAt: EXPIRES });
    const result = refreshTransition(before, { kind: 'video', status: 'succeeded' }, NOW);
    expect(result.outcome).toEqual({ kind: 'needs_download', completedAt: null, expiresAt: EXPIRES });
    expect(result.patch.upstreamExpiresAt).toBeUndefined();
  });

  it('downloaded: completed with time, cost, blob and thumbnail; stale errors cleared', () => {
    const before = stateOf('in_progress', {
      progress: 100,
      pollFailures: 2,
      errorCode: 'x',
      errorMessage: 'y',
    });
    const result = refreshTransition(
      before,
      { ...OBSERVATIONS.downloaded, videoUrl: '/videos/v1/content' },
      NOW,
    );
    expect(result.patch).toEqual({
      status: 'completed',
      progress: 100,
      progressChangedAt: NOW,
      completedAt: DONE_AT,
      cost: 0.4,
      blobKey: 'videos/v1.mp4',
      blobSize: 1234,
      blobSha256: 'ab'.repeat(32),
      thumbnailKey: 'videos/v1.webp',
      videoUrl: '/videos/v1/content',
      pollFailures: 0,
      errorCode: null,
      errorMessage: null,
    });
    expect(result.outcome).toEqual({ kind: 'completed' });
    expect(result.events).toEqual([
      {
        type: 'status_changed',
        fromStatus: 'in_progress',
        toStatus: 'completed',
        message: 'Your video is ready.',
        data: { blobSize: 1234, costUsd: 0.4, completedAt: DONE_AT.toISOString() },
      },
    ]);
    expect(statusMessage(applyPatch({ ...before, errorMessage: null }, result.patch))).toBe(
      'Your video is ready.',
    );
  });

  it('downloaded without thumbnail or URL leaves those columns alone', () => {
    const { thumbnailKey: _omit, ...withoutThumbnail } = OBSERVATIONS.downloaded;
    const result = refreshTransition(stateOf('in_progress', { progress: 100 }), withoutThumbnail, NOW);
    expect(result.patch).not.toHaveProperty('thumbnailKey');
    expect(result.patch).not.toHaveProperty('videoUrl');
  });

  it('download failed (fatal): failed with the specific reason', () => {
    const result = refreshTransition(
      stateOf('in_progress', { progress: 100 }),
      OBSERVATIONS['download failed (fatal)'],
      NOW,
    );
    expect(result.patch).toEqual({
      status: 'failed',
      errorCode: 'download_failed',
      errorMessage: 'Video download failed: HTTP 404',
      progressChangedAt: NOW,
    });
  });

  it('download failed (retryable): status kept, retried later', () => {
    const before = stateOf('in_progress', { progress: 100, upstreamExpiresAt: EXPIRES });
    const result = refreshTransition(before, OBSERVATIONS['download failed (retryable)'], NOW);
    expect(result.patch).toEqual({ pollFailures: 1 });
    expect(result.events).toEqual([]);
    expect(result.outcome).toEqual({
      kind: 'download_retry',
      reason: 'connection reset',
      message:
        'Your video is finished, but saving it failed (connection reset); it will be tried again automatically.',
      pollFailures: 1,
    });
  });

  it.each([
    ['one ms before expiry', new Date(EXPIRES.getTime() - 1), 'in_progress'],
    ['at expiry', EXPIRES, 'failed'],
    ['after expiry', new Date(EXPIRES.getTime() + 1), 'failed'],
  ] as const)('download failed (retryable) %s -> %s', (_name, now, status) => {
    const before = stateOf('in_progress', { progress: 100, upstreamExpiresAt: EXPIRES });
    const result = refreshTransition(before, OBSERVATIONS['download failed (retryable)'], now);
    expect(applyPatch(before, result.patch).status).toBe(status);
    if (status === 'failed') {
      expect(result.patch.errorMessage).toBe(
        'Video download failed: connection reset (the download link has expired)',
      );
    }
  });

  it('stamps progressChangedAt with the given clock, not the stored one', () => {
    const result = refreshTransition(stateOf('in_progress'), OBSERVATIONS['video in_progress 55'], EARLIER);
    expect(result.patch.progressChangedAt).toBe(EARLIER);
  });
});
