import { centsPerSecond, findCatalogModel, generationCostUsd, type ModelCatalog } from '@sora-monitor/core/domain';
import type { ReactNode } from 'react';
import { formatSize, formatUsd } from '../lib/format';
import type { RouterOutputs } from '../trpc';

type ModelsView = RouterOutputs['system']['models'];
type SpendView = RouterOutputs['sora']['spendToday'];

interface CostEstimateProps {
  id?: string;
  model: string;
  size: string;
  /** The seconds the generation is priced on (an extension: the stitched total). */
  seconds: number;
  models: ModelsView | undefined;
  spend: SpendView | undefined;
  /** Says what the seconds are made of when that is not obvious (an extension's source plus new footage). */
  secondsNote?: ReactNode;
}

/**
 * What starting this generation costs at the catalog's list price, shown before anything is started (the New video
 * form and Remix / Extend / Edit), with today's spending against the daily limit.
 */
export function CostEstimate({ id, model, size, seconds, models, spend, secondsNote }: CostEstimateProps) {
  const catalog: ModelCatalog | null = models ? { models: models.models } : null;
  const entry = catalog ? findCatalogModel(catalog, model) : null;
  const cost = catalog ? generationCostUsd(model, size, seconds, catalog) : null;
  const perSecondCents = catalog ? centsPerSecond(catalog, model, size) : null;
  return (
    <div className="estimate" id={id} aria-live="polite" data-testid="cost-estimate">
      <span className="estimate-label">Estimated cost</span>
      <strong className="estimate-value">{cost === null ? 'unknown' : formatUsd(cost)}</strong>
      {cost !== null && perSecondCents !== null ? (
        <span className="muted small" data-testid="cost-breakdown">
          {seconds} s × {formatUsd(perSecondCents / 100)} per second ({model}, {formatSize(size)}){secondsNote ? <>: {secondsNote}</> : null}
        </span>
      ) : entry && models ? (
        <span className="muted small" data-testid="unknown-price-note">
          This server does not know the price of {entry.name}.
          {models.spendCap.dailyUsd !== null
            ? ` Toward your daily limit of ${formatUsd(models.spendCap.dailyUsd)} it counts as ${formatUsd(models.spendCap.unknownUsdPerSecond)} per second.`
            : ''}
        </span>
      ) : null}
      <SpendToday spend={spend} />
    </div>
  );
}

/** "Today: $0.80 of your $2.00 daily limit used ($1.20 left)", so a refusal never comes as a surprise. */
function SpendToday({ spend }: { spend: SpendView | undefined }) {
  if (!spend) return null;
  return (
    <span className="muted small" data-testid="spend-today">
      {spend.capUsd === null
        ? `Today: ${formatUsd(spend.spentUsd)} used (no daily limit).`
        : `Today: ${formatUsd(spend.spentUsd)} of your ${formatUsd(spend.capUsd)} daily limit used (${formatUsd(spend.remainingUsd ?? 0)} left).`}
    </span>
  );
}
