/** The human messages upstream pairs with the error codes `[sim:fail=CODE]` is most used with. */
const FAILURE_MESSAGES: Readonly<Record<string, string>> = {
  moderation_blocked: 'Your request was blocked by our moderation system.',
  content_policy_violation: 'The video could not be generated because it may violate our content policy.',
  internal_error: 'The video could not be generated because of an internal error. Please try again.',
  timeout: 'Video generation timed out before it could finish.',
};

export function failureMessage(code: string): string {
  return FAILURE_MESSAGES[code] ?? `Video generation failed (${code}).`;
}
