// Helpers for this workspace's tests (not used by the product itself).

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls `read` every `intervalMs` until `done` holds; fails with the last value after `timeoutMs`. */
export async function waitUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 15_000, intervalMs = 20 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`Condition not reached within ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 2_000)}`);
    }
    await sleep(intervalMs);
  }
}
