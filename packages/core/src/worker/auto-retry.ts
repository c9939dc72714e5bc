import { claimDueRetries, dbNow, type Video } from '@sora-monitor/db';
import {
  autoRetryAt,
  hasUpstreamJobEnded,
  isDailySpendCapError,
  planResumeFinishedJob,
  planRetryDeferred,
  planRetryRefused,
  upstreamJobVerdict,
  type PlannedChange,
} from '../domain';
import { startGeneration, type GenerationDeps } from '../generations';
import { commitPlannedChange } from '../generations/commit-plan';
import { observationFromRetrieve } from '../generations/observe';
import { getGenerationById } from '../generations/video-queries';

/**
 * Starts the automatic new attempts that are due (each claimed by exactly one worker), but only once the previous
 * upstream job has definitely ended: a new job while the old one may still finish would be paid for twice.
 */
export async function startDueRetries(deps: GenerationDeps, limit: number): Promise<number> {
  const due = await claimDueRetries(deps.db, limit);
  for (const video of due) {
    if (!(await previousJobEnded(deps, video))) continue;
    try {
      await startGeneration(deps, video.userId, video.id, { actor: 'poller' });
      deps.logger.info({ videoId: video.id }, 'Started an automatic retry');
    } catch (error) {
      if (isDailySpendCapError(error)) {
        deps.logger.warn({ videoId: video.id }, 'Automatic retry refused by the daily spend cap');
        await commitRetryDecision(deps, video, planRetryRefused({ status: 'failed' }, { reason: error.message, code: 'daily_spend_cap' }));
        continue;
      }
      // E.g. the user started one themselves meanwhile (CONFLICT): their choice wins.
      deps.logger.warn({ err: error, videoId: video.id }, 'Automatic retry not started');
    }
  }
  return due.length;
}

/**
 * True when the failed attempt's job has definitely ended. Otherwise (stopped as stuck) asks upstream once: ended
 * → true; completed → the job is followed again and its video downloaded; still running or unreachable → the retry
 * is deferred.
 */
async function previousJobEnded(deps: GenerationDeps, video: Video): Promise<boolean> {
  const attempt = video.currentGenerationId ? await getGenerationById(deps.db, video.currentGenerationId) : null;
  if (!attempt || hasUpstreamJobEnded(attempt)) return true;
  const answer = video.soraJobId ? observationFromRetrieve(await deps.provider.retrieve(video.soraJobId)) : null;
  const verdict = answer && answer.kind !== 'downloaded' && answer.kind !== 'download_failed' ? upstreamJobVerdict(answer) : 'may_still_finish';
  if (verdict === 'ended') return true;
  const now = await dbNow(deps.db);
  if (verdict === 'completed') {
    deps.logger.info({ videoId: video.id }, 'A job failed as stuck completed after all; downloading it instead of retrying');
    await commitRetryDecision(deps, video, planResumeFinishedJob({ status: 'failed' }, now));
    return false;
  }
  // Looked at again after the delay the next attempt would have had (at least the base delay).
  const next =
    autoRetryAt(Math.min(attempt.attempt + 1, deps.settings.maxAttempts), now, deps.settings, deps.random) ??
    new Date(now.getTime() + deps.settings.retryBaseMs);
  const reason = answer?.kind === 'video' ? `upstream status ${answer.status}` : 'upstream not reachable';
  deps.logger.info({ videoId: video.id, reason }, 'Automatic retry deferred: the earlier job may still finish');
  await commitRetryDecision(deps, video, planRetryDeferred({ status: 'failed' }, { autoRetryAt: next, reason }));
  return false;
}

/** Only if nothing changed meanwhile (a user reset or regenerate wins). */
function commitRetryDecision(deps: GenerationDeps, video: Video, plan: PlannedChange) {
  return commitPlannedChange(deps.db, { video, actor: 'poller', expect: { status: 'failed', jobId: video.soraJobId } }, plan);
}
