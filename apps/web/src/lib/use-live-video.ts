import { useQueryClient } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { isActive } from '@sora-monitor/core/domain';
import { trpc, type StatusView } from '../trpc';
import { useEndSessionOnUnauthorized } from './auth';
import { useFinishNotifications } from './finish-notifications';
import { ACTIVE_POLL_MS, isDownloading, keepNewerStatus, newerStatus } from './generation';

/**
 * Everything the video page shows, kept live two ways: `sora.status` is polled while the generation is active
 * (polling stops once it is terminal; each poll also refreshes from the provider), and the `sora.onUpdate`
 * subscription pushes every change into the same query cache the moment the server commits it.
 */
export function useLiveVideo(videoId: string) {
  const utils = trpc.useUtils();
  const queryClient = useQueryClient();
  const onSubscriptionError = useEndSessionOnUnauthorized();
  const announceIfFinished = useFinishNotifications();
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
      // A poll answer older than what the subscription pushed meanwhile must not put the page back.
      structuralSharing: keepNewerStatus,
    },
  );

  // The download's bytes are recorded in the history: while the Downloading step is current it is asked for on the
  // status poll's interval too, so the bar moves even when the live stream is down (or a proxy holds it back).
  const history = trpc.sora.history.useQuery(
    { videoId },
    { enabled, refetchInterval: isDownloading(status.data) ? ACTIVE_POLL_MS : false },
  );
  /*
   * "The history has news": ask for it again. An invalidation while the FIRST fetch is still in flight is merged into
   * that fetch (react-query keeps its result), and that fetch may have read before the change (it travels in the same
   * batch as the status poll that made it): so remember it and ask once more when the first result lands.
   */
  const historyStaleOnArrival = useRef(false);
  const invalidateHistory = useCallback(() => {
    const query = queryClient.getQueryState(getQueryKey(trpc.sora.history, { videoId }, 'query'));
    if (query?.data === undefined && query?.fetchStatus === 'fetching') historyStaleOnArrival.current = true;
    void utils.sora.history.invalidate({ videoId });
  }, [queryClient, utils, videoId]);
  useEffect(() => {
    if (history.data === undefined || !historyStaleOnArrival.current) return;
    historyStaleOnArrival.current = false;
    void utils.sora.history.invalidate({ videoId });
  }, [history.data, utils, videoId]);
  const pastDurations = trpc.sora.pastDurations.useQuery({ videoId }, { enabled, staleTime: 5 * 60_000 });

  const subscription = trpc.sora.onUpdate.useSubscription(
    { videoId },
    {
      enabled,
      onError: onSubscriptionError,
      onData: (message) => {
        const { event, video: pushed } = message.data;
        announceIfFinished(message.data);
        utils.sora.status.setData({ videoId }, (current: StatusView | undefined) => newerStatus(current, pushed.generation));
        if (event) invalidateHistory();
      },
    },
  );

  return { video, status, history, invalidateHistory, pastDurations, subscription };
}
