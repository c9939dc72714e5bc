/** Where a video's current generation stands, as stored in the database. */
export type GenerationStatus = 'not_started' | 'queued' | 'in_progress' | 'completed' | 'failed';

/** Statuses in which a job is running upstream and must be followed (polled, swept when stuck). */
export type ActiveStatus = 'queued' | 'in_progress';

/** Statuses that never change again: answered from the database, never from upstream. */
export type TerminalStatus = 'completed' | 'failed';

export const GENERATION_STATUSES: readonly GenerationStatus[] = [
  'not_started',
  'queued',
  'in_progress',
  'completed',
  'failed',
];

export const ACTIVE_STATUSES: ReadonlySet<GenerationStatus> = new Set<ActiveStatus>([
  'queued',
  'in_progress',
]);
export const TERMINAL_STATUSES: ReadonlySet<GenerationStatus> = new Set<TerminalStatus>([
  'completed',
  'failed',
]);

export function isActive(status: GenerationStatus): status is ActiveStatus {
  return ACTIVE_STATUSES.has(status);
}

export function isTerminal(status: GenerationStatus): status is TerminalStatus {
  return TERMINAL_STATUSES.has(status);
}
