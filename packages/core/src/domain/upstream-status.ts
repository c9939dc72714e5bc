import type { GenerationStatus } from './status';

/** The stored status an upstream status maps to. */
export type MappedUpstreamStatus = Exclude<GenerationStatus, 'not_started'>;

/**
 * How an upstream job ended when it failed: `expired` (past the service's retention) and `cancelled` (stopped by
 * someone or by the service) have their own message and failure kind; everything else is a plain failure.
 */
export type UpstreamEnding = 'failed' | 'expired' | 'cancelled';

export type UpstreamStatusMeaning =
  { status: 'queued' | 'in_progress' | 'completed' } | { status: 'failed'; ending: UpstreamEnding };

const QUEUED = { status: 'queued' } as const;
const IN_PROGRESS = { status: 'in_progress' } as const;
const COMPLETED = { status: 'completed' } as const;
const FAILED = { status: 'failed', ending: 'failed' } as const;
const EXPIRED = { status: 'failed', ending: 'expired' } as const;
const CANCELLED = { status: 'failed', ending: 'cancelled' } as const;

/**
 * THE normalisation table: every job status seen from services speaking the OpenAI Videos contract. Keys are
 * compared after `upstreamStatusKey` (lower case, trimmed, spaces and dashes as `_`).
 *
 * Sources: OpenAI Videos API (queued, in_progress, completed, failed; Azure OpenAI v1 answers the same); Sora past
 * retention (expired, ArcReel issue 651); new-api / one-api gateways (NOT_START, SUBMITTED, QUEUED, IN_PROGRESS,
 * SUCCESS, FAILURE, new-api issue 2860); ArcReel pull 410 (pending, running, cancelled/canceled); Runway's task API
 * (PENDING, THROTTLED, RUNNING, SUCCEEDED, CANCELLED); Kling-style gateways (succeed). `error` and `processing` were
 * accepted from the start.
 */
const UPSTREAM_STATUS_TABLE: ReadonlyMap<string, UpstreamStatusMeaning> = new Map<
  string,
  UpstreamStatusMeaning
>([
  ['queued', QUEUED],
  ['pending', QUEUED],
  ['not_start', QUEUED],
  ['not_started', QUEUED],
  ['submitted', QUEUED],
  ['throttled', QUEUED],
  ['in_progress', IN_PROGRESS],
  ['processing', IN_PROGRESS],
  ['running', IN_PROGRESS],
  ['completed', COMPLETED],
  ['succeeded', COMPLETED],
  ['success', COMPLETED],
  ['succeed', COMPLETED],
  ['failed', FAILED],
  ['failure', FAILED],
  ['error', FAILED],
  ['expired', EXPIRED],
  ['cancelled', CANCELLED],
  ['canceled', CANCELLED],
]);

/** Gateways differ in case, padding and separators ("IN_PROGRESS", " in-progress "); the meaning does not. */
export function upstreamStatusKey(upstream: string): string {
  return upstream
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * What an upstream job status means, or `null` for one we do not know: the caller then keeps the stored status and
 * tells the user what the service reports, so a new upstream status never fails (or finishes) a job.
 */
export function normaliseUpstreamStatus(upstream: string): UpstreamStatusMeaning | null {
  return UPSTREAM_STATUS_TABLE.get(upstreamStatusKey(upstream)) ?? null;
}

/** The stored status an upstream status maps to; `null` for a status we do not know. */
export function mapUpstreamStatus(upstream: string): MappedUpstreamStatus | null {
  return normaliseUpstreamStatus(upstream)?.status ?? null;
}

/** Every raw status the table knows (its keys), for documentation and exhaustive tests. */
export function knownUpstreamStatuses(): ReadonlyMap<string, UpstreamStatusMeaning> {
  return UPSTREAM_STATUS_TABLE;
}
