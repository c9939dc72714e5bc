import { baseModel, type Model } from './options';

/** List price in US cents per second of video, by model and size. Sizes absent here are not offered. */
const CENTS_PER_SECOND: Readonly<Record<Model, Readonly<Record<string, number>>>> = {
  'sora-2': { '720x1280': 10, '1280x720': 10 },
  'sora-2-pro': { '720x1280': 30, '1280x720': 30, '1024x1792': 50, '1792x1024': 50 },
};

/**
 * What a generation costs in USD, rounded to cents. Dated snapshots are priced as their base model.
 * `seconds` may be a number or the SDK's string ('8'); any positive duration is priced (extensions report
 * stitched totals). Returns null when there is no price to give honestly: an unknown model (a gateway's
 * other model), a size the model does not render, or a duration that is not a positive number.
 */
export function generationCostUsd(model: string, size: string, seconds: number | string): number | null {
  const base = baseModel(model);
  const centsPerSecond = base === null ? undefined : CENTS_PER_SECOND[base][size];
  const duration = typeof seconds === 'string' ? Number(seconds.trim() || NaN) : seconds;
  if (centsPerSecond === undefined || !Number.isFinite(duration) || duration <= 0) return null;
  // Compute in cents so 0.1 * 3 does not become 0.30000000000000004.
  return Math.round(centsPerSecond * duration) / 100;
}
