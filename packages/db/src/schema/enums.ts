import { pgEnum } from 'drizzle-orm/pg-core';

/** Where a video's current generation stands. Active = queued | in_progress; terminal = completed | failed. */
export const GENERATION_STATUSES = ['not_started', 'queued', 'in_progress', 'completed', 'failed'] as const;
export type GenerationStatus = (typeof GENERATION_STATUSES)[number];

export const ACTIVE_GENERATION_STATUSES = ['queued', 'in_progress'] as const satisfies readonly GenerationStatus[];
export const TERMINAL_GENERATION_STATUSES = ['completed', 'failed'] as const satisfies readonly GenerationStatus[];

export const generationStatus = pgEnum('generation_status', GENERATION_STATUSES);

/**
 * Whether the upstream create call is known to have succeeded. 'unknown' covers a create whose response was lost,
 * so the job may exist upstream without our knowing its id; 'rejected' a create upstream refused (no job exists).
 * Kept as text (not a pg enum) so values can grow freely.
 */
export const CREATE_OUTCOMES = ['pending', 'confirmed', 'unknown', 'rejected'] as const;
export type CreateOutcome = (typeof CREATE_OUTCOMES)[number];

/** Who caused an audited change. */
export const EVENT_ACTORS = ['user', 'poller', 'webhook', 'sweeper', 'system'] as const;
export type EventActor = (typeof EVENT_ACTORS)[number];
