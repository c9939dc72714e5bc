import type { CommittedChange, Database, EventActor, Video, VideoChange } from '@sora-monitor/db';
import { commitChange } from './commit-change';
import type { PlannedChange } from '../domain';
import { generationColumnsFromPatch, videoColumnsFromPatch } from './video-state';

/**
 * Commits a change a pure domain function planned: the video's columns, the attempt's history row and the audit
 * events in one guarded transaction (see `commitChange`). Null when the guard no longer held.
 */
export function commitPlannedChange(
  db: Database,
  target: { video: Pick<Video, 'id' | 'userId' | 'currentGenerationId'>; actor: EventActor; expect: VideoChange['expect'] },
  plan: PlannedChange,
): Promise<CommittedChange | null> {
  return commitChange(db, {
    videoId: target.video.id,
    userId: target.video.userId,
    generationId: target.video.currentGenerationId,
    actor: target.actor,
    expect: target.expect,
    set: videoColumnsFromPatch(plan.patch),
    generationSet: plan.attempt ?? generationColumnsFromPatch(plan.patch),
    events: plan.events.map((event) => ({ ...event, data: { ...event.data } })),
  });
}
