/** Error codes this application writes itself (next to the upstream's own codes). */
export const FAILURE_CODES = {
  jobNotFound: 'job_not_found',
  stuckTimeout: 'stuck_timeout',
  downloadFailed: 'download_failed',
} as const;

export type FailureKind =
  | 'moderation'
  | 'invalid_request'
  | 'quota'
  | 'expired'
  | 'stuck_timeout'
  | 'upstream_error'
  | 'download'
  | 'unavailable'
  | 'unknown';

export interface FailureInfo {
  kind: FailureKind;
  /** Whether an automatic re-generation is worth it: only for failures on the service's side. */
  autoRetryable: boolean;
  title: string;
  explanation: string;
  /** What the user can do about it. */
  advice: string;
}

// Codes seen from OpenAI's Videos API and the gateways serving the same contract (Azure OpenAI, LiteLLM),
// plus this application's own. Compared lower-case.
const CODES_BY_KIND: Readonly<Record<Exclude<FailureKind, 'unknown'>, readonly string[]>> = {
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
  expired: ['job_not_found', 'video_not_found', 'not_found', 'expired', 'video_expired', 'job_expired'],
  stuck_timeout: ['stuck_timeout'],
  upstream_error: ['internal_error', 'server_error', 'internal_server_error', 'api_error'],
  download: ['download_failed'],
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

const KIND_BY_CODE: ReadonlyMap<string, FailureKind> = new Map(
  Object.entries(CODES_BY_KIND).flatMap(([kind, codes]) => codes.map((code) => [code, kind as FailureKind])),
);

// Only when the code says nothing we know: gateways often send a generic code with a telling message.
const MESSAGE_PATTERNS: readonly (readonly [RegExp, FailureKind])[] = [
  [/moderat|content policy|safety (system|filter)|flagged/i, 'moderation'],
  [/quota|billing/i, 'quota'],
  [/download/i, 'download'],
  [/not found|expired/i, 'expired'],
  [/rate limit|overloaded|unavailable/i, 'unavailable'],
  [/internal (server )?error|server error/i, 'upstream_error'],
];

const DESCRIPTIONS: Readonly<Record<FailureKind, Omit<FailureInfo, 'kind'>>> = {
  moderation: {
    autoRetryable: false,
    title: 'Blocked by the content policy',
    explanation: "The video service's safety system refused the prompt or the video it produced.",
    advice:
      "Rephrase the prompt: leave out violence, sexual content, hateful content, real people's names or likenesses and copyrighted characters, then try again.",
  },
  invalid_request: {
    autoRetryable: false,
    title: 'The request was not accepted',
    explanation:
      'The video service rejected part of the request: the prompt, model, size, duration or reference image.',
    advice: 'Check the model, size and duration, shorten or simplify the prompt, then try again.',
  },
  quota: {
    autoRetryable: false,
    title: 'Quota or billing limit reached',
    explanation: 'The account used to generate videos has run out of quota or reached its billing limit.',
    advice: "Check the account's quota and billing settings (or ask whoever manages it), then retry.",
  },
  expired: {
    autoRetryable: false,
    title: 'The job is gone',
    explanation:
      'The video service no longer knows this job; jobs and their videos are removed after a while.',
    advice: 'Retry the generation to start a new job.',
  },
  stuck_timeout: {
    autoRetryable: true,
    title: 'The generation stopped making progress',
    explanation: 'The video service reported no progress for too long, so the generation was stopped.',
    advice: 'Retry it. If it keeps happening, the service is probably overloaded: try again later.',
  },
  upstream_error: {
    autoRetryable: true,
    title: 'The video service had an internal error',
    explanation: "The failure happened on the video service's side, not because of your request.",
    advice: 'Retry it; the next attempt usually works.',
  },
  download: {
    autoRetryable: false,
    title: 'The video could not be saved',
    explanation: 'The video was generated, but downloading it from the video service failed.',
    advice: 'Retry the generation; the finished video may no longer be available upstream.',
  },
  unavailable: {
    autoRetryable: false,
    title: 'The video service is temporarily unavailable',
    explanation: 'The video service is overloaded, rate-limiting requests or unreachable right now.',
    advice: 'Wait: your video is still tracked and will be checked again automatically.',
  },
  unknown: {
    autoRetryable: false,
    title: 'Generation failed',
    explanation: 'The video service did not give a reason we recognise.',
    advice: 'Retry it; if it fails again, change the prompt or the settings.',
  },
};

/** Turns a stored error code and message into plain-language troubleshooting for the user. */
export function classifyFailure(
  code: string | null | undefined,
  message: string | null | undefined,
): FailureInfo {
  const kind = kindFromCode(code) ?? kindFromMessage(message) ?? 'unknown';
  return { kind, ...DESCRIPTIONS[kind] };
}

function kindFromCode(code: string | null | undefined): FailureKind | undefined {
  return code ? KIND_BY_CODE.get(code.trim().toLowerCase()) : undefined;
}

function kindFromMessage(message: string | null | undefined): FailureKind | undefined {
  if (!message) return undefined;
  return MESSAGE_PATTERNS.find(([pattern]) => pattern.test(message))?.[1];
}
