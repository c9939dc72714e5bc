/**
 * Concurrent calls with the same key share one execution: twenty simultaneous status requests for one video make
 * one upstream call in this process (the row lease does the same across processes).
 */
export function createSingleFlight<T>() {
  const inFlight = new Map<string, Promise<T>>();
  const run = (key: string, work: () => Promise<T>): Promise<T> => {
    const existing = inFlight.get(key);
    if (existing) return existing;
    const promise = work().finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
    return promise;
  };
  /** Whether a call for `key` is running now (a new caller would share it). */
  return Object.assign(run, { has: (key: string) => inFlight.has(key) });
}
