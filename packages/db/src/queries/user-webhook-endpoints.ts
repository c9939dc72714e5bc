import { and, asc, count, eq, sql } from 'drizzle-orm';
import { userWebhookEndpoints, type UserWebhookEndpoint } from '../schema';
import type { Database } from '../types';
import { isUuid } from './uuid';

/*
 * A user's outgoing notification endpoints. Every read and write is scoped to the owner: another user's endpoint
 * looks exactly like one that does not exist.
 */

export async function insertUserWebhookEndpoint(
  db: Database,
  values: { userId: string; url: string; events: string[]; secret: string },
): Promise<UserWebhookEndpoint> {
  const [endpoint] = await db.insert(userWebhookEndpoints).values(values).returning();
  if (!endpoint) throw new Error('Inserting the webhook endpoint returned no row');
  return endpoint;
}

export function listUserWebhookEndpoints(db: Database, userId: string): Promise<UserWebhookEndpoint[]> {
  return db
    .select()
    .from(userWebhookEndpoints)
    .where(eq(userWebhookEndpoints.userId, userId))
    .orderBy(asc(userWebhookEndpoints.createdAt), asc(userWebhookEndpoints.id));
}

export async function countUserWebhookEndpoints(db: Database, userId: string): Promise<number> {
  const [row] = await db.select({ count: count() }).from(userWebhookEndpoints).where(eq(userWebhookEndpoints.userId, userId));
  return Number(row?.count ?? 0);
}

export async function getUserWebhookEndpoint(db: Database, userId: string, endpointId: string): Promise<UserWebhookEndpoint | null> {
  if (!isUuid(endpointId)) return null;
  const [endpoint] = await db
    .select()
    .from(userWebhookEndpoints)
    .where(and(eq(userWebhookEndpoints.id, endpointId), eq(userWebhookEndpoints.userId, userId)))
    .limit(1);
  return endpoint ?? null;
}

export async function updateUserWebhookEndpoint(
  db: Database,
  userId: string,
  endpointId: string,
  set: { url?: string; events?: string[] },
): Promise<UserWebhookEndpoint | null> {
  if (!isUuid(endpointId)) return null;
  const [endpoint] = await db
    .update(userWebhookEndpoints)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(userWebhookEndpoints.id, endpointId), eq(userWebhookEndpoints.userId, userId)))
    .returning();
  return endpoint ?? null;
}

/** Deletes the endpoint and, with it, its queue and log. False when the user has no such endpoint. */
export async function deleteUserWebhookEndpoint(db: Database, userId: string, endpointId: string): Promise<boolean> {
  if (!isUuid(endpointId)) return false;
  const deleted = await db
    .delete(userWebhookEndpoints)
    .where(and(eq(userWebhookEndpoints.id, endpointId), eq(userWebhookEndpoints.userId, userId)))
    .returning({ id: userWebhookEndpoints.id });
  return deleted.length > 0;
}
