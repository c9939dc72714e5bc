import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Webhook deliveries already processed, by their `webhook-id`: a replayed delivery changes nothing. */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});
