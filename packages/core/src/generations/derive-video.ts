import type { Video } from '@sora-monitor/db';
import { planDerivedVideo, type DerivationRequest } from '../domain';
import { CREATED_MESSAGE } from './create-video';
import type { GenerationDeps } from './deps';
import { createAndStartGeneration } from './start-generation';

/**
 * Remixes, edits or extends one of the user's completed videos: a new video linked to its source, created and started
 * in one step through the same path as any generation (attempt recorded first, spend cap, one upstream call,
 * lost-create reconciliation), then followed, stored and billed like any other. A start refused before anything is
 * sent (the daily spend cap) records nothing. `source` must already be the caller's (loaded scoped to them).
 */
export async function deriveVideo(
  deps: GenerationDeps,
  source: Video,
  request: DerivationRequest & { title: string },
): Promise<Video> {
  const plan = planDerivedVideo(
    deps.settings.catalog,
    { id: source.id, model: source.model, size: source.size, seconds: source.seconds, status: source.soraGenerationStatus, jobId: source.soraJobId },
    request,
  );
  return createAndStartGeneration(deps, source.userId, { title: request.title, ...plan }, { createdMessage: CREATED_MESSAGE[plan.operation] });
}
