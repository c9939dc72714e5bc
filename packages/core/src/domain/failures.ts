import { FAILURE_DESCRIPTIONS, type FailureDescription } from './failure-descriptions';

/** Error codes this application writes itself (next to the upstream's own codes). */
export const FAILURE_CODES = {
  jobNotFound: 'job_not_found',
  /** Upstream status `expired`: the job outlived the service's retention. */
  jobExpired: 'job_expired',
  /** Upstream status `cancelled` / `canceled`. */
  jobCancelled: 'job_cancelled',
  stuckTimeout: 'stuck_timeout',
  downloadFailed: 'download_failed',
  /** A create whose answer was lost and whose job never showed up in the service's list. */
  createNotConfirmed: 'create_not_confirmed',
} as const;

/** Where in a generation's life it failed. */
export type FailureStep =
  /** The create request: the service refused it, so no job was made. */
  | 'submission'
  /** The job, upstream: the service reported it failed, expired or cancelled. */
  | 'generation'
  /** Checking on the job: the service no longer knew it (404). */
  | 'lookup'
  /** Storing the finished video. */
  | 'download'
  /** This application's stuck check stopped a job that made no progress. */
  | 'stuck_check';

/** Every kind of failure `classifyFailure` tells apart. */
export const FAILURE_KINDS = [
  'moderation',
  'invalid_request',
  'access_denied',
  'quota',
  'expired',
  'cancelled',
  'stuck_timeout',
  'upstream_error',
  'download',
  'unavailable',
  'not_confirmed',
  'unknown',
] as const;

export type FailureKind = (typeof FAILURE_KINDS)[number];

/** What the user is offered first: edit the prompt (the request itself was the problem) or run it again as it is. */
export type FailureAction = 'edit_prompt' | 'retry';

/** What is known about a failure from its stored code alone. */
export interface FailureFacts {
  step: FailureStep;
  /** The HTTP status the service answered a refused create with; null for every other step. */
  httpStatus: number | null;
  /** The service's own error code, when it gave one (null for codes this application writes). */
  upstreamCode: string | null;
}

export interface FailureInfo extends FailureDescription, FailureFacts {
  kind: FailureKind;
}

// A refused create is stored as `http_<status>` or `http_<status>:<upstream code>`: the step and the HTTP status
// travel with the code, so the failure is told by what happened, without a column of its own.
const SUBMISSION_CODE = /^http_(\d{3})(?::(.+))?$/;

/** The error code stored for a create the service refused with `status` (and its own `code`, when it sent one). */
export function submissionFailureCode(status: number, upstreamCode: string | null | undefined): string {
  const code = upstreamCode?.trim();
  return code ? `http_${status}:${code}` : `http_${status}`;
}

/**
 * What is stored for a create the service refused: its own message, untouched (advice is derived for display, never
 * added to it), and a code that records the step and the HTTP status.
 */
export function refusedCreateFailure(refusal: { status: number; code: string | null; message: string }): {
  code: string;
  message: string;
} {
  return { code: submissionFailureCode(refusal.status, refusal.code), message: refusal.message.trim() || `HTTP ${refusal.status}` };
}

const OWN_CODE_FACTS: Readonly<Record<string, { step: FailureStep; kind: FailureKind }>> = {
  [FAILURE_CODES.jobNotFound]: { step: 'lookup', kind: 'expired' },
  [FAILURE_CODES.jobExpired]: { step: 'generation', kind: 'expired' },
  [FAILURE_CODES.jobCancelled]: { step: 'generation', kind: 'cancelled' },
  [FAILURE_CODES.stuckTimeout]: { step: 'stuck_check', kind: 'stuck_timeout' },
  [FAILURE_CODES.downloadFailed]: { step: 'download', kind: 'download' },
  [FAILURE_CODES.createNotConfirmed]: { step: 'submission', kind: 'not_confirmed' },
};

