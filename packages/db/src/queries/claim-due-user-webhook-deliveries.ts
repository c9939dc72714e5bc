import { and, eq, sql } from 'drizzle-orm';
import { executeRows } from '../rows';
import { userWebhookDeliveries, type UserWebhookDeliveryStatus } from '../schema';
import type { Database } from '../types';

/** A delivery a worker holds the lease on, with what it needs to send it. */
export interface ClaimedUserWebhookDelivery {
  id: string;
  endpointId: string;
  eventType: string;
  payload: string;
  /** Tries made before this one. */
  attempts: number;
  url: string;
  secret: string;
  /** How long ago the event was queued, by the database clock: deliveries are given up a day after. */
  ageMs: number;
}

/**
 * Leases due deliveries in ONE statement, like the poller's claim: a CTE locks due rows with FOR UPDATE SKIP LOCKED
 * (rows another worker is claiming are skipped, not waited for), and the UPDATE writes the lease before the locks
 * go. A lease that ran out (its worker died mid-send) is taken over, so a delivery survives any restart.
 */
export async function claimDueUserWebhookDeliveries(
  db: Database,
  args: { owner: string; limit: number; leaseMs: number },
): Promise<ClaimedUserWebhookDelivery[]> {
  const rows = await executeRows<Record<string, unknown>>(
    db,
    sql`with due as (
          select id from user_webhook_deliveries
          where status = 'pending' and next_attempt_at <= now() and (lease_until is null or lease_until < now())
          order by next_attempt_at
          limit ${args.limit}
          for update skip locked
        )
        update user_webhook_deliveries d
        set lease_owner = ${args.owner}, lease_until = now() + ${args.leaseMs} * interval '1 millisecond'
        from due, user_webhook_endpoints e
        where d.id = due.id and e.id = d.endpoint_id
        returning d.id, d.endpoint_id as "endpointId", d.event_type as "eventType", d.payload, d.attempts, e.url, e.secret,
          (extract(epoch from (now() - d.created_at)) * 1000)::float8 as "ageMs"`,
  );
  return rows.map((row) => ({
    id: String(row.id),
    endpointId: String(row.endpointId),
    eventType: String(row.eventType),
    payload: String(row.payload),
    attempts: Number(row.attempts),
    url: String(row.url),
    secret: String(row.secret),
    ageMs: Number(row.ageMs),
  }));
}

/** What one try changed, as the pure domain planned it. */
export interface UserWebhookAttemptRecord {
  status: UserWebhookDeliveryStatus;
  attempts: number;
  /** Next try this long from now (database clock); null when there is none. */
  retryInMs: number | null;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  lastResponseSnippet: string | null;
}

/** Records a try and lets the lease go; only the lease's holder may (false: it was taken over, the result is dropped). */
export async function recordUserWebhookAttempt(
  db: Database,
  args: { id: string; owner: string; record: UserWebhookAttemptRecord },
): Promise<boolean> {
  const { record } = args;
  const updated = await db
    .update(userWebhookDeliveries)
    .set({
      status: record.status,
      attempts: record.attempts,
      nextAttemptAt: record.retryInMs === null ? null : sql`now() + ${record.retryInMs} * interval '1 millisecond'`,
      lastAttemptAt: sql`now()`,
      lastStatusCode: record.lastStatusCode,
      lastLatencyMs: record.lastLatencyMs,
      lastError: record.lastError,
      lastResponseSnippet: record.lastResponseSnippet,
      ...(record.status === 'succeeded' ? { deliveredAt: sql`now()` } : {}),
      leaseOwner: null,
      leaseUntil: null,
    })
    .where(and(eq(userWebhookDeliveries.id, args.id), eq(userWebhookDeliveries.leaseOwner, args.owner)))
    .returning({ id: userWebhookDeliveries.id });
  return updated.length > 0;
}

/** Hands a claimed delivery back untried (the worker is stopping), so another worker takes it at once. */
export async function releaseUserWebhookDelivery(db: Database, args: { id: string; owner: string }): Promise<void> {
  await db
    .update(userWebhookDeliveries)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(eq(userWebhookDeliveries.id, args.id), eq(userWebhookDeliveries.leaseOwner, args.owner)));
}
