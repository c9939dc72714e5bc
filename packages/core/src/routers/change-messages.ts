import type { ModelCatalog } from '../domain';
import type { ChangePage } from '../events/read-changes';
import { toEventView, toVideoView } from './views';

export interface ChangeMessage {
  /** The event's id, as the stream's message id (SSE `id:`, sent back as Last-Event-ID). */
  id: string;
  eventId: number;
  /** Null when the event's video is gone: nothing to send, the cursor still moves past it. */
  data: { event: ReturnType<typeof toEventView>; video: ReturnType<typeof toVideoView> } | null;
}

const built = new WeakMap<ChangePage, { catalog: ModelCatalog; messages: ChangeMessage[] }>();

/**
 * A page's stream messages, built once per page: a page is shared by every stream of the user at the same cursor, so
 * they all get the very same message objects (and the SSE writer serializes each once, not once per stream).
 */
export function changeMessages(page: ChangePage, catalog: ModelCatalog): ChangeMessage[] {
  const cached = built.get(page);
  if (cached?.catalog === catalog) return cached.messages;
  const messages = page.events.map((event): ChangeMessage => {
    const video = page.videos.get(event.videoId);
    return {
      id: String(event.id),
      eventId: event.id,
      data: video ? { event: toEventView(event), video: toVideoView(catalog, video) } : null,
    };
  });
  built.set(page, { catalog, messages });
  return messages;
}
