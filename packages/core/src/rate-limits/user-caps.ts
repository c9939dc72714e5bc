import { AppError } from '../domain';

/** How much one user may hold at once (not per minute: these are counts of live things). */
export interface UserCapSettings {
  /** Open `sora.onUpdate` streams per user, per process (each holds a connection and memory). */
  subscriptionsPerUser: number;
  /** API tokens one account may hold. */
  apiTokensPerUser: number;
}

export const DEFAULT_USER_CAPS: UserCapSettings = {
  // The web app opens one user-wide stream per tab, plus one on a video's page: 20 is many tabs.
  subscriptionsPerUser: 20,
  apiTokensPerUser: 20,
};

export interface UserCaps {
  settings: UserCapSettings;
  /**
   * Takes one of the user's stream slots or throws TOO_MANY_REQUESTS. The returned release may be called any number
   * of times; only the first gives the slot back (the stream's end and the request's abort both call it).
   */
  openSubscription(userId: string): () => void;
  /** Open streams per user right now (for tests and metrics). */
  openSubscriptions(userId: string): number;
}

export function createUserCaps(settings: Partial<UserCapSettings> = {}): UserCaps {
  const caps = { ...DEFAULT_USER_CAPS, ...settings };
  const open = new Map<string, number>();
  return {
    settings: caps,
    openSubscription(userId) {
      const count = open.get(userId) ?? 0;
      if (count >= caps.subscriptionsPerUser) {
        throw new AppError(
          'TOO_MANY_REQUESTS',
          `At most ${caps.subscriptionsPerUser} live updates per user can be open at once; close another tab or window and try again.`,
        );
      }
      open.set(userId, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(userId) ?? 1) - 1;
        if (left <= 0) open.delete(userId);
        else open.set(userId, left);
      };
    },
    openSubscriptions: (userId) => open.get(userId) ?? 0,
  };
}
