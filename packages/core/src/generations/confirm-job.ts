import { dbNow, type EventActor, type Generation, type Video } from '@sora-monitor/db';
import { nextPollAt, planJobConfirmed } from '../domain';
import type { UpstreamVideo } from '../provider';
import { commitPlannedChange } from './commit-plan';
import type { GenerationDeps } from './deps';

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
  const plan = planJobConfirmed(
    { status: video.soraGenerationStatus },
    {
      jobId: job.id,
      createdAt: job.createdAt,
      expiresAt: job.expiresAt,
      reconciled: options.reconciled,
      now,
      firstPollAt: nextPollAt(now, { status: 'queued', progress: 0 }, null, deps.settings, deps.random, deps.pollSchedule?.spacingMs()),
    },
  );
  const committed = await commitPlannedChange(
    deps.db,
    {
      video: { ...video, currentGenerationId: generation.id },
      actor: options.actor,
      expect: { status: video.soraGenerationStatus, jobId: null, ...(options.owner ? { leaseOwner: options.owner } : {}) },
    },
    plan,
  ).catch((error: unknown) => {
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
