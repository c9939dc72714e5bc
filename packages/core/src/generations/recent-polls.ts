/**
 * The polls this process made, as `last_polled_at` recorded them: when a row still carries the time of one of ours,
 * this process asked upstream last about that video (its poller, a watched refresh or a status request alike).
 * Watched videos use it to keep one instance's rhythm. Bounded: the oldest videos are forgotten first.
 */
export interface RecentPolls {
  note(videoId: string, polledAtMs: number): void;
  /** Whether `polledAtMs` (a row's `last_polled_at`) is the time of this process's latest poll of the video. */
  isOurs(videoId: string, polledAtMs: number | null): boolean;
}

export function createRecentPolls(limit = 10_000): RecentPolls {
  const polled = new Map<string, number>();
  return {
    note(videoId, polledAtMs) {
      polled.delete(videoId);
      polled.set(videoId, polledAtMs);
      if (polled.size > limit) polled.delete(polled.keys().next().value!);
    },
    isOurs(videoId, polledAtMs) {
      return polledAtMs !== null && polled.get(videoId) === polledAtMs;
    },
  };
}
