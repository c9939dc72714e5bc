import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAppServices, startGeneration } from '@sora-monitor/core/server';
import { insertVideo, soraEvents, user, videos, webhookDeliveries, type Video } from '@sora-monitor/db';
import { createTestDb } from '@sora-monitor/db/testing';
import { createSigner, startSimulator, type Simulator } from '@sora-monitor/simulator';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const sign = createSigner(SECRET);
const PUBLIC_URL = 'http://localhost:3000';

let sim: Simulator;
let app: FastifyInstance;
let appUrl: string;
let database: Awaited<ReturnType<typeof createTestDb>>;
let built: Awaited<ReturnType<typeof createAppServices>>;
let openai: OpenAI;
let userId: string;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  sim = await startSimulator({ generationMs: 200 });
  cleanups.push(() => sim.close());
  database = await createTestDb();
  cleanups.push(() => database.cleanup());
  const blobDir = await mkdtemp(path.join(tmpdir(), 'sora-webhook-blobs-'));
  cleanups.push(() => rm(blobDir, { recursive: true, force: true }));
  const logger = pino({ level: 'silent' });
  openai = new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url, maxRetries: 0 });
  built = await createAppServices({
    database: database.handle,
    openai,
    providerInfo: { simulated: true, baseURL: sim.url },
    blobDir,
    authSecret: 'webhook-test-secret-0123456789abcdefghijklmnop',
    publicUrl: PUBLIC_URL,
    trustedOrigins: [PUBLIC_URL],
    logger,
    version: 'test',
    // The poll would come much later: anything that happens now happened because of a webhook.
    settings: { pollIntervalMs: 600_000, statusFreshnessMs: 600_000 },
  });
  cleanups.push(() => built.close());
  app = await buildApp({
    logger,
    webDistDir: path.join(blobDir, 'no-web'),
    services: built.services,
    registry: built.registry,
    webhookSecret: SECRET,
  });
  cleanups.push(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  appUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  userId = randomUUID();
  await database.handle.db
    .insert(user)
    .values({ id: userId, name: 'Webhook test', email: `${userId}@example.test` });
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

const db = () => database.handle.db;

async function startVideo(prompt: string): Promise<Video> {
  const video = await insertVideo(db(), {
    userId,
    title: prompt,
    prompt,
    model: 'sora-2',
    size: '720x1280',
    seconds: 4,
  });
  return startGeneration(built.services.generations, userId, video.id);
}

async function row(id: string): Promise<Video> {
  const [found] = await db().select().from(videos).where(eq(videos.id, id));
  if (!found) throw new Error(`no video ${id}`);
  return found;
}

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until upstream has finished the job (the generation row knows nothing of it yet). */
async function upstreamFinished(jobId: string): Promise<void> {
  await waitFor(
    () => openai.videos.retrieve(jobId),
    (video) => video.status === 'completed' || video.status === 'failed',
  );
}

function eventBody(jobId: string, type = 'video.completed') {
  return {
    id: `evt_${randomBytes(12).toString('hex')}`,
    object: 'event',
    type,
    created_at: Math.floor(Date.now() / 1000),
    data: { id: jobId },
  };
}

function post(body: string, headers: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url: '/api/webhooks/openai',
    headers: { 'content-type': 'application/json', ...headers },
    payload: body,
  });
}

/** Everything a webhook could change, to compare before and after. */
async function snapshot(videoId: string, jobId: string) {
  return {
    video: await row(videoId),
    events: await db().select().from(soraEvents).where(eq(soraEvents.videoId, videoId)),
    upstreamCalls: sim.requests().filter((entry) => entry.videoId === jobId).length,
  };
}

const retrieves = (jobId: string) =>
  sim
    .requests()
    .filter((entry) => entry.videoId === jobId && entry.method === 'GET' && !entry.path.endsWith('/content'));

