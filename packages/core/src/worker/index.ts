export { createPoller, DEFAULT_POLLER_OPTIONS, type Poller, type PollerOptions } from './poller';
export { sweepStuckGenerations } from './sweep-stuck';
export { startDueRetries } from './auto-retry';
