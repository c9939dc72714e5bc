import {
  claimVideoForRefresh,
  extendVideoLease,
  releaseVideoLease,
  type EventActor,
  type Video,
} from '@sora-monitor/db';
import { answeringSinceAfter, isActive, isRefreshDue, nextPollAt, refreshTransition, transientProblemEvent, unknownStatusNotice, type Observation, type RefreshOutcome } from '../domain';
import type { RetrieveResult } from '../provider';
import { startLeaseHeartbeat } from '../worker/lease-heartbeat';
import type { BackgroundDownloads } from './background-downloads';
import { commitChange } from './commit-change';
import type { GenerationDeps } from './deps';
import { planAutoRetry } from './auto-retry';
import { downloadFinishedVideo } from './download';
import { createDownloadProgressRecorder } from './download-progress';
import { withProviderAnswer } from './provider-answer';
import { observationFromRetrieve } from './observe';
import { reconcileUnconfirmedCreate } from './reconcile-create';
import { createSingleFlight } from './single-flight';
import { getVideoById } from './video-queries';
import { generationColumnsFromPatch, generationStateFromVideo, videoColumnsFromPatch } from './video-state';

export interface RefreshResult {
  video: Video;
  /** What this refresh observed; null when the stored state was answered as it is (fresh, terminal, or leased). */
  outcome: RefreshOutcome | null;
}

export interface RefreshOptions {
  actor: EventActor;
  /** Ask upstream only if the stored state is older than this (0 = always, e.g. for a webhook). */
  freshForMs: number;
  /** The row the caller has just read, with the database clock at that read: decides "fresh" without a claim. */
  known?: { video: Video; dbNowMs: number };
}

export type Refresher = (videoId: string, options: RefreshOptions) => Promise<RefreshResult | null>;

/**
 * The one refresh path: status requests, the poller and webhooks all come through here. In-process callers for one
 * video share one execution; across processes the row lease lets only one ask upstream at a time.
 */
export function createRefresher(deps: GenerationDeps, options: { background?: BackgroundDownloads } = {}): Refresher {
  const singleFlight = createSingleFlight<RefreshResult | null>();
  const endedHere = createEndedLeases();
  return (videoId, refreshOptions) => {
    // A refresh of this video running here is shared, even when the row looks leased (by that very refresh). Else a
    // row just read that is fresh or leased elsewhere is the answer: no claim UPDATE, no second read.
    const { known } = refreshOptions;
    if (known && !singleFlight.has(videoId) && !isRefreshDue(generationStateFromVideo(known.video), known.dbNowMs, refreshOptions.freshForMs)) {
      // Read under the lease of a refresh here that has ended since: what that refresh committed is newer than the row.
      if (endedHere.has(videoId, known.video.leaseOwner)) return getVideoById(deps.db, videoId).then((video) => (video ? { video, outcome: null } : null));
      return Promise.resolve({ video: known.video, outcome: null });
    }
    return singleFlight(videoId, () => refreshVideo(deps, videoId, refreshOptions, options.background, (owner) => endedHere.record(videoId, owner)));
  };
}

/**
 * The lease owner of each video's latest refresh here that has ended, its lease given up (a background download ends
 * later than its refresh). Bounded: the oldest videos are forgotten.
 */
function createEndedLeases(limit = 10_000) {
  const owners = new Map<string, string>();
  return {
    record(videoId: string, owner: string) {
      owners.delete(videoId);
      owners.set(videoId, owner);
      if (owners.size > limit) owners.delete(owners.keys().next().value!);
    },
    has: (videoId: string, owner: string | null) => owner !== null && owners.get(videoId) === owner,
  };
}

async function refreshVideo(
  deps: GenerationDeps,
  videoId: string,
  options: RefreshOptions,
  background: BackgroundDownloads | undefined,
  onEnded: (owner: string) => void,
): Promise<RefreshResult | null> {
  const owner = deps.nextLeaseOwner();
  const claim = await claimVideoForRefresh(deps.db, {
    videoId,
    owner,
    freshForMs: options.freshForMs,
    leaseMs: deps.settings.leaseMs,
  });
  if (!claim) {
    const video = await getVideoById(deps.db, videoId);
    return video ? { video, outcome: null } : null;
  }
  // Renewed while we work (budget wait, download), so the lease runs out only if this process stops.
  const heartbeat = startLeaseHeartbeat(deps.db, owner, [videoId], deps.settings.leaseMs, deps.logger);
  let heartbeatHandedOver = false;
  // The lease (and its heartbeat) go with the download; the caller gets the "Downloading" state now.
  const storeInBackground: StoreFinished | undefined = background
    ? (observed, store) => {
        heartbeatHandedOver = true;
        background.run(async (workDeps) => {
          try {
            await store(workDeps);
          } catch (error) {
            await releaseVideoLease(deps.db, videoId, owner);
            throw error;
          } finally {
            await heartbeat.stop();
            onEnded(owner);
          }
        });
        return Promise.resolve(observed);
      }
    : undefined;
  try {
    return await refreshClaimed(deps, claim.video, new Date(claim.dbNowMs), owner, options.actor, storeInBackground);
  } catch (error) {
    await releaseVideoLease(deps.db, videoId, owner);
    throw error;
  } finally {
    if (!heartbeatHandedOver) {
      await heartbeat.stop();
      onEnded(owner);
    }
  }
}

