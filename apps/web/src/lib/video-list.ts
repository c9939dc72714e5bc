import { useInfiniteQuery, type QueryClient } from '@tanstack/react-query';
import { trpc, type RouterOutputs } from '../trpc';
import { listInput, type VideoListQuery } from './video-list-query';

export const PAGE_SIZE = 12;
/** The key every page of "My videos" lives under; invalidate it whenever a video is created, changed or deleted. */
export const VIDEO_LIST_KEY = ['video-list'] as const;

export type VideoPage = RouterOutputs['videos']['list'];

/**
 * "My videos", page by page. Not `trpc.videos.list.useInfiniteQuery`: that hook adds a `direction` field to the input,
 * which the router's strict input schema rejects, so the pages are fetched through the typed client directly.
 */
export function useVideoList(query: VideoListQuery) {
  const utils = trpc.useUtils();
  const input = listInput(query);
  return useInfiniteQuery({
    queryKey: [...VIDEO_LIST_KEY, input],
    queryFn: ({ pageParam, signal }) => utils.client.videos.list.query({ ...input, limit: PAGE_SIZE, cursor: pageParam }, { signal }),
    initialPageParam: null as string | null,
    // While the next search or sort loads, the current list stays (no flash of "Loading" per keystroke).
    placeholderData: (previous) => previous,
    getNextPageParam: (page: VideoPage) => page.nextCursor ?? undefined,
  });
}

/** The list and its counts per status (tRPC's key for videos.counts) after a video was created, changed or deleted. */
export async function invalidateVideoList(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: VIDEO_LIST_KEY }),
    queryClient.invalidateQueries({ queryKey: [['videos', 'counts']] }),
  ]);
}
