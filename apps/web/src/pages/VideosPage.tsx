import { failureKindTitle, isActive, type FailureKind } from '@sora-monitor/core/domain';
import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { BulkActions } from '../components/BulkActions';
import { NotifyToggle } from '../components/NotifyToggle';
import { VideoCard } from '../components/VideoCard';
import { useEndSessionOnUnauthorized } from '../lib/auth';
import { errorMessage } from '../lib/errors';
import { useFinishNotifications } from '../lib/finish-notifications';
import { STATUS_LABELS } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';
import { useNow } from '../lib/use-now';
import { invalidateVideoList, useVideoList, VIDEO_LIST_KEY, type VideoPage } from '../lib/video-list';
import {
  isFiltered,
  LIST_STATUSES,
  readListQuery,
  writeListQuery,
  type ListOrder,
  type ListSort,
  type VideoListQuery,
} from '../lib/video-list-query';
import { trpc } from '../trpc';

const SORT_CHOICES: { value: `${ListSort}:${ListOrder}`; label: string }[] = [
  { value: 'created:desc', label: 'Newest first' },
  { value: 'created:asc', label: 'Oldest first' },
  { value: 'updated:desc', label: 'Recently changed' },
  { value: 'cost:desc', label: 'Most expensive' },
  { value: 'cost:asc', label: 'Cheapest' },
  { value: 'duration:desc', label: 'Longest' },
  { value: 'duration:asc', label: 'Shortest' },
];

// Typing narrows the list after a short pause, not on every key.
const SEARCH_DELAY_MS = 300;

/**
 * "My videos": searchable, sortable and filterable, every choice kept in the URL; counts per status at the top;
 * paged with "Load more"; live while anything is active.
 */
