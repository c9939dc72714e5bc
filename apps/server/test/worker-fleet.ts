import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createDb,
  soraEvents,
  soraGenerations,
  user,
  videos,
  type DbHandle,
  type Video,
} from '@sora-monitor/db';
import { createTestDatabase, type TestDatabase } from '@sora-monitor/db/testing';
import { startSimulator, type RequestLogEntry, type Simulator } from '@sora-monitor/simulator';
import { and, eq, inArray, sql } from 'drizzle-orm';
import OpenAI from 'openai';
import { spawnServer, waitForUrl, type ServerProcess } from './server-process';
import { waitUntil as waitFor } from '@sora-monitor/core/testing';

/*
 * Several real server processes (ROLE=worker) on one fresh PostgreSQL database, all talking to one simulator that
 * runs in the test process, so its request log sees every upstream call of every worker.
 */

export interface Worker extends ServerProcess {
  url: string;
  pid: number;
}

export interface Fleet {
  sim: Simulator;
  handle: DbHandle;
  openai: OpenAI;
  /** DATA_DIR shared by every worker, so stored videos are in one place. */
  dataDir: string;
  userId: string;
  spawn(env?: Record<string, string>): Promise<Worker>;
  /** Creates jobs upstream through the SDK and inserts them as queued generations, due now. */
  insertActive(prompts: string[]): Promise<Video[]>;
  rows(ids: string[]): Promise<Video[]>;
  /** Completion events per video id. */
  completions(ids: string[]): Promise<Map<string, number>>;
  generationCounts(ids: string[]): Promise<Map<string, number>>;
  close(): Promise<void>;
}

export const WORKER_ENV = {
  ROLE: 'worker',
  POLL_TICK_MS: '50',
  POLL_INTERVAL_MS: '1000',
  POLL_BATCH_SIZE: '25',
  POLL_CONCURRENCY: '8',
  LEASE_MS: '2000',
  UPSTREAM_RPM: '100000',
  SWEEP_INTERVAL_MS: '5000',
  SHUTDOWN_GRACE_MS: '8000',
  AUTH_SECRET: 'fleet-test-secret-0123456789abcdefghijklmnopqrs',
  METRICS_TOKEN: 'fleet-metrics-token-0123456789',
};

