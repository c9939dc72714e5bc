import { estimateRemainingMs, isActive } from '@sora-monitor/core/domain';
import { Link } from 'wouter';
import { formatDateTime, formatSize } from '../lib/format';
import { ACTIVE_POLL_MS, newerStatus, stuckInfo } from '../lib/generation';
import { trpc, type VideoView } from '../trpc';
import { ProgressBar } from './ProgressBar';
import { StatusBadge } from './StatusBadge';
import { TimeRemaining } from './TimeRemaining';

/** One video in "My videos": thumbnail when done, a live bar and time left while active. */
export function VideoCard({ video, now }: { video: VideoView; now: Date }) {
  const listed = video.generation;
  // Active items poll their own status (batched into one request), which also refreshes them from the provider.
  const live = trpc.sora.status.useQuery(
    { videoId: video.id },
    {
      enabled: isActive(listed.status),
      refetchInterval: (query) => {
        const status = query.state.data?.status ?? listed.status;
        return isActive(status) ? ACTIVE_POLL_MS : false;
      },
    },
  );
  const status = live.data ? newerStatus(listed, live.data) : listed;
  const active = isActive(status.status);
  const stuck = stuckInfo(status, now);
  const remainingMs = estimateRemainingMs({
    status: status.status,
    progress: status.progress,
    startedAt: status.startedAt ? new Date(status.startedAt) : null,
    progressChangedAt: status.progressChangedAt ? new Date(status.progressChangedAt) : null,
    now,
  });
  const titleId = `video-${video.id}-title`;

  return (
    <li className="video-card" aria-labelledby={titleId} data-testid="video-card" data-status={status.status}>
      <div className="thumb" aria-hidden="true">
        {status.thumbnailUrl ? (
          <img src={status.thumbnailUrl} alt="" loading="lazy" width={320} height={180} />
        ) : (
          <span className={`thumb-placeholder thumb-${status.status}`}>{placeholderText(status.status)}</span>
        )}
      </div>
      <div className="video-card-body">
        <h2 className="video-card-title" id={titleId}>
          <Link href={`/videos/${video.id}`} className="stretched-link">
            {video.title}
          </Link>
        </h2>
        <div className="video-card-status">
          <StatusBadge status={status.status} stuck={stuck !== null} />
          <span className="muted small">
            {video.model} · {formatSize(video.size)} · {video.seconds} s
          </span>
        </div>
        <div className="video-card-progress">
          {active ? (
            <>
              <ProgressBar status={status.status} progress={status.progress} size="small" label={`Progress of ${video.title}`} />
              <TimeRemaining remainingMs={remainingMs} active />
            </>
          ) : status.status === 'failed' ? (
            <p className="small error-text">{status.error ?? 'Generation failed.'}</p>
          ) : (
            <p className="small muted">Created {formatDateTime(video.createdAt)}</p>
          )}
        </div>
      </div>
    </li>
  );
}

function placeholderText(status: VideoView['generation']['status']): string {
  switch (status) {
    case 'failed':
      return '✕';
    case 'not_started':
      return '—';
    default:
      return '…';
  }
}