describe('POST /api/webhooks/openai', () => {
  it('refreshes the generation at once when the simulator delivers a signed video.completed', async () => {
    sim.setWebhook(`${appUrl}/api/webhooks/openai`, SECRET);
    try {
      const video = await startVideo('Webhook delivered for real');
      const done = await waitFor(
        () => row(video.id),
        (current) => current.soraGenerationStatus === 'completed',
      );
      expect(done.blobKey).toBeTruthy();
      const events = await db().select().from(soraEvents).where(eq(soraEvents.videoId, video.id));
      expect(events.find((event) => event.toStatus === 'completed')?.actor).toBe('webhook');
      const deliveries = await db().select().from(webhookDeliveries);
      expect(deliveries.some((delivery) => delivery.type === 'video.completed')).toBe(true);
    } finally {
      sim.setWebhook(null);
    }
  });

  it('rejects a bad signature, a re-serialised body, a stale or future timestamp, and changes nothing', async () => {
    const video = await startVideo('Forged webhooks');
    const jobId = video.soraJobId!;
    await upstreamFinished(jobId);
    const before = await snapshot(video.id, jobId);
    expect(before.video.soraGenerationStatus).toBe('queued');

    const body = JSON.stringify(eventBody(jobId));
    const now = new Date();
    const otherSecret = createSigner(`whsec_${randomBytes(24).toString('base64')}`);
    const attempts: Array<[string, string, Record<string, string>]> = [
      ['signed with another secret', body, { ...otherSecret(`wh_${randomUUID()}`, now, body) }],
      // The same JSON, re-serialised (as a framework that parses and re-stringifies would): the bytes differ.
      [
        'signature over a re-serialised body',
        JSON.stringify(JSON.parse(body), null, 2),
        { ...sign(`wh_${randomUUID()}`, now, body) },
      ],
      [
        'timestamp 301 s old',
        body,
        { ...sign(`wh_${randomUUID()}`, new Date(now.getTime() - 301_000), body) },
      ],
      [
        'no signature',
        body,
        { 'webhook-id': `wh_${randomUUID()}`, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)) },
      ],
    ];
    for (const [label, payload, headers] of attempts) {
      const response = await post(payload, headers);
      expect(response.statusCode, label).toBe(400);
      expect(response.json(), label).toMatchObject({ error: 'invalid_webhook' });
    }
    // Signed just before it is sent (time passing would bring a future timestamp back inside the tolerance), and
    // 302 s ahead: timestamps are whole seconds, so 301 s could round to exactly the 300 s allowed.
    const ahead = await post(body, { ...sign(`wh_${randomUUID()}`, new Date(Date.now() + 302_000), body) });
    expect(ahead.statusCode, 'timestamp 302 s ahead').toBe(400);
    expect(await snapshot(video.id, jobId)).toEqual(before);
    expect(
      await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.type, 'video.completed')),
    ).toHaveLength(1);

    // The same event, properly signed, is taken: the generation completes right away, without any poll.
    const valid = await post(body, { ...sign(`wh_${randomUUID()}`, new Date(), body) });
    expect(valid.statusCode).toBe(200);
    expect(valid.json()).toEqual({ status: 'processed' });
    // The webhook is answered at once; the finished video is stored in the background.
    const after = await waitFor(() => row(video.id), (current) => current.soraGenerationStatus !== 'in_progress' && current.soraGenerationStatus !== 'queued');
    expect(after.soraGenerationStatus).toBe('completed');
    expect(after.blobKey).toBeTruthy();
  });

  it('processes each webhook-id once: a duplicate is acknowledged (200) and triggers no refresh', async () => {
    // A long job: the webhook is a hint, so the refresh it triggers reads upstream (still in progress).
    const video = await startVideo('Replayed webhook [sim:duration=60000]');
    const jobId = video.soraJobId!;
    const id = `wh_${randomUUID()}`;
    const body = JSON.stringify(eventBody(jobId));

    const first = await post(body, { ...sign(id, new Date(), body) });
    expect(first.statusCode).toBe(200);
    expect(retrieves(jobId)).toHaveLength(1);
    const before = await snapshot(video.id, jobId);

    // Same id, fresh timestamp and signature (as a sender's retry or an attacker's replay would be), twice: each is
    // acknowledged, so the sender stops retrying, and neither refreshes nor changes anything.
    for (let i = 0; i < 2; i++) {
      const duplicate = await post(body, { ...sign(id, new Date(), body) });
      expect(duplicate.statusCode).toBe(200);
      expect(duplicate.json()).toEqual({ status: 'duplicate' });
    }
    expect(await snapshot(video.id, jobId)).toEqual(before);
    expect(retrieves(jobId)).toHaveLength(1);
    expect(await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id))).toHaveLength(1);
  });

  it('acknowledges events it has no use for without touching anything', async () => {
    const unknownJob = JSON.stringify(eventBody('video_does_not_exist'));
    const response = await post(unknownJob, { ...sign(`wh_${randomUUID()}`, new Date(), unknownJob) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ignored' });

    const other = JSON.stringify({ ...eventBody('video_x'), type: 'response.completed' });
    const ignored = await post(other, { ...sign(`wh_${randomUUID()}`, new Date(), other) });
    expect(ignored.statusCode).toBe(200);
    expect(ignored.json()).toMatchObject({ status: 'ignored' });
  });
});
