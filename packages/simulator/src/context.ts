import type { Assets } from './assets';
import type { Chaos } from './chaos';
import { videoNotFound } from './errors';
import { transientFaultFor } from './job-faults';
import type { Job, JobStore } from './jobs';
import type { ResolvedOptions } from './options';
import type { RequestLog } from './request-log';
import type { TerminalWatcher } from './terminal-watcher';

/** Everything a route needs, built once per simulator and passed down (no module state). */
export interface SimContext {
  options: ResolvedOptions;
  store: JobStore;
  assets: Assets;
  log: RequestLog;
  watcher: TerminalWatcher;
  chaos: Chaos;
}

/**
 * The job a `/v1/videos/{id}…` request addresses, after the job's scripted transient faults: 404 when it does not
 * exist (or is gone), then any `[sim:429-burst]` / `[sim:flap-503]` answer in its place.
 */
export function addressedJob(ctx: SimContext, id: string): Job {
  const job = ctx.store.find(id);
  if (!job) throw videoNotFound(id);
  const fault = transientFaultFor(job, ctx.options.retryAfterMs);
  if (fault) throw fault;
  return job;
}
