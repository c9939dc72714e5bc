import { describe, expect, it } from 'vitest';
import {
  AppError,
  GENERATION_STATUSES,
  applyPatch,
  assertCanStartGeneration,
  planReset,
  type GenerationColumns,
  type GenerationStatus,
} from '../../src/domain';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const EARLIER = new Date('2026-02-01T12:00:00.000Z');

/** A row with a current attempt and, from before, a completed video. */
function row(status: GenerationStatus): GenerationColumns {
  return {
    status,
    jobId: 'video_123',
    progress: 63,
    errorCode: 'server_error',
    errorMessage: 'Boom',
    startedAt: NOW,
    completedAt: EARLIER,
    progressChangedAt: NOW,
    pollFailures: 2,
    upstreamExpiresAt: NOW,
    videoUrl: '/videos/1/content',
    cost: 0.4,
    blobKey: 'videos/1.mp4',
    blobSize: 999,
    blobSha256: 'cd'.repeat(32),
    thumbnailKey: 'videos/1.webp',
    nextPollAt: NOW,
    leaseOwner: 'worker-1',
    leaseUntil: NOW,
    lastPolledAt: NOW,
    lastPollError: null,
    upstreamAnsweringSince: NOW,
    autoRetryAt: null,
  };
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('planReset', () => {
  it('refuses a completed generation with BAD_REQUEST and the seed message', () => {
    const error = thrown(() => planReset(row('completed')));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: 'Cannot reset completed generation' });
  });

  it.each(GENERATION_STATUSES.filter((status) => status !== 'completed'))(
    'resets %s: clears the attempt, keeps the earlier video',
    (status) => {
      const before = row(status);
      const plan = planReset(before);
      expect(plan.message).toBe('Sora generation reset successfully. You can now retry.');
      expect(applyPatch(before, plan.patch)).toEqual({
        ...before,
        status: 'not_started',
        jobId: null,
        startedAt: null,
        errorCode: null,
        errorMessage: null,
        progress: 0,
        progressChangedAt: null,
        upstreamExpiresAt: null,
        nextPollAt: null,
        leaseOwner: null,
        leaseUntil: null,
        pollFailures: 0,
        lastPollError: null,
        lastPolledAt: null,
        upstreamAnsweringSince: null,
        autoRetryAt: null,
      });
      // Kept on purpose (seed): the earlier completed video, its URL, completion time and cost.
      for (const key of [
        'videoUrl',
        'completedAt',
        'cost',
        'blobKey',
        'blobSize',
        'blobSha256',
        'thumbnailKey',
      ] as const) {
        expect(plan.patch).not.toHaveProperty(key);
      }
      const abandoned = status === 'queued' || status === 'in_progress';
      expect(plan.events).toEqual([
        {
          type: 'reset',
          fromStatus: status,
          toStatus: 'not_started',
          message: 'Sora generation reset successfully. You can now retry.',
          data: abandoned ? { abandonedJobId: 'video_123' } : {},
        },
      ]);
      // An abandoned job may still run and be billed: its attempt is marked reset (it keeps counting), not erased.
      expect(plan.attempt).toEqual(
        abandoned
          ? { status: 'failed', errorCode: 'reset', errorMessage: 'Reset by the user while the job was running; it may still be billed.' }
          : {},
      );
      // And a new generation is allowed afterwards.
      expect(() => assertCanStartGeneration(applyPatch(before, plan.patch))).not.toThrow();
    },
  );
});

describe('assertCanStartGeneration', () => {
  it.each<[GenerationStatus, boolean]>([
    ['not_started', true],
    ['queued', false],
    ['in_progress', false],
    ['completed', true],
    ['failed', true],
  ])('%s -> allowed %s', (status, allowed) => {
    if (allowed) {
      expect(() => assertCanStartGeneration({ status })).not.toThrow();
    } else {
      expect(thrown(() => assertCanStartGeneration({ status }))).toMatchObject({
        name: 'AppError',
        code: 'CONFLICT',
        message: 'A generation is already in progress for this video.',
      });
    }
  });
});
