import { eq } from 'drizzle-orm';
import { webhookDeliveries } from '../schema';
import type { Database } from '../types';

/** Records a delivery id; false when it was seen before (a replay). */
export async function recordWebhookDelivery(db: Database, id: string, type: string): Promise<boolean> {
  const inserted = await db.insert(webhookDeliveries).values({ id, type }).onConflictDoNothing().returning({ id: webhookDeliveries.id });
  return inserted.length > 0;
}

/** Forgets a delivery whose processing failed, so the sender's retry is processed instead of refused. */
export async function forgetWebhookDelivery(db: Database, id: string): Promise<void> {
  await db.delete(webhookDeliveries).where(eq(webhookDeliveries.id, id));
}
