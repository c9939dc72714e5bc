import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb, type DbHandle } from '@sora-monitor/db';
import { createTestDatabase, createTestDb, testDbKind } from '@sora-monitor/db/testing';
import {
  startSimulator,
  type RequestLogEntry,
  type Simulator,
  type SimulatorOptions,
} from '@sora-monitor/simulator';
import { getErrorShape, TRPCError } from '@trpc/server';
import OpenAI from 'openai';
import pino from 'pino';
import { appRouter, createCaller, type AppServices, type RouterOutputs } from '../../src';
import type { GenerationSettings } from '../../src/generations';
import type { RateLimitSettings } from '../../src/rate-limits/user-rate-limits';
import { createAppServices } from '../../src/services';
import { sleep, waitUntil } from '../../src/testing';

/*
 * The integration harness: a real database (in-memory PGlite, or a fresh PostgreSQL database when TEST_DATABASE_URL
 * is set), the simulator over HTTP, the real openai SDK, and the exact wiring the server uses (createAppServices).
 * One per test file; tests isolate themselves by signing up their own users.
 */

export type Caller = ReturnType<typeof createCaller>;
export type StatusView = RouterOutputs['sora']['status'];
export type VideoView = RouterOutputs['videos']['get'];

export interface TestUser {
  id: string;
  email: string;
  name: string;
  caller: Caller;
}

export interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface Harness {
  sim: Simulator;
  db: DbHandle;
  /** The PostgreSQL URL of this harness's database; null on PGlite. */
  databaseUrl: string | null;
  services: AppServices;
  blobDir: string;
  /** Warnings and errors the services logged. */
  logs: LogRecord[];
  signUp(label?: string): Promise<TestUser>;
  /** A caller for `user`; `signal` ends its subscriptions. */
  callerFor(user: Pick<TestUser, 'id' | 'email' | 'name'>, options?: { signal?: AbortSignal }): Caller;
  /**
   * Services with their own in-process state (another "server instance") over the same simulator and database;
   * pass `database` to give it its own connection (PostgreSQL).
   */
  secondInstance(options?: {
    settings?: Partial<GenerationSettings>;
    database?: DbHandle;
  }): Promise<AppServices>;
  /** Requests the simulator served for one upstream job. */
  jobRequests(jobId: string): RequestLogEntry[];
  close(): Promise<void>;
}

export const AUTH_SECRET = 'integration-test-secret-0123456789abcdefghijklmnop';
export const PASSWORD = 'correct horse battery';
export const PUBLIC_URL = 'http://localhost:3000';

let userCounter = 0;
let passwordHash: Promise<string> | undefined;

const OFF = { max: 0, windowSec: 60 };
const NO_RATE_LIMITS: RateLimitSettings = { generate: OFF, status: OFF, content: OFF, signInPerEmail: OFF, videoCreate: OFF, tokenCreate: OFF };

async function openDatabase(onQuery?: (sql: string) => void): Promise<{
  handle: DbHandle;
  url: string | null;
  cleanup: () => Promise<void>;
}> {
  if (testDbKind() === 'pglite') {
    const { handle, cleanup } = await createTestDb({ onQuery });
    return { handle, url: null, cleanup };
  }
  const database = await createTestDatabase({ migrated: true });
  const handle = await createDb({ databaseUrl: database.url, max: 6, onQuery });
  return {
    handle,
    url: database.url,
    cleanup: async () => {
      await handle.close();
      await database.drop();
    },
  };
}

