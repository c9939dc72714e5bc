import type { Video } from '@sora-monitor/db';
import { isActive, statusMessage, type GenerationStatus, type RefreshOutcome } from '../domain';

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
      : active && video.pollFailures > 0 && video.lastPollError
        ? video.lastPollError
        : null;
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
      statusMessage({ status: video.soraGenerationStatus, progress: video.soraProgress, errorMessage: video.soraErrorMessage }),
    temporarilyUnavailable: transientMessage !== null,
    jobId: video.soraJobId,
    startedAt: iso(video.soraStartedAt),
    completedAt: iso(video.soraCompletedAt),
    progressChangedAt: iso(video.progressChangedAt),
    cost: video.soraGenerationCost,
    autoRetryAt: video.soraGenerationStatus === 'failed' ? iso(video.autoRetryAt) : null,
    updatedAt: video.updatedAt.toISOString(),
  };
}
