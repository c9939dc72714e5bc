import type { GenerationState } from './state';

// Exact user-facing sentences. Several come verbatim from the originating requirements (seed), so tests,
// the router and the web app all refer to these constants instead of retyping them.

/** Upstream answered 404 for the job (seed wording). */
export const JOB_NOT_FOUND_MESSAGE = 'Job not found - may have expired';

/** Upstream 5xx / 429 / network error / timeout: the job is still followed, never failed for it. */
export const TEMPORARILY_UNAVAILABLE_MESSAGE =
  'The video service is temporarily unavailable; your video is still being tracked and will be checked again automatically.';

/** Upstream 429: a rate limit is called a rate limit, not an outage (the UI adds when the next check is). */
export const RATE_LIMITED_MESSAGE =
  'The video service asked us to slow down; your video is still being tracked and will be checked again automatically.';

/** What a status request that went unanswered tells the user, by why it went unanswered. */
export function unavailableMessage(reason: 'server_error' | 'rate_limited' | 'network' | 'timeout'): string {
  return reason === 'rate_limited' ? RATE_LIMITED_MESSAGE : TEMPORARILY_UNAVAILABLE_MESSAGE;
}

/** Upstream status `expired`: the job outlived the service's retention. */
export const JOB_EXPIRED_MESSAGE =
  'The video service says this job has expired: it keeps jobs and their videos only for a limited time.';

/** Upstream status `cancelled` / `canceled`. */
export const JOB_CANCELLED_MESSAGE = 'The video service says this job was cancelled before it finished.';

/** Upstream said failed but gave no message. */
export const UPSTREAM_FAILURE_FALLBACK_MESSAGE = 'The video service reported a failure without details.';

/** Reset succeeded (seed wording). */
export const RESET_SUCCESS_MESSAGE = 'Sora generation reset successfully. You can now retry.';

/** Reset refused for a completed generation (seed wording). */
export const CANNOT_RESET_COMPLETED_MESSAGE = 'Cannot reset completed generation';

/** A second generation was requested while one is queued or running. */
export const GENERATION_ALREADY_ACTIVE_MESSAGE = 'A generation is already in progress for this video.';

export const NOT_STARTED_MESSAGE = 'No generation has been started yet.';
export const QUEUED_MESSAGE = 'Your video is queued and will start shortly.';
export const COMPLETED_MESSAGE = 'Your video is ready.';
/** In progress at 100%: generated upstream, now being finished and stored. */
export const FINISHING_MESSAGE = 'Finishing your video…';

/** Non-retryable download failure (seed: "failed with the specific reason"). */
export function downloadFailedMessage(reason: string): string {
  return `Video download failed: ${describeReason(reason)}`;
}

/** Retryable download failure: the video is done upstream and storing it will be tried again. */
export function downloadRetryMessage(reason: string): string {
  return `Your video is finished, but saving it failed (${describeReason(reason)}); it will be tried again automatically.`;
}

export function generatingMessage(progress: number): string {
  return `Generating your video… ${progress}% complete`;
}

export function failedMessage(errorMessage: string | null): string {
  return `Generation failed: ${errorMessage?.trim() || UPSTREAM_FAILURE_FALLBACK_MESSAGE}`;
}

/** The one-line message the status endpoint and the UI show for a generation. */
export function statusMessage(state: Pick<GenerationState, 'status' | 'progress' | 'errorMessage'>): string {
  switch (state.status) {
    case 'not_started':
      return NOT_STARTED_MESSAGE;
    case 'queued':
      return QUEUED_MESSAGE;
    case 'in_progress':
      return state.progress >= 100
        ? FINISHING_MESSAGE
        : generatingMessage(Math.max(0, Math.floor(state.progress)));
    case 'completed':
      return COMPLETED_MESSAGE;
    case 'failed':
      return failedMessage(state.errorMessage);
  }
}

const UNKNOWN_STATUS_PREFIX = "The video service reports '";

/** How long a status the service invented may be when shown back to the user. */
const SHOWN_STATUS_MAX_LENGTH = 40;

/**
 * An upstream status the normalisation table does not know: the status stays as it was, and the user sees what the
 * service says (control characters removed, long values cut) instead of a progress that silently stopped.
 */
export function unknownStatusMessage(rawStatus: string): string {
  const shown = rawStatus
    .replace(/[\p{C}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = Array.from(shown);
  const text =
    cut.length > SHOWN_STATUS_MAX_LENGTH ? `${cut.slice(0, SHOWN_STATUS_MAX_LENGTH).join('')}…` : shown;
  return `${UNKNOWN_STATUS_PREFIX}${text}', a status this app does not recognise; your video is still being tracked.`;
}

/** Whether a stored poll note is an unknown-status message (shown as the status) rather than a transient error. */
export function isUnknownStatusMessage(text: string | null | undefined): boolean {
  return text?.startsWith(UNKNOWN_STATUS_PREFIX) ?? false;
}

function describeReason(reason: string): string {
  return reason.trim() || 'unknown error';
}