export function VideosPage() {
  useDocumentTitle('My videos');
  const [params, setParams] = useSearchParams();
  const query = readListQuery(params);
  const ids = { search: useId(), status: useId(), model: useId(), sort: useId(), from: useId(), to: useId() };
  const queryClient = useQueryClient();
  const onSubscriptionError = useEndSessionOnUnauthorized();
  const announceIfFinished = useFinishNotifications();
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const list = useVideoList(query);
  const counts = trpc.videos.counts.useQuery();
  const models = trpc.system.models.useQuery(undefined, { staleTime: 5 * 60_000 });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const anyActive = items.some((item) => isActive(item.generation.status));
  const now = useNow(1000, anyActive);

  const update = (patch: Partial<VideoListQuery>, options?: { replace?: boolean }) =>
    setParams(writeListQuery({ ...readListQuery(new URLSearchParams(window.location.search)), ...patch }), options);

  const [searchText, setSearchText] = useState(query.search ?? '');
  // Back/forward (or a link) changing the search puts it in the box (set during render, React's pattern for this).
  const [searchInUrl, setSearchInUrl] = useState(query.search);
  if (searchInUrl !== query.search) {
    setSearchInUrl(query.search);
    if (searchText.trim() !== (query.search ?? '')) setSearchText(query.search ?? '');
  }
  useEffect(() => {
    if (searchText.trim() === (query.search ?? '')) return;
    const timer = setTimeout(() => update({ search: searchText.trim() || undefined }, { replace: true }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the typed text restarts the pause
  }, [searchText]);

  // Changes made anywhere (the poller, another tab) land in the list as they happen. The stream starts where the
  // first list answer stood in the user's changes, so nothing committed after that read is missed: not before the
  // stream opened, nor while it reconnects before its first message (it then has no event id of its own to resume
  // from). Kept from the first answer: a new one would only restart the stream.
  const [streamFrom, setStreamFrom] = useState<string | null>(null);
  const listStoodAt = list.data?.pages[0]?.eventCursor;
  if (streamFrom === null && listStoodAt !== undefined) setStreamFrom(listStoodAt);
  trpc.sora.onUpdate.useSubscription(
    { lastEventId: streamFrom },
    {
      enabled: streamFrom !== null,
      onError: onSubscriptionError,
      onData: ({ data }) => {
        announceIfFinished(data);
        const pushed = data.video;
        const known = items.find((item) => item.id === pushed.id);
        if (!known) {
          // A video created elsewhere (another tab, the CLI) belongs at the top of the list.
          if (data.event?.type === 'created') void invalidateVideoList(queryClient);
          return;
        }
        if (known.generation.status !== pushed.generation.status) void counts.refetch();
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

  return (
    <div className="page">
      <div className="page-head">
        <h1>My videos</h1>
        <Link href="/new" className="button button-primary">
          New video
        </Link>
      </div>
      <NotifyToggle />

      {counts.data ? (
        <nav className="status-counts" aria-label="Videos by status">
          <button type="button" className="button button-small" aria-pressed={!query.status} onClick={() => update({ status: undefined })}>
            All <span className="status-count">{counts.data.total}</span>
          </button>
          {LIST_STATUSES.map((value) => (
            <button
              key={value}
              type="button"
              className="button button-small"
              aria-pressed={query.status === value}
              onClick={() => update({ status: value })}
            >
              {STATUS_LABELS[value]} <span className="status-count">{counts.data.byStatus[value]}</span>
            </button>
          ))}
        </nav>
      ) : null}

      <div className="toolbar" role="search">
        <label htmlFor={ids.search}>Search</label>
        <input
          id={ids.search}
          type="search"
          placeholder="Title or prompt"
          maxLength={200}
          value={searchText}
          onChange={(event) => setSearchText(event.target.value)}
        />
        <label htmlFor={ids.status}>Status</label>
        <select id={ids.status} value={query.status ?? ''} onChange={(event) => update({ status: readListQuery(new URLSearchParams({ status: event.target.value })).status })}>
          <option value="">All videos</option>
          {LIST_STATUSES.map((value) => (
            <option key={value} value={value}>
              {STATUS_LABELS[value]}
            </option>
          ))}
        </select>
        <label htmlFor={ids.model}>Model</label>
        <select id={ids.model} value={query.model ?? ''} onChange={(event) => update({ model: event.target.value || undefined })}>
          <option value="">All models</option>
          {(models.data?.models ?? []).map((model) => (
            <option key={model.name} value={model.name}>
              {model.name}
            </option>
          ))}
          {query.model && models.data && !models.data.models.some((model) => model.name === query.model) ? (
            <option value={query.model}>{query.model}</option>
          ) : null}
        </select>
        <label htmlFor={ids.sort}>Sort</label>
        <select
          id={ids.sort}
          value={`${query.sort}:${query.order}`}
          onChange={(event) => {
            const [sort, order] = event.target.value.split(':') as [ListSort, ListOrder];
            update({ sort, order });
          }}
        >
          {SORT_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
          {SORT_CHOICES.some((choice) => choice.value === `${query.sort}:${query.order}`) ? null : (
            <option value={`${query.sort}:${query.order}`}>{`${query.sort} (${query.order === 'asc' ? 'ascending' : 'descending'})`}</option>
          )}
        </select>
        <label className="check">
          <input type="checkbox" checked={query.stuck} onChange={(event) => update({ stuck: event.target.checked })} /> Stuck
        </label>
        <label className="check">
          <input type="checkbox" checked={query.retrying} onChange={(event) => update({ retrying: event.target.checked })} />{' '}
          Retrying automatically
        </label>
        <label htmlFor={ids.from}>Created from</label>
        <input id={ids.from} type="date" value={query.from ?? ''} onChange={(event) => update({ from: event.target.value || undefined })} />
        <label htmlFor={ids.to}>to</label>
        <input id={ids.to} type="date" value={query.to ?? ''} onChange={(event) => update({ to: event.target.value || undefined })} />
        {query.source ? <SourceFilter sourceVideoId={query.source} onClear={() => update({ source: undefined })} /> : null}
        {query.failure ? <FailureFilter kind={query.failure} onClear={() => update({ failure: undefined })} /> : null}
      </div>

      <BulkActions items={list.isPending || list.isError ? [] : items} selected={selected} onSelectedChange={setSelected} />

      {list.isPending ? (
        <p className="muted" aria-busy="true">
          Loading your videos…
        </p>
      ) : list.isError ? (
        <p className="callout callout-error" role="alert">
          {errorMessage(list.error)}
        </p>
      ) : items.length === 0 ? (
        <EmptyState filtered={isFiltered(query)} onClear={() => setParams(new URLSearchParams())} />
      ) : (
        <>
          <ul className="video-grid" aria-label="Videos">
            {items.map((video) => (
              <VideoCard
                key={video.id}
                video={video}
                now={now}
                selection={{
                  selected: selected.has(video.id),
                  onChange: (pick) => setSelected((current) => withOrWithout(current, video.id, pick)),
                }}
              />
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

function EmptyState({ filtered, onClear }: { filtered: boolean; onClear: () => void }) {
  if (filtered) {
    return (
      <div className="empty" data-testid="empty-state">
        <h2>No videos match these filters</h2>
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

/** The "made from" filter in force, naming the source video, with a way out. */
function SourceFilter({ sourceVideoId, onClear }: { sourceVideoId: string; onClear: () => void }) {
  const source = trpc.videos.get.useQuery({ videoId: sourceVideoId }, { retry: false });
  return (
    <p className="muted small" data-testid="source-filter">
      Made from <Link href={`/videos/${sourceVideoId}`}>{source.data ? `“${source.data.title}”` : 'another video'}</Link>{' '}
      <button type="button" className="button button-small" onClick={onClear}>
        Show all videos
      </button>
    </p>
  );
}

/** The kind-of-failure filter in force (from the usage page's failure reasons), with a way out. */
function FailureFilter({ kind, onClear }: { kind: FailureKind; onClear: () => void }) {
  return (
    <span className="filter-chip" data-testid="failure-filter">
      Failed: {failureKindTitle(kind)}
      <button type="button" className="button button-small" onClick={onClear} aria-label={`Remove the filter “${failureKindTitle(kind)}”`}>
        ✕
      </button>
    </span>
  );
}

function withOrWithout(ids: ReadonlySet<string>, id: string, included: boolean): ReadonlySet<string> {
  const next = new Set(ids);
  if (included) next.add(id);
  else next.delete(id);
  return next;
}
