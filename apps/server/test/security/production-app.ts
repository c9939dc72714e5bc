import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDb, type TestDb } from '@sora-monitor/db/testing';
import { startSimulator, type Simulator } from '@sora-monitor/simulator';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import OpenAI from 'openai';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createServices } from '../../src/services';
import { injectSignUp, injectTrpc, PUBLIC_URL } from '../support/http-app';

/*
 * The server as production wires it: configuration parsed from environment variables (NODE_ENV=production unless
 * told otherwise), the server's own logger (writing into memory so tests can read every line), the server's
 * createServices and buildApp, over a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL) and the simulator.
 */

export { PUBLIC_URL };
export const AUTH_SECRET = 'security-test-auth-secret-0123456789abcdefghijklmnop';

export interface SignedIn {
  id: string;
  /** `name=value` of the session cookie. */
  cookie: string;
  /** The full Set-Cookie header sign-up answered with. */
  setCookie: string;
}

export interface ProductionApp {
  app: FastifyInstance;
  sim: Simulator;
  database: TestDb;
  /** Everything logged so far, one JSON line per entry. */
  logText(): string;
  signUp(label: string): Promise<SignedIn>;
  trpc(
    user: SignedIn | null,
    kind: 'query' | 'mutation',
    procedure: string,
    input?: unknown,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startProductionApp(
  options: {
    nodeEnv?: 'production' | 'development';
    logLevel?: 'info' | 'trace';
    addRoutes?: (app: FastifyInstance) => void;
  } = {},
): Promise<ProductionApp> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sora-monitor-security-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const config = loadConfig({
      NODE_ENV: options.nodeEnv ?? 'production',
      LOG_LEVEL: options.logLevel ?? 'info',
      DATA_DIR: dataDir,
      AUTH_SECRET,
      PUBLIC_URL,
      STATUS_FRESHNESS_MS: '0',
      UPSTREAM_RPM: '100000',
    });
    const lines: string[] = [];
    const logger = createLogger(config, false, { write: (line: string) => void lines.push(line) });

    const sim = await startSimulator({ generationMs: 200 });
    cleanups.push(() => sim.close());
    const database = await createTestDb();
    cleanups.push(() => database.cleanup());
    const built = await createServices({
      config,
      logger,
      database: database.handle,
      upstream: {
        info: { simulated: true, baseURL: sim.url },
        client: new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url }),
        connectWebhooks: () => undefined,
        close: async () => undefined,
      },
      authSecret: AUTH_SECRET,
      publicUrl: PUBLIC_URL,
      trustedOrigins: [PUBLIC_URL],
      version: 'test',
    });
    cleanups.push(() => built.close());
    const app = await buildApp({
      logger,
      webDistDir: '/nonexistent',
      services: built.services,
      trustedOrigins: [PUBLIC_URL],
    });
    cleanups.push(() => app.close());
    options.addRoutes?.(app);
    await app.ready();

    const trpc: ProductionApp['trpc'] = (user, kind, procedure, input) => injectTrpc(app, user, kind, procedure, input);
    const signUp = async (label: string): Promise<SignedIn> => {
      const { id, cookie, setCookie } = await injectSignUp(app, label);
      return { id, cookie, setCookie };
    };

    return { app, sim, database, logText: () => lines.join(''), signUp, trpc, close };
  } catch (error) {
    await close();
    throw error;
  }
}
