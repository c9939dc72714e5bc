import { videoFileName } from '@sora-monitor/core/domain';
import { formatDateTime, formatUsd } from '../lib/format';

interface VideoPlayerProps {
  videoId: string;
  title: string;
  videoUrl: string;
  thumbnailUrl: string | null;
  cost: number | null;
  completedAt: string | null;
  previous?: boolean;
}

/** The stored video: the server answers Range requests, so the player can seek. */
export function VideoPlayer({ videoId, title, videoUrl, thumbnailUrl, cost, completedAt, previous = false }: VideoPlayerProps) {
  return (
    <section className="player" aria-labelledby="player-title">
      <h2 id="player-title" className={previous ? undefined : 'visually-hidden'}>
        {previous ? 'Previous version' : 'Your video'}
      </h2>
      <div className="player-frame">
        <video
          controls
          preload="metadata"
          playsInline
          src={videoUrl}
          poster={thumbnailUrl ?? undefined}
          aria-label={`Video: ${title}`}
          data-testid="video-player"
        >
          Your browser cannot play this video. <a href={videoUrl}>Download it</a> instead.
        </video>
      </div>
      <div className="player-meta">
        <a className="button button-primary" href={videoUrl} download={videoFileName(title, videoId)} data-testid="download-link">
          Download MP4
        </a>
        <dl className="inline-facts">
          {cost !== null ? (
            <>
              <dt>Cost</dt>
              <dd data-testid="video-cost">{formatUsd(cost)}</dd>
            </>
          ) : null}
          {previous && completedAt ? (
            <>
              <dt>Finished</dt>
              <dd>
                <time dateTime={completedAt}>{formatDateTime(completedAt)}</time>
              </dd>
            </>
          ) : null}
        </dl>
      </div>
    </section>
  );
}
