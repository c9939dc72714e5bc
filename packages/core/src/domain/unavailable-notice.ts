import { RATE_LIMITED_MESSAGE } from './messages';

/** What a page or the CLI needs to say why the status is the last known one, and when it is looked at again. */
export interface UnavailableView {
  message: string;
  rateLimited: boolean;
  /** When the next status request to the service is planned (ISO 8601), when known. */
  nextCheckAt: string | null;
}

/** Whether a transient poll note is the rate-limit one: `unavailableMessage` wrote it, so this reads our own words. */
export function isRateLimitedMessage(text: string | null | undefined): boolean {
  return text === RATE_LIMITED_MESSAGE;
}

/** "next check in 3 s" (or in minutes when far), "checking again now" once it is due; null without a planned time. */
export function nextCheckText(nextCheckAt: string | null, now: Date): string | null {
  const at = nextCheckAt ? Date.parse(nextCheckAt) : Number.NaN;
  if (!Number.isFinite(at)) return null;
  const seconds = Math.ceil((at - now.getTime()) / 1000);
  if (seconds <= 0) return 'checking again now';
  return seconds < 120 ? `next check in ${seconds} s` : `next check in ${Math.round(seconds / 60)} min`;
}

/**
 * The line shown while the service does not answer: a rate limit is called one ("The video service asked us to slow
 * down; next check in 3 s"), anything else keeps its message, and either says when it is checked again.
 */
export function unavailableNotice(view: UnavailableView, now: Date): string {
  const next = nextCheckText(view.nextCheckAt, now);
  if (view.rateLimited) return `The video service asked us to slow down; ${next ?? 'it is checked again automatically'}`;
  return next ? `${view.message} ${next.charAt(0).toUpperCase()}${next.slice(1)}.` : view.message;
}
