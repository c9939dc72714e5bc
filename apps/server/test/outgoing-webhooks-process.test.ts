import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startWebhookReceiver, type WebhookReceiver } from '@sora-monitor/core/testing/webhook-receiver';
import { afterEach, describe, expect, it } from 'vitest';
import { preparedDataDir, spawnServer, waitForUrl, type ServerProcess } from './server-process';

/*
 * Outgoing webhooks end to end, in real processes: the server (ROLE=all) on its embedded database, a receiver that
 * is down at first, a server killed (-9) with the delivery still owed and started again on the same data, and the
 * receiver verifying the signature with the `standardwebhooks` package.
 */

const running: ServerProcess[] = [];
let receiver: WebhookReceiver | null = null;
afterEach(async () => {
  for (const server of running.splice(0)) server.child.kill('SIGKILL');
  await receiver?.close();
  receiver = null;
});

const ENV = {
  LOG_LEVEL: 'info',
  SIM_GENERATION_MS: '300',
  POLL_INTERVAL_MS: '1000',
  // Only the loopback range is allowed, as an operator running the receiver next to the server would.
  WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8',
  WEBHOOK_RETRY_BASE_MS: '200',
};

async function start(dataDir: string): Promise<string> {
  const server = spawnServer({ ...ENV, DATA_DIR: dataDir });
  running.push(server);
  return waitForUrl(server, 60_000);
}

/** A port nothing listens on (yet): connections to it are refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function signUp(url: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ name: 'Hook', email: `hooks-${Date.now()}@example.test`, password: 'correct horse battery staple' }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie().find((line) => line.includes('session_token='))?.split(';')[0];
  if (!cookie) throw new Error('sign-up set no session cookie');
  return cookie;
}

async function trpc<T>(url: string, cookie: string, kind: 'query' | 'mutation', path: string, input: unknown): Promise<T> {
  const response =
    kind === 'query'
      ? await fetch(`${url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { cookie } })
      : await fetch(`${url}/trpc/${path}`, { method: 'POST', headers: { cookie, origin: url, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${text}`);
  return (JSON.parse(text) as { result: { data: T } }).result.data;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 1_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Delivery {
  status: string;
  attempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
  nextAttemptAt: string | null;
  messageId: string;
}

describe('outgoing webhooks in the server process', () => {
  it('retries a delivery while the receiver is down, across a restart, and it is accepted once with a verifiable signature', async () => {
    const dataDir = await preparedDataDir();
    const port = await closedPort();
    let url = await start(dataDir);
    const cookie = await signUp(url);
    const hookUrl = `http://127.0.0.1:${port}/hooks/sora`;
    const { endpoint, secret } = await trpc<{ endpoint: { id: string }; secret: string }>(url, cookie, 'mutation', 'webhooks.create', {
      url: hookUrl,
      events: ['video.completed'],
    });
    // Outside the allowed range the rule still holds: a private address is refused with the reason.
    await expect(trpc(url, cookie, 'mutation', 'webhooks.create', { url: 'http://10.1.2.3/hook', events: ['video.completed'] })).rejects.toThrow(
      /10\.1\.2\.3 is a private \(RFC 1918\) address: webhooks only go to public addresses/,
    );

    const video = await trpc<{ id: string }>(url, cookie, 'mutation', 'sora.createAndGenerate', { prompt: 'A paper boat, announced' });
    await until(() => trpc<{ status: string }>(url, cookie, 'query', 'sora.status', { videoId: video.id }), (status) => status.status === 'completed');

    // The receiver is down: tries fail with the reason and the next one is planned.
    const refused = await until(
      async () => (await trpc<Delivery[]>(url, cookie, 'query', 'webhooks.deliveries', { endpointId: endpoint.id }))[0],
      (delivery) => (delivery?.attempts ?? 0) >= 2,
    );
    expect(refused).toMatchObject({ status: 'pending', lastError: 'The receiver refused the connection', lastStatusCode: null });
    expect(refused!.nextAttemptAt).not.toBeNull();

    // The server dies with the delivery still owed; a new one on the same data takes it over.
    const first = running.pop()!;
    first.child.kill('SIGKILL');
    await first.ended;
    url = await start(dataDir);

    // Back, but busy once (503), then accepting.
    receiver = await startWebhookReceiver({ port });
    receiver.setSecret(secret);
    receiver.answerNext(503);
    const delivered = await until(
      async () => (await trpc<Delivery[]>(url, cookie, 'query', 'webhooks.deliveries', { endpointId: endpoint.id }))[0],
      (delivery) => delivery?.status === 'succeeded',
    );
    expect(delivered).toMatchObject({ lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    expect(delivered!.attempts).toBeGreaterThanOrEqual(refused!.attempts + 2);

    // Nothing more arrives after the acceptance.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.received.map((request) => request.answeredWith)).toEqual([503, 200]);
    const [accepted] = receiver.accepted();
    expect(receiver.accepted()).toHaveLength(1);
    // Verified by the receiver with standardwebhooks' own Webhook.verify and the secret shown at creation.
    expect(accepted).toMatchObject({ verified: true, verifyError: null });
    expect(accepted!.headers['webhook-id']).toBe(delivered!.messageId);
    expect(JSON.parse(accepted!.body)).toMatchObject({ type: 'video.completed', data: { videoId: video.id, status: 'completed' } });
  }, 150_000);

  it('refuses to start on a bad WEBHOOK_ALLOW_PRIVATE, naming it', async () => {
    const server = spawnServer({ WEBHOOK_ALLOW_PRIVATE: 'yes please' });
    running.push(server);
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('WEBHOOK_ALLOW_PRIVATE="yes please": must be true, false, or a comma-separated list of CIDR ranges');
  });
});
