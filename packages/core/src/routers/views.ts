import type { Event, Generation, Video } from '@sora-monitor/db';
import type { RefreshOutcome } from '../domain';
import { toStatusView } from '../generations';

export function toVideoView(video: Video, outcome: RefreshOutcome | null = null) {
  return {
    id: video.id,
    title: video.title,
    prompt: video.prompt,
    model: video.model,
    size: video.size,
    seconds: video.seconds,
    createdAt: video.createdAt.toISOString(),
    generation: toStatusView(video, outcome),
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
  };
}
