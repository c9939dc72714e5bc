import { beginGenerationAttempt, commitVideoChange, type EventActor, type Video } from '@sora-monitor/db';
import { AppError, assertCanStartGeneration, assertWithinDailySpendCap, classifyFailure } from '../domain';
import type { GenerationDeps } from './deps';
import { confirmJob } from './confirm-job';
import { findLostJob } from './reconcile-create';
import { getVideoById } from './video-queries';

export const GENERATION_REQUESTED_MESSAGE = 'Generation requested from the video service.';

/**
 * Starts a generation: record the attempt, ask upstream once (no SDK retries: a retried POST can duplicate a paid
 * job), and resolve an unknown outcome by looking the job up rather than asking again.
 */
export async function startGeneration(
  deps: GenerationDeps,
  userId: string,
  videoId: string,
  { actor = 'user' }: { actor?: EventActor } = {},
): Promise<Video> {
  const began = await beginGenerationAttempt(deps.db, {
    userId,
    videoId,
    actor,
    assertCanStart: (video) => assertCanStartGeneration({ status: video.soraGenerationStatus }),
    // Checked before anything is sent upstream, for user starts and automatic retries alike.
    assertCanSpend: (video, attemptsToday) => assertWithinDailySpendCap(deps.settings.dailySpendCapUsd, video, attemptsToday),
    message: GENERATION_REQUESTED_MESSAGE,
  });
  if (!began) throw new AppError('NOT_FOUND', 'Video not found');
  const { video, generation } = began;
  const log = deps.logger.child({ videoId, generationId: generation.id });
  const params = { prompt: video.prompt, model: video.model, size: video.size, seconds: video.seconds };

  const created = await deps.provider.create(params);
  if (created.kind === 'created') {
    return (await confirmJob(deps, video, generation, created.video, { actor, reconciled: false })) ?? reread(deps, video);
  }

  if (created.kind === 'unknown') {
    log.warn({ failure: created.failure }, 'Create outcome unknown; looking the job up instead of creating another');
    const found = await findLostJob(deps, generation);
    if (found && !('kind' in found)) {
      return (await confirmJob(deps, video, generation, found, { actor: 'system', reconciled: true })) ?? reread(deps, video);
    }
    // Not visible yet (or the list failed): the poller keeps looking; nothing is created twice meanwhile.
    const committed = await commitVideoChange(deps.db, {
      videoId,
      userId,
      generationId: generation.id,
      actor: 'system',
      expect: { status: 'queued', jobId: null },
      set: { lastPollError: created.failure.message },
      generationSet: { createOutcome: 'unknown' },
      events: [
        {
          type: 'create_unconfirmed',
          fromStatus: 'queued',
          toStatus: 'queued',
          message: 'The video service did not confirm the request; checking whether the job was created before trying again.',
          data: { reason: created.failure.message },
        },
      ],
    });
    return committed?.video ?? reread(deps, video);
  }

  // Certainly not created: a rejection (bad request, moderation, quota) or the service being busy.
  const failure = created.failure;
  const code = failure.kind === 'rejected' ? (failure.code ?? `http_${failure.status}`) : failure.kind === 'unavailable' && failure.reason === 'rate_limited' ? 'rate_limit_exceeded' : 'upstream_error';
  const info = classifyFailure(code, failure.message);
  const message = `${failure.message}${info.advice ? ` ${info.advice}` : ''}`;
  log.warn({ code, failure }, 'The video service did not accept the generation');
  const committed = await commitVideoChange(deps.db, {
    videoId,
    userId,
    generationId: generation.id,
    actor: 'system',
    expect: { status: 'queued', jobId: null },
    set: { soraGenerationStatus: 'failed', soraErrorCode: code, soraErrorMessage: message, nextPollAt: null },
    generationSet: { status: 'failed', errorCode: code, errorMessage: message, createOutcome: 'confirmed' },
    events: [{ type: 'status_changed', fromStatus: 'queued', toStatus: 'failed', message, data: { code } }],
  });
  return committed?.video ?? reread(deps, video);
}

async function reread(deps: GenerationDeps, video: Video): Promise<Video> {
  return (await getVideoById(deps.db, video.id)) ?? video;
}
