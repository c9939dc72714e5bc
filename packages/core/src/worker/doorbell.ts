/** Wakes everyone waiting at once; a ring with no one waiting is not kept (waiters re-check their condition). */
export interface Doorbell {
  ring(): void;
  /** Resolves at the next ring, or at once when `signal` aborts. */
  wait(signal: AbortSignal): Promise<void>;
}

export function createDoorbell(): Doorbell {
  let waiters: Array<() => void> = [];
  return {
    ring() {
      const woken = waiters;
      waiters = [];
      woken.forEach((wake) => wake());
    },
    wait(signal) {
      if (signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          resolve();
        };
        waiters.push(done);
        signal.addEventListener('abort', done, { once: true });
      });
    },
  };
}
