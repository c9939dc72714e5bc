import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STUCK_TIMEOUT_MS,
  answeringSinceAfter,
  classifyFailure,
  planStuckFailure,
  stuckFailureMessage,
  stuckVerdict,
  type GenerationStatus,
  type StuckCheckState,
} from '../../src/domain';

const STARTED = new Date('2026-03-01T12:00:00.000Z');
const at = (minutes: number, seconds = 0) => new Date(STARTED.getTime() + minutes * 60_000 + seconds * 1000);
const FIFTEEN = DEFAULT_STUCK_TIMEOUT_MS;

const isStuck = (...args: Parameters<typeof stuckVerdict>) => stuckVerdict(...args).stuck;

/** A job upstream has answered about since it started, at 40 %, nobody working on it. */
function state(overrides: Partial<StuckCheckState> = {}): StuckCheckState {
  return {
    status: 'in_progress',
    jobId: 'video_1',
    progress: 40,
    progressChangedAt: null,
    startedAt: STARTED,
    pollFailures: 0,
    lastPollError: null,
    upstreamAnsweringSince: STARTED,
    leaseUntil: null,
    ...overrides,
  };
}

describe('stuckVerdict (15 minute timeout, database clock)', () => {
  it.each<[string, Date, boolean]>([
    ['14:59', at(14, 59), false],
    ['14:59.999', new Date(at(15).getTime() - 1), false],
    ['15:00 (exactly the timeout: stuck)', at(15), true],
    ['15:01', at(15, 1), true],
    ['a day later', at(24 * 60), true],
    ['clock behind the row', at(-1), false],
  ])('no progress since start, now %s -> %s', (_name, dbNow, expected) => {
    expect(isStuck(state(), dbNow, FIFTEEN)).toBe(expected);
  });

  it.each<[string, Date, boolean]>([
    ['14:59 after the last progress', at(24, 59), false],
    ['15:00 after the last progress', at(25), true],
  ])('measures from the last progress change: %s -> %s', (_name, dbNow, expected) => {
    expect(isStuck(state({ status: 'queued', progressChangedAt: at(10) }), dbNow, FIFTEEN)).toBe(expected);
  });

  it('measures from the first answer after upstream was unreachable, not from the last progress', () => {
    // Progress last moved at 0:00; upstream was unreachable until 20:00 and answers since.
    const recovered = state({ upstreamAnsweringSince: at(20) });
    expect(stuckVerdict(recovered, at(34, 59), FIFTEEN)).toEqual({ stuck: false, reason: 'progressing' });
    expect(stuckVerdict(recovered, at(35), FIFTEEN)).toEqual({ stuck: true, since: at(20) });
  });

  it.each<[GenerationStatus, boolean]>([
    ['not_started', false],
    ['queued', true],
    ['in_progress', true],
    ['completed', false],
    ['failed', false],
  ])('only active generations: %s -> %s', (status, expected) => {
    expect(isStuck(state({ status }), at(60), FIFTEEN)).toBe(expected);
  });

  it.each<[string, Partial<StuckCheckState>, string]>([
    ['a lease someone holds and renews (a refresh or a download under way)', { leaseUntil: at(60, 30) }, 'lease_held'],
    ['upstream completed and the video is being stored (100 %)', { progress: 100 }, 'downloading'],
    ['a download being retried', { progress: 100, pollFailures: 3, lastPollError: 'Download failed; retrying' }, 'downloading'],
    ['the last status requests could not reach upstream (429 back-off)', { pollFailures: 5, upstreamAnsweringSince: null }, 'upstream_unreachable'],
    ['a poll error still recorded', { pollFailures: 1, lastPollError: 'The video service is temporarily unavailable' }, 'upstream_unreachable'],
    ['upstream never answered about the job', { upstreamAnsweringSince: null }, 'upstream_unreachable'],
    ['no job yet (a lost create: reconciliation settles it)', { jobId: null }, 'no_job'],
  ])('an hour without progress is not stuck for %s', (_name, overrides, reason) => {
    expect(stuckVerdict(state(overrides), at(60), FIFTEEN)).toEqual({ stuck: false, reason });
  });

  it('a status we do not know is an answer: an hour of it without progress is stuck (its note is not a poll error)', () => {
    const note = "The video service reports 'rendering', a status this app does not recognise";
    expect(stuckVerdict(state({ lastPollError: note }), at(60), FIFTEEN)).toMatchObject({ stuck: true });
  });

  it('an expired lease is no longer live: its holder has stopped', () => {
    expect(isStuck(state({ leaseUntil: at(59) }), at(60), FIFTEEN)).toBe(true);
  });
});

describe('answeringSinceAfter', () => {
  it('starts at the first answer, keeps it while upstream answers, clears it when upstream cannot be reached', () => {
    expect(answeringSinceAfter(null, 'answered', at(1))).toEqual(at(1));
    expect(answeringSinceAfter(at(1), 'answered', at(2))).toEqual(at(1));
    expect(answeringSinceAfter(at(1), 'unanswered', at(3))).toBeNull();
    expect(answeringSinceAfter(at(1), 'not_a_status_request', at(4))).toEqual(at(1));
  });
});

describe('planStuckFailure', () => {
  it('fails with stuck_timeout, the minutes derived from the timeout, the planned retry and one audit event', () => {
    const retryAt = at(40);
    expect(planStuckFailure({ status: 'in_progress' }, { timeoutMs: FIFTEEN, autoRetryAt: retryAt })).toEqual({
      patch: {
        status: 'failed',
        errorCode: 'stuck_timeout',
        errorMessage: 'No progress for 15 minutes, so the generation was stopped.',
        nextPollAt: null,
        leaseOwner: null,
        leaseUntil: null,
        autoRetryAt: retryAt,
      },
      events: [
        {
          type: 'status_changed',
          fromStatus: 'in_progress',
          toStatus: 'failed',
          message: 'Generation failed: No progress for 15 minutes, so the generation was stopped.',
          data: { errorCode: 'stuck_timeout', timeoutMs: FIFTEEN },
        },
      ],
    });
    expect(classifyFailure('stuck_timeout')).toMatchObject({ kind: 'stuck_timeout', autoRetryable: true });
  });

  it.each([
    [60_000, 'No progress for 1 minute, so the generation was stopped.'],
    [5 * 60_000, 'No progress for 5 minutes, so the generation was stopped.'],
    [90 * 60_000, 'No progress for 90 minutes, so the generation was stopped.'],
    [150_000, 'No progress for 3 minutes, so the generation was stopped.'],
    [30_000, 'No progress for 30 seconds, so the generation was stopped.'],
    [1000, 'No progress for 1 second, so the generation was stopped.'],
  ])('%s ms -> %s', (timeoutMs, message) => {
    expect(stuckFailureMessage(timeoutMs)).toBe(message);
  });
});
