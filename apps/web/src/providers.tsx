import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MAX_BATCH_SIZE } from '@sora-monitor/core/domain';
import { httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { useState, type ReactNode } from 'react';
import { SESSION_KEY } from './lib/auth';
import { isNotFound, isUnauthorized } from './lib/errors';
import { trpc } from './trpc';

function createQueryClient(): QueryClient {
  // A call refused for lack of a session means the session ended: the app goes back to sign in.
  const onError = (error: unknown) => {
    if (isUnauthorized(error)) queryClient.setQueryData(SESSION_KEY, null);
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        // Retrying "not found" or "sign in" cannot change the answer.
        retry: (failures, error) => failures < 1 && !isNotFound(error) && !isUnauthorized(error),
        refetchOnWindowFocus: true,
      },
    },
  });
  return queryClient;
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(() =>
    trpc.createClient({
      links: [
        // Subscriptions stream over SSE; everything else is batched over plain HTTP.
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url: '/trpc' }),
          false: httpBatchLink({ url: '/trpc', maxItems: MAX_BATCH_SIZE }),
        }),
      ],
    }),
  );
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
