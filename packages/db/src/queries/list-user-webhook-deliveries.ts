import { and, desc, eq } from 'drizzle-orm';
import { userWebhookDeliveries, type UserWebhookDelivery } from '../schema';
import type { Database } from '../types';
import { isUuid } from './uuid';

/** An endpoint's delivery log, newest first; scoped to the owner, so another user's endpoint has none. */
export async function listUserWebhookDeliveries(
  db: Database,
  args: { userId: string; endpointId: string; limit: number },
): Promise<UserWebhookDelivery[]> {
  if (!isUuid(args.endpointId)) return [];
  return db
    .select()
    .from(userWebhookDeliveries)
    .where(and(eq(userWebhookDeliveries.endpointId, args.endpointId), eq(userWebhookDeliveries.userId, args.userId)))
    .orderBy(desc(userWebhookDeliveries.createdAt), desc(userWebhookDeliveries.id))
    .limit(args.limit);
}
