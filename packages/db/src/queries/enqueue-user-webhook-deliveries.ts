import { sql } from 'drizzle-orm';
import { notify } from '../notify';
import { executeRows } from '../rows';
import type { Database } from '../types';

/** Rung (with no payload) when deliveries are queued, so a worker starts on them without waiting for its tick. */
export const USER_WEBHOOK_QUEUED_CHANNEL = 'user_webhook_queued';

/** One event to tell a user's endpoints about: its type and the exact JSON body to sign and send. */
export interface OutgoingWebhookDraft {
  type: string;
  payload: string;
}

/**
 * Queues one delivery per draft for each of the user's endpoints that chose its type. Meant to run inside the
 * transaction of the change that caused the events, so a delivery exists exactly when the change does; nothing is
 * sent here, so a slow or dead receiver can never hold a state change up. Returns how many deliveries were queued.
 */
export async function enqueueUserWebhookDeliveries(
  db: Database,
  args: { userId: string; videoId: string | null; drafts: OutgoingWebhookDraft[] },
): Promise<number> {
  let queued = 0;
  for (const draft of args.drafts) {
    const rows = await executeRows<{ id: string }>(
      db,
      sql`insert into user_webhook_deliveries (endpoint_id, user_id, video_id, event_type, payload)
          select e.id, e.user_id, ${args.videoId}::uuid, ${draft.type}, ${draft.payload}
          from user_webhook_endpoints e
          where e.user_id = ${args.userId} and ${draft.type} = any(e.events)
          returning id`,
    );
    queued += rows.length;
  }
  if (queued > 0) await notify(db, USER_WEBHOOK_QUEUED_CHANNEL, '');
  return queued;
}

/**
 * Queues a test event for one endpoint, whatever events it chose; null when one is already waiting (each endpoint
 * has at most one test in flight, so the button cannot be used to make this server send a stream of requests).
 */
export async function enqueueUserWebhookTest(
  db: Database,
  args: { userId: string; endpointId: string; draft: OutgoingWebhookDraft },
): Promise<string | null> {
  const rows = await executeRows<{ id: string }>(
    db,
    sql`insert into user_webhook_deliveries (endpoint_id, user_id, video_id, event_type, payload)
        select e.id, e.user_id, null, ${args.draft.type}, ${args.draft.payload}
        from user_webhook_endpoints e
        where e.id = ${args.endpointId} and e.user_id = ${args.userId}
          and not exists (
            select 1 from user_webhook_deliveries d
            where d.endpoint_id = e.id and d.event_type = ${args.draft.type} and d.status = 'pending'
          )
        returning id`,
  );
  const id = rows[0]?.id ?? null;
  if (id) await notify(db, USER_WEBHOOK_QUEUED_CHANNEL, '');
  return id;
}
