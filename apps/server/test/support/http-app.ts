import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAppServices, type AppServicesOptions } from '@sora-monitor/core/server';
import { soraEvents, soraGenerations, userWebhookDeliveries, userWebhookEndpoints, videos } from '@sora-monitor/db';
import { createTestDb, type TestDb } from '@sora-monitor/db/testing';
import { startSimulator, type Simulator, type SimulatorOptions } from '@sora-monitor/simulator';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { asc } from 'drizzle-orm';
import OpenAI from 'openai';
import pino from 'pino';
import { buildApp, type AppDeps } from '../../src/app';

/*
 * The real HTTP app (buildApp + createAppServices, exactly as the server wires them) over a real database (PGlite, or
 * PostgreSQL when TEST_DATABASE_URL is set) and the simulator, driven with fastify's inject: what a browser sends,
 * cookies and all, without a listening socket.
 */

export const PUBLIC_URL = 'http://localhost:3000';
export const FOREIGN_ORIGIN = 'https://evil.example';
export const PASSWORD = 'correct horse battery';

export interface SignedIn {
  id: string;
  email: string;
  /** `name=value` of the session cookie, ready for a Cookie header. */
  cookie: string;
}

export interface HttpApp {
  app: FastifyInstance;
  sim: Simulator;
  database: TestDb;
  services: Awaited<ReturnType<typeof createAppServices>>['services'];
  signUp(label: string): Promise<SignedIn>;
  /** A tRPC call as the web app makes it: GET for queries, same-origin JSON POST for mutations. */
  trpc(user: SignedIn | null, kind: 'query' | 'mutation', procedure: string, input?: unknown): Promise<LightMyRequestResponse>;
  /** Like trpc() but fails the test unless the call succeeded; returns the result data. */
  trpcData<T>(user: SignedIn, kind: 'query' | 'mutation', procedure: string, input?: unknown): Promise<T>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Every row that describes videos and webhook endpoints, to prove a refused request wrote nothing. */
  snapshot(): Promise<unknown>;
  close(): Promise<void>;
}

let emailCounter = 0;
const OFF = { max: 0, windowSec: 60 };

export async function startHttpApp(
  options: { simulator?: SimulatorOptions; services?: Partial<AppServicesOptions>; app?: Partial<AppDeps> } = {},
): Promise<HttpApp> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const logger = pino({ level: 'silent' });
    const sim = await startSimulator({ generationMs: 200, ...options.simulator });
    cleanups.push(() => sim.close());
    const database = await createTestDb();
    cleanups.push(() => database.cleanup());
    const blobDir = await mkdtemp(path.join(tmpdir(), 'sora-monitor-http-'));
    cleanups.push(() => rm(blobDir, { recursive: true, force: true }));
    const built = await createAppServices({
      database: database.handle,
      openai: new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url }),
      providerInfo: { simulated: true, baseURL: sim.url },
      blobDir,
      authSecret: 'http-app-test-secret-0123456789abcdefghijklmn',
      publicUrl: PUBLIC_URL,
      trustedOrigins: [PUBLIC_URL],
      logger,
      version: 'test',
      settings: { statusFreshnessMs: 0 },
      upstreamRequestsPerMinute: 1_000_000,
      signUpRateLimit: { windowSec: 60, max: 10_000 },
      // Tests poll far faster than people; the per-user limits are off unless a test sets them.
      rateLimits: { generate: OFF, status: OFF, content: OFF, signInPerEmail: OFF, videoCreate: OFF, tokenCreate: OFF },
      ...options.services,
    });
    cleanups.push(() => built.close());
    const app = await buildApp({ logger, webDistDir: '/nonexistent', services: built.services, trustedOrigins: [PUBLIC_URL], ...options.app });
    cleanups.push(() => app.close());
    await app.ready();

    const trpc: HttpApp['trpc'] = (user, kind, procedure, input) => injectTrpc(app, user, kind, procedure, input);

    return {
      app,
      sim,
      database,
      services: built.services,
      trpc,
      async trpcData(user, kind, procedure, input) {
        const response = await trpc(user, kind, procedure, input);
        if (response.statusCode !== 200) throw new Error(`${procedure}: ${response.statusCode} ${response.body}`);
        return (response.json() as { result: { data: never } }).result.data;
      },
      inject: (injectOptions) => app.inject(injectOptions),
      async signUp(label) {
        const { id, email, cookie } = await injectSignUp(app, label);
        return { id, email, cookie };
      },
      async snapshot() {
        const db = database.handle.db;
        return {
          videos: await db.select().from(videos).orderBy(asc(videos.id)),
          generations: await db.select().from(soraGenerations).orderBy(asc(soraGenerations.id)),
          events: await db.select().from(soraEvents).orderBy(asc(soraEvents.id)),
          webhookEndpoints: await db.select().from(userWebhookEndpoints).orderBy(asc(userWebhookEndpoints.id)),
          webhookDeliveries: await db.select().from(userWebhookDeliveries).orderBy(asc(userWebhookDeliveries.id)),
        };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A tRPC call as the web app makes it: GET for queries, same-origin JSON POST for mutations. */
export function injectTrpc(
  app: FastifyInstance,
  user: Pick<SignedIn, 'cookie'> | null,
  kind: 'query' | 'mutation',
  procedure: string,
  input?: unknown,
): Promise<LightMyRequestResponse> {
  const cookie = user ? { cookie: user.cookie } : {};
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  return kind === 'query'
    ? app.inject({ method: 'GET', url: `/trpc/${procedure}${query}`, headers: cookie })
    : app.inject({
        method: 'POST',
        url: `/trpc/${procedure}`,
        headers: { ...cookie, 'content-type': 'application/json', origin: PUBLIC_URL },
        payload: input === undefined ? '' : JSON.stringify(input),
      });
}

/** Signs a new account up through better-auth's HTTP endpoint, as the web app's form does. */
export async function injectSignUp(app: FastifyInstance, label: string): Promise<SignedIn & { setCookie: string }> {
  const email = `${label}-${process.pid}-${++emailCounter}@example.com`;
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-up/email',
    headers: { 'content-type': 'application/json', origin: PUBLIC_URL },
    payload: JSON.stringify({ email, password: PASSWORD, name: label }),
  });
  if (response.statusCode !== 200) throw new Error(`sign-up failed: ${response.statusCode} ${response.body}`);
  const setCookie = [response.headers['set-cookie']].flat().find((line) => String(line).includes('session_token='));
  if (!setCookie) throw new Error('sign-up set no session cookie');
  return { id: (response.json() as { user: { id: string } }).user.id, email, cookie: sessionCookie(response), setCookie: String(setCookie) };
}

/** The `name=value` pair of the session cookie a response sets. */
export function sessionCookie(response: LightMyRequestResponse): string {
  const setCookie = response.headers['set-cookie'];
  const lines = Array.isArray(setCookie) ? setCookie : [String(setCookie ?? '')];
  const pair = lines.find((line) => line.includes('session_token='))?.split(';')[0];
  if (!pair) throw new Error('the response set no session cookie');
  return pair;
}
