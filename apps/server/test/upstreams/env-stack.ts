import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPoller } from '@sora-monitor/core/server';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config';
import { startUpstream, type Upstream } from '../../src/upstream';
import { PUBLIC_URL, injectSignUp, injectTrpc, type SignedIn } from '../support/http-app';
import { wireServer } from '../support/wire-server';

/*
 * The server as `pnpm start` wires it from its environment (loadConfig → startUpstream → createServices → buildApp,
 * and the background poller), listening on a real socket, over a test database (PGlite, or PostgreSQL with
 * TEST_DATABASE_URL). Only the database comes from the test helpers; everything else is the server's own code.
 */

export interface EnvStack {
  config: Config;
  upstream: Upstream;
  /** http://127.0.0.1:<port> of the listening server. */
  origin: string;
  signUp(label: string): Promise<SignedIn>;
  /** A tRPC call as the web app makes it; fails the test unless it succeeded. */
  trpc<T>(user: SignedIn, kind: 'query' | 'mutation', procedure: string, input?: unknown): Promise<T>;
  close(): Promise<void>;
}

/** The settings every stack shares (test speed, no per-user limits); `env` adds the upstream's. */
const BASE_ENV = {
  AUTH_SECRET: 'env-stack-test-secret-0123456789abcdefghijkl',
  PUBLIC_URL,
  POLL_INTERVAL_MS: '1000',
  POLL_TICK_MS: '50',
  // sora.status answers from the database: every upstream request in these tests is the poller's.
  STATUS_FRESHNESS_MS: '600000',
  // Failures planned for an automatic retry stay failed while a test looks at them.
  RETRY_BASE_MS: '3600000',
  UPSTREAM_RPM: '100000',
  RATE_LIMIT_GENERATE_PER_MIN: '0',
  RATE_LIMIT_STATUS_PER_MIN: '0',
  RATE_LIMIT_CONTENT_PER_MIN: '0',
  RATE_LIMIT_SIGN_IN_PER_EMAIL: '0',
  LOG_LEVEL: 'silent',
};

export async function startEnvStack(env: Record<string, string>): Promise<EnvStack> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    // Each step gets 45 s; one that takes longer fails the close naming itself, instead of a bare hook timeout.
    const slow: string[] = [];
    for (const [index, cleanup] of [...cleanups.entries()].reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(() => (slow.push(`cleanup ${index + 1} of ${cleanups.length}: ${cleanup.toString().slice(0, 80)}`), resolve()), 45_000);
      });
      await Promise.race([cleanup().catch(() => undefined), deadline]);
      clearTimeout(timer);
    }
    if (slow.length > 0) throw new Error(`The stack did not close within 45 s a step: ${slow.join('; ')}`);
  };
  try {
    const logger = pino({ level: 'silent' });
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sora-monitor-env-stack-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const config = loadConfig({ ...BASE_ENV, DATA_DIR: dataDir, ...env });
    const upstream = await startUpstream(config, logger);
    cleanups.push(() => upstream.close());
    const { app, built } = await wireServer(config, logger, upstream, cleanups);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string')
      throw new Error('the server is not listening on a port');
    const poller = createPoller({ ...built.services.generations, metrics: built.metrics }, config.poller);
    poller.start();
    cleanups.push(() => poller.stop({ graceMs: 1_000 }));

    return {
      config,
      upstream,
      origin: `http://127.0.0.1:${address.port}`,
      signUp: (label) => injectSignUp(app, label),
      async trpc(user, kind, procedure, input) {
        const response = await injectTrpc(app, user, kind, procedure, input);
        if (response.statusCode !== 200)
          throw new Error(`${procedure}: ${response.statusCode} ${response.body}`);
        return (response.json() as { result: { data: never } }).result.data;
      },
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