/**
 * What to do once upstream says the video is finished: `store` downloads and stores it (with the deps given, or the
 * refresh's own). By default it runs now and its outcome is the answer; a request-driven refresh hands it to the
 * background instead and answers with the observed "Downloading" state.
 */
type StoreFinished = (observed: RefreshResult, store: (workDeps?: GenerationDeps) => Promise<RefreshResult>) => Promise<RefreshResult>;

const storeNow: StoreFinished = (_observed, store) => store();

/** Refreshes a video whose lease `owner` holds (the poller claims in batches and calls this directly). */
export async function refreshClaimed(
  deps: GenerationDeps,
  video: Video,
  now: Date,
  owner: string,
  actor: EventActor,
  storeFinished: StoreFinished = storeNow,
): Promise<RefreshResult> {
  if (!video.soraJobId) return reconcileUnconfirmedCreate(deps, video, owner, actor, now);
  const log = deps.logger.child({ videoId: video.id, jobId: video.soraJobId });
  const result = await deps.provider.retrieve(video.soraJobId);
  if (result.kind === 'rejected') log.error({ status: result.status, message: result.message }, 'The video service rejected a status request');
  if (result.kind === 'unavailable') log.warn({ reason: result.reason, message: result.message }, 'The video service is temporarily unavailable');

  const first = await applyObservation(deps, video, observationFromRetrieve(result), now, owner, actor, true, result);
  if (first.outcome?.kind !== 'needs_download') return first;

  // Keep the lease through the download so no one else downloads the same file at the same time.
  await extendVideoLease(deps.db, video.id, owner, deps.settings.downloadLeaseMs);
  const jobId = video.soraJobId;
  const completedAt = first.outcome.completedAt ?? now;
  return storeFinished(first, async (workDeps = deps) => {
    const progress = createDownloadProgressRecorder(workDeps, first.video, owner);
    const downloaded = await downloadFinishedVideo(workDeps, first.video, jobId, completedAt, now, progress);
    return applyObservation(workDeps, first.video, downloaded, now, owner, actor, false, result);
  });
}

async function applyObservation(
  deps: GenerationDeps,
  video: Video,
  observation: Observation,
  now: Date,
  owner: string,
  actor: EventActor,
  isPoll: boolean,
  answer: RetrieveResult,
): Promise<RefreshResult> {
  const state = generationStateFromVideo(video);
  const transition = refreshTransition(state, observation, now);
  const { patch, outcome } = transition;
  // An unknown status is noted on the row: logged and audited when it first appears, not on every poll.
  const unknown = outcome.kind === 'unknown_status' && isActive(state.status) ? unknownStatusNotice(video.lastPollError, state.status, outcome) : null;
  if (unknown?.firstSighting) {
    deps.logger.warn({ videoId: video.id, jobId: video.soraJobId, upstreamStatus: outcome.kind === 'unknown_status' ? outcome.rawStatus : null }, 'Unknown upstream status; keeping the current status');
  }
  // A passing upstream problem changes no state, but the activity log keeps it (what happened, and when).
  const transitionEvents = unknown?.event ? [...transition.events, unknown.event] : transition.events;
  const events = withProviderAnswer(
    outcome.kind === 'temporarily_unavailable' ? [...transitionEvents, transientProblemEvent(state.status, outcome)] : transitionEvents,
    answer,
  );
  const next = { status: patch.status ?? state.status, progress: patch.progress ?? state.progress };
  const keepLease = outcome.kind === 'needs_download';
  const autoRetryAt =
    outcome.kind === 'failed' ? await planAutoRetry(deps, video, { code: outcome.errorCode, message: outcome.errorMessage }, now) : null;
  const pollError = outcome.kind === 'temporarily_unavailable' || outcome.kind === 'download_retry' ? outcome.message : (unknown?.note ?? null);
  const upstreamAnsweringSince = answeringSinceAfter(video.upstreamAnsweringSince, statusRequestResult(observation), now);

  const committed = await commitChange(deps.db, {
    videoId: video.id,
    userId: video.userId,
    generationId: video.currentGenerationId,
    actor,
    expect: { status: state.status, jobId: state.jobId, leaseOwner: owner },
    set: {
      ...videoColumnsFromPatch(patch),
      ...(isPoll ? { lastPolledAt: now } : {}),
      lastPollError: pollError,
      upstreamAnsweringSince,
      nextPollAt: nextPollAt(now, next, outcome, deps.settings, deps.random, deps.pollSchedule?.spacingMs()),
      ...(autoRetryAt ? { autoRetryAt } : {}),
      ...(keepLease ? {} : { leaseOwner: null, leaseUntil: null }),
    },
    generationSet: generationColumnsFromPatch(patch),
    events: events.map((event) => ({ ...event, data: event.data ? { ...event.data } : null })),
  });
  if (!committed) {
    // The lease was lost (we were paused past it) or the state moved on (a reset): the newer state wins.
    deps.logger.warn({ videoId: video.id, owner }, 'Discarded a stale refresh result; the video changed meanwhile');
    const current = await getVideoById(deps.db, video.id);
    return { video: current ?? video, outcome: null };
  }
  if (isPoll) deps.recentPolls?.note(video.id, now.getTime());
  return { video: committed.video, outcome };
}

/** Whether the observation answered a status request (the stuck sweep measures only while upstream answers). */
function statusRequestResult(observation: Observation): Parameters<typeof answeringSinceAfter>[1] {
  if (observation.kind === 'unavailable') return 'unanswered';
  return observation.kind === 'video' || observation.kind === 'not_found' ? 'answered' : 'not_a_status_request';
}
