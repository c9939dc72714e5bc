import { useInfiniteQuery, type QueryClient } from '@tanstack/react-query';
import { trpc, type GenerationStatus, type RouterOutputs } from '../trpc';

export const PAGE_SIZE = 12;
/** The key every page of "My videos" lives under; invalidate it whenever a video is created, changed or deleted. */
export const VIDEO_LIST_KEY = ['video-list'] as const;

export type VideoPage = RouterOutputs['videos']['list'];

/**
 * "My videos", page by page. Not `trpc.videos.list.useInfiniteQuery`: that hook adds a `direction` field to the input,
 * which the router's strict input schema rejects, so the pages are fetched through the typed client directly.
 */
export function useVideoList(status: GenerationStatus | undefined) {
  const utils = trpc.useUtils();
  return useInfiniteQuery({
    queryKey: [...VIDEO_LIST_KEY, { status: status ?? null }],
    queryFn: ({ pageParam, signal }) =>
      utils.client.videos.list.query({ limit: PAGE_SIZE, status, cursor: pageParam }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page: VideoPage) => page.nextCursor ?? undefined,
  });
}

export function invalidateVideoList(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: VIDEO_LIST_KEY });
}
