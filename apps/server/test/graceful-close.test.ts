import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PUBLIC_URL, startHttpApp, type HttpApp } from './support/http-app';

/*
 * Closing the real app (buildApp over a test database, on a real socket) while requests are open: a rolling restart
 * or SIGTERM must not wait for live-update streams, which never end by themselves, nor hold a finished request's
 * keep-alive connection for fastify's 72 s keep-alive timeout.
 */

let h: HttpApp;
let port: number;

beforeEach(async () => {
  h = await startHttpApp();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  port = (h.app.server.address() as AddressInfo).port;
});
afterEach(() => h?.close());

/**
 * A sign-in whose body is still on its way when close begins (a slow upload), sent with fetch: undici keeps the
 * connection for as long as the server's Keep-Alive header allows (fastify says 72 s). `finish` sends the rest.
 */
function slowSignIn(): { response: Promise<Response>; finish: () => void } {
  const body = new TextEncoder().encode(JSON.stringify({ email: 'nobody@example.com', password: 'not the password' }));
  let finish = () => undefined as void;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body.subarray(0, 10));
      finish = () => {
        controller.enqueue(body.subarray(10));
        controller.close();
      };
    },
  });
  const response = fetch(`http://127.0.0.1:${port}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(body.length), origin: PUBLIC_URL },
    body: stream,
    duplex: 'half',
  } as RequestInit);
  return { response, finish };
}

/** A GET over a keep-alive socket, as browsers and undici send them; resolves with the response once its head arrives. */
function get(path: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { connection: 'keep-alive', ...headers } }, resolve);
    req.on('error', reject);
    req.end();
  });
}

/** Everything the response sends until it ends or its connection is cut; `cut` says which. */
function readToEnd(response: IncomingMessage): Promise<{ body: string; cut: boolean }> {
  return new Promise((resolve) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (body += chunk));
    response.on('end', () => resolve({ body, cut: false }));
    response.on('error', () => resolve({ body, cut: true }));
    response.on('aborted', () => resolve({ body, cut: true }));
  });
}

describe('closing the app with requests open', () => {
  it('cuts open live-update streams at once, so close() does not wait for them', async () => {
    const user = await h.signUp('streamer');
    const stream = await get('/trpc/sora.onUpdate?input=%7B%7D', { cookie: user.cookie, accept: 'text/event-stream' });
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    const ended = readToEnd(stream);

    const startedAt = Date.now();
    await h.app.close();
    const closeMs = Date.now() - startedAt;

    expect((await ended).cut).toBe(true);
    // Without the cut, close() waits for the stream for ever (the server's shutdown then runs out its grace period).
    expect(closeMs).toBeLessThan(10_000);
    expect(h.services.userCaps.openSubscriptions(user.id)).toBe(0);
  });

  it('lets a request in flight finish, then closes its keep-alive connection instead of waiting 72 s', async () => {
    const upload = slowSignIn();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const startedAt = Date.now();
    const closed = h.app.close().then(() => Date.now() - startedAt);
    await new Promise((resolve) => setTimeout(resolve, 200));
    upload.finish();

    const response = await upload.response;
    // Answered in full (a wrong password), not refused as "closing" nor cut.
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: expect.any(String) });
    // Node closes it about 1 s after the response ends. Without the shortened keep-alive, close() waited 70 s here (undici kept the connection as the header allowed).
    expect(await closed).toBeLessThan(30_000);
  });
});
