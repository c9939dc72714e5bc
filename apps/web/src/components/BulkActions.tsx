import { bulkOutcomeLines, MAX_BULK_VIDEOS, type BulkAction, type BulkOutcome } from '@sora-monitor/core/domain';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../lib/errors';
import { invalidateVideoList } from '../lib/video-list';
import { trpc, type VideoView } from '../trpc';
import { ConfirmDialog } from './ConfirmDialog';

interface BulkActionsProps {
  /** The videos shown on the page, in order. */
  items: VideoView[];
  selected: ReadonlySet<string>;
  onSelectedChange: (selected: ReadonlySet<string>) => void;
}

interface BulkResult {
  action: BulkAction;
  outcomes: BulkOutcome[];
}

const LABELS: Record<BulkAction, string> = { retry: 'Retry', reset: 'Reset', delete: 'Delete…' };

/**
 * Retry, reset or delete the picked videos in one go (`videos.bulk`, each under the rules of its single-video action),
 * then one summary of what was done and, per video, what was refused and why. The videos stay picked (but deleted ones).
 */
export function BulkActions({ items, selected, onSelectedChange }: BulkActionsProps) {
  const utils = trpc.useUtils();
  const queryClient = useQueryClient();
  const [running, setRunning] = useState<BulkAction | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [result, setResult] = useState<BulkResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const selectAll = useRef<HTMLInputElement>(null);
  const picked = items.filter((item) => selected.has(item.id));
  const allPicked = items.length > 0 && picked.length === items.length;

  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = picked.length > 0 && !allPicked;
  }, [picked.length, allPicked]);

  async function run(action: BulkAction) {
    const ids = picked.map((item) => item.id);
    const titles = new Map(picked.map((item) => [item.id, item.title]));
    const outcomes: BulkOutcome[] = [];
    setRunning(action);
    setFailure(null);
    setResult(null);
    try {
      // The router takes at most MAX_BULK_VIDEOS per request; more (after several "Load more") go in turns.
      for (let start = 0; start < ids.length; start += MAX_BULK_VIDEOS) {
        const answer = await utils.client.videos.bulk.mutate({ action, videoIds: ids.slice(start, start + MAX_BULK_VIDEOS) });
        // A video deleted elsewhere meanwhile comes back untitled: the page still knows what it was called.
        outcomes.push(...answer.outcomes.map((outcome) => ({ ...outcome, title: outcome.title ?? titles.get(outcome.videoId) ?? null })));
      }
    } catch (error) {
      setFailure(`${errorMessage(error)}${outcomes.length > 0 ? ' The videos before it were handled as said below.' : ''}`);
    }
    if (outcomes.length > 0) {
      setResult({ action, outcomes });
      // Deleted videos leave the selection; the rest stay picked for the next step ("reset it first, then delete it").
      const deleted = new Set(action === 'delete' ? outcomes.filter((outcome) => outcome.done).map((outcome) => outcome.videoId) : []);
      onSelectedChange(new Set(ids.filter((id) => !deleted.has(id))));
    }
    setRunning(null);
    setConfirmingDelete(false);
    await Promise.all([invalidateVideoList(queryClient), utils.sora.status.invalidate()]);
  }

  const lines = result ? bulkOutcomeLines(result.action, result.outcomes) : null;
  return (
    <>
      {items.length > 0 ? (
        <div className="bulk-bar" role="group" aria-label="Act on several videos">
          <label className="check">
            <input
              ref={selectAll}
              type="checkbox"
              checked={allPicked}
              onChange={(event) => onSelectedChange(new Set(event.target.checked ? items.map((item) => item.id) : []))}
            />{' '}
            Select all on this page
          </label>
          <span className="muted small" aria-live="polite">
            {picked.length} selected
          </span>
          {(['retry', 'reset', 'delete'] as const).map((action) => (
            <button
              key={action}
              type="button"
              className={`button button-small${action === 'delete' ? ' button-quiet-danger' : ''}`}
              disabled={picked.length === 0 || running !== null}
              onClick={() => (action === 'delete' ? setConfirmingDelete(true) : void run(action))}
            >
              {running === action ? 'Working…' : LABELS[action]}
            </button>
          ))}
        </div>
      ) : null}
      <div role="status" className="bulk-summary" data-testid="bulk-summary">
        {lines ? (
          <div className={`callout ${lines.refusals.length > 0 ? 'callout-warn' : 'callout-success'}`}>
            <p>{lines.refusals.length > 0 ? `${lines.headline}:` : `${lines.headline}.`}</p>
            {lines.refusals.length > 0 ? (
              <ul>
                {lines.refusals.map((refusal) => (
                  <li key={refusal.videoId}>{refusal.text}.</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </div>
      {failure ? (
        <p className="callout callout-error" role="alert">
          {failure}
        </p>
      ) : null}
      <ConfirmDialog
        open={confirmingDelete}
        title={picked.length === 1 ? 'Delete this video?' : `Delete ${picked.length} videos?`}
        confirmLabel={picked.length === 1 ? 'Delete video' : `Delete ${picked.length} videos`}
        busy={running === 'delete'}
        onCancel={() => setConfirmingDelete(false)}
        onConfirm={() => void run('delete')}
      >
        <p>The videos, their files and their history are removed for good. A video that is still generating is kept: reset it first.</p>
      </ConfirmDialog>
    </>
  );
}
