import { sql } from 'drizzle-orm';
import { bigint, customType, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { EVENT_ACTORS, generationStatus } from './enums';
import { videos } from './videos';

/**
 * The audit log, and the stream subscriptions resume from: `id` is an identity (monotonic), used as the SSE event id.
 * `created_at` comes from the DATABASE clock so events from several processes order consistently.
 */
/** A transaction id (xid8), read as a decimal string. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

export const soraEvents = pgTable(
  'sora_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    generationId: uuid('generation_id'),
    userId: text('user_id').notNull(),
    actor: text('actor', { enum: EVENT_ACTORS }).notNull(),
    type: text('type').notNull(),
    fromStatus: generationStatus('from_status'),
    toStatus: generationStatus('to_status'),
    message: text('message'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The writing transaction. Ids are handed out at insert, not at commit, so a reader could see id 11 before id 10
     * commits and move past 10 for good; readers only take events whose transaction is older than every transaction
     * still running (see listEventsForUserSince), which closes that gap.
     */
    txId: xid8('tx_id').notNull().default(sql`pg_current_xact_id()`),
  },
  (t) => [
    index('sora_events_video_id_idx').on(t.videoId, t.id.desc().nullsFirst()),
    index('sora_events_user_id_idx').on(t.userId, t.id),
    // When each attempt became ready (stored), by the database clock: the usage page's time-to-ready.
    index('sora_events_generation_completed_idx')
      .on(t.generationId)
      .where(sql`${t.toStatus} = 'completed'`),
  ],
);

export type Event = typeof soraEvents.$inferSelect;
export type NewEvent = typeof soraEvents.$inferInsert;
