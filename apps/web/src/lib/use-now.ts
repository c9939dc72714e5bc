import { useEffect, useState } from 'react';

/** The current time, re-read every `intervalMs` while `enabled`: drives countdowns and "no progress for …". */
export function useNow(intervalMs = 1000, enabled = true): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!enabled) return;
    const tick = () => setNow(new Date());
    // A time kept while disabled is stale: re-read it at once (from a callback, not during the effect, which would
    // render twice in a row), then on every interval.
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, intervalMs);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [intervalMs, enabled]);
  return now;
}
