import { incorrectApiKey, invalidValue, missingApiKey } from '../errors';
import type { Job } from '../jobs';
import { QUEUED_FRACTION } from '../timeline';
import type { ServedVideoObject } from '../wire';
import { bearerToken, soraBaseOf, type Dialect } from './dialect';

/**
 * The task statuses of new-api / one-api gateways (QuantumNous/new-api, model/task.go), which such gateways put
 * on the wire in place of OpenAI's: NOT_START and SUBMITTED while queued, IN_PROGRESS, SUCCESS, FAILURE; the two
 * statuses outside the contract are upper-cased the same way.
 */
export function newapiStatus(video: ServedVideoObject, job: Job, nowMs: number): string {
  switch (video.status) {
    case 'queued':
      return nowMs - job.createdAtMs < (job.durationMs * QUEUED_FRACTION) / 2 ? 'NOT_START' : 'SUBMITTED';
    case 'in_progress':
      return 'IN_PROGRESS';
    case 'completed':
      return 'SUCCESS';
    case 'failed':
      return 'FAILURE';
    default:
      return video.status.toUpperCase();
  }
}

/**
 * new-api / one-api style gateways: `/v1/videos` with bearer auth and ids like `task_…`; the task record's
 * upper-case status and its progress as a string ("45%", QuantumNous/new-api dto/task.go), and empty fields left
 * out rather than sent as null (`omitempty` in dto/openai_video.go).
 */
export function newapiDialect(models: readonly string[] | null): Dialect {
  return {
    name: 'newapi',
    prefix: '/v1',
    authenticate(headers, apiKey) {
      const provided = bearerToken(headers);
      if (provided === undefined || provided === '') throw missingApiKey();
      if (provided !== apiKey) throw incorrectApiKey(provided);
    },
    checkQuery: () => {},
    acceptModel(model) {
      const soraBase = soraBaseOf(model);
      if (soraBase === null && !models?.includes(model))
        throw invalidValue('model', model, ['sora-2', 'sora-2-pro', ...(models ?? [])]);
      return { model, soraBase };
    },
    videoId: (rawId) => rawId.replace(/^video_/, 'task_'),
    characterId: (rawId) => rawId,
    render(video, job, nowMs) {
      const wire: Record<string, unknown> = {
        ...video,
        task_id: video.id,
        status: newapiStatus(video, job, nowMs),
        progress: `${video.progress}%`,
      };
      for (const key of ['completed_at', 'expires_at', 'error', 'remixed_from_video_id'])
        if (wire[key] === null) delete wire[key];
      return wire;
    },
    listFilter: () => () => true,
    contentVariant: (requested) => requested,
    contentHeaders: () => ({}),
  };
}
