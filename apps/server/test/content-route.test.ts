import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAppServices } from '@sora-monitor/core/server';
import { getVideoForUser } from '@sora-monitor/db';
import { createTestDb } from '@sora-monitor/db/testing';
import { startSimulator, type Simulator } from '@sora-monitor/simulator';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';

const PUBLIC_URL = 'http://localhost:3000';

let sim: Simulator;
let app: FastifyInstance;
let blobDir: string;
let database: Awaited<ReturnType<typeof createTestDb>>;
let services: Awaited<ReturnType<typeof createAppServices>>;
const cleanups: Array<() => Promise<unknown>> = [];

interface SignedIn {
  id: string;
  cookie: string;
}

let ada: SignedIn;
let videoId: string;
let stored: Buffer;

async function signUp(email: string): Promise<SignedIn> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-up/email',
    headers: { 'content-type': 'application/json', origin: PUBLIC_URL },
    payload: JSON.stringify({ email, password: 'correct horse battery', name: email.split('@')[0] }),
  });
  expect(response.statusCode).toBe(200);
  const setCookie = response.headers['set-cookie'];
  const lines = Array.isArray(setCookie) ? setCookie : [String(setCookie)];
  const cookie = lines.find((line) => line.includes('session_token='))?.split(';')[0];
  if (!cookie) throw new Error('sign-up set no session cookie');
  return { id: (response.json() as { user: { id: string } }).user.id, cookie };
}

/** A tRPC call over HTTP, as the web app makes it. */
async function trpc<T>(
  user: SignedIn,
  kind: 'query' | 'mutation',
  procedure: string,
  input: unknown,
): Promise<T> {
  const response =
    kind === 'query'
      ? await app.inject({
          method: 'GET',
          url: `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`,
          headers: { cookie: user.cookie },
        })
      : await app.inject({
          method: 'POST',
          url: `/trpc/${procedure}`,
          headers: { cookie: user.cookie, 'content-type': 'application/json', origin: PUBLIC_URL },
          payload: JSON.stringify(input),
        });
  if (response.statusCode !== 200) throw new Error(`${procedure}: ${response.statusCode} ${response.body}`);
  return (response.json() as { result: { data: T } }).result.data;
}

