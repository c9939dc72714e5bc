import http from 'node:http';
import { commitVideoChange } from '@sora-monitor/db';
import { queryPath, signUp, type Session } from '../support/api';
import type { BenchDatabase } from '../support/database';
import type { ServerProcess } from '../support/processes';
import { subscribe, type Subscriber } from '../support/sse';
import { withStack } from '../support/stack';
import { fmt, fmtBytes, fmtMs, percentile, ratio, sleep } from '../support/stats';
import type { Scenario } from '../scenario';

/**
 * 5. Fan-out: M SSE subscribers (`sora.onUpdate` for one video) on one server instance. A status change is
 * committed the way the worker commits one (commitVideoChange: state + audit event + NOTIFY in one transaction),
 * from the benchmark, so the clock starts right before the commit. Delivery latency = arrival of that event's SSE
 * message at each subscriber − start of the commit. p99 with M subscribers ÷ p99 with one; memory per connection
 * (RSS and heap, after GC) and event-loop delay in the server, read through the probe.
 */

const JOB_ID = 'video_fanout_bench';

async function seedVideo(database: BenchDatabase, userId: string): Promise<string> {
  const [row] = await database.sql<Array<{ id: string }>>`
    insert into videos (user_id, title, prompt, model, size, seconds, sora_job_id, sora_generation_status, sora_progress,
                        sora_started_at, progress_changed_at)
    values (${userId}, 'fan-out', 'A watched video', 'sora-2', '720x1280', 4, ${JOB_ID}, 'in_progress', 0, now(), now())
    returning id`;
  return row!.id;
}

interface Deliveries {
  latenciesMs: number[];
  /** Arrived only after the NEXT change was committed: held back until another notification woke the subscriber. */
  stalled: number;
  /** Never arrived. */
  lost: number;
}

/**
 * Commits `changes` progress changes one after another, each once every subscriber has it (or after a timeout),
 * then one more, unmeasured, so that anything held back is released; then classifies every delivery.
 */
async function deliver(
  database: BenchDatabase,
  userId: string,
  videoId: string,
  subscribers: Subscriber[],
  changes: number,
  from: number,
  timeoutMs: number,
): Promise<Deliveries> {
  const sent: Array<{ id: string; at: number }> = [];
  for (let k = 0; k <= changes; k++) {
    const progress = from + k + 1;
    const started = performance.now();
    const committed = await commitVideoChange(database.handle.db, {
      videoId,
      userId,
      generationId: null,
      actor: 'poller',
      expect: { status: 'in_progress', jobId: JOB_ID },
      set: { soraProgress: progress, progressChangedAt: new Date() },
      events: [
        {
          type: 'progress',
          fromStatus: 'in_progress',
          toStatus: 'in_progress',
          message: `Generating: ${progress}%`,
          data: { progress },
        },
      ],
    });
    const id = String(committed?.eventIds[0]);
    sent.push({ id, at: started });
    const deadline = started + (k === changes ? 3_000 : timeoutMs);
    while (subscribers.some((subscriber) => !subscriber.received.has(id)) && performance.now() < deadline)
      await sleep(2);
    await sleep(20);
  }
  const latenciesMs: number[] = [];
  let stalled = 0;
  let lost = 0;
  for (let k = 0; k < changes; k++) {
    const { id, at: started } = sent[k]!;
    const next = sent[k + 1]!.at;
    for (const subscriber of subscribers) {
      const at = subscriber.received.get(id);
      if (at === undefined) lost++;
      else if (at > next) stalled++;
      else latenciesMs.push(at - started);
    }
  }
  return { latenciesMs, stalled, lost };
}

async function openSubscribers(
  session: Session,
  videoId: string,
  count: number,
  agent: http.Agent,
): Promise<Subscriber[]> {
  const url = `${session.url}${queryPath('sora.onUpdate', { videoId })}`;
  const subscribers: Subscriber[] = [];
  const BATCH = 100;
  for (let opened = 0; opened < count; opened += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - opened) }, () =>
      subscribe(url, { cookie: session.cookie }, agent),
    );
    subscribers.push(...batch);
    await Promise.all(batch.map((subscriber) => subscriber.ready));
  }
  return subscribers;
}

interface Phase {
  subscribers: number;
  deliveries: number;
  p50: number;
  p99: number;
  stalled: number;
  lost: number;
  timeoutMs: number;
  loopP99: number;
  loopMax: number;
  rssPerConnection: number;
  heapPerConnection: number;
}

