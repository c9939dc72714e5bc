import { rateLimited, serviceUnavailable, type ApiError } from './errors';
import type { Job } from './jobs';

/**
 * The transient error a request on this job must get instead of its answer, if any: first the remaining
 * `[sim:429-burst]` answers, then `[sim:flap-503]`'s every-other 503. Counts as a request on the job either way.
 */
export function transientFaultFor(job: Job, retryAfterMs: number): ApiError | null {
  if (job.burst429Left > 0) {
    job.burst429Left -= 1;
    return rateLimited(retryAfterMs);
  }
  if (job.scenario.flap503) {
    job.flapCount += 1;
    if (job.flapCount % 2 === 1) return serviceUnavailable(retryAfterMs);
  }
  return null;
}
