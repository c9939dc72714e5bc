import { randomUUID } from 'node:crypto';
import { claimDueVideos } from '@sora-monitor/db';
import type postgres from 'postgres';
import { createBenchDatabase, insertUser, type BenchDatabase } from '../support/database';
import { fmt, fmtMs, mean, percentile, ratio } from '../support/stats';
import type { Scenario } from '../scenario';

/**
 * 6. Claim-query scaling: the poller's claimDueVideos with 1,000,000 terminal rows in the table vs 1,000, the same
 * active set in both. Two databases side by side, claims interleaved (A, B, A, B…), so background load on a shared
 * machine falls on both equally.
 */

const ACTIVE_DUE = 200;
const BATCH = 50;
const LEASE_MS = 60_000;

async function seed(database: BenchDatabase, terminal: number): Promise<void> {
  const { sql } = database;
  const userId = await insertUser(sql, 'claims');
  // Finished videos keep whatever next_poll_at they last had: an index that covered them would have to skip them.
  await sql`
    insert into videos (user_id, title, prompt, model, size, seconds, sora_job_id, sora_generation_status,
                        sora_progress, sora_completed_at, next_poll_at, last_polled_at, created_at, updated_at)
    select ${userId}, 'finished ' || n, 'a finished video', 'sora-2', '720x1280', 4, 'video_done_' || n,
           (case when n % 10 = 0 then 'failed' else 'completed' end)::generation_status,
           100, now() - n * interval '1 second', now() - n * interval '1 second', now() - n * interval '1 second',
           now() - n * interval '1 second', now()
    from generate_series(1, ${terminal}) as n`;
  await sql`
    insert into videos (user_id, title, prompt, model, size, seconds, sora_job_id, sora_generation_status,
                        sora_progress, next_poll_at, created_at, updated_at)
    select ${userId}, 'active ' || n, 'an active video', 'sora-2', '720x1280', 4, 'video_active_' || n,
           'in_progress', 40, now() - n * interval '1 millisecond', now(), now()
    from generate_series(1, ${ACTIVE_DUE}) as n`;
  await sql`analyze videos`;
}

async function planOf(sql: postgres.Sql): Promise<string> {
  const rows = await sql.unsafe<Array<{ 'QUERY PLAN': string }>>(
    `explain select id from videos
      where sora_generation_status in ('queued', 'in_progress') and next_poll_at <= now()
        and (lease_until is null or lease_until < now())
      order by next_poll_at limit ${BATCH} for update skip locked`,
  );
  const plan = rows.map((row) => row['QUERY PLAN']).join(' ');
  return (
    /Index Scan using (\S+)/.exec(plan)?.[1] ?? (plan.includes('Seq Scan') ? 'Seq Scan' : plan.slice(0, 80))
  );
}

/** One timed claim; the leases it took are given back (untimed) so every claim finds the same work. */
async function timedClaim(database: BenchDatabase): Promise<number> {
  const owner = `bench-${randomUUID()}`;
  const started = process.hrtime.bigint();
  const claim = await claimDueVideos(database.handle.db, { owner, limit: BATCH, leaseMs: LEASE_MS });
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (claim.videos.length !== BATCH)
    throw new Error(`claimed ${claim.videos.length} rows, expected ${BATCH}`);
  await database.sql`update videos set lease_owner = null, lease_until = null where lease_owner = ${owner}`;
  return elapsedMs;
}

export const claimScaling: Scenario = {
  name: 'claims',
  title: '6. Claim-query scaling',
  async run({ quick, log }) {
    const small = 1_000;
    const large = quick ? 10_000 : 1_000_000;
    const rounds = quick ? 100 : 1_000;
    const databases: BenchDatabase[] = [];
    try {
      const few = await createBenchDatabase('claims_small');
      databases.push(few);
      const many = await createBenchDatabase('claims_large');
      databases.push(many);
      log(
        `seeding ${small.toLocaleString('en-US')} and ${large.toLocaleString('en-US')} terminal rows (+${ACTIVE_DUE} due)`,
      );
      await Promise.all([seed(few, small), seed(many, large)]);
      const plans = [await planOf(few.sql), await planOf(many.sql)];

      for (let i = 0; i < 50; i++) await Promise.all([timedClaim(few), timedClaim(many)]); // warm-up, generic plans
      const timesFew: number[] = [];
      const timesMany: number[] = [];
      for (let i = 0; i < rounds; i++) {
        if (i % 2 === 0) {
          timesFew.push(await timedClaim(few));
          timesMany.push(await timedClaim(many));
        } else {
          timesMany.push(await timedClaim(many));
          timesFew.push(await timedClaim(few));
        }
      }
      const p50Few = percentile(timesFew, 50);
      const p50Many = percentile(timesMany, 50);
      const p99Few = percentile(timesFew, 99);
      const p99Many = percentile(timesMany, 99);
      const headline = ratio(p50Many, p50Few);
      return {
        measured: `${large.toLocaleString('en-US')} terminal: p50 ${fmtMs(p50Many)}, p99 ${fmtMs(p99Many)}`,
        baseline: `${small.toLocaleString('en-US')} terminal: p50 ${fmtMs(p50Few)}, p99 ${fmtMs(p99Few)}`,
        ratio: headline,
        extraRatios: `p99 ${fmt(ratio(p99Many, p99Few))}, mean ${fmt(ratio(mean(timesMany), mean(timesFew)))}`,
        goal: 'p50 ratio ≤ 1.5',
        met: headline <= 1.5,
        setup: `claimDueVideos(limit ${BATCH}) with ${ACTIVE_DUE} due active rows; ${rounds} claims per table, interleaved`,
        details: [`plan: ${plans[0]} (${small} rows) / ${plans[1]} (${large} rows)`],
      };
    } finally {
      for (const database of databases) await database.drop();
    }
  },
};
