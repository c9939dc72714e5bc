import { createDb, type DbHandle } from '@sora-monitor/db';
import { createTestDatabase, type TestDatabase } from '@sora-monitor/db/testing';
import { startSimulator, type Simulator } from '@sora-monitor/simulator';
import { spawnServer, waitForUrl, type ServerProcess } from '../server-process';
import { WORKER_ENV } from '../worker-fleet';

/*
 * The fault tests' common ground: one fresh PostgreSQL database, one simulator in the test process (so every server
 * process sees the same upstream jobs), and real server processes (src/main.ts) started on them.
 */

export interface Instance extends ServerProcess {
  url: string;
}

export interface FaultSetup {
  database: TestDatabase;
  /** A direct connection for the test's own reads. */
  handle: DbHandle;
  sim: Simulator;
  spawn(env?: Record<string, string>, nodeArgs?: string[]): Promise<Instance>;
  /** Every process spawned so far that has not exited. */
  running(): Instance[];
  close(): Promise<void>;
}

export const SERVER_ENV = {
  ...WORKER_ENV,
  ROLE: 'all',
  LOG_LEVEL: 'info',
};

export async function startFaultSetup(options: { generationMs: number }): Promise<FaultSetup> {
  const instances: Instance[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  const running = () =>
    instances.filter((one) => one.child.exitCode === null && one.child.signalCode === null);
  const close = async () => {
    for (const one of running()) one.child.kill('SIGKILL');
    await Promise.all(instances.map((one) => one.ended));
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => undefined);
  };
  try {
    const sim = await startSimulator({ generationMs: options.generationMs });
    closers.push(() => sim.close());
    const database = await createTestDatabase({ migrated: true });
    closers.push(() => database.drop());
    const handle = await createDb({ databaseUrl: database.url, max: 3 }); // migrated before any server starts
    closers.push(() => handle.close());
    return {
      database,
      handle,
      sim,
      running,
      close,
      async spawn(env = {}, nodeArgs = []) {
        const server = spawnServer(
          {
            ...SERVER_ENV,
            DATABASE_URL: database.url,
            OPENAI_API_KEY: sim.apiKey,
            OPENAI_BASE_URL: sim.url,
            ...env,
          },
          { nodeArgs },
        );
        const instance = Object.assign(server, { url: '' });
        instances.push(instance);
        instance.url = await waitForUrl(server);
        return instance;
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Signs a new user up through `url` and returns an API token for them (created with the session cookie). */
export async function signUpWithToken(url: string): Promise<{ token: string; userId: string }> {
  const email = `faults-${Date.now()}-${Math.random().toString(36).slice(2)}@example.test`;
  const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ name: 'Fault Tester', email, password: 'correct horse battery staple' }),
  });
  if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);
  const { user } = (await signUp.json()) as { user: { id: string } };
  const cookie = signUp.headers
    .getSetCookie()
    .find((line) => line.includes('session_token='))
    ?.split(';')[0];
  if (!cookie) throw new Error('sign-up set no session cookie');
  const created = await fetch(`${url}/trpc/tokens.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url, cookie },
    body: JSON.stringify({ name: 'faults' }),
  });
  if (!created.ok) throw new Error(`tokens.create failed: ${created.status} ${await created.text()}`);
  const body = (await created.json()) as { result: { data: { token: string } } };
  return { token: body.result.data.token, userId: user.id };
}

/** The host and port of a postgres:// URL, and the same URL pointed at another port (a proxy's). */
export function viaPort(databaseUrl: string, port: number): { host: string; port: number; url: string } {
  const url = new URL(databaseUrl);
  const target = { host: url.hostname, port: Number(url.port || 5432) };
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return { ...target, url: url.toString() };
}
