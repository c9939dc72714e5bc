import { claimDueRetries } from '@sora-monitor/db';
import { startGeneration, type GenerationDeps } from '../generations';

/** Starts the automatic new attempts that are due (each claimed by exactly one worker). */
export async function startDueRetries(deps: GenerationDeps, limit: number): Promise<number> {
  const due = await claimDueRetries(deps.db, limit);
  for (const video of due) {
    try {
      await startGeneration(deps, video.userId, video.id, { actor: 'poller' });
      deps.logger.info({ videoId: video.id }, 'Started an automatic retry');
    } catch (error) {
      // E.g. the user started one themselves meanwhile (CONFLICT): their choice wins.
      deps.logger.warn({ err: error, videoId: video.id }, 'Automatic retry not started');
    }
  }
  return due.length;
}
