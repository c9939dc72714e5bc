import { withCallSignal, withDownloadSignal } from './call-signal';
import type { VideoProvider } from './types';
import type { UpstreamPriority } from './upstream-budget';

/**
 * The provider with `signal` on every status and content call (creates are never cut: their outcome would be lost).
 * Each call follows it through a signal of its own, unlinked when the call (or the download's body) settles, so
 * listeners on this process-long signal never pile up with the number of calls.
 */
export function abortableProvider(provider: VideoProvider, signal: AbortSignal): VideoProvider {
  return {
    create: (params, options) => provider.create(params, options),
    findCreated: (params, since, known) => provider.findCreated(params, since, known),
    retrieve: (jobId, options) => withCallSignal([options?.signal, signal], (own) => provider.retrieve(jobId, { ...options, signal: own })),
    download: (jobId, variant, options) =>
      withDownloadSignal([options?.signal, signal], (own) => provider.download(jobId, variant, { ...options, signal: own })),
  };
}

/** The provider with every status and content call made at `priority` (the poller's calls wait behind a user's). */
export function atPriority(provider: VideoProvider, priority: UpstreamPriority): VideoProvider {
  return {
    create: (params, options) => provider.create(params, options),
    findCreated: (params, since, known) => provider.findCreated(params, since, known),
    retrieve: (jobId, options) => provider.retrieve(jobId, { ...options, priority }),
    download: (jobId, variant, options) => provider.download(jobId, variant, { ...options, priority }),
  };
}
