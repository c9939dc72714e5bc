import { randomBytes } from 'node:crypto';
import type { Scenario } from './scenarios';
import { CONTENT_LIFETIME_MS, observe, type JobPlan, type Observation } from './timeline';
import type { ServedVideoObject, VideoModel, VideoSeconds, VideoSize } from './wire';

/** How much longer `[sim:slow]` jobs take. */
export const SLOW_FACTOR = 5;

export interface NewJob {
  model: VideoModel;
  seconds: VideoSeconds;
  size: VideoSize;
  prompt: string;
  remixedFromVideoId: string | null;
  scenario: Scenario;
}

export interface Job extends NewJob, JobPlan {
  id: string;
  /** Successful GETs so far, for `[sim:expire-after]`. */
  successfulPolls: number;
  /** Requests on this job that reached the flap check, for `[sim:flap-503]`. */
  flapCount: number;
  /** Remaining `[sim:429-burst]` answers. */
  burst429Left: number;
  /** Deleted, or expired by `[sim:expire-after]`: every request on it answers 404. */
  gone: boolean;
  /** Its `video.completed` / `video.failed` moment has been handled (webhook sent or not configured). */
  terminalReported: boolean;
}

export interface ListQuery {
  after: string | null;
  limit: number;
  order: 'asc' | 'desc';
}

export interface ListResult {
  jobs: Job[];
  hasMore: boolean;
}

/** Every job the simulator knows, in memory. Status is never stored: it is observed from the clock on demand. */
export class JobStore {
  readonly #jobs = new Map<string, Job>();
  /** Jobs whose completion/failure has not been handled yet, so the watcher never rescans finished ones. */
  readonly #unreported = new Set<Job>();
  readonly #createdByPrompt = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly generationMs: number,
  ) {}

  /** How many jobs were ever created with exactly this prompt (deleted ones included). */
  countByPrompt(prompt: string): number {
    return this.#createdByPrompt.get(prompt) ?? 0;
  }

  create(input: NewJob): Job {
    this.#createdByPrompt.set(input.prompt, (this.#createdByPrompt.get(input.prompt) ?? 0) + 1);
    const baseDuration = input.scenario.durationMs ?? this.generationMs;
    const job: Job = {
      ...input,
      id: `video_${randomBytes(24).toString('hex')}`,
      createdAtMs: this.now(),
      durationMs: baseDuration * (input.scenario.slow ? SLOW_FACTOR : 1),
      successfulPolls: 0,
      flapCount: 0,
      burst429Left: input.scenario.burst429,
      gone: false,
      terminalReported: false,
    };
    this.#jobs.set(job.id, job);
    this.#unreported.add(job);
    return job;
  }

  /** A job that can still be addressed (not deleted, not expired). */
  find(id: string): Job | undefined {
    const job = this.#jobs.get(id);
    return job && !job.gone ? job : undefined;
  }

  markGone(job: Job): void {
    job.gone = true;
    this.#unreported.delete(job);
  }

  markReported(job: Job): void {
    job.terminalReported = true;
    this.#unreported.delete(job);
  }

  /** One page in creation order. `undefined` when the `after` cursor names no job this simulator ever created. */
  list(query: ListQuery): ListResult | undefined {
    // A Map iterates in insertion order, which is creation order.
    const ordered = [...this.#jobs.values()];
    if (query.order === 'desc') ordered.reverse();
    let start = 0;
    if (query.after !== null) {
      const cursorIndex = ordered.findIndex((job) => job.id === query.after);
      if (cursorIndex === -1) return undefined;
      start = cursorIndex + 1;
    }
    // The cursor itself may have been deleted since; paging still continues after its place.
    const visible = ordered.slice(start).filter((job) => !job.gone);
    return { jobs: visible.slice(0, query.limit), hasMore: visible.length > query.limit };
  }

  /** Live jobs whose terminal moment has not been handled yet (for the webhook watcher). */
  unreported(): Job[] {
    return [...this.#unreported];
  }

  observe(job: Job): Observation {
    return observe(job, this.now());
  }

  /** True once a completed job's download window (one hour after completion) has passed. */
  contentExpired(job: Job, observation: Observation): boolean {
    return observation.finishedAtMs !== null && this.now() >= observation.finishedAtMs + CONTENT_LIFETIME_MS;
  }

  size(): number {
    return this.#jobs.size;
  }
}

/** The `Video` object for a job as observed now. */
export function videoObject(job: Job, observation: Observation): ServedVideoObject {
  const finishedAt = observation.finishedAtMs === null ? null : toUnixSeconds(observation.finishedAtMs);
  return {
    id: job.id,
    object: 'video',
    status: observation.status,
    progress: observation.progress,
    created_at: toUnixSeconds(job.createdAtMs),
    completed_at: finishedAt,
    expires_at:
      observation.status === 'completed' && observation.finishedAtMs !== null
        ? toUnixSeconds(observation.finishedAtMs + CONTENT_LIFETIME_MS)
        : null,
    error: observation.error,
    model: job.model,
    seconds: job.seconds,
    size: job.size,
    prompt: job.prompt,
    remixed_from_video_id: job.remixedFromVideoId,
  };
}

export function toUnixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