export async function startHarness(
  options: {
    generationMs?: number;
    settings?: Partial<GenerationSettings>;
    simulator?: SimulatorOptions;
    /** Per-user request limits; tests poll far faster than people, so they are off unless a test sets them. */
    rateLimits?: Partial<RateLimitSettings>;
    /** Sees the text of every statement the services send (statement counting). */
    onQuery?: (sql: string) => void;
    /**
     * Keep watched videos fresh from the services (the product's default is 10 s). Off here: most tests count the
     * upstream calls their own requests make.
     */
    watchedLingerMs?: number;
  } = {},
): Promise<Harness> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const sim = await startSimulator({ generationMs: options.generationMs ?? 300, ...options.simulator });
    closers.push(() => sim.close());
    const database = await openDatabase(options.onQuery);
    closers.push(database.cleanup);
    const blobDir = await mkdtemp(path.join(tmpdir(), 'sora-monitor-blobs-'));
    closers.push(() => rm(blobDir, { recursive: true, force: true }));

    const logs: LogRecord[] = [];
    const logger = pino(
      { level: 'warn' },
      { write: (line: string) => void logs.push(JSON.parse(line) as LogRecord) },
    );

    const build = async (settings: Partial<GenerationSettings>, handle: DbHandle = database.handle) => {
      const built = await createAppServices({
        database: handle,
        openai: new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url }),
        providerInfo: { simulated: true, baseURL: sim.url },
        blobDir,
        authSecret: AUTH_SECRET,
        publicUrl: PUBLIC_URL,
        trustedOrigins: [PUBLIC_URL],
        logger,
        version: 'test',
        settings: { statusFreshnessMs: 0, ...settings },
        watchedLingerMs: options.watchedLingerMs ?? 0,
        // Tests make far more upstream calls per minute than a real upstream allows; the budget is not under test here.
        upstreamRequestsPerMinute: 1_000_000,
        signUpRateLimit: { windowSec: 60, max: 10_000 },
        signInRateLimit: { windowSec: 60, max: 10_000 },
        rateLimits: { ...NO_RATE_LIMITS, ...options.rateLimits },
      });
      // Services stop listening before the database closes.
      closers.push(built.close);
      return built.services;
    };
    const services = await build(options.settings ?? {});

    const callerFor: Harness['callerFor'] = (user, callerOptions = {}) =>
      createCaller(
        {
          ...services,
          user: { id: user.id, email: user.email, name: user.name, via: 'session' },
          headers: new Headers(),
          // Harness users stay signed in; sign-out ending a stream is tested over HTTP (apps/server/test/security).
          reauthenticate: () => Promise.resolve({ id: user.id, email: user.email, name: user.name, via: 'session' }),
          logger,
        },
        callerOptions.signal ? { signal: callerOptions.signal } : undefined,
      );

    return {
      sim,
      db: database.handle,
      databaseUrl: database.url,
      services,
      blobDir,
      logs,
      async signUp(label = 'user') {
        // The rows sign-up writes (a user and its password account, the password's real scrypt hash), made through
        // better-auth's own adapter. Sign-up itself, and the session it opens, are tested in test/auth over HTTP;
        // here a caller needs no session, and one hash per process instead of one per user saves 151 ms of CPU each.
        const email = `${label}-${process.pid}-${++userCounter}@example.com`;
        const { internalAdapter, password } = await services.auth.$context;
        passwordHash ??= password.hash(PASSWORD);
        const user = await internalAdapter.createUser({ email, name: label, emailVerified: false }, { method: 'email-password' });
        await internalAdapter.linkAccount({ userId: user.id, providerId: 'credential', accountId: user.id, password: await passwordHash });
        return { id: user.id, email: user.email, name: user.name, caller: callerFor(user) };
      },
      callerFor,
      secondInstance: ({ settings = {}, database: handle } = {}) => build(settings, handle),
      jobRequests: (jobId) => sim.requests().filter((entry) => entry.videoId === jobId),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export { sleep, waitUntil };

/** Polls sora.status (as the web app does) until the generation reaches one of `statuses`. */
export function pollStatus(
  caller: Caller,
  videoId: string,
  statuses: StatusView['status'][],
  timeoutMs = 15_000,
): Promise<StatusView> {
  return waitUntil(
    () => caller.sora.status({ videoId }),
    (view) => statuses.includes(view.status),
    { timeoutMs },
  );
}

/** Creates a video and starts its generation; the prompt carries any simulator markers. */
export async function startVideo(
  caller: Caller,
  prompt: string,
  input: {
    model?: 'sora-2' | 'sora-2-pro';
    size?: '720x1280' | '1280x720' | '1024x1792' | '1792x1024';
    seconds?: 4 | 8 | 12;
  } = {},
): Promise<{ video: VideoView; started: StatusView }> {
  const video = await caller.videos.create({ prompt, ...input });
  const started = await caller.sora.generate({ videoId: video.id });
  return { video, started };
}

/** Runs `call`, expecting a TRPCError; returns it with the shape a client would receive (our errorFormatter's). */
export async function expectTRPCError(call: () => Promise<unknown>) {
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof TRPCError))
    throw new Error(`Expected a TRPCError, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  const shape = getErrorShape({
    config: appRouter._def._config,
    error: caught,
    type: 'query',
    path: undefined,
    input: undefined,
    ctx: undefined,
  });
  return { error: caught, shape };
}

/** A random, well-formed id that names no video. */
export const RANDOM_VIDEO_ID = '7d1c4c8e-2f4b-4a52-9a57-3f3b7b0c9e11';
