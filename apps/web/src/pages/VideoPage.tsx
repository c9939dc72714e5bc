import { estimateRemainingMs, formatRemaining, isActive, isProgressStalled, unavailableNotice } from '@sora-monitor/core/domain';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link } from 'wouter';
import { DeleteVideo } from '../components/DeleteVideo';
import { DeriveActions } from '../components/DeriveActions';
import { DownloadBar } from '../components/DownloadBar';
import { FailureHelp } from '../components/FailureHelp';
import { GenerationActions } from '../components/GenerationActions';
import { GenerationSteps } from '../components/GenerationSteps';
import { HistoryTimeline } from '../components/HistoryTimeline';
import { Lineage } from '../components/Lineage';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { TimeRemaining } from '../components/TimeRemaining';
import { RunFacts } from '../components/RunFacts';
import { VideoPlayer } from '../components/VideoPlayer';
import { errorMessage, isNotFound } from '../lib/errors';
import { formatDateTime, formatSize } from '../lib/format';
import { downloadProgress, isDownloading, progressSamples, stepsInput, stuckInfo } from '../lib/generation';
import { useDocumentTitle } from '../lib/use-document-title';
import { useLiveVideo } from '../lib/use-live-video';
import { useNow } from '../lib/use-now';
import { invalidateVideoList } from '../lib/video-list';
import { trpc } from '../trpc';
import { NotFoundPage } from './NotFoundPage';

export function VideoPage({ videoId }: { videoId: string }) {
  const { video, status, history, invalidateHistory, pastDurations } = useLiveVideo(videoId);
  const current = status.data ?? video.data?.generation;
  const active = current ? isActive(current.status) : false;
  const retryPlanned = current?.status === 'failed' && Boolean(current.autoRetryAt);
  // Ticks while something moves on its own: an active generation, or the countdown to an automatic retry.
  const now = useNow(1000, active || retryPlanned);
  const health = trpc.system.health.useQuery(undefined, { staleTime: 60_000 });
  const queryClient = useQueryClient();
  useDocumentTitle(video.data ? video.data.title : 'Video');

  // When the status moves, the history (and the list) have news too.
  const updatedAt = current?.updatedAt;
  useEffect(() => {
    if (!updatedAt) return;
    invalidateHistory();
    void invalidateVideoList(queryClient);
  }, [updatedAt, invalidateHistory, queryClient]);

  if (video.isPending) {
    return (
      <div className="page" aria-busy="true">
        <p className="muted">Loading the video…</p>
      </div>
    );
  }
  if (video.isError) {
    if (isNotFound(video.error)) return <NotFoundPage what="video" />;
    return (
      <div className="page">
        <h1>Video</h1>
        <p className="callout callout-error" role="alert">
          {errorMessage(video.error)}
        </p>
      </div>
    );
  }
  if (!current) return null;

  const data = video.data;
  const stuck = stuckInfo(current, now);
  const estimateInput = {
    status: current.status,
    progress: current.progress,
    startedAt: current.startedAt ? new Date(current.startedAt) : null,
    progressChangedAt: current.progressChangedAt ? new Date(current.progressChangedAt) : null,
    now,
    samples: progressSamples(current, history.data),
    pastDurationsMs: pastDurations.data?.durationsMs ?? [],
  };
  const remainingMs = estimateRemainingMs(estimateInput);
  const stalled = stuck !== null || isProgressStalled(estimateInput);
  const hasAttempts = (history.data?.attempts.length ?? 0) > 0 || current.status !== 'not_started';
  const steps = stepsInput(current, history.data);
  const downloading = isDownloading(current);
  const download = downloadProgress(current, history.data);

  return (
    <div className="page video-page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/">← My videos</Link>
      </nav>

      <header className="video-header">
        <div className="video-title-row">
          <h1>{data.title}</h1>
          <StatusBadge status={current.status} stuck={stuck !== null} retrying={retryPlanned} downloading={downloading} />
        </div>
        <p className="prompt" data-testid="video-prompt">
          {data.prompt}
        </p>
        <p className="muted small">
          {data.model} · {formatSize(data.size)} · {data.seconds} s · created {formatDateTime(data.createdAt)}
        </p>
      </header>

      <section className="panel generation" aria-labelledby="generation-title">
        <h2 id="generation-title">Generation</h2>
        <p className={`status-line${current.temporarilyUnavailable ? ' status-line-temporary' : ''}`} role="status" data-testid="status-message">
          {current.temporarilyUnavailable ? (
            <span className="pill pill-temporary" data-testid="temporary-notice">
              {current.rateLimited ? 'Rate limited' : 'Temporarily unavailable'}
            </span>
          ) : null}
          <span>{current.temporarilyUnavailable ? unavailableNotice(current, now) : current.message}</span>
        </p>
        {active && status.isError ? (
          <p className="muted small" data-testid="status-check-failed">
            The last status check could not reach the server. It is tried again, and live updates continue meanwhile.
          </p>
        ) : null}
        {current.status !== 'not_started' ? (
          <div className="progress-block">
            <ProgressBar
              status={current.status}
              progress={current.progress}
              detail={active ? (remainingMs === null ? 'estimating time left' : formatRemaining(remainingMs)) : null}
            />
            {downloading ? <DownloadBar progress={download} /> : null}
            <p className="progress-caption">
              <TimeRemaining remainingMs={remainingMs} active={active && !downloading} stalled={stalled} />
              {current.status === 'completed' && current.completedAt ? (
                <span className="muted">Finished {formatDateTime(current.completedAt)}</span>
              ) : null}
            </p>
          </div>
        ) : null}

        {current.status === 'failed' ? (
          <FailureHelp error={current.error} errorCode={current.errorCode} retryPlanned={retryPlanned} />
        ) : null}

        <GenerationActions
          videoId={videoId}
          status={current}
          stuck={stuck}
          hasAttempts={hasAttempts}
          now={now}
          attempt={history.data?.attempts[0]?.attempt ?? null}
          maxAttempts={health.data?.settings?.maxAttempts ?? null}
        />

        {current.videoUrl ? (
          <VideoPlayer
            videoId={videoId}
            title={data.title}
            videoUrl={current.videoUrl}
            thumbnailUrl={current.thumbnailUrl}
            cost={current.cost}
            completedAt={current.completedAt}
            previous={current.status !== 'completed'}
          />
        ) : null}

        {current.status === 'completed' ? <DeriveActions source={{ id: videoId, model: data.model, size: data.size, seconds: data.seconds }} operations={data.operations} /> : null}
      </section>

      <Lineage video={data} />

      <section className="panel" aria-labelledby="steps-title">
        <h2 id="steps-title">Steps</h2>
        <GenerationSteps input={steps} />
        <RunFacts steps={steps} />
      </section>

      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {history.data ? (
          <HistoryTimeline history={history.data} />
        ) : history.isError ? (
          <p className="callout callout-error" role="alert">
            {errorMessage(history.error)}
          </p>
        ) : (
          <p className="muted">Loading the history…</p>
        )}
      </section>

      <DeleteVideo videoId={videoId} active={active} />
    </div>
  );
}
