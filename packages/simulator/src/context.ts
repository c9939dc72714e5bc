import type { Assets } from './assets';
import type { CharacterStore } from './characters';
import type { Chaos } from './chaos';
import type { Dialect } from './dialects';
import { videoNotFound } from './errors';
import { transientFaultFor } from './job-faults';
import { videoObject, type Job, type JobStore } from './jobs';
import type { ResolvedOptions } from './options';
import type { RequestLog } from './request-log';
import type { TimestampFormat } from './scenarios';
import type { TerminalWatcher } from './terminal-watcher';

/** Everything a route needs, built once per simulator and passed down (no module state). */
export interface SimContext {
  options: ResolvedOptions;
  dialect: Dialect;
  store: JobStore;
  characters: CharacterStore;
  assets: Assets;
  log: RequestLog;
  watcher: TerminalWatcher;
  chaos: Chaos;
}

/**
 * The job a `/videos/{id}…` request addresses, after the job's scripted transient faults: 404 when it does not
 * exist (or is gone), then any `[sim:429-burst]` / `[sim:flap-503]` answer in its place.
 */
export function addressedJob(ctx: SimContext, id: string): Job {
  const job = ctx.store.find(id);
  if (!job) throw videoNotFound(id);
  const fault = transientFaultFor(job, ctx.options.retryAfterMs);
  if (fault) throw fault;
  return job;
}

const TIMESTAMP_FIELDS = ['created_at', 'completed_at', 'expires_at'] as const;

/** The job as the configured upstream writes it now: the dialect's shape, then `[sim:timestamps]`'s format. */
export function presentJob(ctx: SimContext, job: Job): Record<string, unknown> {
  const nowMs = ctx.options.now();
  const wire = ctx.dialect.render(videoObject(job, ctx.store.observe(job)), job, nowMs);
  return formatTimestamps(wire, job.scenario.timestamps);
}

function formatTimestamps(wire: Record<string, unknown>, format: TimestampFormat): Record<string, unknown> {
  if (format === 'seconds') return wire;
  for (const field of TIMESTAMP_FIELDS) {
    const value = wire[field];
    if (typeof value !== 'number') continue;
    wire[field] = format === 'ms' ? value * 1000 : new Date(value * 1000).toISOString();
  }
  return wire;
}
