import type { FailureAction, FailureFacts, FailureKind } from './failures';

/** How a failure is explained to the user. Derived for display, never stored into the error text. */
export interface FailureDescription {
  /**
   * Whether an automatic re-generation is worth it: only for failures on the service's side. For `expired` it
   * depends on the attempt: use `shouldAutoRetry`, which knows.
   */
  autoRetryable: boolean;
  title: string;
  explanation: string;
  /** What the user can do about it. */
  advice: string;
  /** The action offered first. */
  primaryAction: FailureAction;
}

const REFUSED_AT_SUBMISSION = 'No video was started and nothing was charged.';

/** "The video service refused the request when it was sent (HTTP 400)." */
function refused(facts: FailureFacts): string {
  return `The video service refused the request when it was sent${facts.httpStatus === null ? '' : ` (HTTP ${facts.httpStatus})`}.`;
}

export const FAILURE_DESCRIPTIONS: Readonly<Record<FailureKind, (facts: FailureFacts) => FailureDescription>> = {
  moderation: (facts) => ({
    autoRetryable: false,
    title: 'Blocked by the content policy',
    explanation:
      facts.step === 'submission'
        ? `The video service's safety system refused the prompt when it was sent. ${REFUSED_AT_SUBMISSION}`
        : "The video service's safety system refused the prompt or the video it produced.",
    advice:
      "Rephrase the prompt: leave out violence, sexual content, hateful content, real people's names or likenesses and copyrighted characters, then try again.",
    primaryAction: 'edit_prompt',
  }),
  invalid_request: (facts) => ({
    autoRetryable: false,
    title: 'The service rejected the request',
    explanation:
      facts.step === 'submission'
        ? `${refused(facts)} Something in it (the prompt, model, size, duration or reference image) is not accepted. ${REFUSED_AT_SUBMISSION}`
        : 'The video service rejected part of the request: the prompt, model, size, duration or reference image.',
    advice: 'Edit the prompt or the settings the message points to, then try again; the same request will be refused again.',
    primaryAction: 'edit_prompt',
  }),
  access_denied: (facts) => ({
    autoRetryable: false,
    title: 'The video service refused access',
    explanation: `${refused(facts)} It did not accept the credentials or permissions this server uses. ${REFUSED_AT_SUBMISSION}`,
    advice: "Ask whoever runs Sora Monitor to check the video service's API key and its permissions, then retry.",
    primaryAction: 'retry',
  }),
  quota: (facts) => ({
    autoRetryable: false,
    title: 'Quota or billing limit reached',
    explanation: `The account used to generate videos has run out of quota or reached its billing limit.${facts.step === 'submission' ? ` ${REFUSED_AT_SUBMISSION}` : ''}`,
    advice: "Check the account's quota and billing settings (or ask whoever manages it), then retry.",
    primaryAction: 'retry',
  }),
  expired: (facts) => ({
    autoRetryable: false,
    title: 'The job is gone',
    explanation:
      facts.step === 'lookup'
        ? 'The video service no longer knows this job; jobs and their videos are removed after a while.'
        : 'The video service says the job expired: it keeps jobs and their videos only for a limited time.',
    advice: 'Retry the generation to start a new job.',
    primaryAction: 'retry',
  }),
  cancelled: () => ({
    autoRetryable: false,
    title: 'The job was cancelled',
    explanation:
      'The video service reports that the job was cancelled before it finished, by someone using the same account or by the service itself.',
    advice: 'Retry the generation if you still want the video.',
    primaryAction: 'retry',
  }),
  stuck_timeout: () => ({
    autoRetryable: true,
    title: 'The generation stopped making progress',
    explanation: 'The video service reported no progress for too long, so the generation was stopped.',
    advice: 'Retry it. If it keeps happening, the service is probably overloaded: try again later.',
    primaryAction: 'retry',
  }),
  upstream_error: () => ({
    autoRetryable: true,
    title: 'The video service had an internal error',
    explanation: "The failure happened on the video service's side while it was generating, not because of your request.",
    advice: 'Retry it; the next attempt usually works.',
    primaryAction: 'retry',
  }),
  download: () => ({
    autoRetryable: false,
    title: 'The video could not be saved',
    explanation: 'The video was generated, but downloading it from the video service failed.',
    advice: 'Retry the generation; the finished video may no longer be available upstream.',
    primaryAction: 'retry',
  }),
  unavailable: (facts) => ({
    // A refused create is not retried automatically (nothing schedules it); the user retries when it suits them.
    autoRetryable: false,
    title: 'The video service was too busy',
    explanation:
      facts.step === 'submission'
        ? `The video service was rate-limiting or overloaded and did not take the request${facts.httpStatus === null ? '' : ` (HTTP ${facts.httpStatus})`}. ${REFUSED_AT_SUBMISSION}`
        : 'The video service was overloaded or rate-limiting requests.',
    advice: 'Retry in a few minutes.',
    primaryAction: 'retry',
  }),
  not_confirmed: () => ({
    autoRetryable: false,
    title: 'The request was never confirmed',
    explanation:
      'The answer to the create request was lost and the job never showed up in the service\'s list, so no video is being followed.',
    advice: 'Retry the generation.',
    primaryAction: 'retry',
  }),
  unknown: () => ({
    autoRetryable: false,
    title: 'Generation failed',
    explanation: 'The video service reported that the job failed, without a reason we recognise.',
    advice: 'Retry it; if it fails again, change the prompt or the settings.',
    primaryAction: 'retry',
  }),
};
