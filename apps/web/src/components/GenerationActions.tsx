import { classifyFailure, isActive } from '@sora-monitor/core/domain';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../lib/errors';
import { formatDuration } from '../lib/format';
import type { StuckInfo } from '../lib/generation';
import { invalidateVideoList } from '../lib/video-list';
import { trpc, type StatusView } from '../trpc';
import { AutoRetryNotice } from './AutoRetryNotice';
import { ConfirmDialog } from './ConfirmDialog';
import { costLabel, DuplicateButton, EditPromptRetry, ResetOrRetry, useRetryCost } from './RetryChoices';

interface GenerationActionsProps {
  videoId: string;
  status: StatusView;
  stuck: StuckInfo | null;
  /** Whether this video was ever generated (then "Retry", else "Generate"). */
  hasAttempts: boolean;
  /** For the automatic retry's countdown: the current time, the failed attempt's number and the server's limit. */
  now: Date;
  attempt: number | null;
  maxAttempts: number | null;
}

type Pending = 'reset' | 'retry' | null;

/**
 * Reset and Retry, offered when they help: a stuck or queued-too-long generation, a failed one, or one that was
 * reset. Retrying an active (stuck) generation resets it first, so it asks for confirmation like Reset does.
 */
export function GenerationActions({ videoId, status, stuck, hasAttempts, now, attempt, maxAttempts }: GenerationActionsProps) {
  const utils = trpc.useUtils();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<Pending>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reset = trpc.sora.reset.useMutation();
  const retry = trpc.sora.retry.useMutation();
  const generate = trpc.sora.generate.useMutation();
  const cancelAutoRetry = trpc.sora.cancelAutoRetry.useMutation();
  const starting = retry.isPending || generate.isPending;
  const busy = reset.isPending || starting || cancelAutoRetry.isPending;
  const active = isActive(status.status);
  // A failure the request itself caused (moderation, a refused request) is fixed by editing the prompt, not by retrying.
  const failed = status.status === 'failed';
  const editFirst = failed && classifyFailure(status.errorCode).primaryAction === 'edit_prompt';
  const [editing, setEditing] = useState(false);
  const retryCost = costLabel(useRetryCost(videoId).costUsd);

  const refreshAll = async (next?: StatusView) => {
    if (next) utils.sora.status.setData({ videoId }, next);
    await Promise.all([
      next ? Promise.resolve() : utils.sora.status.invalidate({ videoId }),
      utils.sora.history.invalidate({ videoId }),
      utils.videos.get.invalidate({ videoId }),
      invalidateVideoList(queryClient),
    ]);
  };

  /**
   * Reset: sora.reset. Retry: a new attempt with sora.retry (a stuck, still active generation is reset first); a video
   * that was never generated is started with sora.generate instead.
   */
  const run = async (action: 'reset' | 'retry') => {
    setError(null);
    setNotice(null);
    try {
      if (action === 'reset' || active) {
        const result = await reset.mutateAsync({ videoId });
        setNotice(result.message);
      }
      if (action === 'retry') {
        const next = hasAttempts ? await retry.mutateAsync({ videoId }) : await generate.mutateAsync({ videoId });
        setNotice(null);
        await refreshAll(next);
      } else {
        await refreshAll();
      }
    } catch (caught) {
      setError(errorMessage(caught));
      await refreshAll();
    } finally {
      setDialog(null);
    }
  };

  const cancel = async () => {
    setError(null);
    setNotice(null);
    try {
      const next = await cancelAutoRetry.mutateAsync({ videoId });
      setNotice('Automatic retry cancelled. Retry whenever you like.');
      await refreshAll(next);
    } catch (caught) {
      setError(errorMessage(caught));
      await refreshAll();
    }
  };

  const retryLabel = `${hasAttempts ? 'Retry' : 'Generate video'}${retryCost ? ` · ${retryCost}` : ''}`;

  let body: ReactNode;
  if (status.status === 'completed') {
    // Nothing to offer and nothing to refuse: the player follows.
    body = null;
  } else if (status.status === 'failed' && status.autoRetryAt) {
    body = (
      <AutoRetryNotice
        autoRetryAt={status.autoRetryAt}
        now={now}
        attempt={attempt}
        maxAttempts={maxAttempts}
        busy={busy}
        onRetryNow={() => void run('retry')}
        onCancel={() => void cancel()}
      />
    );
  } else if (active && !stuck) {
    body = (
      <p className="muted small">
        If the generation stops making progress, you will be able to reset and retry it here.
      </p>
    );
  } else {
    body = (
      <>
        {stuck ? (
          <div className="callout callout-warn" data-testid="stuck-notice">
            <h3>This generation looks stuck</h3>
            <p>
              {stuck.reason === 'no_progress'
                ? `No progress for ${formatDuration(stuck.idleMs)} (at ${status.progress}%).`
                : `Queued for ${formatDuration(stuck.idleMs)}, much longer than usual.`}{' '}
              You can wait (it is still being checked), or reset it and retry.
            </p>
          </div>
        ) : null}
        {editing ? (
          <EditPromptRetry
            videoId={videoId}
            onCancel={() => setEditing(false)}
            onStarted={async (next) => {
              setEditing(false);
              await refreshAll(next);
            }}
          />
        ) : (
          <div className="actions">
            {failed ? (
              <button type="button" className={`button${editFirst ? ' button-primary' : ''}`} disabled={busy} onClick={() => setEditing(true)}>
                Edit prompt and retry
              </button>
            ) : null}
            <button
              type="button"
              className={`button${editFirst ? '' : ' button-primary'}`}
              disabled={busy}
              onClick={() => (active ? setDialog('retry') : void run('retry'))}
            >
              {starting ? 'Starting…' : retryLabel}
            </button>
            {failed ? <DuplicateButton videoId={videoId} disabled={busy} /> : null}
            {status.status !== 'not_started' ? (
              <button type="button" className="button" disabled={busy} onClick={() => setDialog('reset')}>
                Reset…
              </button>
            ) : null}
          </div>
        )}
        {hasAttempts && status.status !== 'not_started' ? <ResetOrRetry videoId={videoId} active={active} /> : null}
      </>
    );
  }

  return (
    <div className="generation-actions">
      {body}
      {notice ? (
        <p className="callout callout-success" role="status" data-testid="action-notice">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p className="callout callout-error" role="alert" data-testid="action-error">
          {error}
        </p>
      ) : null}
      <ConfirmDialog
        open={dialog !== null}
        title={dialog === 'retry' ? 'Reset and retry this generation?' : 'Reset this generation?'}
        confirmLabel={dialog === 'retry' ? 'Reset and retry' : 'Reset generation'}
        busy={busy}
        onCancel={() => setDialog(null)}
        onConfirm={() => void run(dialog ?? 'reset')}
      >
        <p>
          {active
            ? 'Sora Monitor stops following the current job; anything it produces later is ignored. '
            : 'The failed attempt and its error are cleared from the video (they stay in the history). '}
          Any earlier finished video of this entry is kept.
        </p>
        {dialog === 'retry' ? <p>A new generation starts right away with the same prompt and settings.</p> : null}
      </ConfirmDialog>
    </div>
  );
}
