import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createDb } from '@sora-monitor/db';
import { commitNoteChange, testDbKind } from '@sora-monitor/db/testing';
import { sql } from 'drizzle-orm';
import { SSE_PING_INTERVAL_MS } from '@sora-monitor/core';
import { waitUntil } from '@sora-monitor/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHttpApp, type HttpApp, type SignedIn } from './support/http-app';

/*
 * One change watched by many open streams of one user, over HTTP through the real app: the message is built and
 * serialized once and the same bytes go to every stream (per-stream work is one socket write); their session checks
 * share one lookup. Counted, not timed.
 */

const STREAMS = 20;
let h: HttpApp;
let port: number;

beforeAll(async () => {
  h = await startHttpApp({ services: { userCaps: { subscriptionsPerUser: STREAMS, apiTokensPerUser: 10 } } });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  port = (h.app.server.address() as AddressInfo).port;
});
afterAll(() => h?.close());

/** A raw SSE stream of sora.onUpdate for one video: everything it has received so far, as text. */
function openStream(user: SignedIn, videoId: string): { text: () => string; request: ClientRequest } {
  let text = '';
  const input = encodeURIComponent(JSON.stringify({ videoId }));
  const req = request(
    { host: '127.0.0.1', port, path: `/trpc/sora.onUpdate?input=${input}`, headers: { cookie: user.cookie, accept: 'text/event-stream' } },
    (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('error', () => undefined);
    },
  );
  req.on('error', () => undefined);
  req.end();
  return { text: () => text, request: req };
}

/** A raw SSE stream whose reading can be paused: the server's writes then pile up in the socket's buffers. */
function openPausableStream(user: SignedIn, videoId: string) {
  let text = '';
  let response: IncomingMessage | null = null;
  const input = encodeURIComponent(JSON.stringify({ videoId }));
  const req = request(
    { host: '127.0.0.1', port, path: `/trpc/sora.onUpdate?input=${input}`, headers: { cookie: user.cookie, accept: 'text/event-stream' } },
    (res) => {
      response = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', () => undefined);
    },
  );
  req.on('error', () => undefined);
  req.end();
  return { text: () => text, request: req, pause: () => response?.pause(), resume: () => response?.resume() };
}

/** The SSE message with this id, exactly as sent (`data:` and `id:` lines). */
const messageWithId = (text: string, id: string) => new RegExp(`data: [^\\n]*\\nid: ${id}\\n`).exec(text)?.[0];

