import type { NewGeneration, NewVideo, Video } from '@sora-monitor/db';
import type { GenerationColumns, GenerationPatch } from '../domain';

/** Reads the domain's view of a video row's current generation. */
export function generationStateFromVideo(video: Video): GenerationColumns {
  return {
    status: video.soraGenerationStatus,
    jobId: video.soraJobId,
    progress: video.soraProgress,
    errorCode: video.soraErrorCode,
    errorMessage: video.soraErrorMessage,
    startedAt: video.soraStartedAt,
    completedAt: video.soraCompletedAt,
    progressChangedAt: video.progressChangedAt,
    pollFailures: video.pollFailures,
    upstreamExpiresAt: video.upstreamExpiresAt,
    videoUrl: video.soraVideoUrl,
    cost: video.soraGenerationCost,
    blobKey: video.blobKey,
    blobSize: video.blobSize,
    blobSha256: video.blobSha256,
    thumbnailKey: video.thumbnailBlobKey,
    nextPollAt: video.nextPollAt,
    leaseOwner: video.leaseOwner,
    leaseUntil: video.leaseUntil,
    lastPolledAt: video.lastPolledAt,
    lastPollError: video.lastPollError,
    upstreamAnsweringSince: video.upstreamAnsweringSince,
    autoRetryAt: video.autoRetryAt,
  };
}

const VIDEO_COLUMN: { [K in keyof GenerationColumns]: keyof NewVideo } = {
  status: 'soraGenerationStatus',
  jobId: 'soraJobId',
  progress: 'soraProgress',
  errorCode: 'soraErrorCode',
  errorMessage: 'soraErrorMessage',
  startedAt: 'soraStartedAt',
  completedAt: 'soraCompletedAt',
  progressChangedAt: 'progressChangedAt',
  pollFailures: 'pollFailures',
  upstreamExpiresAt: 'upstreamExpiresAt',
  videoUrl: 'soraVideoUrl',
  cost: 'soraGenerationCost',
  blobKey: 'blobKey',
  blobSize: 'blobSize',
  blobSha256: 'blobSha256',
  thumbnailKey: 'thumbnailBlobKey',
  nextPollAt: 'nextPollAt',
  leaseOwner: 'leaseOwner',
  leaseUntil: 'leaseUntil',
  lastPolledAt: 'lastPolledAt',
  lastPollError: 'lastPollError',
  upstreamAnsweringSince: 'upstreamAnsweringSince',
  autoRetryAt: 'autoRetryAt',
};

/** The domain's patch as video columns. */
export function videoColumnsFromPatch(patch: GenerationPatch): Partial<NewVideo> {
  const columns: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) columns[VIDEO_COLUMN[key as keyof GenerationColumns]] = value;
  }
  return columns as Partial<NewVideo>;
}

/** The part of a patch the attempt's history row mirrors. */
export function generationColumnsFromPatch(patch: GenerationPatch): Partial<NewGeneration> {
  const columns: Partial<NewGeneration> = {};
  if (patch.status !== undefined && patch.status !== 'not_started') columns.status = patch.status;
  if (patch.jobId) columns.jobId = patch.jobId;
  if (patch.progress !== undefined) columns.progress = patch.progress;
  if (patch.errorCode !== undefined) columns.errorCode = patch.errorCode;
  if (patch.errorMessage !== undefined) columns.errorMessage = patch.errorMessage;
  if (patch.startedAt !== undefined) columns.startedAt = patch.startedAt;
  if (patch.completedAt !== undefined) columns.completedAt = patch.completedAt;
  if (patch.cost !== undefined) columns.cost = patch.cost;
  return columns;
}
