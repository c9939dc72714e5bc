import { estimateRemainingMs, isActive } from '@sora-monitor/core/domain';
import { useState } from 'react';
import { Link } from 'wouter';
import { formatDateTime, formatSize, formatUsd } from '../lib/format';
import { ACTIVE_POLL_MS, keepNewerStatus, newerStatus, stuckInfo } from '../lib/generation';
import { trpc, type VideoView } from '../trpc';
import { ProgressBar } from './ProgressBar';
import { StatusBadge } from './StatusBadge';
import { TimeRemaining } from './TimeRemaining';

/** Whether the card is picked for a bulk action (its checkbox), and how to change that. */
export interface CardSelection {
  selected: boolean;
  onChange: (selected: boolean) => void;
}

/** One video in "My videos": thumbnail when done, a live bar and time left while active; a checkbox to pick it. */
export function VideoCard({ video, now, selection }: { video: VideoView; now: Date; selection?: CardSelection }) {
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
      structuralSharing: keepNewerStatus,
    },
  );
  const status = live.data ? newerStatus(listed, live.data) : listed;
  // A stored preview the browser cannot show (kept before previews were checked) falls back to the placeholder.
  const [brokenThumbnail, setBrokenThumbnail] = useState<string | null>(null);
  const thumbnailUrl = status.thumbnailUrl !== brokenThumbnail ? status.thumbnailUrl : null;
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
    <li className="video-card" aria-labelledby={titleId} data-testid="video-card" data-status={status.status} data-selected={selection?.selected}>
      {selection ? (
        <label className="video-card-select">
          <input type="checkbox" checked={selection.selected} onChange={(event) => selection.onChange(event.target.checked)} />
          <span className="visually-hidden">Select “{video.title}”</span>
        </label>
      ) : null}
      <div className="thumb" aria-hidden="true">
        {thumbnailUrl ? (
          <img src={thumbnailUrl} alt="" loading="lazy" width={320} height={180} onError={() => setBrokenThumbnail(thumbnailUrl)} />
        ) : (
          <span className={`thumb-placeholder thumb-${status.status}`} data-testid="thumb-placeholder">
            {placeholderText(status.status)}
          </span>
        )}
      </div>
      <div className="video-card-body">
        <h2 className="video-card-title" id={titleId}>
          <Link href={`/videos/${video.id}`} className="stretched-link">
            {video.title}
          </Link>
        </h2>
        <div className="video-card-status">
          <StatusBadge status={status.status} stuck={stuck !== null} retrying={status.status === 'failed' && Boolean(status.autoRetryAt)} />
          <span className="muted small">
            {video.model} · {formatSize(video.size)} · {video.seconds} s
            {video.generation.cost === null ? null : ` · ${formatUsd(video.generation.cost)}`}
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
    // Finished, but the video service sent no usable preview image: say so instead of waiting forever.
    case 'completed':
      return 'No preview';
    case 'failed':
      return '✕';
    case 'not_started':
      return '—';
    default:
      return '…';
  }
}
