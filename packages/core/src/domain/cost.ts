import { centsPerSecond, DEFAULT_MODEL_CATALOG, type ModelCatalog } from './catalog';

/**
 * What a generation costs in USD, rounded to cents, at the catalog's list price (the built-in catalog unless one is
 * given). Dated snapshots are priced as their base model. `seconds` may be a number or the SDK's string ('8'); any
 * positive duration is priced (extensions report stitched totals). Returns null when there is no price to give
 * honestly: a model without a known price (a gateway's other model), a size the model does not render, or a
 * duration that is not a positive number.
 */
export function generationCostUsd(
  model: string,
  size: string,
  seconds: number | string,
  catalog: ModelCatalog = DEFAULT_MODEL_CATALOG,
): number | null {
  const perSecond = centsPerSecond(catalog, model, size);
  const duration = typeof seconds === 'string' ? Number(seconds.trim() || NaN) : seconds;
  if (perSecond === null || !Number.isFinite(duration) || duration <= 0) return null;
  // Compute in cents so 0.1 * 3 does not become 0.30000000000000004.
  return Math.round(perSecond * duration) / 100;
}
