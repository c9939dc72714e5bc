import { centsPerSecond, DEFAULT_MODEL_CATALOG, highestCentsPerSecond, type ModelCatalog } from './catalog';
import { generationCostUsd } from './cost';
import { AppError, isAppError } from './errors';
import { countsTowardSpend, type AttemptFacts } from './job-ended';

interface Priced {
  model: string;
  size: string;
  seconds: number;
}

/**
 * How the cap values attempts: at the catalog's list prices, and a model without a known price (a gateway's own) at
 * `unknownUsdPerSecond`. The cap exists to stop runaway spending, so an unknown price is never counted as free.
 */
export interface SpendCapPricing {
  catalog: ModelCatalog;
  unknownUsdPerSecond: number;
}

/**
 * What an unknown price counts as when the operator sets none (UNKNOWN_PRICE_PER_SECOND_USD): the highest price per
 * second the catalog knows, or, when it knows none, the highest built-in one (sora-2-pro's $0.50).
 */
export function defaultUnknownUsdPerSecond(catalog: ModelCatalog): number {
  return (highestCentsPerSecond(catalog) ?? highestCentsPerSecond(DEFAULT_MODEL_CATALOG)!) / 100;
}

/** The cap's pricing for a catalog; `unknownUsdPerSecond` null means the default above. */
export function spendCapPricing(catalog: ModelCatalog, unknownUsdPerSecond: number | null): SpendCapPricing {
  return { catalog, unknownUsdPerSecond: unknownUsdPerSecond ?? defaultUnknownUsdPerSecond(catalog) };
}

const DEFAULT_PRICING = spendCapPricing(DEFAULT_MODEL_CATALOG, null);

function isPriceKnown(item: Priced, pricing: SpendCapPricing): boolean {
  return centsPerSecond(pricing.catalog, item.model, item.size) !== null;
}

/**
 * What one attempt counts as, in cents (so sums never drift: 0.1 + 0.2), at the cap's pricing; the usage page sums
 * the same numbers, so its spend agrees with the cap.
 */
export function attemptSpendCents(item: Priced, pricing: SpendCapPricing): number {
  return cents(item, pricing);
}

function cents(item: Priced, pricing: SpendCapPricing): number {
  const known = generationCostUsd(item.model, item.size, item.seconds, pricing.catalog);
  const usd = known ?? (isPriceKnown(item, pricing) ? 0 : pricing.unknownUsdPerSecond * Math.max(0, item.seconds));
  return Math.round(usd * 100);
}

const usd = (amountCents: number) => `$${(amountCents / 100).toFixed(2)}`;
/** A price per second keeps its fractions of a cent ($0.035), else shows cents ($0.50). */
const usdPerSecond = (amount: number) => `$${Number.isInteger(Math.round(amount * 1e6) / 1e4) ? amount.toFixed(2) : String(amount)}`;

export interface SpendToday {
  /** Estimated list price of today's attempts that count (see `countsTowardSpend`). */
  spentUsd: number;
  /** Null: no cap. */
  capUsd: number | null;
  /** What may still be started today; null without a cap. */
  remainingUsd: number | null;
}

/** An attempt of today, or `count` alike ones. */
type TodaysAttempts = Priced & AttemptFacts & { count?: number };

function spentCents(attemptsToday: ReadonlyArray<TodaysAttempts>, pricing: SpendCapPricing): number {
  return attemptsToday.filter(countsTowardSpend).reduce((sum, attempt) => sum + cents(attempt, pricing) * (attempt.count ?? 1), 0);
}

/** Today's spending against the cap, for the New video form and the CLI to show before a start. */
export function spendToday(
  capUsd: number | null,
  attemptsToday: ReadonlyArray<TodaysAttempts>,
  pricing: SpendCapPricing = DEFAULT_PRICING,
): SpendToday {
  const spent = spentCents(attemptsToday, pricing);
  if (capUsd === null) return { spentUsd: spent / 100, capUsd: null, remainingUsd: null };
  const capCents = Math.round(capUsd * 100);
  return { spentUsd: spent / 100, capUsd: capCents / 100, remainingUsd: Math.max(0, capCents - spent) / 100 };
}

/**
 * Refuses a generation that would take the user's spending today past `capUsd` (null: no cap). Today's attempts
 * count by `countsTowardSpend`: a reset or swept job still runs and is billed. FORBIDDEN rather than
 * TOO_MANY_REQUESTS: retrying soon cannot help and clients must not retry it automatically; the message says when
 * it resets, and how a video without a known price was counted.
 */
export function assertWithinDailySpendCap(
  capUsd: number | null,
  next: Priced,
  attemptsToday: ReadonlyArray<TodaysAttempts>,
  pricing: SpendCapPricing = DEFAULT_PRICING,
): void {
  if (capUsd === null) return;
  const capCents = Math.round(capUsd * 100);
  const spent = spentCents(attemptsToday, pricing);
  const costCents = cents(next, pricing);
  if (spent + costCents <= capCents) return;
  const unknown = [next, ...attemptsToday.filter(countsTowardSpend)].some((item) => !isPriceKnown(item, pricing));
  throw new AppError(
    'FORBIDDEN',
    `Daily spending limit reached: you have used ${usd(spent)} of your ${usd(capCents)} limit today and this video ` +
      `would cost ${usd(costCents)}.` +
      (unknown ? ` Videos whose price is unknown count as ${usdPerSecond(pricing.unknownUsdPerSecond)} per second.` : '') +
      ' The limit resets at 00:00 UTC.',
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