describe('sora.onUpdate over HTTP, many streams of one user', () => {
  it(`serializes one change once for ${STREAMS} streams and sends them all the same message`, async () => {
    const ada = await h.signUp('ada');
    const video = await h.trpcData<{ id: string }>(ada, 'mutation', 'videos.create', { prompt: 'Watched in twenty tabs' });
    const streams = Array.from({ length: STREAMS }, () => openStream(ada, video.id));
    try {
      // Each gets the current state first (its own message: its cursor), then waits for changes.
      await waitUntil(async () => streams.every((stream) => stream.text().includes('\nid: ')), (all) => all, { timeoutMs: 10_000 });

      const serializing = vi.spyOn(JSON, 'stringify');
      const committed = await commitNoteChange(h.database.handle.db, { videoId: video.id, userId: ada.id, title: 'Seen by every tab', message: 'one change' });
      const eventId = String(committed!.eventIds[0]);
      await waitUntil(async () => streams.every((stream) => messageWithId(stream.text(), eventId)), (all) => all, { timeoutMs: 10_000 });
      const ofThisChange = serializing.mock.calls.filter(([value]) => (value as { event?: { id?: unknown } } | null)?.event?.id === Number(eventId));
      serializing.mockRestore();

      const sent = new Set(streams.map((stream) => messageWithId(stream.text(), eventId)));
      expect(sent.size).toBe(1);
      expect([...sent][0]).toContain('"title":"Seen by every tab"');
      // Once for all streams (one per stream before the message was shared).
      expect(ofThisChange).toHaveLength(1);
    } finally {
      for (const stream of streams) stream.request.destroy();
    }
  });

  it(`checks that the caller is still signed in with one session lookup for ${STREAMS} streams, and pings them while idle`, async () => {
    const bob = await h.signUp('bob');
    const video = await h.trpcData<{ id: string }>(bob, 'mutation', 'videos.create', { prompt: 'Watched for a while' });
    const streams = Array.from({ length: STREAMS }, () => openStream(bob, video.id));
    try {
      // Twenty streams opening at once took over 10 s once with other test files starting servers beside this one.
      await waitUntil(async () => streams.every((stream) => stream.text().includes('\nid: ')), (all) => all, { timeoutMs: 20_000 });
      const lookups = vi.spyOn(h.services.auth.api, 'getSession');
      // The streams' next check comes within one ping interval; let every stream have made it.
      await waitUntil(async () => lookups.mock.calls.length, (calls) => calls > 0, { timeoutMs: SSE_PING_INTERVAL_MS + 2_000 });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const calls = lookups.mock.calls.length;
      lookups.mockRestore();
      // Streams of one session check for the same instant and share its one lookup (one per stream before: 20; two or
      // three while only a lookup still running was shared and the streams' timers fired spread over a busy loop).
      expect(calls).toBe(1);
      expect(streams.every((stream) => !stream.text().includes('serialized-error'))).toBe(true);
      // Idle streams are pinged (a proxy would close them, the client would reconnect).
      await waitUntil(async () => streams.every((stream) => stream.text().includes('event: ping\n')), (all) => all, {
        timeoutMs: SSE_PING_INTERVAL_MS + 2_000,
      });
    } finally {
      for (const stream of streams) stream.request.destroy();
    }
  }, 60_000);

  it('holds a stream back while its reader does not read, then delivers every change in order once it does', async () => {
    const dee = await h.signUp('dee');
    const video = await h.trpcData<{ id: string }>(dee, 'mutation', 'videos.create', { prompt: 'Read slowly' });
    const serverSockets: Socket[] = [];
    const onConnection = (socket: Socket) => serverSockets.push(socket);
    h.app.server.on('connection', onConnection);
    const stream = openPausableStream(dee, video.id);
    try {
      await waitUntil(async () => stream.text().includes('\nid: '), Boolean, { timeoutMs: 10_000 });
      stream.pause();
      // 300 changes of 64 KiB each: about 20 MB, several times what the kernel buffers of one loopback connection hold
      // here (about 4 MB), so the server's writes must stop and wait for the reader.
      const filler = 'x'.repeat(64 * 1024);
      const eventIds: string[] = [];
      for (let i = 0; i < 300; i++) {
        const committed = await commitNoteChange(h.database.handle.db, { videoId: video.id, userId: dee.id, title: `Change ${i}`, message: `${i} ${filler}` });
        eventIds.push(String(committed!.eventIds[0]));
      }
      // Held back: the server's socket of this stream waits for the reader to drain it.
      await waitUntil(async () => serverSockets.some((socket) => socket.writableNeedDrain), Boolean, { timeoutMs: 10_000 });

      stream.resume();
      const last = eventIds.at(-1)!;
      await waitUntil(async () => messageWithId(stream.text(), last) !== undefined, Boolean, { timeoutMs: 30_000 });
      const received = [...stream.text().matchAll(/\nid: (\d+)\n/g)].map((match) => match[1]!);
      const ofTheseChanges = received.filter((id) => eventIds.includes(id));
      // Every change once, in order, whole.
      expect(ofTheseChanges).toEqual(eventIds);
      expect(messageWithId(stream.text(), last)).toContain(`"title":"Change 299"`);
    } finally {
      h.app.server.off('connection', onConnection);
      stream.request.destroy();
    }
  }, 60_000);

  it.runIf(testDbKind() === 'postgres')(
    'delivers a change held back by an older open transaction once that transaction ends (no hint is sent for it)',
    async () => {
      const cy = await h.signUp('cy');
      const video = await h.trpcData<{ id: string }>(cy, 'mutation', 'videos.create', { prompt: 'Held back' });
      const streams = Array.from({ length: 3 }, () => openStream(cy, video.id));
      try {
        await waitUntil(async () => streams.every((stream) => stream.text().includes('\nid: ')), (all) => all, { timeoutMs: 10_000 });
        // Any database of the server will do: the horizon that holds events back is the whole server's.
        const other = await createDb({ databaseUrl: process.env.TEST_DATABASE_URL!, max: 1, migrate: false });
        let eventId = '';
        try {
          await other.db.transaction(async (tx) => {
            // An older transaction with an id: every event committed after it is held back until it ends.
            await tx.execute(sql`select txid_current()`);
            const committed = await commitNoteChange(h.database.handle.db, { videoId: video.id, userId: cy.id, title: 'Waited for an older transaction', message: 'held back' });
            eventId = String(committed!.eventIds[0]);
            await new Promise((resolve) => setTimeout(resolve, 700));
            expect(streams.some((stream) => messageWithId(stream.text(), eventId))).toBe(false);
          });
        } finally {
          await other.close();
        }
        await waitUntil(async () => streams.every((stream) => messageWithId(stream.text(), eventId)), (all) => all, { timeoutMs: 5_000 });
      } finally {
        for (const stream of streams) stream.request.destroy();
      }
    },
  );
});
