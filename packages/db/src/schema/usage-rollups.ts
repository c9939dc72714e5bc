import {
  type AnyPgColumn,
  boolean,
  date,
  foreignKey,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { user } from './auth';
import { generationStatus } from './enums';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/*
 * Per-user usage rollups by local day, so the usage page reads one row per day and kind of attempt instead of every
 * attempt in its range. They are derived data: database triggers (migration 0011) keep them equal to what a grouped
 * read of `sora_generations` would say, in the transaction of every insert, change and delete of an attempt, for
 * each time zone the user has asked a report in. A time zone is filled from the attempts the first time it is asked.
 */

/** The time zones (lower-cased IANA names) whose rollups are kept for a user. */
export const usageTimeZones = pgTable(
  'usage_time_zones',
  {
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    timeZone: text('time_zone').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    /** Refreshed at most daily by a report; the least recently used zone is dropped when a user passes the limit. */
    lastUsedAt: timestamptz('last_used_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'usage_time_zones_pk', columns: [t.userId, t.timeZone] })],
);

// A zone's rows go with it (and with the user). Not a key to the user directly: when a user is deleted, the cascade
// to their attempts fires the rollup trigger, which must find either both the zone and its rows or neither.
const ofTimeZone = (name: string, t: { userId: AnyPgColumn; timeZone: AnyPgColumn }) =>
  foreignKey({
    name: `${name}_time_zone_fk`,
    columns: [t.userId, t.timeZone],
    foreignColumns: [usageTimeZones.userId, usageTimeZones.timeZone],
  }).onDelete('cascade');

/** How many attempts requested on `day` (local) were alike in everything the spend rule and outcome charts read. */

export const usageDays = pgTable(
  'usage_days',
  {
    userId: text('user_id').notNull(),
    timeZone: text('time_zone').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    model: text('model').notNull(),
    size: text('size').notNull(),
    seconds: integer('seconds').notNull(),
    status: generationStatus('status').notNull(),
    /** '' for none: a primary key column cannot be null. */
    errorCode: text('error_code').notNull(),
    createOutcome: text('create_outcome').notNull(),
    /** Upstream had reported the job done (progress 100). */
    produced: boolean('produced').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'usage_days_pk',
      columns: [
        t.userId,
        t.timeZone,
        t.day,
        t.model,
        t.size,
        t.seconds,
        t.status,
        t.errorCode,
        t.createOutcome,
        t.produced,
      ],
    }),
    ofTimeZone('usage_days', t),
  ],
);

/**
 * A histogram of request → ready times of completed attempts requested on `day` (local), per model and size: key b
 * of `buckets` holds `[count, sum of ms]` of the times in [1.05^b, 1.05^(b+1)) seconds. One row per day, model and
 * size however many attempts; percentiles over any range of days merge these rows (exact where a bucket holds one
 * distinct time, else within 5 %).
 */
export const usageReadyDays = pgTable(
  'usage_ready_days',
  {
    userId: text('user_id').notNull(),
    timeZone: text('time_zone').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    model: text('model').notNull(),
    size: text('size').notNull(),
    buckets: jsonb('buckets').$type<Record<string, [number, number]>>().notNull(),
  },
  (t) => [primaryKey({ name: 'usage_ready_days_pk', columns: [t.userId, t.timeZone, t.day, t.model, t.size] }), ofTimeZone('usage_ready_days', t)],
);

/**
 * The attempts of deleted videos, as counts: deleting a video removes its attempts, but not the money they cost. The
 * daily cap and the usage page add these, so deleting finished videos cannot make room under the cap. Written by the
 * delete trigger (migration 0011); `slot` is `requested_at` rounded down to 15 minutes, which every time zone's
 * midnight falls on, so the slot's local day is the attempt's.
 */
export const deletedAttempts = pgTable(
  'deleted_attempts',
  {
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    slot: timestamptz('slot').notNull(),
    model: text('model').notNull(),
    size: text('size').notNull(),
    seconds: integer('seconds').notNull(),
    status: generationStatus('status').notNull(),
    /** '' for none, as in `usage_days`. */
    errorCode: text('error_code').notNull(),
    createOutcome: text('create_outcome').notNull(),
    produced: boolean('produced').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'deleted_attempts_pk',
      columns: [t.userId, t.slot, t.model, t.size, t.seconds, t.status, t.errorCode, t.createOutcome, t.produced],
    }),
  ],
);
