import { createTRPCClient, httpBatchLink } from '@trpc/client';
import net from 'node:net';
// The real server process, started exactly as its own process tests do.
import { preparedDataDir, spawnServer, waitForUrl, type ServerProcess } from '../../../../apps/server/test/server-process';
import type { AppRouter } from '../../src/client';

export interface RealServer {
  url: string;
  /** An API token of a freshly signed-up user, created through tokens.create with the session cookie. */
  token: string;
  email: string;
  process: ServerProcess;
  stop(): Promise<void>;
}

/** A real server (PGlite in a temp dir, the built-in simulator) with one signed-up user and their API token. */
export async function startRealServer(env: Record<string, string> = {}): Promise<RealServer> {
  const server = spawnServer({ SIM_GENERATION_MS: '1500', DATA_DIR: await preparedDataDir(), ...env });
  try {
    const url = await waitForUrl(server, 50_000); // generous: a loaded CI machine takes a while to migrate PGlite
    const email = `cli-${Date.now()}@example.com`;
    const cookie = await signUp(url, email);
    const sessionClient = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${url}/trpc`, headers: { cookie } })],
    });
    const { token } = await sessionClient.tokens.create.mutate({ name: 'tests' });
    return { url, token, email, process: server, stop: () => stopServer(server) };
  } catch (error) {
    await stopServer(server);
    throw error;
  }
}

async function signUp(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ name: 'Ada Lovelace', email, password: 'correct horse battery staple' }),
  });
  if (!response.ok) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const pair = response.headers
    .getSetCookie()
    .find((line) => line.includes('session_token='))
    ?.split(';')[0];
  if (!pair) throw new Error('sign-up set no session cookie');
  return pair;
}

async function stopServer(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null) return;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5_000);
  await server.exited;
  clearTimeout(timer);
}

/** A local port nothing listens on: "the server is down". */
export function closedPortUrl(): Promise<string> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(`http://127.0.0.1:${port}`));
    });
  });
}
