import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestDb } from '@sora-monitor/db/testing';
import { startSimulator, type Simulator } from '@sora-monitor/simulator';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import OpenAI from 'openai';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { injectSignUp, injectTrpc, PUBLIC_URL } from '../support/http-app';
import { wireServer, type WiredServer } from '../support/wire-server';

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
  services: WiredServer['built']['services'];
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
    /** Extra environment variables, parsed like the server's own (e.g. METRICS_TOKEN). */
    env?: Record<string, string>;
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
      ...options.env,
    });
    const lines: string[] = [];
    const logger = createLogger(config, false, { write: (line: string) => void lines.push(line) });

    const sim = await startSimulator({ generationMs: 200 });
    cleanups.push(() => sim.close());
    const upstream = {
      info: { simulated: true, baseURL: sim.url },
      client: new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url }),
      connectWebhooks: () => undefined,
      close: async () => undefined,
    };
    const { app, database, built } = await wireServer(config, logger, upstream, cleanups);
    options.addRoutes?.(app);
    await app.ready();

    const trpc: ProductionApp['trpc'] = (user, kind, procedure, input) => injectTrpc(app, user, kind, procedure, input);
    const signUp = async (label: string): Promise<SignedIn> => {
      const { id, cookie, setCookie } = await injectSignUp(app, label);
      return { id, cookie, setCookie };
    };

    return { app, sim, database, services: built.services, logText: () => lines.join(''), signUp, trpc, close };
  } catch (error) {
    await close();
    throw error;
  }
}
