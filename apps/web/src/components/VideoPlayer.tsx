import { formatDateTime, formatUsd } from '../lib/format';

interface VideoPlayerProps {
  title: string;
  videoUrl: string;
  thumbnailUrl: string | null;
  cost: number | null;
  completedAt: string | null;
  previous?: boolean;
}

function fileName(title: string): string {
  const base = title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'video';
  return `${base}.mp4`;
}

/** The stored video: the server answers Range requests, so the player can seek. */
export function VideoPlayer({ title, videoUrl, thumbnailUrl, cost, completedAt, previous = false }: VideoPlayerProps) {
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
        <a className="button button-primary" href={videoUrl} download={fileName(title)} data-testid="download-link">
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
