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

/** The stored status an upstream status maps to; `null` for a status we do not know. */
export type MappedUpstreamStatus = Exclude<GenerationStatus, 'not_started'>;

const UPSTREAM_STATUS_MAP: Readonly<Record<string, MappedUpstreamStatus>> = {
  queued: 'queued',
  in_progress: 'in_progress',
  processing: 'in_progress',
  completed: 'completed',
  succeeded: 'completed',
  failed: 'failed',
  error: 'failed',
};

/**
 * Maps an upstream job status (OpenAI Videos contract, plus the synonyms gateways use) to a stored status.
 * Case and surrounding spaces are ignored because gateways differ there. Anything else yields `null`:
 * the caller keeps the stored status and logs a warning, so a new upstream status never fails a job.
 */
export function mapUpstreamStatus(upstream: string): MappedUpstreamStatus | null {
  const key = upstream.trim().toLowerCase();
  return Object.hasOwn(UPSTREAM_STATUS_MAP, key) ? (UPSTREAM_STATUS_MAP[key] ?? null) : null;
}