// The service's own codes (OpenAI's Videos API and the gateways serving the same contract: Azure OpenAI, LiteLLM),
// compared lower-case. A code names the kind whatever the step; without a known one the step and status decide.
const UPSTREAM_CODES_BY_KIND: Readonly<Partial<Record<FailureKind, readonly string[]>>> = {
  moderation: [
    'moderation_blocked',
    'content_policy_violation',
    'content_filter',
    'content_filtered',
    'responsibleaipolicyviolation',
    'responsible_ai_policy_violation',
    'safety_violation',
    'input_moderation',
    'output_moderation',
  ],
  invalid_request: [
    'invalid_request_error',
    'invalid_request',
    'invalid_prompt',
    'invalid_value',
    'invalid_parameter',
    'invalid_type',
    'unsupported_value',
    'unsupported_parameter',
    'missing_required_parameter',
    'string_above_max_length',
    'invalid_image',
    'model_not_found',
  ],
  quota: ['insufficient_quota', 'billing_hard_limit_reached', 'billing_not_active', 'quota_exceeded'],
  expired: ['video_not_found', 'not_found', 'expired', 'video_expired'],
  cancelled: ['job_canceled', 'cancelled', 'canceled', 'video_cancelled', 'video_canceled'],
  upstream_error: ['internal_error', 'server_error', 'internal_server_error', 'api_error', 'upstream_error'],
  unavailable: [
    'rate_limit_exceeded',
    'rate_limited',
    'service_unavailable',
    'server_overloaded',
    'engine_overloaded',
    'overloaded',
    'temporarily_unavailable',
    'timeout',
  ],
};

const KIND_BY_UPSTREAM_CODE: ReadonlyMap<string, FailureKind> = new Map(
  Object.entries(UPSTREAM_CODES_BY_KIND).flatMap(([kind, codes]) => codes.map((code) => [code, kind as FailureKind])),
);

/** The step, HTTP status and upstream code a stored error code records. */
export function failureFacts(code: string | null | undefined): FailureFacts {
  const trimmed = code?.trim() ?? '';
  const submission = SUBMISSION_CODE.exec(trimmed);
  if (submission) {
    return { step: 'submission', httpStatus: Number(submission[1]), upstreamCode: submission[2] ?? null };
  }
  const own = OWN_CODE_FACTS[trimmed.toLowerCase()];
  if (own) return { step: own.step, httpStatus: null, upstreamCode: null };
  // Anything else is what the service said about its job when it reported it failed.
  return { step: 'generation', httpStatus: null, upstreamCode: trimmed || null };
}

/**
 * Turns a stored error code into plain-language troubleshooting: the kind is told by what happened (the step, the
 * HTTP status of a refused create, the service's error code), never by words in the message, which stays the
 * service's own and is shown as it is.
 */
export function classifyFailure(code: string | null | undefined): FailureInfo {
  const facts = failureFacts(code);
  const kind = kindOf(code, facts);
  return { kind, ...facts, ...FAILURE_DESCRIPTIONS[kind](facts) };
}

function kindOf(code: string | null | undefined, facts: FailureFacts): FailureKind {
  const own = OWN_CODE_FACTS[code?.trim().toLowerCase() ?? ''];
  if (own) return own.kind;
  const named = facts.upstreamCode ? KIND_BY_UPSTREAM_CODE.get(facts.upstreamCode.toLowerCase()) : undefined;
  if (facts.step !== 'submission' || facts.httpStatus === null) return named ?? 'unknown';
  return submissionKind(facts.httpStatus, named);
}

/** A refused create: its HTTP status says what kind of refusal it was, unless the service's code is more precise. */
function submissionKind(status: number, named: FailureKind | undefined): FailureKind {
  if (named === 'moderation' || named === 'quota') return named;
  if (status === 401 || status === 403) return 'access_denied';
  if (status === 402) return 'quota';
  if (status === 429 || status >= 500) return 'unavailable';
  return 'invalid_request';
}

/**
 * Whether to start another attempt automatically after this failure. `expired` depends on what the attempt did:
 * a job that expired (or vanished, 404) before producing its video was lost by the service, so another attempt is
 * worth it; one that had produced its video expired because it was not collected in time, and a new paid attempt is
 * the user's call. Everything else follows its kind (`cancelled` never: someone meant it).
 */
export function shouldAutoRetry(
  failure: { code: string | null | undefined },
  attempt: { producedVideo: boolean },
): boolean {
  const info = classifyFailure(failure.code);
  return info.kind === 'expired' ? !attempt.producedVideo : info.autoRetryable;
}

/** The plain-language title of a kind of failure (as the video page and the usage page show it). */
export function failureKindTitle(kind: FailureKind): string {
  return FAILURE_DESCRIPTIONS[kind]({ step: 'generation', httpStatus: null, upstreamCode: null }).title;
}

/**
 * Of the stored error codes given (null: a failure stored without one), those `classifyFailure` puts in one of
 * `kinds`: lets a list be filtered by kind with a plain `in (...)` over the codes, the rules staying here.
 */
export function errorCodesOfKinds<Code extends string | null>(codes: readonly Code[], kinds: readonly FailureKind[]): Code[] {
  return codes.filter((code) => kinds.includes(classifyFailure(code).kind));
}
