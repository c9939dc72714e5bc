import { commitVideoChange, type CommittedChange } from '../queries/commit-video-change';
import type { Database } from '../types';

/**
 * Commits a visible change to a video that has not started (a new title and a note event) through the one commit
 * path, as another instance or a background task would: what subscription tests use to make something to deliver.
 */
export function commitNoteChange(
  db: Database,
  change: { videoId: string; userId: string; title: string; message: string },
): Promise<CommittedChange | null> {
  return commitVideoChange(db, {
    videoId: change.videoId,
    userId: change.userId,
    generationId: null,
    actor: 'system',
    expect: { status: 'not_started', jobId: null },
    set: { title: change.title },
    events: [{ type: 'note', fromStatus: null, toStatus: null, message: change.message, data: null }],
  });
}
