import { claimThumbnailRetry, releaseVideoLease, type Video } from '@sora-monitor/db';
import { commitChange } from './commit-change';
import { planThumbnailRetry } from '../domain';
import type { GenerationDeps } from './deps';
import { downloadThumbnail } from './download';

export const THUMBNAIL_STORED_MESSAGE = 'The preview image was fetched on a later try.';

/**
 * Tries once more to fetch the thumbnail a completed video is missing, when a try is due, under the row lease (so one
 * caller in any process asks the service). Stores it, or plans the next try with a doubling delay until the tries are
 * used up or the service's copy expires. Null when no try was due or another caller holds the lease.
 */
export async function retryThumbnail(deps: GenerationDeps, videoId: string): Promise<Video | null> {
  const owner = deps.nextLeaseOwner();
  const claim = await claimThumbnailRetry(deps.db, { videoId, owner, leaseMs: deps.settings.leaseMs });
  if (!claim) return null;
  const { video } = claim;
  try {
    const jobId = video.soraJobId;
    const fetched = jobId ? await downloadThumbnail(deps, video.id, jobId) : ({ kind: 'missing', retryable: false } as const);
    const plan = planThumbnailRetry(video, fetched, new Date(claim.dbNowMs), deps.settings.thumbnailRetryBaseMs);
    const committed = await commitChange(deps.db, {
      videoId: video.id,
      userId: video.userId,
      generationId: video.currentGenerationId,
      actor: 'system',
      expect: { status: 'completed', jobId, leaseOwner: owner },
      set: {
        ...(plan.thumbnailKey ? { thumbnailBlobKey: plan.thumbnailKey } : {}),
        nextPollAt: plan.nextPollAt,
        pollFailures: plan.pollFailures,
        leaseOwner: null,
        leaseUntil: null,
      },
      // Only an arrival is worth a line in the history (and a live update of the card); a failed try is not.
      events: plan.thumbnailKey
        ? [{ type: 'thumbnail_stored', fromStatus: 'completed', toStatus: 'completed', message: THUMBNAIL_STORED_MESSAGE, data: { tries: video.pollFailures + 1 } }]
        : [],
    });
    return committed?.video ?? null;
  } catch (error) {
    await releaseVideoLease(deps.db, video.id, owner);
    throw error;
  }
}
