import { randomBytes } from 'node:crypto';
import type { Scenario } from './scenarios';
import { observe, type JobPlan, type Observation } from './timeline';
import type { ServedSeconds, ServedVideoObject, VideoModel, VideoSize } from './wire';

/** How much longer `[sim:slow]` jobs take. */
export const SLOW_FACTOR = 5;

/** How a job was made from another video: its content then differs from a plain generation's (see derived-content.ts). */
export interface Derivation {
  kind: 'remix' | 'edit' | 'extension';
  /** The source job's id, or null for an uploaded source video. */
  sourceId: string | null;
}

export interface NewJob {
  model: VideoModel;
  seconds: ServedSeconds;
  size: VideoSize;
  prompt: string;
  remixedFromVideoId: string | null;
  derivation: Derivation | null;
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
  /** `[sim:thumbnail-503=N]` answers still to give. */
  thumbnail503Left: number;
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
    /** The public id for a fresh raw id (upstreams such as LiteLLM encode more into it). */
    private readonly publicId: (rawId: string, model: string) => string = (rawId) => rawId,
    /** Called after every create/delete/report, e.g. to save the jobs (see job-state-file.ts). */
    private readonly onChange: () => void = () => {},
  ) {}

  /** Puts back jobs saved by an earlier run (before any request is served). */
  restore(jobs: Job[]): void {
    for (const job of jobs) {
      this.#jobs.set(job.id, job);
      this.#createdByPrompt.set(job.prompt, (this.#createdByPrompt.get(job.prompt) ?? 0) + 1);
      if (!job.gone && !job.terminalReported) this.#unreported.add(job);
    }
  }

  /** Every job in creation order, deleted ones included (what a saved state holds). */
  all(): Job[] {
    return [...this.#jobs.values()];
  }

  /** How many jobs were ever created with exactly this prompt (deleted ones included). */
  countByPrompt(prompt: string): number {
    return this.#createdByPrompt.get(prompt) ?? 0;
  }

  create(input: NewJob): Job {
    this.#createdByPrompt.set(input.prompt, (this.#createdByPrompt.get(input.prompt) ?? 0) + 1);
    const baseDuration = input.scenario.durationMs ?? this.generationMs;
    const job: Job = {
      ...input,
      id: this.publicId(`video_${randomBytes(24).toString('hex')}`, input.model),
      createdAtMs: this.now(),
      durationMs: baseDuration * (input.scenario.slow ? SLOW_FACTOR : 1),
      successfulPolls: 0,
      flapCount: 0,
      burst429Left: input.scenario.burst429,
      thumbnail503Left: input.scenario.thumbnail503,
      gone: false,
      terminalReported: false,
    };
    this.#jobs.set(job.id, job);
    this.#unreported.add(job);
    this.onChange();
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
    this.onChange();
  }

  markReported(job: Job): void {
    job.terminalReported = true;
    this.#unreported.delete(job);
    this.onChange();
  }

  /**
   * One page in creation order, of the jobs `visible` admits. `undefined` when the `after` cursor names no job this
   * simulator ever created.
   */
  list(query: ListQuery, visible: (job: Job) => boolean = () => true): ListResult | undefined {
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
    const shown = ordered.slice(start).filter((job) => !job.gone && visible(job));
    return { jobs: shown.slice(0, query.limit), hasMore: shown.length > query.limit };
  }

  /** Live jobs whose terminal moment has not been handled yet (for the webhook watcher). */
  unreported(): Job[] {
    return [...this.#unreported];
  }

  observe(job: Job): Observation {
    return observe(job, this.now());
  }

  size(): number {
    return this.#jobs.size;
  }
}

/** The `Video` object for a job as observed now (the openai dialect's wire form). */
export function videoObject(job: Job, observation: Observation): ServedVideoObject {
  // completed_at: when it completed, failed or was cancelled (an expired job keeps its completion time, if any).
  const finishedAt = observation.finishedAtMs === null ? null : toUnixSeconds(observation.finishedAtMs);
  return {
    id: job.id,
    object: 'video',
    status: observation.status,
    progress: observation.progress,
    created_at: toUnixSeconds(job.createdAtMs),
    completed_at: finishedAt,
    expires_at: observation.expiresAtMs === null ? null : toUnixSeconds(observation.expiresAtMs),
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