export async function startFleet(options: { generationMs: number }): Promise<Fleet> {
  const closers: Array<() => Promise<unknown>> = [];
  const workers: Worker[] = [];
  const close = async () => {
    for (const worker of workers)
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.ended));
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => undefined);
  };
  try {
    const sim = await startSimulator({ generationMs: options.generationMs });
    closers.push(() => sim.close());
    const database: TestDatabase = await createTestDatabase({ migrated: true });
    closers.push(() => database.drop());
    // Migrated here, before any worker starts.
    const handle = await createDb({ databaseUrl: database.url, max: 4 });
    closers.push(() => handle.close());
    const db = handle.db;
    const openai = new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url, maxRetries: 0 });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sora-fleet-'));
    closers.push(() => rm(dataDir, { recursive: true, force: true }));
    const userId = randomUUID();
    await db.insert(user).values({ id: userId, name: 'Fleet', email: `${userId}@example.test` });

    const countBy = async (
      column: typeof soraEvents.videoId | typeof soraGenerations.videoId,
      table: typeof soraEvents | typeof soraGenerations,
      ids: string[],
      where = sql`true`,
    ) => {
      const rows = await db
        .select({ id: column, count: sql<number>`count(*)::int` })
        .from(table)
        .where(and(inArray(column, ids), where))
        .groupBy(column);
      return new Map(rows.map((row) => [row.id, Number(row.count)]));
    };

    return {
      sim,
      handle,
      openai,
      dataDir,
      userId,
      async spawn(env = {}) {
        const server = spawnServer({
          ...WORKER_ENV,
          DATABASE_URL: database.url,
          OPENAI_API_KEY: sim.apiKey,
          OPENAI_BASE_URL: sim.url,
          DATA_DIR: dataDir,
          ...env,
        });
        const worker = Object.assign(server, { url: '', pid: server.child.pid ?? 0 });
        workers.push(worker);
        worker.url = await waitForUrl(server);
        return worker;
      },
      async insertActive(prompts) {
        const jobs: OpenAI.Videos.Video[] = [];
        for (let i = 0; i < prompts.length; i += 25) {
          const chunk = prompts.slice(i, i + 25);
          jobs.push(
            ...(await Promise.all(
              chunk.map((prompt) =>
                openai.videos.create({ prompt, model: 'sora-2', size: '720x1280', seconds: '4' }),
              ),
            )),
          );
        }
        const inserted = await db
          .insert(videos)
          .values(
            jobs.map((job, i) => ({
              userId,
              title: `Fleet ${i}`,
              prompt: prompts[i]!,
              model: 'sora-2',
              size: '720x1280',
              seconds: 4,
              soraJobId: job.id,
              soraGenerationStatus: 'queued' as const,
              soraStartedAt: new Date(job.created_at * 1000),
              progressChangedAt: sql`now()`,
              nextPollAt: sql`now()`,
            })),
          )
          .returning();
        await db.insert(soraGenerations).values(
          inserted.map((video) => ({
            videoId: video.id,
            userId,
            attempt: 1,
            jobId: video.soraJobId,
            status: 'queued' as const,
            createOutcome: 'confirmed' as const,
            prompt: video.prompt,
            model: video.model,
            size: video.size,
            seconds: video.seconds,
            startedAt: video.soraStartedAt,
          })),
        );
        await db.execute(sql`
          update videos v set current_generation_id = g.id
          from sora_generations g
          where g.video_id = v.id and v.current_generation_id is null`);
        return inserted;
      },
      rows: (ids) => db.select().from(videos).where(inArray(videos.id, ids)),
      completions: (ids) =>
        countBy(
          soraEvents.videoId,
          soraEvents,
          ids,
          and(eq(soraEvents.type, 'status_changed'), eq(soraEvents.toStatus, 'completed'))!,
        ),
      generationCounts: (ids) => countBy(soraGenerations.videoId, soraGenerations, ids),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The process id in a lease owner token (`host:pid:random:counter`). */
export function leaseOwnerPid(owner: string | null): number | null {
  const pid = owner?.split(':')[1];
  return pid ? Number(pid) : null;
}

/** Upstream says completed and the row's lease is held through the download: a download is under way. */
export function isDownloading(row: Video): boolean {
  return row.soraGenerationStatus === 'in_progress' && row.soraProgress === 100 && row.leaseOwner !== null;
}

/**
 * Waits until one of `candidates` is downloading one of the videos `read` returns; returns that process and every
 * video it is downloading then.
 */
export async function waitForDownloader<P extends ServerProcess>(
  read: () => Promise<Video[]>,
  candidates: P[],
): Promise<{ holder: P; held: Video[] }> {
  const pidOf = (row: Video) => leaseOwnerPid(row.leaseOwner) ?? -1;
  const pids = new Set(candidates.map((candidate) => candidate.child.pid));
  const rows = await waitUntil(read, (current) => current.some((row) => isDownloading(row) && pids.has(pidOf(row))));
  const pid = pidOf(rows.find((row) => isDownloading(row) && pids.has(pidOf(row)))!);
  return {
    holder: candidates.find((candidate) => candidate.child.pid === pid)!,
    held: rows.filter((row) => isDownloading(row) && pidOf(row) === pid),
  };
}

/** Multi-process conditions take longer: a default of 20 s, checked every 50 ms. */
export function waitUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  return waitFor(read, done, { timeoutMs: 20_000, intervalMs: 50, ...options });
}

/** Pairs of requests on one job (creates excluded) whose lifetimes overlap. */
export function overlappingCalls(requests: RequestLogEntry[]): Array<[RequestLogEntry, RequestLogEntry]> {
  const byJob = new Map<string, RequestLogEntry[]>();
  for (const entry of requests) {
    if (!entry.videoId || entry.method === 'POST') continue;
    byJob.set(entry.videoId, [...(byJob.get(entry.videoId) ?? []), entry]);
  }
  const overlaps: Array<[RequestLogEntry, RequestLogEntry]> = [];
  for (const entries of byJob.values()) {
    let latest: RequestLogEntry | undefined;
    for (const current of [...entries].sort((a, b) => a.startedAt - b.startedAt)) {
      if (latest && current.startedAt < latest.endedAt) overlaps.push([latest, current]);
      if (!latest || current.endedAt > latest.endedAt) latest = current;
    }
  }
  return overlaps;
}
