import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAppServices, createPoller, startGeneration } from '@sora-monitor/core/server';
import { insertVideo, user, videos } from '@sora-monitor/db';
import { createTestDb } from '@sora-monitor/db/testing';
import { startSimulator, type Simulator } from '@sora-monitor/simulator';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';

const PUBLIC_URL = 'http://localhost:3000';
let sim: Simulator;
let database: Awaited<ReturnType<typeof createTestDb>>;
let built: Awaited<ReturnType<typeof createAppServices>>;
const apps: FastifyInstance[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  sim = await startSimulator({ generationMs: 100 });
  cleanups.push(() => sim.close());
  database = await createTestDb();
  cleanups.push(() => database.cleanup());
  const blobDir = await mkdtemp(path.join(tmpdir(), 'sora-metrics-blobs-'));
  cleanups.push(() => rm(blobDir, { recursive: true, force: true }));
  built = await createAppServices({
    database: database.handle,
    openai: new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url }),
    providerInfo: { simulated: true, baseURL: sim.url },
    blobDir,
    authSecret: 'metrics-test-secret-0123456789abcdefghijklmnop',
    publicUrl: PUBLIC_URL,
    trustedOrigins: [PUBLIC_URL],
    logger: pino({ level: 'silent' }),
    version: 'test',
    settings: { pollIntervalMs: 1_000 },
  });
  cleanups.push(() => built.close());
});

afterAll(async () => {
  for (const app of apps) await app.close();
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

const METRICS_TOKEN = 'metrics-test-token-0123456789';

async function scrape(role: 'all' | 'worker'): Promise<string> {
  const app = await buildApp({
    logger: pino({ level: 'silent' }),
    webDistDir: '/nonexistent',
    services: built.services,
    registry: built.registry,
    role,
    metricsToken: METRICS_TOKEN,
  });
  apps.push(app);
  const response = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain/);
  return response.body;
}

describe('GET /metrics', () => {
  it('exposes active generations, upstream calls, poll latency, sweep duration, lease claims and rate-limiter waits', async () => {
    const db = database.handle.db;
    const userId = randomUUID();
    await db.insert(user).values({ id: userId, name: 'Metrics', email: `${userId}@example.test` });
    const waiting = await insertVideo(db, {
      userId,
      title: 'waiting',
      prompt: 'waiting [sim:duration=60000]',
      model: 'sora-2',
      size: '720x1280',
      seconds: 4,
    });
    await startGeneration(built.services.generations, userId, waiting.id);
    const quick = await insertVideo(db, {
      userId,
      title: 'quick',
      prompt: 'quick',
      model: 'sora-2',
      size: '720x1280',
      seconds: 4,
    });
    await startGeneration(built.services.generations, userId, quick.id);

    const poller = createPoller(
      { ...built.services.generations, metrics: built.metrics },
      { batchSize: 10, concurrency: 4, tickMs: 20, sweepIntervalMs: 1 },
    );
    for (let pass = 0; pass < 500; pass++) {
      await db
        .update(videos)
        .set({ nextPollAt: sql`now()` })
        .where(eq(videos.id, quick.id));
      await poller.runOnce();
      const [row] = await db.select().from(videos).where(eq(videos.id, quick.id));
      if (row?.soraGenerationStatus === 'completed') break;
    }

    const text = await scrape('all');
    expect(text).toMatch(/^sora_active_generations\{status="queued"\} 1$/m);
    expect(text).toMatch(/^sora_active_generations\{status="in_progress"\} 0$/m);
    expect(text).toMatch(/^sora_upstream_calls_total\{operation="create",result="created"\} 2$/m);
    expect(text).toMatch(/^sora_upstream_calls_total\{operation="retrieve",result="video"\} [1-9]/m);
    expect(text).toMatch(/^sora_upstream_calls_total\{operation="download",result="stream"\} [1-9]/m);
    expect(text).toMatch(/^sora_poll_seconds_count\{result="completed"\} 1$/m);
    expect(text).toMatch(/^sora_stuck_sweep_seconds_count [1-9]/m);
    expect(text).toMatch(/^sora_lease_claims_total [1-9]/m);
    expect(text).toMatch(/^# TYPE sora_rate_limiter_wait_seconds histogram$/m);
    expect(text).toMatch(/^sora_rate_limiter_wait_seconds_count \d+$/m);
  });

  it('is served by worker instances too', async () => {
    const text = await scrape('worker');
    expect(text).toContain('sora_lease_claims_total');
    expect(text).toContain('sora_active_generations');
  });
});
