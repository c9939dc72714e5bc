import { releaseVideoLease, type EventActor, type Generation, type Video } from '@sora-monitor/db';
import { CREATE_NOT_CONFIRMED_CODE, CREATE_NOT_CONFIRMED_MESSAGE, planCreateNotConfirmed } from '../domain';
import { commitPlannedChange } from './commit-plan';
import type { GenerationDeps } from './deps';
import { confirmJob } from './confirm-job';
import type { RefreshResult } from './refresh';
import { getGenerationById, getVideoById, jobIdsTakenSince } from './video-queries';

/**
 * How far back attempts are looked at for jobs that are already taken. Far wider than the provider's clock-skew
 * allowance, so every job a search can match, and that an earlier attempt (of this or any video, of any user: the
 * upstream list is account-wide) already owns, is excluded.
 */
const TAKEN_JOBS_LOOKBACK_MS = 10 * 60_000;

/**
 * Looks upstream for the job an attempt asked for but never heard back about, skipping jobs other attempts own:
 * a retry with the same prompt (or another video with the same prompt) must not be tied to an earlier job.
 */
export async function findLostJob(deps: GenerationDeps, generation: Generation): ReturnType<GenerationDeps['provider']['findCreated']> {
  const params = { prompt: generation.prompt, model: generation.model, size: generation.size, seconds: generation.seconds };
  const taken = await jobIdsTakenSince(deps.db, new Date(generation.requestedAt.getTime() - TAKEN_JOBS_LOOKBACK_MS));
  return deps.provider.findCreated(params, generation.requestedAt, taken);
}

/** How long an unconfirmed create may stay unresolved before we conclude the job was never made. */
export const CREATE_CONFIRM_WINDOW_MS = 2 * 60_000;
export { CREATE_NOT_CONFIRMED_MESSAGE } from '../domain';

/**
 * An active generation without a job id: its create call's answer was lost (or the process died mid-call). Look
 * the job up instead of creating another one, which would be a duplicate, paid job.
 */
export async function reconcileUnconfirmedCreate(
  deps: GenerationDeps,
  video: Video,
  owner: string,
  actor: EventActor,
  now: Date,
): Promise<RefreshResult> {
  const release = async (): Promise<RefreshResult> => {
    await releaseVideoLease(deps.db, video.id, owner);
    return { video: (await getVideoById(deps.db, video.id)) ?? video, outcome: null };
  };
  const generation = video.currentGenerationId ? await getGenerationById(deps.db, video.currentGenerationId) : null;
  if (!generation) return release();
  // Both times come from the database clock: a process clock that runs fast must not give up early.
  const age = now.getTime() - generation.requestedAt.getTime();
  // A create still in flight somewhere: give it its lease time before second-guessing it.
  if (generation.createOutcome === 'pending' && age < deps.settings.leaseMs) return release();

  const found = await findLostJob(deps, generation);
  if (found && 'kind' in found) return release();
  if (found) {
    const confirmed = await confirmJob(deps, video, generation, found, { actor, owner, reconciled: true });
    return confirmed ? { video: confirmed, outcome: null } : release();
  }
  if (age < CREATE_CONFIRM_WINDOW_MS) return release();

  const committed = await commitPlannedChange(
    deps.db,
    { video: { ...video, currentGenerationId: generation.id }, actor, expect: { status: video.soraGenerationStatus, jobId: null, leaseOwner: owner } },
    planCreateNotConfirmed(video.soraGenerationStatus),
  );
  return committed ? { video: committed.video, outcome: { kind: 'failed', errorCode: CREATE_NOT_CONFIRMED_CODE, errorMessage: CREATE_NOT_CONFIRMED_MESSAGE } } : release();
}
