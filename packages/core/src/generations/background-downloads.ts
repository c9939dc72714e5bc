import { abortableProvider } from '../provider';
import type { GenerationDeps } from './deps';

/**
 * Finished videos that a status request or a webhook found, stored in the background: the request answers
 * "Downloading" at once instead of holding its caller (and every call batched with it) for the whole file. On close,
 * downloads still running are cut short: each reads as "temporarily unavailable", its lease is released, and the file
 * is stored on a later refresh (no new paid job: the upstream job has completed).
 */
export interface BackgroundDownloads {
  /** Starts `store` with deps whose upstream calls close() can cut short. */
  run(store: (deps: GenerationDeps) => Promise<unknown>): void;
  close(): Promise<void>;
}

export function createBackgroundDownloads(deps: GenerationDeps): BackgroundDownloads {
  const cut = new AbortController();
  const workDeps: GenerationDeps = { ...deps, provider: abortableProvider(deps.provider, cut.signal) };
  const running = new Set<Promise<void>>();
  return {
    run(store) {
      const task: Promise<void> = store(workDeps)
        .then(() => undefined)
        .catch((error: unknown) => deps.logger.error({ err: error }, 'Storing a finished video in the background failed'))
        .finally(() => running.delete(task));
      running.add(task);
    },
    async close() {
      cut.abort();
      await Promise.allSettled([...running]);
    },
  };
}
