import { normaliseProgress, normaliseText, normaliseTimestamp, normaliseUpstreamError } from '../domain';
import type { UpstreamVideo } from './types';

/** A required identifier: a non-empty string (trimmed); a number is taken as its decimal text. */
function requiredText(value: unknown): string | null {
  return normaliseText(value).trim() || null;
}

/**
 * Reads a Video object as services really send it. Only `id` and `status` are required: without them the answer
 * cannot be about a job. Every other field goes through the domain's tolerant normalisers, so one malformed optional
 * field (progress "45%", created_at as ISO text or in milliseconds, a missing created_at) never rejects the answer.
 */
export function parseUpstreamVideo(value: unknown): UpstreamVideo | { invalid: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { invalid: 'body: not a JSON object' };
  const video = value as Record<string, unknown>;
  const id = requiredText(video.id);
  if (!id) return { invalid: 'id: missing or empty' };
  const status = requiredText(video.status);
  if (!status) return { invalid: 'status: missing or empty' };
  return {
    id,
    status,
    progress: normaliseProgress(video.progress),
    error: normaliseUpstreamError(video.error),
    createdAt: normaliseTimestamp(video.created_at),
    completedAt: normaliseTimestamp(video.completed_at),
    expiresAt: normaliseTimestamp(video.expires_at),
    model: normaliseText(video.model),
    size: normaliseText(video.size),
    seconds: normaliseText(video.seconds),
    prompt: typeof video.prompt === 'string' ? video.prompt : null,
  };
}