const content = (videoId: string, headers: Record<string, string> = {}, query = '') =>
  app.inject({ method: 'GET', url: `/api/videos/${videoId}/content${query}`, headers });

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  const logger = pino({ level: 'silent' });
  sim = await startSimulator({ generationMs: 200 });
  cleanups.push(() => sim.close());
  database = await createTestDb();
  cleanups.push(() => database.cleanup());
  blobDir = await mkdtemp(path.join(tmpdir(), 'sora-monitor-content-'));
  cleanups.push(() => rm(blobDir, { recursive: true, force: true }));
  services = await createAppServices({
    database: database.handle,
    openai: new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url }),
    providerInfo: { simulated: true, baseURL: sim.url },
    blobDir,
    authSecret: 'content-route-test-secret-0123456789abcdefghij',
    publicUrl: PUBLIC_URL,
    trustedOrigins: [PUBLIC_URL],
    logger,
    version: 'test',
    settings: { statusFreshnessMs: 0 },
    upstreamRequestsPerMinute: 1_000_000,
  });
  cleanups.push(() => services.close());
  app = await buildApp({
    logger,
    webDistDir: '/nonexistent',
    services: services.services,
    trustedOrigins: [PUBLIC_URL],
  });
  cleanups.push(() => app.close());
  await app.ready();

  // A completed generation, made through the HTTP API like the web app does.
  ada = await signUp('ada@example.com');
  const video = await trpc<{ id: string }>(ada, 'mutation', 'videos.create', {
    prompt: 'A lighthouse in a storm',
  });
  videoId = video.id;
  await trpc(ada, 'mutation', 'sora.generate', { videoId });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const status = await trpc<{ status: string; videoUrl: string | null }>(ada, 'query', 'sora.status', {
      videoId,
    });
    if (status.status === 'completed') {
      expect(status.videoUrl).toBe(`/api/videos/${videoId}/content`);
      break;
    }
    if (status.status === 'failed' || Date.now() > deadline)
      throw new Error(`generation did not complete: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const row = await getVideoForUser(database.handle.db, ada.id, videoId);
  stored = await readFile(path.join(blobDir, row!.blobKey!));
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

function expectCommonHeaders(response: LightMyRequestResponse) {
  expect(response.headers['content-type']).toBe('video/mp4');
  expect(response.headers['cache-control']).toMatch(/\bprivate\b/);
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['accept-ranges']).toBe('bytes');
}

describe('GET /api/videos/:videoId/content', () => {
  it('serves the whole stored video (the bytes the simulator served) to its owner', async () => {
    const response = await content(videoId, { cookie: ada.cookie });
    expect(response.statusCode).toBe(200);
    expectCommonHeaders(response);
    expect(Number(response.headers['content-length'])).toBe(stored.length);
    expect(response.rawPayload.equals(stored)).toBe(true);

    const row = await getVideoForUser(database.handle.db, ada.id, videoId);
    expect(row).toMatchObject({ blobSize: stored.length, blobSha256: sha256(response.rawPayload) });
    const jobId = row!.soraJobId!;
    const upstream = await fetch(`${sim.url}/videos/${jobId}/content`, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
    });
    expect(Buffer.from(await upstream.arrayBuffer()).equals(response.rawPayload)).toBe(true);
  });

  it('answers Range bytes=0-99 with 206, Content-Range and exactly those bytes', async () => {
    const response = await content(videoId, { cookie: ada.cookie, range: 'bytes=0-99' });
    expect(response.statusCode).toBe(206);
    expectCommonHeaders(response);
    expect(response.headers['content-range']).toBe(`bytes 0-99/${stored.length}`);
    expect(Number(response.headers['content-length'])).toBe(100);
    expect(response.rawPayload.equals(stored.subarray(0, 100))).toBe(true);
  });

  it('answers a middle range and an open-ended range', async () => {
    const middle = await content(videoId, { cookie: ada.cookie, range: 'bytes=1000-1999' });
    expect(middle.statusCode).toBe(206);
    expect(middle.headers['content-range']).toBe(`bytes 1000-1999/${stored.length}`);
    expect(middle.rawPayload.equals(stored.subarray(1000, 2000))).toBe(true);

    const rest = await content(videoId, { cookie: ada.cookie, range: `bytes=${stored.length - 10}-` });
    expect(rest.statusCode).toBe(206);
    expect(rest.headers['content-range']).toBe(
      `bytes ${stored.length - 10}-${stored.length - 1}/${stored.length}`,
    );
    expect(rest.rawPayload.equals(stored.subarray(stored.length - 10))).toBe(true);
  });

  it('answers a suffix range with the last bytes', async () => {
    const response = await content(videoId, { cookie: ada.cookie, range: 'bytes=-500' });
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe(
      `bytes ${stored.length - 500}-${stored.length - 1}/${stored.length}`,
    );
    expect(response.rawPayload.equals(stored.subarray(stored.length - 500))).toBe(true);
  });

  it('answers an unsatisfiable range with 416 and the size', async () => {
    const response = await content(videoId, {
      cookie: ada.cookie,
      range: `bytes=${stored.length}-${stored.length + 10}`,
    });
    expect(response.statusCode).toBe(416);
    expect(response.headers['content-range']).toBe(`bytes */${stored.length}`);
  });

  it('serves the thumbnail variant', async () => {
    const response = await content(videoId, { cookie: ada.cookie }, '?variant=thumbnail');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^image\//);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.rawPayload.length).toBeGreaterThan(0);
  });

  it("answers another user's video exactly like a missing one: 404", async () => {
    const mallory = await signUp('mallory@example.com');
    const theirs = await content(videoId, { cookie: mallory.cookie });
    const missing = await content('7d1c4c8e-2f4b-4a52-9a57-3f3b7b0c9e11', { cookie: mallory.cookie });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).toBe(missing.body);
    expect(theirs.rawPayload.includes(stored.subarray(0, 16))).toBe(false);
    const ranged = await content(videoId, { cookie: mallory.cookie, range: 'bytes=0-99' });
    expect(ranged.statusCode).toBe(404);
  });

  it('answers 404 for a malformed id and for a video with nothing stored yet', async () => {
    expect((await content('not-a-uuid', { cookie: ada.cookie })).statusCode).toBe(404);
    const fresh = await trpc<{ id: string }>(ada, 'mutation', 'videos.create', {
      prompt: 'Not generated yet',
    });
    expect((await content(fresh.id, { cookie: ada.cookie })).statusCode).toBe(404);
  });

  it('answers 401 without a session', async () => {
    const response = await content(videoId);
    expect(response.statusCode).toBe(401);
    expect(response.rawPayload.includes(stored.subarray(0, 16))).toBe(false);
    expect((await content(videoId, { cookie: 'better-auth.session_token=forged' })).statusCode).toBe(401);
  });
});
