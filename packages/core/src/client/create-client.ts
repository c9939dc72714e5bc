import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import { EventSource, type FetchLike } from 'eventsource';
import { MAX_BATCH_SIZE } from './batch';
import type { AppRouter } from './types';

export interface SoraMonitorClientOptions {
  /** The server's base URL, e.g. `http://localhost:3000` (the tRPC endpoint is `<url>/trpc`). */
  url: string;
  /** An API token created in the web app; sent as `Authorization: Bearer <token>` on every call and stream. */
  token: string;
  /** A fetch implementation (tests, proxies, custom certificates); defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
}

export type SoraMonitorClient = TRPCClient<AppRouter>;

/** The server's base URL without a trailing slash; rejects anything that is not an absolute http(s) URL. */
export function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Not a URL: ${JSON.stringify(url)} (expected something like http://localhost:3000)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`Not an http(s) URL: ${JSON.stringify(url)}`);
  }
  return parsed.href.replace(/\/+$/, '');
}

/**
 * A fully typed tRPC client for Node: queries and mutations are batched over HTTP; subscriptions (`sora.onUpdate`)
 * stream over SSE through the `eventsource` package, whose custom fetch is how the Bearer header reaches the stream
 * (the WHATWG EventSource has no way to set headers). It reconnects on its own and resumes from the last event id.
 */
export function createSoraMonitorClient(options: SoraMonitorClientOptions): SoraMonitorClient {
  const trpcUrl = `${normalizeBaseUrl(options.url)}/trpc`;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const authorization = `Bearer ${options.token}`;

  const streamFetch: FetchLike = (input, init) =>
    fetchImpl(input, { ...init, headers: { ...init.headers, authorization } });

  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: trpcUrl, EventSource, eventSourceOptions: { fetch: streamFetch } }),
        false: httpBatchLink({ url: trpcUrl, fetch: fetchImpl, headers: { authorization }, maxItems: MAX_BATCH_SIZE }),
      }),
    ],
  });
}
