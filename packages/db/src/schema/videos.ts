import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { user } from './auth';
import { generationStatus } from './enums';
import { soraGenerations } from './generations';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/** A user's video, plus the state of its CURRENT generation (field names follow the seed's `sora_*` columns). */
export const videos = pgTable(
  'videos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    prompt: text('prompt').notNull(),
    model: text('model').notNull(),
    size: text('size').notNull(),
    seconds: integer('seconds').notNull(),
    // Typed as AnyPgColumn because videos and sora_generations reference each other.
    currentGenerationId: uuid('current_generation_id').references((): AnyPgColumn => soraGenerations.id, {
      onDelete: 'set null',
    }),

    soraJobId: text('sora_job_id'),
    soraGenerationStatus: generationStatus('sora_generation_status').notNull().default('not_started'),
    soraProgress: integer('sora_progress').notNull().default(0),
    /** Our own content route URL, never base64 (the seed's known limitation). */
    soraVideoUrl: text('sora_video_url'),
    soraErrorCode: text('sora_error_code'),
    soraErrorMessage: text('sora_error_message'),
    soraStartedAt: timestamptz('sora_started_at'),
    soraCompletedAt: timestamptz('sora_completed_at'),
    /** USD. */
    soraGenerationCost: numeric('sora_generation_cost', { precision: 10, scale: 2, mode: 'number' }),

    blobKey: text('blob_key'),
    blobSize: bigint('blob_size', { mode: 'number' }),
    blobSha256: text('blob_sha256'),
    thumbnailBlobKey: text('thumbnail_blob_key'),
    /** When upstream's download link stops working (about an hour after completion). */
    upstreamExpiresAt: timestamptz('upstream_expires_at'),
    /** Last time progress or status moved: the stuck sweeper measures from here. */
    progressChangedAt: timestamptz('progress_changed_at'),
    /**
     * Since when upstream has answered every status request of the current job (null: the last one went unanswered,
     * or no job yet). "Stuck" is measured from the later of this and the last progress change.
     */
    upstreamAnsweringSince: timestamptz('upstream_answering_since'),

    // Polling bookkeeping: the row lease lets several workers share the poll without double calls upstream.
    lastPolledAt: timestamptz('last_polled_at'),
    nextPollAt: timestamptz('next_poll_at'),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamptz('lease_until'),
    pollFailures: integer('poll_failures').notNull().default(0),
    lastPollError: text('last_poll_error'),
    /** When a failed generation is due for an automatic new attempt (transient failures only); null = none planned. */
    autoRetryAt: timestamptz('auto_retry_at'),

    // Lineage: how this video was made. 'create' from a prompt (optionally with a reference image), or 'remix',
    // 'edit' or 'extend' of one of the user's completed videos (source_job_id is that video's upstream job, kept so a
    // retry still works after the source is deleted).
    operation: text('operation').notNull().default('create'),
    sourceVideoId: uuid('source_video_id').references((): AnyPgColumn => videos.id, { onDelete: 'set null' }),
    sourceJobId: text('source_job_id'),
    /** An extension's new footage in seconds (`seconds` is the stitched total, as upstream reports it). */
    extensionSeconds: integer('extension_seconds'),
    /** The input reference image (image-to-video) in the blob store; owner-only like the video. */
    referenceImageKey: text('reference_image_key'),

    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // "My videos, newest first" with a keyset cursor on (created_at, id).
    index('videos_user_created_idx').on(t.userId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // The list's other sorts, keyset-paged the same way (an index serves both directions).
    index('videos_user_updated_idx').on(t.userId, t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('videos_user_cost_idx').on(t.userId, sql`coalesce(${t.soraGenerationCost}, 0) desc`, t.id.desc().nullsFirst()),
    index('videos_user_seconds_idx').on(t.userId, t.seconds.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // "Active generations due for a poll": partial, so finished videos (the vast majority) cost nothing.
    index('videos_active_next_poll_idx')
      .on(t.nextPollAt)
      .where(sql`${t.soraGenerationStatus} in ('queued', 'in_progress')`),
    // Webhooks name the upstream job: find its video without a scan.
    index('videos_sora_job_id_idx')
      .on(t.soraJobId)
      .where(sql`${t.soraJobId} is not null`),
    // "Failed generations due for an automatic retry": tiny, since almost every row has none planned.
    index('videos_auto_retry_idx')
      .on(t.autoRetryAt)
      .where(sql`${t.autoRetryAt} is not null`),
    // "Remixes of …": the videos made from one source.
    index('videos_source_video_idx')
      .on(t.sourceVideoId)
      .where(sql`${t.sourceVideoId} is not null`),
  ],
);

export type Video = typeof videos.$inferSelect;
export type NewVideo = typeof videos.$inferInsert;
