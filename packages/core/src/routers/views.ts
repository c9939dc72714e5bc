import type { Event, Generation, Video } from '@sora-monitor/db';
import { countsTowardSpend, supportedOperations, VIDEO_OPERATIONS, type ModelCatalog, type RefreshOutcome, type VideoOperation } from '../domain';
import { toStatusView } from '../generations';

/** A video as clients see it; `catalog` decides which derivations (remix, extend, edit) its model offers. */
export function toVideoView(catalog: ModelCatalog, video: Video, outcome: RefreshOutcome | null = null) {
  return {
    id: video.id,
    title: video.title,
    prompt: video.prompt,
    model: video.model,
    size: video.size,
    seconds: video.seconds,
    createdAt: video.createdAt.toISOString(),
    generation: toStatusView(video, outcome),
    lineage: {
      operation: (VIDEO_OPERATIONS as readonly string[]).includes(video.operation) ? (video.operation as VideoOperation) : 'create',
      sourceVideoId: video.sourceVideoId,
      extensionSeconds: video.extensionSeconds,
      // Served by the content route, to the owner only, like the video itself.
      referenceImageUrl: video.referenceImageKey ? `/api/videos/${video.id}/content?variant=reference` : null,
    },
    operations: supportedOperations(catalog, video.model),
  };
}

export function toEventView(event: Event) {
  return {
    id: event.id,
    videoId: event.videoId,
    generationId: event.generationId,
    actor: event.actor,
    type: event.type,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    message: event.message,
    data: event.data ?? null,
    createdAt: event.createdAt.toISOString(),
  };
}

export function toAttemptView(generation: Generation) {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    id: generation.id,
    attempt: generation.attempt,
    jobId: generation.jobId,
    status: generation.status,
    createOutcome: generation.createOutcome,
    model: generation.model,
    size: generation.size,
    seconds: generation.seconds,
    progress: generation.progress,
    errorCode: generation.errorCode,
    errorMessage: generation.errorMessage,
    cost: generation.cost,
    requestedAt: generation.requestedAt.toISOString(),
    startedAt: iso(generation.startedAt),
    completedAt: iso(generation.completedAt),
    /** Whether this attempt counts toward the daily spend cap of the day it was requested. */
    countsTowardSpend: countsTowardSpend(generation),
  };
}

const TITLE_FROM_PROMPT_LENGTH = 60;

/** A video's default title: the prompt's first line, shortened. */
export function titleFromPrompt(prompt: string): string {
  const firstLine = prompt.split('\n')[0]?.trim() ?? prompt;
  return firstLine.length > TITLE_FROM_PROMPT_LENGTH ? `${firstLine.slice(0, TITLE_FROM_PROMPT_LENGTH - 1)}…` : firstLine;
}
