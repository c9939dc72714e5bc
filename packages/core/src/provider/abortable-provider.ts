import { onceSettled, withCallSignal, withDownloadSignal } from './call-signal';
import type { CallOptions, DownloadResult, VideoProvider } from './types';

/**
 * The provider with `signal` on every status and content call (creates are never cut: their outcome would be lost).
 * Each call follows it through a signal of its own, unlinked when the call (or the download's body) settles. The
 * calls under way are aborted from one listener on `signal`, so this process-long signal holds one listener however
 * many calls wait (for the budget, for a slot) or run.
 */
export function abortableProvider(provider: VideoProvider, signal: AbortSignal): VideoProvider {
  const underWay = new Set<AbortController>();
  signal.addEventListener('abort', () => underWay.forEach((call) => call.abort(signal.reason)), { once: true });
  const begin = () => {
    const call = new AbortController();
    if (signal.aborted) call.abort(signal.reason);
    else underWay.add(call);
    return call;
  };
  return {
    create: (params, options) => provider.create(params, options),
    findCreated: (params, since, known) => provider.findCreated(params, since, known),
    async retrieve(jobId, options) {
      const call = begin();
      try {
        return await withCallSignal([options?.signal, call.signal], (own) => provider.retrieve(jobId, { ...options, signal: own }));
      } finally {
        underWay.delete(call);
      }
    },
    async download(jobId, variant, options) {
      const call = begin();
      let result: DownloadResult;
      try {
        result = await withDownloadSignal([options?.signal, call.signal], (own) => provider.download(jobId, variant, { ...options, signal: own }));
      } catch (error) {
        underWay.delete(call);
        throw error;
      }
      if (result.kind !== 'stream') {
        underWay.delete(call);
        return result;
      }
      return { ...result, body: onceSettled(result.body, () => underWay.delete(call)) };
    },
  };
}

/**
 * The provider with `defaults` on every status and content call: the poller's calls wait behind a user's in the
 * budget (`priority`) and share its upstream slots (`slots`).
 */
export function withCallDefaults(provider: VideoProvider, defaults: Pick<CallOptions, 'priority' | 'slots'>): VideoProvider {
  return {
    create: (params, options) => provider.create(params, options),
    findCreated: (params, since, known) => provider.findCreated(params, since, known),
    retrieve: (jobId, options) => provider.retrieve(jobId, { ...defaults, ...options }),
    download: (jobId, variant, options) => provider.download(jobId, variant, { ...defaults, ...options }),
  };
}
