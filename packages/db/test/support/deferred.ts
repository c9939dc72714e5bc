/** A promise resolved from outside: lets a test wait for a callback instead of sleeping. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Collects values and lets a test wait until one matching `predicate` has arrived. */
export class Inbox<T> {
  readonly items: T[] = [];
  private waiters: Array<{ predicate: (item: T) => boolean; resolve: () => void }> = [];

  push = (item: T): void => {
    this.items.push(item);
    this.waiters = this.waiters.filter((waiter) => !(waiter.predicate(item) && (waiter.resolve(), true)));
  };

  waitFor(predicate: (item: T) => boolean): Promise<void> {
    if (this.items.some(predicate)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }
}
