import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { generationStatus } from '../schema/enums';
import { soraEvents, soraGenerations, videos, type Video } from '../schema';
import type { Database } from '../types';
import type { CommittedChange, VideoChange } from './commit-video-change';

/** The channel every video change is announced on. Payload: `{"videoId","userId"}` only; listeners re-read. */
export const VIDEO_CHANGED_CHANNEL = 'sora_video_changed';

type Fields = Record<string, unknown>;

/**
 * What decides the statement's text: the fields set (and which of them to null: a null cannot go through a column's
 * encoder as a placeholder value), the guards and the parts present. Every value is a placeholder, so one text serves
 * every change of that shape.
 */
function shapeOf(change: VideoChange): string {
  const fields = (record: Fields | undefined) =>
    Object.keys(record ?? {})
      .filter((key) => record![key] !== undefined)
      .sort()
      .map((key) => (record![key] === null ? `${key}=null` : key))
      .join(',');
  const generation = updatesGeneration(change) ? `generation:${fields(change.generationSet)}` : '';
  return [
    fields(change.set),
    change.expect.leaseOwner === undefined ? '' : 'lease',
    generation,
    change.events.length > 0 ? 'events' : '',
  ].join('|');
}

function updatesGeneration(
  change: VideoChange,
): change is VideoChange & { generationId: string; generationSet: Fields } {
  return Boolean(change.generationId && change.generationSet && Object.keys(change.generationSet).length > 0);
}

function valuesOf(change: VideoChange): Record<string, unknown> {
  const values: Record<string, unknown> = {
    videoId: change.videoId,
    userId: change.userId,
    generationId: change.generationId,
    actor: change.actor,
    expectStatus: change.expect.status,
    expectJobId: change.expect.jobId,
    expectLeaseOwner: change.expect.leaseOwner,
    events: JSON.stringify(
      change.events.map((event) => ({
        type: event.type,
        from_status: event.fromStatus ?? null,
        to_status: event.toStatus ?? null,
        message: event.message ?? null,
        data: event.data ?? null,
      })),
    ),
    announcement: JSON.stringify({ videoId: change.videoId, userId: change.userId }),
  };
  for (const [key, value] of Object.entries(change.set)) if (value != null) values[`set_${key}`] = value;
  for (const [key, value] of Object.entries(change.generationSet ?? {}))
    if (value != null) values[`generation_${key}`] = value;
  return values;
}

/** `record` as drizzle set values: a placeholder for each value, null written out. */
function setValues(record: Fields, prefix: string): Fields {
  const set: Fields = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    set[key] = value === null ? sql`null` : sql.placeholder(`${prefix}_${key}`);
  }
  return set;
}

/**
 * The one statement of a change: the guarded video update, then (gated on it having matched a row) the attempt's
 * update, the audit events' insert, and the announcement in the select list, which runs once for the updated row.
 */
function buildStatement(db: Database, change: VideoChange) {
  const guards: SQL[] = [
    eq(videos.id, sql.placeholder('videoId')),
    eq(videos.soraGenerationStatus, sql.placeholder('expectStatus')),
    sql`${videos.soraJobId} is not distinct from ${sql.placeholder('expectJobId')}`,
  ];
  if (change.expect.leaseOwner !== undefined)
    guards.push(eq(videos.leaseOwner, sql.placeholder('expectLeaseOwner')));
  const updated = db.$with('updated').as(
    db
      .update(videos)
      .set({ ...setValues(change.set, 'set'), updatedAt: sql`now()` })
      .where(and(...guards))
      .returning(),
  );
  const ctes: Parameters<typeof db.with> = [updated];
  const guarded = sql`exists (select 1 from ${sql.identifier('updated')})`;

  if (updatesGeneration(change)) {
    ctes.push(
      db.$with('generation_updated').as(
        db
          .update(soraGenerations)
          .set({ ...setValues(change.generationSet, 'generation'), updatedAt: sql`now()` })
          .where(and(eq(soraGenerations.id, sql.placeholder('generationId')), guarded))
          .returning({ id: soraGenerations.id }),
      ),
    );
  }
  let eventIds = sql`'[]'::json`;
  let announced = sql`null`;
  if (change.events.length > 0) {
    const status = sql.identifier(generationStatus.enumName);
    ctes.push(
      db.$with('inserted', { id: soraEvents.id }).as(
        sql`insert into ${soraEvents} (video_id, user_id, generation_id, actor, type, from_status, to_status, message, data)
            select ${sql.placeholder('videoId')}::uuid, ${sql.placeholder('userId')}, ${sql.placeholder('generationId')}::uuid,
                   ${sql.placeholder('actor')}, e.type, e.from_status, e.to_status, e.message, e.data
            from rows from (jsonb_to_recordset(${sql.placeholder('events')}::jsonb)
                   as (type text, from_status ${status}, to_status ${status}, message text, data jsonb))
                 with ordinality as e(type, from_status, to_status, message, data, position)
            where ${guarded}
            order by e.position
            returning id`,
      ),
    );
    eventIds = sql`(select coalesce(json_agg(id order by id), '[]'::json) from ${sql.identifier('inserted')})`;
    announced = sql`pg_notify(${VIDEO_CHANGED_CHANNEL}, ${sql.placeholder('announcement')})`;
  }

  // The updated row's columns as the CTE exposes them: drizzle maps each back to its column's type.
  const columns = Object.fromEntries(
    Object.keys(getTableColumns(videos)).map((key) => [key, updated[key as keyof typeof updated]]),
  );
  return db
    .with(...ctes)
    .select({
      ...(columns as typeof updated._.selectedFields),
      eventIds: sql<number[]>`${eventIds}`,
      announced: sql`${announced}`,
    })
    .from(updated);
}

type Statement = ReturnType<ReturnType<typeof buildStatement>['prepare']>;

// Building the statement cost about a fifth of a busy worker's CPU (drizzle walks every column of the row twice), so
// each shape is built once per database handle. Shapes come from the code's change kinds: a few dozen at most.
const preparedByHandle = new WeakMap<Database, Map<string, Statement>>();
const MAX_SHAPES_PER_HANDLE = 256;

/**
 * Runs a change's statement on `db`. `prepared`: reuse its text for the next change of the same shape (the pool's
 * handle; a transaction's handle lives for one change, so it builds its own).
 */
export async function runVideoChangeStatement(
  db: Database,
  change: VideoChange,
  { prepared }: { prepared: boolean },
): Promise<CommittedChange | null> {
  const statement = (prepared && preparedStatement(db, change)) || buildStatement(db, change);
  const [row] = await statement.execute(valuesOf(change));
  if (!row) return null;
  const { eventIds, announced: _announced, ...video } = row;
  return { video: video as Video, eventIds: eventIds.map(Number) };
}

/** The handle's prepared statement for the change's shape; undefined once the handle holds the most it may. */
function preparedStatement(db: Database, change: VideoChange): Statement | undefined {
  const shape = shapeOf(change);
  let byShape = preparedByHandle.get(db);
  if (!byShape) preparedByHandle.set(db, (byShape = new Map()));
  let statement = byShape.get(shape);
  if (!statement && byShape.size < MAX_SHAPES_PER_HANDLE) {
    statement = buildStatement(db, change).prepare(`commit_video_change_${byShape.size}`);
    byShape.set(shape, statement);
  }
  return statement;
}
