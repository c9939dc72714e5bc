import { commitVideoChange, dbNow, type EventActor, type Generation, type Video } from '@sora-monitor/db';
import type { UpstreamVideo } from '../provider';
import type { GenerationDeps } from './deps';
import { nextPollAt } from './schedule';

/** Ties an upstream job to the attempt that asked for it: from now on it is polled like any other. */
export async function confirmJob(
  deps: GenerationDeps,
  video: Video,
  generation: Generation,
  job: UpstreamVideo,
  options: { actor: EventActor; owner?: string; reconciled: boolean },
): Promise<Video | null> {
  // The database clock, like every other timing decision: a process whose own clock is off would otherwise schedule
  // the first poll minutes away (or in the past), and the stuck sweep would fail a healthy job meanwhile.
  const now = await dbNow(deps.db);
  const committed = await commitVideoChange(deps.db, {
    videoId: video.id,
    userId: video.userId,
    generationId: generation.id,
    actor: options.actor,
    expect: { status: video.soraGenerationStatus, jobId: null, ...(options.owner ? { leaseOwner: options.owner } : {}) },
    set: {
      soraJobId: job.id,
      soraStartedAt: job.createdAt,
      upstreamExpiresAt: job.expiresAt,
      nextPollAt: nextPollAt(now, { status: 'queued', progress: 0 }, null, deps.settings, deps.random),
      leaseOwner: null,
      leaseUntil: null,
    },
    generationSet: { jobId: job.id, createOutcome: 'confirmed', startedAt: job.createdAt },
    events: [
      {
        type: 'job_created',
        fromStatus: video.soraGenerationStatus,
        toStatus: video.soraGenerationStatus,
        message: options.reconciled
          ? `The video service had accepted the request although its answer was lost (job ${job.id}).`
          : `The video service accepted the request (job ${job.id}).`,
        data: { jobId: job.id, reconciled: options.reconciled },
      },
    ],
  }).catch((error: unknown) => {
    // Lost a race for the same job with another attempt: for this one the job is simply not found yet.
    if (options.reconciled && isUniqueViolation(error)) return null;
    throw error;
  });
  return committed?.video ?? null;
}

/** Postgres unique_violation: another attempt claimed this job id first (two identical lost creates at once). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown; cause?: { code?: unknown } })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  return code === '23505';
}
