import { isActive } from '@sora-monitor/core/domain';
import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useId } from 'react';
import { Link, useSearchParams } from 'wouter';
import { VideoCard } from '../components/VideoCard';
import { useEndSessionOnUnauthorized } from '../lib/auth';
import { errorMessage } from '../lib/errors';
import { STATUS_LABELS } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';
import { useNow } from '../lib/use-now';
import { invalidateVideoList, useVideoList, VIDEO_LIST_KEY, type VideoPage } from '../lib/video-list';
import { trpc, type GenerationStatus } from '../trpc';

const FILTERS = ['queued', 'in_progress', 'completed', 'failed', 'not_started'] as const satisfies readonly GenerationStatus[];

function parseFilter(value: string | null): GenerationStatus | undefined {
  return FILTERS.find((status) => status === value);
}

/** "My videos": newest first, paged with "Load more", filterable by status, live while anything is active. */
export function VideosPage() {
  useDocumentTitle('My videos');
  const [params, setParams] = useSearchParams();
  const status = parseFilter(params.get('status'));
  const filterId = useId();
  const queryClient = useQueryClient();
  const onSubscriptionError = useEndSessionOnUnauthorized();
  const list = useVideoList(status);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const anyActive = items.some((item) => isActive(item.generation.status));
  const now = useNow(1000, anyActive);

  // Changes made anywhere (the poller, another tab) land in the list as they happen.
  trpc.sora.onUpdate.useSubscription(
    {},
    {
      onError: onSubscriptionError,
      onData: ({ data }) => {
        const pushed = data.video;
        const known = items.some((item) => item.id === pushed.id);
        if (!known) {
          // A video created elsewhere (another tab, the CLI) belongs at the top of the list.
          if (data.event?.type === 'created') void invalidateVideoList(queryClient);
          return;
        }
        queryClient.setQueriesData<InfiniteData<VideoPage>>({ queryKey: VIDEO_LIST_KEY }, (current) =>
          current
            ? {
                ...current,
                pages: current.pages.map((page) => ({
                  ...page,
                  items: page.items.map((item) => (item.id === pushed.id ? pushed : item)),
                })),
              }
            : current,
        );
      },
    },
  );

  const setFilter = (value: string) => {
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set('status', value);
      else next.delete('status');
      return next;
    });
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>My videos</h1>
        <Link href="/new" className="button button-primary">
          New video
        </Link>
      </div>

      <div className="toolbar">
        <label htmlFor={filterId}>Status</label>
        <select id={filterId} value={status ?? ''} onChange={(event) => setFilter(event.target.value)}>
          <option value="">All videos</option>
          {FILTERS.map((value) => (
            <option key={value} value={value}>
              {STATUS_LABELS[value]}
            </option>
          ))}
        </select>
      </div>

      {list.isPending ? (
        <p className="muted" aria-busy="true">
          Loading your videos…
        </p>
      ) : list.isError ? (
        <p className="callout callout-error" role="alert">
          {errorMessage(list.error)}
        </p>
      ) : items.length === 0 ? (
        <EmptyState status={status} onClear={() => setFilter('')} />
      ) : (
        <>
          <ul className="video-grid" aria-label="Videos">
            {items.map((video) => (
              <VideoCard key={video.id} video={video} now={now} />
            ))}
          </ul>
          <div className="load-more">
            {list.hasNextPage ? (
              <button type="button" className="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            ) : (
              <p className="muted small" role="status">
                {items.length === 1 ? 'That is your only video.' : `All ${items.length} videos shown.`}
              </p>
            )}
          </div>
        </>
      )}
    </div>
  );
}

function EmptyState({ status, onClear }: { status: GenerationStatus | undefined; onClear: () => void }) {
  if (status) {
    return (
      <div className="empty" data-testid="empty-state">
        <h2>No videos with status “{STATUS_LABELS[status]}”</h2>
        <button type="button" className="button" onClick={onClear}>
          Show all videos
        </button>
      </div>
    );
  }
  return (
    <div className="empty" data-testid="empty-state">
      <h2>No videos yet</h2>
      <p>Describe a scene, pick a model and a length, and Sora Monitor follows the generation until your video is ready.</p>
      <Link href="/new" className="button button-primary">
        Generate your first video
      </Link>
    </div>
  );
}
