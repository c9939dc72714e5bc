import { beginGenerationAttempt, type EventActor, type NewVideo, type Video } from '@sora-monitor/db';
import {
  AppError,
  assertCanStartGeneration,
  assertWithinDailySpendCap,
  planBeginAttempt,
  planCreateRejected,
  planCreateUnconfirmed,
  refusedCreateFailure,
  spendCapPricing,
} from '../domain';
import type { UpstreamFailure } from '../provider';
import { commitPlannedChange } from './commit-plan';
import type { GenerationDeps } from './deps';
import { confirmJob } from './confirm-job';
import { createParams } from './create-params';
import { findLostJob } from './reconcile-create';
import { getVideoById } from './video-queries';
import { videoColumnsFromPatch } from './video-state';

export { GENERATION_REQUESTED_MESSAGE } from '../domain';

type StartTarget = { videoId: string } | { newVideo: Omit<NewVideo, 'userId'>; createdMessage: string };

/**
 * Starts a generation: record the attempt, ask upstream once (no SDK retries: a retried POST can duplicate a paid
 * job), and resolve an unknown outcome by looking the job up rather than asking again.
 */
export function startGeneration(
  deps: GenerationDeps,
  userId: string,
  videoId: string,
  { actor = 'user' }: { actor?: EventActor } = {},
): Promise<Video> {
  return start(deps, userId, { videoId }, actor);
}

/**
 * Creates a video and starts its generation in one step: a start refused (the daily spend cap) records nothing, so
 * no empty "not started" video is left behind.
 */
export function createAndStartGeneration(
  deps: GenerationDeps,
  userId: string,
  newVideo: Omit<NewVideo, 'userId'>,
  { createdMessage = 'Video created.' }: { createdMessage?: string } = {},
): Promise<Video> {
  return start(deps, userId, { newVideo, createdMessage }, 'user');
}

async function start(deps: GenerationDeps, userId: string, target: StartTarget, actor: EventActor): Promise<Video> {
  const began = await beginGenerationAttempt(deps.db, {
    userId,
    target,
    actor,
    assertCanStart: (video) => assertCanStartGeneration({ status: video.soraGenerationStatus }),
    // Checked before anything is sent upstream, for user starts and automatic retries alike.
    assertCanSpend: (video, attemptsToday) =>
      assertWithinDailySpendCap(deps.settings.dailySpendCapUsd, video, attemptsToday, spendCapPricing(deps.settings.catalog, deps.settings.unknownPriceUsdPerSecond)),
    plan: (video, attempt, now) => {
      const plan = planBeginAttempt({ status: video.soraGenerationStatus }, { attempt, now });
      return { set: videoColumnsFromPatch(plan.patch), events: plan.events.map((event) => ({ ...event, data: { ...event.data } })) };
    },
  });
  if (!began) throw new AppError('NOT_FOUND', 'Video not found');
  const { video, generation } = began;
  const log = deps.logger.child({ videoId: video.id, generationId: generation.id });
  // A reference image or a source job (remix, edit, extend) rides along; reconciliation matches on the same fields.
  const params = await createParams(deps, video);

  const created = await deps.provider.create(params);
  if (created.kind === 'created') {
    return (await confirmJob(deps, video, generation, created.video, { actor, reconciled: false })) ?? reread(deps, video);
  }
  const pending = { video, actor: 'system' as const, expect: { status: 'queued' as const, jobId: null } };

  if (created.kind === 'unknown') {
    log.warn({ failure: created.failure }, 'Create outcome unknown; looking the job up instead of creating another');
    const found = await findLostJob(deps, generation);
    if (found && !('kind' in found)) {
      return (await confirmJob(deps, video, generation, found, { actor: 'system', reconciled: true })) ?? reread(deps, video);
    }
    // Not visible yet (or the list failed): the poller keeps looking; nothing is created twice meanwhile.
    const committed = await commitPlannedChange(deps.db, pending, planCreateUnconfirmed({ status: 'queued' }, { reason: created.failure.message }));
    return committed?.video ?? reread(deps, video);
  }

  // Certainly not created: a rejection (bad request, moderation, quota) or the service being busy.
  const { code, message } = describeRejection(created.failure);
  log.warn({ code, failure: created.failure }, 'The video service did not accept the generation');
  const committed = await commitPlannedChange(deps.db, pending, planCreateRejected({ status: 'queued' }, { code, message }));
  return committed?.video ?? reread(deps, video);
}

/**
 * What is stored for a refused create: the service's message as it is (advice is derived for display, never added),
 * and a code that records the step and the HTTP status (`http_400:invalid_simulator_marker`), so the failure is told
 * by what happened.
 */
function describeRejection(failure: UpstreamFailure): { code: string; message: string } {
  const status = failure.kind === 'rejected' ? failure.status : failure.kind === 'unavailable' ? (failure.status ?? 429) : 404;
  return refusedCreateFailure({ status, code: failure.kind === 'not_found' ? null : (failure.code ?? null), message: failure.message });
}

async function reread(deps: GenerationDeps, video: Video): Promise<Video> {
  return (await getVideoById(deps.db, video.id)) ?? video;
}
