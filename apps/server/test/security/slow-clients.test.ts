import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { waitUntil } from '@sora-monitor/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApp, type HttpApp } from '../support/http-app';

/*
 * Slow clients over real sockets: a request body dribbled in a byte at a time is cut off once the request timeout
 * passes (short here, and checked often, so the test ends quickly), while a live-update stream, whose request is
 * complete at once, stays open however long its response runs; and one address cannot hold more than its share of
 * connections.
 */

const REQUEST_TIMEOUT_MS = 1_000;
const PER_IP = 4;
let h: HttpApp;
let port: number;

beforeAll(async () => {
  h = await startHttpApp({
    app: { connectionLimits: { requestTimeoutMs: REQUEST_TIMEOUT_MS, connectionsPerIp: PER_IP, checkIntervalMs: 100 } },
  });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  port = (h.app.server.address() as AddressInfo).port;
});
afterAll(() => h?.close());

interface RawConnection {
  socket: Socket;
  received: () => string;
  closed: () => boolean;
}

function open(): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    let text = '';
    let closed = false;
    const socket = connect({ host: '127.0.0.1', port }, () => resolve({ socket, received: () => text, closed: () => closed }));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

describe('slow clients', () => {
  it('cuts off a request whose body arrives a byte at a time', async () => {
    const slow = await open();
    slow.socket.write(
      'POST /trpc/videos.create HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    const dribble = setInterval(() => {
      if (!slow.closed()) slow.socket.write(' ');
    }, 200);
    try {
      await waitUntil(async () => slow.closed(), (closed) => closed, { timeoutMs: 20_000 });
    } finally {
      clearInterval(dribble);
    }
    // Node answers 408 as it closes, when it can.
    expect(slow.received()).toMatch(/^$|^HTTP\/1\.1 408/);
  });

  it('keeps a live-update stream open well past the request timeout', async () => {
    const ada = await h.signUp('ada');
    const stream = await open();
    stream.socket.write(`GET /trpc/sora.onUpdate?input=%7B%7D HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nCookie: ${ada.cookie}\r\n\r\n`);
    await waitUntil(async () => stream.received(), (text) => text.startsWith('HTTP/1.1 200'), { timeoutMs: 10_000 });
    // Several request timeouts and check intervals later the stream is still there (a cut would close it).
    await new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS * 3));
    expect(stream.closed()).toBe(false);
    stream.socket.destroy();
  });

  it(`closes connection ${PER_IP + 1} from one address at once, and accepts one again when another closes`, async () => {
    const held: RawConnection[] = [];
    for (let n = 0; n < PER_IP; n++) held.push(await open());
    const extra = await open();
    await waitUntil(async () => extra.closed(), (closed) => closed, { timeoutMs: 10_000 });
    expect(extra.received()).toBe('');
    // The held ones still work.
    held[0]!.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await waitUntil(async () => held[0]!.received(), (text) => text.includes('"status":"ok"'), { timeoutMs: 10_000 });

    held.pop()!.socket.destroy();
    await waitUntil(
      async () => {
        const next = await open();
        next.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
        await new Promise((resolve) => setTimeout(resolve, 200));
        const ok = next.received().includes('"status":"ok"');
        next.socket.destroy();
        return ok;
      },
      (ok) => ok,
      { timeoutMs: 10_000 },
    );
    for (const connection of held) connection.socket.destroy();
  });
});
