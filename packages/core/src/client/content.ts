import { normalizeBaseUrl, type SoraMonitorClientOptions } from './create-client';

export interface FetchVideoContentOptions {
  variant?: 'video' | 'thumbnail';
  signal?: AbortSignal;
}

/**
 * The stored video (or its thumbnail) as a streaming Response from `GET /api/videos/:id/content`, with the Bearer
 * token. The caller reads `body` as a stream and checks `status` (404 when there is no such video or it has no
 * content yet, 401 for a rejected token).
 */
export function fetchVideoContent(
  connection: SoraMonitorClientOptions,
  videoId: string,
  options: FetchVideoContentOptions = {},
): Promise<Response> {
  const url = new URL(
    `${normalizeBaseUrl(connection.url)}/api/videos/${encodeURIComponent(videoId)}/content`,
  );
  if (options.variant && options.variant !== 'video') url.searchParams.set('variant', options.variant);
  const fetchImpl = connection.fetch ?? globalThis.fetch;
  return fetchImpl(url, { headers: { authorization: `Bearer ${connection.token}` }, signal: options.signal });
}
