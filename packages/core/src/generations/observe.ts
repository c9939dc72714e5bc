import type { Observation } from '../domain';
import type { RetrieveResult } from '../provider';

/** What a retrieve told us, in the domain's terms. */
export function observationFromRetrieve(result: RetrieveResult): Observation {
  switch (result.kind) {
    case 'video':
      return {
        kind: 'video',
        status: result.video.status,
        progress: result.video.progress,
        error: result.video.error,
        completedAt: result.video.completedAt,
        expiresAt: result.video.expiresAt,
      };
    case 'not_found':
      return { kind: 'not_found' };
    case 'unavailable':
      return { kind: 'unavailable', reason: result.reason, retryAfterMs: result.retryAfterMs };
    case 'rejected':
      // 401/403/400 on a read are about our credentials or the endpoint, not about the job: never fail it for that.
      return { kind: 'unavailable', reason: 'server_error', retryAfterMs: null };
  }
}
