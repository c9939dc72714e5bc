import { Link } from 'wouter';
import type { RouterOutputs } from '../trpc';
import { trpc } from '../trpc';

type Video = RouterOutputs['videos']['get'];

const MADE_BY: Record<Video['lineage']['operation'], string> = {
  create: 'Generated from a prompt',
  remix: 'Remix of',
  edit: 'Edit of',
  extend: 'Extension of',
};

/** What a video was made from (its reference image, its source video and how) and what was made from it. */
export function Lineage({ video }: { video: Video }) {
  const { operation, sourceVideoId, referenceImageUrl, extensionSeconds } = video.lineage;
  const source = trpc.videos.get.useQuery({ videoId: sourceVideoId ?? '' }, { enabled: sourceVideoId !== null, retry: false });
  const madeInto = trpc.videos.list.useQuery({ sourceVideoId: video.id, limit: 10 });
  const derived = madeInto.data?.items ?? [];

  return (
    <section className="panel" aria-labelledby="lineage-title" data-testid="lineage">
      <h2 id="lineage-title">Lineage</h2>
      <p data-testid="made-from">
        {operation === 'create' ? (
          referenceImageUrl ? 'Generated from a prompt and a reference image.' : 'Generated from a prompt.'
        ) : (
          <>
            {MADE_BY[operation]}{' '}
            {sourceVideoId ? (
              <Link href={`/videos/${sourceVideoId}`}>{source.data ? `“${source.data.title}”` : 'its source video'}</Link>
            ) : (
              'a video that was deleted'
            )}
            {operation === 'extend' && extensionSeconds ? ` (+${extensionSeconds} s)` : ''}.
          </>
        )}
      </p>
      {referenceImageUrl ? <img className="reference-preview" src={referenceImageUrl} alt="Reference image this video starts from" /> : null}
      <h3 className="small">Made into</h3>
      {derived.length === 0 ? (
        <p className="muted small">Nothing yet.</p>
      ) : (
        <>
          <ul className="lineage-list" data-testid="made-into">
            {derived.map((item) => (
              <li key={item.id}>
                <Link href={`/videos/${item.id}`}>{item.title}</Link> <span className="muted small">({item.lineage.operation})</span>
              </li>
            ))}
          </ul>
          <Link href={`/?source=${video.id}`} className="small">
            See all videos made from this one
          </Link>
        </>
      )}
    </section>
  );
}