async function phase(
  server: ServerProcess,
  database: BenchDatabase,
  session: Session,
  videoId: string,
  count: number,
  changes: number,
  from: number,
  timeoutMs: number,
): Promise<Phase> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const before = await server.probe('gc');
  const subscribers = await openSubscribers(session, videoId, count, agent);
  try {
    await sleep(500);
    const open = await server.probe('gc');
    await server.probe('reset');
    const { latenciesMs, stalled, lost } = await deliver(
      database,
      session.userId,
      videoId,
      subscribers,
      changes,
      from,
      timeoutMs,
    );
    const loop = await server.probe('stats');
    return {
      subscribers: count,
      deliveries: count * changes,
      p50: percentile(latenciesMs, 50),
      p99: percentile(latenciesMs, 99),
      stalled,
      lost,
      timeoutMs,
      loopP99: loop.loopDelayMs.p99,
      loopMax: loop.loopDelayMs.max,
      rssPerConnection: (open.rss - before.rss) / count,
      heapPerConnection: (open.heapUsed - before.heapUsed) / count,
    };
  } finally {
    for (const subscriber of subscribers) subscriber.close();
    agent.destroy();
    await sleep(500);
  }
}

export const fanOut: Scenario = {
  name: 'fanout',
  title: '5. Fan-out',
  async run({ quick, stretch: withStretch, log }) {
    const many = quick ? 50 : 1_000;
    const stretch = withStretch ? 10_000 : null;
    const singleChanges = quick ? 10 : 100;
    const manyChanges = quick ? 5 : 30;
    // One user holds every subscription here, so the per-user cap (20 by default) is raised to the largest phase.
    // The video's job is made up and its changes are committed by the benchmark: nothing may refresh it from upstream
    // meanwhile (an open stream otherwise has it refreshed every STATUS_FRESHNESS_MS; 0 turns that off).
    const env = { ROLE: 'api', MAX_SUBSCRIPTIONS_PER_USER: String(stretch ?? many), STATUS_FRESHNESS_MS: '0' };
    return withStack({ label: 'fanout', servers: [env] }, async ({ servers, database }) => {
      const server = servers[0]!;
      const session = await signUp(server.url, 'fanout');
      const videoId = await seedVideo(database, session.userId);

      log(`1 subscriber, ${singleChanges} status changes`);
      const one = await phase(server, database, session, videoId, 1, singleChanges, 0, 5_000);
      log(`  p50 ${fmtMs(one.p50)}, p99 ${fmtMs(one.p99)}`);
      log(`${many.toLocaleString('en-US')} subscribers, ${manyChanges} status changes`);
      const crowd = await phase(
        server,
        database,
        session,
        videoId,
        many,
        manyChanges,
        singleChanges + 1,
        15_000,
      );
      log(`  p50 ${fmtMs(crowd.p50)}, p99 ${fmtMs(crowd.p99)}, ${crowd.stalled} stalled, ${crowd.lost} lost`);
      let huge: Phase | null = null;
      if (stretch) {
        log(`stretch: ${stretch.toLocaleString('en-US')} subscribers, 5 status changes`);
        try {
          huge = await phase(
            server,
            database,
            session,
            videoId,
            stretch,
            5,
            singleChanges + manyChanges + 2,
            60_000,
          );
          log(`  p50 ${fmtMs(huge.p50)}, p99 ${fmtMs(huge.p99)}, ${huge.stalled} stalled, ${huge.lost} lost`);
        } catch (error) {
          log(`  stretch run failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }

      const headline = ratio(crowd.p99, one.p99);
      const show = (p: Phase) =>
        `${p.subscribers.toLocaleString('en-US')} subscriber${p.subscribers > 1 ? 's' : ''}: delivery p50 ${fmtMs(p.p50)}, p99 ${fmtMs(p.p99)}` +
        `${p.stalled + p.lost > 0 ? ` (+${p.stalled + p.lost} of ${p.deliveries.toLocaleString('en-US')} held back until the next change)` : ''}; ` +
        `event-loop delay p99 ${fmtMs(p.loopP99)}, max ${fmtMs(p.loopMax)}`;
      return {
        measured: `${show(crowd)}; ${fmtBytes(crowd.rssPerConnection)} RSS, ${fmtBytes(crowd.heapPerConnection)} heap per connection`,
        baseline: show(one),
        ratio: headline,
        extraRatios: huge
          ? `${huge.subscribers.toLocaleString('en-US')} subscribers: p99 ratio ${fmt(ratio(huge.p99, one.p99))}`
          : undefined,
        goal: 'p99 ratio ≤ 3',
        met: headline <= 3 && crowd.stalled + crowd.lost === 0,
        setup:
          `one server process (ROLE=api), one user, M SSE subscriptions to sora.onUpdate for one video; status changes committed with ` +
          `commitVideoChange from the benchmark one at a time (${singleChanges} with 1 subscriber, ${manyChanges} with ${many})`,
        details: [
          `p99 over deliveries that arrived before the next change; "held back" = arrived only after the next change was committed ` +
            `(${crowd.stalled} + ${one.stalled}) or never (${crowd.lost} + ${one.lost}); the wait for each change ends when all have it or after ` +
            `${crowd.timeoutMs / 1000} s`,
          ...(huge
            ? [
                `stretch ${show(huge)}; ${fmtBytes(huge.rssPerConnection)} RSS, ${fmtBytes(huge.heapPerConnection)} heap per connection`,
              ]
            : []),
        ],
      };
    });
  },
};
