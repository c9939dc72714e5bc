import type { UpstreamBudget } from './upstream-budget';
import type { UpstreamFailure, VideoProvider } from './types';

export interface ProviderObserver {
  /** Called after every upstream call with its operation, how it ended and how long it took. */
  onCall?(operation: keyof VideoProvider, result: string, durationMs: number): void;
  onBudgetWait?(waitedMs: number): void;
}

function resultKind(result: unknown): string {
  if (result === null) return 'none';
  const kind = (result as { kind?: unknown }).kind;
  if (kind === 'unavailable') return `unavailable_${(result as UpstreamFailure & { reason: string }).reason}`;
  return typeof kind === 'string' ? kind : 'video';
}

function retryAfterOf(result: unknown): number | null {
  const failure = (result as { failure?: unknown })?.failure ?? result;
  const value = (failure as { kind?: unknown; retryAfterMs?: unknown })?.retryAfterMs;
  return (failure as { kind?: unknown })?.kind === 'unavailable' && typeof value === 'number' ? value : null;
}

/**
 * Every upstream call goes through the process's shared budget first, and a retry-after from the upstream pauses
 * the whole budget: one 429 slows every caller, instead of each caller discovering it separately.
 */
export function withUpstreamBudget(provider: VideoProvider, budget: UpstreamBudget, observer: ProviderObserver = {}): VideoProvider {
  const wrap =
    <A extends unknown[], R>(operation: keyof VideoProvider, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const waited = await budget.acquire();
      if (waited > 0) observer.onBudgetWait?.(waited);
      const started = Date.now();
      const result = await call(...args);
      observer.onCall?.(operation, resultKind(result), Date.now() - started);
      const retryAfter = retryAfterOf(result);
      if (retryAfter !== null) await budget.pauseFor(retryAfter);
      return result;
    };
  return {
    create: wrap('create', provider.create.bind(provider)),
    findCreated: wrap('findCreated', provider.findCreated.bind(provider)),
    retrieve: wrap('retrieve', provider.retrieve.bind(provider)),
    download: wrap('download', provider.download.bind(provider)),
  };
}
