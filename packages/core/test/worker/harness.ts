import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createDb,
  insertVideo,
  soraEvents,
  soraGenerations,
  user,
  videos,
  type Database,
  type DbHandle,
  type Event,
  type Generation,
  type Video,
} from '@sora-monitor/db';
import { createTestDatabase, createTestDb, testDbKind } from '@sora-monitor/db/testing';
import {
  startSimulator,
  type RequestLogEntry,
  type Simulator,
  type SimulatorOptions,
} from '@sora-monitor/simulator';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import OpenAI from 'openai';
import pino from 'pino';
import type { Registry } from 'prom-client';
import { startGeneration, type GenerationDeps, type GenerationSettings } from '../../src/generations';
import type { Metrics } from '../../src/metrics';
import { createAppServices } from '../../src/services';
import { createPoller, type Poller, type PollerOptions } from '../../src/worker';
import { sleep, waitUntil } from '../../src/testing';

/*
 * The worker's integration harness: a real database (in-memory PGlite, or a fresh PostgreSQL database when
 * TEST_DATABASE_URL is set), the simulator over HTTP, the real openai SDK, and the server's own wiring
 * (createAppServices), so the poller under test is the one production runs.
 */

export interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export type WorkerDeps = GenerationDeps & { metrics: Metrics };

export interface WorkerHarness {
  sim: Simulator;
  handle: DbHandle;
  db: Database;
  /** The PostgreSQL URL of this harness's database; null on PGlite. */
  databaseUrl: string | null;
  deps: WorkerDeps;
  registry: Registry;
  logs: LogRecord[];
  /** Another "server instance" (own services, budget, lease owners) on the same database and simulator. */
  instance(options?: { database?: DbHandle; settings?: Partial<GenerationSettings> }): Promise<WorkerDeps>;
  /** A new connection pool to this harness's database (PostgreSQL only). */
  connect(): Promise<DbHandle>;
  createUser(): Promise<string>;
  /** A video row plus a generation started through the product's own path (the real create call upstream). */
  startVideo(prompt: string, userId?: string): Promise<Video>;
  poller(options?: Partial<PollerOptions>, deps?: WorkerDeps): Poller;
  /** Makes every active generation due now, so a test need not wait out the adaptive schedule. */
  makeDue(): Promise<void>;
  video(id: string): Promise<Video>;
  events(videoId: string): Promise<Event[]>;
  generations(videoId: string): Promise<Generation[]>;
  jobRequests(jobId: string): RequestLogEntry[];
  /** Waits until upstream has finished the job (completed or failed), asking the simulator directly. */
  upstreamFinished(jobId: string): Promise<void>;
  close(): Promise<void>;
}

export const FAST_SETTINGS: Partial<GenerationSettings> = {
  statusFreshnessMs: 0,
  pollIntervalMs: 1_000,
  leaseMs: 5_000,
  retryBaseMs: 50,
};

const AUTH_SECRET = 'worker-test-secret-0123456789abcdefghijklmnopqr';
const PUBLIC_URL = 'http://localhost:3000';

