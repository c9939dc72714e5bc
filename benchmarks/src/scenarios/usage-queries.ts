import {
  ensureUsageTimeZone,
  listAttemptsToday,
  listUsageDays,
  listUsageReadyBuckets,
  usageWindow,
} from '@sora-monitor/db';
import { createBenchDatabase, insertUser, type BenchDatabase } from '../support/database';
import { fmt, fmtMs, percentile, ratio } from '../support/stats';
import type { Scenario } from '../scenario';

/**
 * 7. Usage-page queries: the reads behind `usage.report` (90 days) for one user with 100,000 attempts vs 1,000, all
 * of them inside the range (the hardest case: nothing is outside the index range to skip). Two databases side by
 * side, reads interleaved. The attempts are seeded before the zone has rollups, so the first report fills them
 * (timed apart); every later one reads the per-day rollups the triggers keep.
 */

const TIME_ZONE = 'Europe/Berlin';
const DAYS = 90;
const MODELS = ["'sora-2'", "'sora-2-pro'"];

async function seed(database: BenchDatabase, attempts: number): Promise<string> {
  const { sql } = database;
  const userId = await insertUser(sql, 'usage');
  // One video per 100 attempts (attempt numbers are unique per video); attempts spread over the last 89 days.
  const [video] = await sql<Array<{ id: string }>>`
    insert into videos (user_id, title, prompt, model, size, seconds) values (${userId}, 'bench', 'bench', 'sora-2', '720x1280', 4)
    returning id`;
  await sql.unsafe(
    `insert into sora_generations (video_id, user_id, attempt, status, create_outcome, prompt, model, size, seconds,
                                   progress, error_code, requested_at)
     select $1, $2, n,
            (case when n % 10 = 0 then 'failed' else 'completed' end)::generation_status, 'confirmed', 'bench',
            (array[${MODELS.join(', ')}])[1 + n % 2], '720x1280', 4 + 4 * (n % 3),
            case when n % 10 = 0 then 0 else 100 end, case when n % 10 = 0 then 'moderation_blocked' end,
            now() - (n % ${DAYS - 1}) * interval '1 day' - (n % 86400) * interval '1 second'
     from generate_series(1, ${attempts}) as n`,
    [video!.id, userId],
  );
  await sql`
    insert into sora_events (video_id, generation_id, user_id, actor, type, from_status, to_status, created_at)
    select video_id, id, user_id, 'poller', 'status_changed', 'in_progress', 'completed',
           requested_at + (60 + attempt % 240) * interval '1 second'
    from sora_generations where user_id = ${userId} and status = 'completed'`;
  await sql`analyze sora_generations`;
  await sql`analyze sora_events`;
  return userId;
}

/** The page's reads, as usage.report makes them; returns the elapsed milliseconds. */
async function timedReport(database: BenchDatabase, userId: string): Promise<number> {
  const db = database.handle.db;
  const started = process.hrtime.bigint();
  const window = await usageWindow(db, TIME_ZONE, DAYS);
  await ensureUsageTimeZone(db, userId, TIME_ZONE);
  const rollup = { userId, timeZone: TIME_ZONE };
  const [groups] = await Promise.all([
    listUsageDays(db, { ...rollup, sinceDay: window.countsFrom }),
    listUsageReadyBuckets(db, { ...rollup, sinceDay: window.firstDay }),
    listAttemptsToday(db, userId),
  ]);
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (groups.length === 0) throw new Error('the usage read found no attempts');
  return elapsedMs;
}

export const usageQueries: Scenario = {
  name: 'usage',
  title: '7. Usage-page queries',
  async run({ quick, log }) {
    const small = 1_000;
    const large = quick ? 10_000 : 100_000;
    const rounds = quick ? 10 : 60;
    const databases: BenchDatabase[] = [];
    try {
      const few = await createBenchDatabase('usage_small');
      databases.push(few);
      const many = await createBenchDatabase('usage_large');
      databases.push(many);
      log(
        `seeding ${small.toLocaleString('en-US')} and ${large.toLocaleString('en-US')} attempts for one user`,
      );
      const [fewUser, manyUser] = await Promise.all([seed(few, small), seed(many, large)]);
      // The first report in the zone fills its rollups from the attempts: once per user and zone.
      const firstFew = await timedReport(few, fewUser);
      const firstMany = await timedReport(many, manyUser);
      for (let i = 0; i < 5; i++) await Promise.all([timedReport(few, fewUser), timedReport(many, manyUser)]);
      const timesFew: number[] = [];
      const timesMany: number[] = [];
      for (let i = 0; i < rounds; i++) {
        timesFew.push(await timedReport(few, fewUser));
        timesMany.push(await timedReport(many, manyUser));
      }
      const p50Few = percentile(timesFew, 50);
      const p50Many = percentile(timesMany, 50);
      const headline = ratio(p50Many, p50Few);
      return {
        measured: `${large.toLocaleString('en-US')} attempts: p50 ${fmtMs(p50Many)}, p95 ${fmtMs(percentile(timesMany, 95))}`,
        baseline: `${small.toLocaleString('en-US')} attempts: p50 ${fmtMs(p50Few)}, p95 ${fmtMs(percentile(timesFew, 95))}`,
        ratio: headline,
        extraRatios: `p95 ${fmt(ratio(percentile(timesMany, 95), percentile(timesFew, 95)))}; first report (fills the zone): ${fmtMs(firstMany)} vs ${fmtMs(firstFew)}`,
        goal: 'p50 ratio < 2',
        met: headline < 2,
        setup: `usage.report's reads for ${DAYS} days in ${TIME_ZONE}, every attempt inside the range; ${rounds} reads per database, interleaved`,
      };
    } finally {
      for (const database of databases) await database.drop();
    }
  },
};
