import { generationCostUsd } from './cost';
import { AppError, isAppError } from './errors';

interface Priced {
  model: string;
  size: string;
  seconds: number;
}

/** Cents, so sums of prices never drift (0.1 + 0.2). An unpriced model (a gateway's own) counts as 0: unknowable. */
function cents(item: Priced): number {
  return Math.round((generationCostUsd(item.model, item.size, item.seconds) ?? 0) * 100);
}

const usd = (amountCents: number) => `$${(amountCents / 100).toFixed(2)}`;

/**
 * Refuses a generation that would take the user's spending today past `capUsd` (null: no cap). FORBIDDEN rather
 * than TOO_MANY_REQUESTS: retrying soon cannot help and clients must not retry it automatically; the message says
 * when it resets.
 */
export function assertWithinDailySpendCap(
  capUsd: number | null,
  next: Priced,
  attemptsToday: readonly Priced[],
): void {
  if (capUsd === null) return;
  const capCents = Math.round(capUsd * 100);
  const spentCents = attemptsToday.reduce((sum, attempt) => sum + cents(attempt), 0);
  const costCents = cents(next);
  if (spentCents + costCents <= capCents) return;
  throw new AppError(
    'FORBIDDEN',
    `Daily spending limit reached: you have used ${usd(spentCents)} of your ${usd(capCents)} limit today and this video ` +
      `would cost ${usd(costCents)}. The limit resets at 00:00 UTC.`,
  );
}

/** True for the refusal above, so an automatic retry can record why it did not start. */
export function isDailySpendCapError(error: unknown): error is AppError {
  return (
    isAppError(error) &&
    error.code === 'FORBIDDEN' &&
    error.message.startsWith('Daily spending limit reached')
  );
}
