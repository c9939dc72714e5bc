import type { UpstreamBudget } from './upstream-budget';
import { downloadInSlot, inSlot } from './upstream-slots';
import type { CallOptions, CreateResult, UpstreamFailure, VideoProvider } from './types';

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
 * the whole budget: one 429 slows every caller, instead of each caller discovering it separately. A call with
 * `slots` then runs in one of them (a download until its body is read), so neither the wait for the budget before it
 * nor the caller's work after it holds a slot.
 */
export function withUpstreamBudget(provider: VideoProvider, budget: UpstreamBudget, observer: ProviderObserver = {}): VideoProvider {
  type Slotted = <R>(slots: CallOptions['slots'], request: () => Promise<R>) => Promise<R>;
  const unslotted: Slotted = (_slots, request) => request();
  const wrap =
    <A extends unknown[], R>(
      operation: keyof VideoProvider,
      call: (...args: A) => Promise<R>,
      optionsOf: (...args: A) => CallOptions | undefined = () => undefined,
      inSlotFor: Slotted = unslotted,
    ) =>
    async (...args: A): Promise<R> => {
      const options = optionsOf(...args);
      const waited = await budget.acquire(options?.priority);
      if (waited > 0) observer.onBudgetWait?.(waited);
      // The slot (the caller's, if it has any) is taken after the budget granted the request, and the call's time
      // is measured inside it: what the upstream took, not the wait for a slot.
      const result = await inSlotFor(options?.slots, async () => {
        const started = Date.now();
        const answer = await call(...args);
        observer.onCall?.(operation, resultKind(answer), Date.now() - started);
        return answer;
      });
      const retryAfter = retryAfterOf(result);
      if (retryAfter !== null) await budget.pauseFor(retryAfter);
      return result;
    };
  const create = wrap('create', provider.create.bind(provider));
  return {
    create: (params, options) => retryRateLimitedCreate(() => create(params, options), budget, options?.signal),
    findCreated: wrap('findCreated', provider.findCreated.bind(provider)),
    retrieve: wrap('retrieve', provider.retrieve.bind(provider), (_jobId, options) => options, inSlot),
    download: wrap(
      'download',
      provider.download.bind(provider),
      (_jobId, _variant, options) => options,
      downloadInSlot as Slotted,
    ),
  };
}

/** A 429 on a create is a promise that no job was made, so asking again cannot duplicate a paid job. */
const CREATE_RATE_LIMIT_RETRIES = 3;
/** Beyond this the user is better told (the generate call should not hang); the attempt then fails as before. */
const CREATE_RATE_LIMIT_MAX_WAIT_MS = 20_000;
/** The pause before the first retry when the upstream gave no retry-after; it doubles per retry. */
const CREATE_RATE_LIMIT_FALLBACK_MS = 1_000;

/**
 * A create refused with 429 is asked again after the retry-after (through the shared budget, which that 429 paused),
 * a few times: a burst of 429s must not fail a generation that was never started. Any other outcome, above all an
 * unknown one (5xx, connection lost), is returned as it is: retrying those could create a second job.
 */
async function retryRateLimitedCreate(
  create: () => Promise<CreateResult>,
  budget: UpstreamBudget,
  signal: AbortSignal | undefined,
): Promise<CreateResult> {
  let waitedMs = 0;
  for (let retry = 0; ; retry += 1) {
    const result = await create();
    const failure = result.kind === 'not_created' ? result.failure : null;
    if (failure?.kind !== 'unavailable' || failure.reason !== 'rate_limited') return result;
    const waitMs = failure.retryAfterMs ?? CREATE_RATE_LIMIT_FALLBACK_MS * 2 ** retry;
    if (retry >= CREATE_RATE_LIMIT_RETRIES || waitedMs + waitMs > CREATE_RATE_LIMIT_MAX_WAIT_MS || signal?.aborted) return result;
    waitedMs += waitMs;
    // Usually already paused by the wrapper; without a retry-after this is the only back-off.
    await budget.pauseFor(waitMs);
  }
}
