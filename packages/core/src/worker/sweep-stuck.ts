import { claimVideoForRefresh, listStuckCandidates, releaseVideoLease, type Video } from '@sora-monitor/db';
import { FAILURE_CODES, planStuckFailure, stuckVerdict } from '../domain';
import { createRefresher, type GenerationDeps } from '../generations';
import { planAutoRetry } from '../generations/auto-retry';
import { commitPlannedChange } from '../generations/commit-plan';
import { generationStateFromVideo } from '../generations/video-state';

export interface StuckFailure {
  videoId: string;
  userId: string;
  autoRetryAt: Date | null;
}

/** Candidates looked at per sweep; the rest wait for the next one. */
const SWEEP_BATCH = 100;

/**
 * Fails generations that are stuck (see `stuckVerdict`: upstream answers and reports no progress for the timeout,
 * by the database clock). Before failing one it asks upstream once more through the one refresh path: a job that
 * completed is downloaded, one that moved or could not be reached is left alone. Only if that answer still shows no
 * progress is it failed, under the sweeper's own lease, so of several sweepers exactly one fails it.
 */
export async function sweepStuckGenerations(deps: GenerationDeps): Promise<StuckFailure[]> {
  const timeoutMs = deps.settings.stuckTimeoutMs;
  const candidates = await listStuckCandidates(deps.db, { timeoutMs, limit: SWEEP_BATCH });
  const listedAt = performance.now();
  const refresh = createRefresher(deps);
  const failed: StuckFailure[] = [];
  for (const candidate of candidates.videos) {
    if (!stuckVerdict(generationStateFromVideo(candidate), new Date(candidates.dbNowMs), timeoutMs).stuck) continue;
    // The final check: a completed job is downloaded right here (the refresh path), a moved one keeps going. It asks
    // only if nobody has asked since this sweep listed the row: another sweeper that did is failing it now, and a
    // second request would only cost budget (sweepers that run one after another, not just side by side).
    const checked = await refresh(candidate.id, { actor: 'sweeper', freshForMs: Math.floor(performance.now() - listedAt) });
    if (checked?.outcome?.kind !== 'tracking') continue;
    const failure = await failIfStillStuck(deps, candidate.id);
    if (failure) failed.push(failure);
  }
  return failed;
}

async function failIfStillStuck(deps: GenerationDeps, videoId: string): Promise<StuckFailure | null> {
  const owner = deps.nextLeaseOwner();
  const claim = await claimVideoForRefresh(deps.db, { videoId, owner, freshForMs: 0, leaseMs: deps.settings.leaseMs });
  if (!claim) return null; // someone else is working on it now: not stuck
  const video: Video = claim.video;
  const now = new Date(claim.dbNowMs);
  // Judged on the row as it is now (the final check's answer included), with our own lease not counting as live.
  const state = { ...generationStateFromVideo(video), leaseUntil: null };
  if (!stuckVerdict(state, now, deps.settings.stuckTimeoutMs).stuck) {
    await releaseVideoLease(deps.db, videoId, owner);
    return null;
  }
  const autoRetryAt = await planAutoRetry(deps, video, { code: FAILURE_CODES.stuckTimeout, message: null }, now);
  const plan = planStuckFailure(state, { timeoutMs: deps.settings.stuckTimeoutMs, autoRetryAt });
  const committed = await commitPlannedChange(
    deps.db,
    { video, actor: 'sweeper', expect: { status: state.status, jobId: state.jobId, leaseOwner: owner } },
    plan,
  );
  if (!committed) {
    await releaseVideoLease(deps.db, videoId, owner);
    return null;
  }
  deps.logger.warn({ videoId, autoRetryAt }, 'Failed a stuck generation');
  return { videoId, userId: video.userId, autoRetryAt };
}
