import { sql } from 'drizzle-orm';
import { index, integer, numeric, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { CREATE_OUTCOMES, generationStatus } from './enums';
import { videos } from './videos';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/** One row per generation attempt of a video: the history that reset and retry leave behind. */
export const soraGenerations = pgTable(
  'sora_generations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    attempt: integer('attempt').notNull(),
    jobId: text('job_id'),
    status: generationStatus('status').notNull(),
    createOutcome: text('create_outcome', { enum: CREATE_OUTCOMES }).notNull().default('pending'),

    // What was sent upstream for this attempt (the video's fields may be edited later).
    prompt: text('prompt').notNull(),
    model: text('model').notNull(),
    size: text('size').notNull(),
    seconds: integer('seconds').notNull(),

    progress: integer('progress').notNull().default(0),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** USD. */
    cost: numeric('cost', { precision: 10, scale: 2, mode: 'number' }),
    requestedAt: timestamptz('requested_at').notNull().defaultNow(),
    startedAt: timestamptz('started_at'),
    completedAt: timestamptz('completed_at'),
    /**
     * When the video was ready here: the first completion event's time (the database clock when it was stored), set
     * by a trigger on `sora_events` so the usage rollups can read it from this row.
     */
    readyAt: timestamptz('ready_at'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('sora_generations_video_attempt_key').on(t.videoId, t.attempt),
    // A webhook or poll names the upstream job id: it must find at most one attempt.
    uniqueIndex('sora_generations_job_id_key')
      .on(t.jobId)
      .where(sql`${t.jobId} is not null`),
    index('sora_generations_video_attempt_idx').on(t.videoId, t.attempt.desc().nullsFirst()),
    // Today's spending of one user (the daily spend cap, checked on every start).
    index('sora_generations_user_requested_idx').on(t.userId, t.requestedAt),
  ],
);

export type Generation = typeof soraGenerations.$inferSelect;
export type NewGeneration = typeof soraGenerations.$inferInsert;
