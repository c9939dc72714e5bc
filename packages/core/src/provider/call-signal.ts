import { anySignal } from 'any-signal';
import type { DownloadResult } from './types';

type MaybeSignal = AbortSignal | undefined;

/*
 * The openai SDK adds an abort listener to the signal of every request and never removes it. Handed a long-lived
 * signal (the poller's lives as long as the process), each call would leave one behind: a leak, and
 * MaxListenersExceededWarning. So every upstream call gets a signal of its own that follows the caller's, and the
 * one listener linking them is removed as soon as the call settles.
 */

/** Runs `call` with its own signal, aborted when any of `signals` is, and unlinked from them once `call` settles. */
export async function withCallSignal<T>(signals: MaybeSignal[], call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = anySignal(signals);
  try {
    return await call(signal);
  } finally {
    signal.clear();
  }
}

/**
 * The same for a download, whose body is still arriving when the call returns: the signal must keep cutting the
 * transfer short until the body has been read to its end, has failed or was cancelled, and is unlinked only then.
 */
export async function withDownloadSignal(
  signals: MaybeSignal[],
  call: (signal: AbortSignal) => Promise<DownloadResult>,
): Promise<DownloadResult> {
  const signal = anySignal(signals);
  let result: DownloadResult;
  try {
    result = await call(signal);
  } catch (error) {
    signal.clear();
    throw error;
  }
  if (result.kind !== 'stream') {
    signal.clear();
    return result;
  }
  return { ...result, body: onceSettled(result.body, () => signal.clear()) };
}

/** `body` as it is, calling `settled` once when it ends, fails or is cancelled. */
export function onceSettled(body: ReadableStream<Uint8Array>, settled: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          settled();
          controller.close();
        } else {
          controller.enqueue(chunk.value);
        }
      } catch (error) {
        settled();
        controller.error(error);
      }
    },
    async cancel(reason) {
      settled();
      await reader.cancel(reason);
    },
  });
}