export async function startWorkerHarness(
  options: { sim?: SimulatorOptions; settings?: Partial<GenerationSettings>; upstreamRpm?: number } = {},
): Promise<WorkerHarness> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => undefined);
  };
  try {
    const sim = await startSimulator({ generationMs: 300, ...options.sim });
    closers.push(() => sim.close());

    let databaseUrl: string | null = null;
    let handle: DbHandle;
    if (testDbKind() === 'pglite') {
      const database = await createTestDb();
      handle = database.handle;
      closers.push(database.cleanup);
    } else {
      const database = await createTestDatabase({ migrated: true });
      closers.push(() => database.drop());
      databaseUrl = database.url;
      handle = await createDb({ databaseUrl, max: 6 });
      closers.push(() => handle.close());
    }
    const blobDir = await mkdtemp(path.join(tmpdir(), 'sora-worker-blobs-'));
    closers.push(() => rm(blobDir, { recursive: true, force: true }));

    const logs: LogRecord[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => void logs.push(JSON.parse(line) as LogRecord) },
    );

    const instance = async ({
      database = handle,
      settings = {},
    }: { database?: DbHandle; settings?: Partial<GenerationSettings> } = {}) => {
      const built = await createAppServices({
        database,
        openai: new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url }),
        providerInfo: { simulated: true, baseURL: sim.url },
        blobDir,
        authSecret: AUTH_SECRET,
        publicUrl: PUBLIC_URL,
        trustedOrigins: [PUBLIC_URL],
        logger,
        version: 'test',
        upstreamRequestsPerMinute: options.upstreamRpm ?? 100_000,
        settings: { ...FAST_SETTINGS, ...options.settings, ...settings },
      });
      closers.push(built.close);
      return Object.assign(built, { deps: { ...built.services.generations, metrics: built.metrics } });
    };
    const main = await instance();
    const db = handle.db;
    const pollers: Poller[] = [];
    // Pollers stop before anything they use closes.
    closers.push(() => Promise.all(pollers.map((poller) => poller.stop())));

    const harness: WorkerHarness = {
      sim,
      handle,
      db,
      databaseUrl,
      deps: main.deps,
      registry: main.registry,
      logs,
      instance: async (instanceOptions) => (await instance(instanceOptions)).deps,
      async connect() {
        if (!databaseUrl) throw new Error('connect() needs PostgreSQL');
        const extra = await createDb({ databaseUrl, max: 2, migrate: false });
        closers.push(() => extra.close());
        return extra;
      },
      async createUser() {
        const id = randomUUID();
        await db.insert(user).values({ id, name: 'Worker test', email: `${id}@example.test` });
        return id;
      },
      async startVideo(prompt, userId) {
        const owner = userId ?? (await harness.createUser());
        const video = await insertVideo(db, {
          userId: owner,
          title: prompt.slice(0, 40),
          prompt,
          model: 'sora-2',
          size: '720x1280',
          seconds: 4,
        });
        return startGeneration(main.deps, owner, video.id, { actor: 'user' });
      },
      poller(pollerOptions = {}, deps = main.deps) {
        const poller = createPoller(deps, {
          batchSize: 50,
          concurrency: 8,
          tickMs: 20,
          sweepIntervalMs: 60_000,
          ...pollerOptions,
        });
        pollers.push(poller);
        return poller;
      },
      async makeDue() {
        await db
          .update(videos)
          .set({ nextPollAt: sql`now()` })
          .where(inArray(videos.soraGenerationStatus, ['queued', 'in_progress']));
      },
      async video(id) {
        const [row] = await db.select().from(videos).where(eq(videos.id, id));
        if (!row) throw new Error(`no video ${id}`);
        return row;
      },
      events: (videoId) =>
        db.select().from(soraEvents).where(eq(soraEvents.videoId, videoId)).orderBy(asc(soraEvents.id)),
      generations: (videoId) =>
        db
          .select()
          .from(soraGenerations)
          .where(and(eq(soraGenerations.videoId, videoId)))
          .orderBy(asc(soraGenerations.attempt)),
      jobRequests: (jobId) => sim.requests().filter((entry) => entry.videoId === jobId),
      async upstreamFinished(jobId) {
        const client = new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url, maxRetries: 0 });
        await waitUntil(
          () => client.videos.retrieve(jobId),
          (job) => job.status === 'completed' || job.status === 'failed',
        );
      },
      close,
    };
    return harness;
  } catch (error) {
    await close();
    throw error;
  }
}

export { sleep, waitUntil };

/** Runs the poller pass by pass (making everything due first) until `done` holds. */
export async function driveUntil<T>(
  harness: WorkerHarness,
  poller: Poller,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 10_000 } = {},
): Promise<T> {
  return waitUntil(
    async () => {
      await harness.makeDue();
      await poller.runOnce();
      return read();
    },
    done,
    { timeoutMs, intervalMs: 10 },
  );
}

/**
 * Pairs of requests on one job (creates excluded) whose lifetimes overlap by more than `toleranceMs`. In these
 * tests the simulator shares the event loop with the workers, so its end-of-request stamp can trail the moment the
 * client had the whole answer by a few tens of milliseconds. The tolerance absorbs that; a second worker calling
 * while another's call is under way (a download lasts hundreds of milliseconds here) still shows.
 */
export function overlappingCalls(
  requests: RequestLogEntry[],
  toleranceMs = 100,
): Array<[RequestLogEntry, RequestLogEntry]> {
  const byJob = new Map<string, RequestLogEntry[]>();
  for (const entry of requests) {
    if (!entry.videoId || entry.method === 'POST') continue;
    byJob.set(entry.videoId, [...(byJob.get(entry.videoId) ?? []), entry]);
  }
  const overlaps: Array<[RequestLogEntry, RequestLogEntry]> = [];
  for (const entries of byJob.values()) {
    const sorted = [...entries].sort((a, b) => a.startedAt - b.startedAt);
    let latest: RequestLogEntry | undefined;
    for (const current of sorted) {
      if (latest && current.startedAt < latest.endedAt - toleranceMs) overlaps.push([latest, current]);
      if (!latest || current.endedAt > latest.endedAt) latest = current;
    }
  }
  return overlaps;
}
