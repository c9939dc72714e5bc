import type { Video } from '@sora-monitor/db';
import { isActive, isRateLimitedMessage, isUnknownStatusMessage, statusMessage, type GenerationStatus, type RefreshOutcome } from '../domain';

export interface StatusView {
  videoId: string;
  status: GenerationStatus;
  progress: number;
  videoUrl: string | null;
  thumbnailUrl: string | null;
  error: string | null;
  errorCode: string | null;
  message: string;
  /** True while the video service cannot be reached: the status shown is the last known one. */
  temporarilyUnavailable: boolean;
  /** The service answered 429 (asked us to slow down): a rate limit, not an outage. */
  rateLimited: boolean;
  /** While temporarily unavailable: when the next status request is planned (honouring the service's retry-after). */
  nextCheckAt: string | null;
  jobId: string | null;
  startedAt: string | null;
  completedAt: string | null;
  progressChangedAt: string | null;
  cost: number | null;
  autoRetryAt: string | null;
  updatedAt: string;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The seed's status response, plus what the UI needs to show honest progress. */
export function toStatusView(video: Video, outcome: RefreshOutcome | null = null): StatusView {
  const active = isActive(video.soraGenerationStatus);
  const transientMessage =
    outcome && (outcome.kind === 'temporarily_unavailable' || outcome.kind === 'download_retry')
      ? outcome.message
      : active && video.pollFailures > 0 && video.lastPollError && !isUnknownStatusMessage(video.lastPollError)
        ? video.lastPollError
        : null;
  // The service answered with a status we do not know: say what it reports (the service is reachable, so this is
  // not "temporarily unavailable").
  const reportedStatus =
    outcome?.kind === 'unknown_status' ? outcome.message : active && isUnknownStatusMessage(video.lastPollError) ? video.lastPollError : null;
  const hasVideo = Boolean(video.blobKey);
  return {
    videoId: video.id,
    status: video.soraGenerationStatus,
    progress: video.soraProgress,
    videoUrl: hasVideo ? video.soraVideoUrl : null,
    thumbnailUrl: video.thumbnailBlobKey && video.soraVideoUrl ? `${video.soraVideoUrl}?variant=thumbnail` : null,
    error: video.soraGenerationStatus === 'failed' ? video.soraErrorMessage : null,
    errorCode: video.soraGenerationStatus === 'failed' ? video.soraErrorCode : null,
    message:
      transientMessage ??
      reportedStatus ??
      statusMessage({ status: video.soraGenerationStatus, progress: video.soraProgress, errorMessage: video.soraErrorMessage }),
    temporarilyUnavailable: transientMessage !== null,
    rateLimited: isRateLimitedMessage(transientMessage),
    nextCheckAt: transientMessage !== null ? iso(video.nextPollAt) : null,
    jobId: video.soraJobId,
    startedAt: iso(video.soraStartedAt),
    completedAt: iso(video.soraCompletedAt),
    progressChangedAt: iso(video.progressChangedAt),
    cost: video.soraGenerationCost,
    autoRetryAt: video.soraGenerationStatus === 'failed' ? iso(video.autoRetryAt) : null,
    updatedAt: video.updatedAt.toISOString(),
  };
}
