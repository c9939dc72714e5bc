import { isActive } from '@sora-monitor/core/domain';
import { trpc, type StatusView } from '../trpc';
import { useEndSessionOnUnauthorized } from './auth';
import { ACTIVE_POLL_MS, newerStatus } from './generation';

/**
 * Everything the video page shows, kept live two ways: `sora.status` is polled while the generation is active
 * (polling stops once it is terminal; each poll also refreshes from the provider), and the `sora.onUpdate`
 * subscription pushes every change into the same query cache the moment the server commits it.
 */
export function useLiveVideo(videoId: string) {
  const utils = trpc.useUtils();
  const onSubscriptionError = useEndSessionOnUnauthorized();
  const video = trpc.videos.get.useQuery({ videoId }, { retry: false });
  const enabled = video.isSuccess;

  const status = trpc.sora.status.useQuery(
    { videoId },
    {
      enabled,
      initialData: video.data?.generation,
      // initialData comes from the video row: still ask once on mount, then on the interval while active.
      initialDataUpdatedAt: 0,
      refetchInterval: (query) => {
        const current = query.state.data?.status;
        return current && isActive(current) ? ACTIVE_POLL_MS : false;
      },
      retry: false,
    },
  );

  const history = trpc.sora.history.useQuery({ videoId }, { enabled });
  const pastDurations = trpc.sora.pastDurations.useQuery({ videoId }, { enabled, staleTime: 5 * 60_000 });

  const subscription = trpc.sora.onUpdate.useSubscription(
    { videoId },
    {
      enabled,
      onError: onSubscriptionError,
      onData: (message) => {
        const { event, video: pushed } = message.data;
        utils.sora.status.setData({ videoId }, (current: StatusView | undefined) => newerStatus(current, pushed.generation));
        if (event) void utils.sora.history.invalidate({ videoId });
      },
    },
  );

  return { video, status, history, pastDurations, subscription };
}
