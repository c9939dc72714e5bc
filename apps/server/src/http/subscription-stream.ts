import type { ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { appRouter, createCaller, type AppContext } from '@sora-monitor/core';
import { getErrorShape, getTRPCErrorFromUnknown, isTrackedEnvelope, type TRPCError } from '@trpc/server';
import { fastifyRequestHandler, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';

type TrpcOptions = FastifyTRPCPluginOptions<typeof appRouter>['trpcOptions'];

/** The subscription served here; every other tRPC path (and any unusual request for this one) goes to tRPC. */
const PATH = 'sora.onUpdate';
const config = appRouter._def._config;

// tRPC's SSE wire format (sseStreamProducer): `event:`, `data:` and `id:` lines, then a blank line, per message.
const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
  vary: 'trpc-accept, accept',
};
/**
 * One SSE message as it goes on the wire: its text, and the same framed as an HTTP/1.1 chunk (size line, text, CRLF), so
 * a chunked response is one socket write per message with no framing work per stream.
 */
interface Frame {
  text: Buffer;
  chunk: Buffer;
}
const frameOf = (text: string): Frame => {
  const bytes = Buffer.from(text);
  return { text: bytes, chunk: Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]) };
};
const controlFrame = (event: string, data = '') => frameOf(`event: ${event}\ndata: ${data}\n\n\n`);
const CONNECTED = controlFrame('connected', JSON.stringify(config.sse?.client ?? {}));
const PING = controlFrame('ping');
const RETURN = controlFrame('return');
const PING_MS = config.sse?.ping?.enabled ? (config.sse.ping.intervalMs ?? 1_000) : null;

/**
 * A message's frame, kept with the message object it was made from: one change reaches every stream of a user as the
 * same object (changeMessages), so it is serialized and framed once, whatever the number of streams.
 */
const frames = new WeakMap<object, { id: string | undefined; frame: Frame }>();

function dataFrame(value: unknown): Frame {
  const [id, data] = isTrackedEnvelope(value) ? [value[0], value[1]] : [undefined, value];
  const cached = typeof data === 'object' && data !== null ? frames.get(data) : undefined;
  if (cached && cached.id === id) return cached.frame;
  const json = JSON.stringify(config.transformer.output.serialize(data));
  const frame = frameOf(id === undefined ? `data: ${json}\n\n\n` : `data: ${json}\nid: ${id}\n\n\n`);
  if (typeof data === 'object' && data !== null) frames.set(data, { id, frame });
  return frame;
}

/**
 * Writes frames to a response whose head is sent. A chunked response (HTTP/1.1) gets each frame's ready-made chunk
 * straight on its socket: through `res.write` Node would frame every message again for every stream, in three writes
 * joined on the next tick, which with a thousand streams of one user was most of the cost of a change. Anything else
 * (HTTP/1.0, an injected request) goes through `res.write`. `write` returns false when the reader is behind; `onDrain`
 * runs once it has caught up.
 */
function responseWriter(res: ServerResponse, onDrain: () => void) {
  // A connection's own socket only (an injected request's is a stand-in that keeps nothing written to it).
  const socket = res.chunkedEncoding && res.socket instanceof Socket ? res.socket : null;
  const target = socket ?? res;
  // A kept-alive socket outlives this response: its listener goes when the response ends.
  target.on('drain', onDrain);
  return {
    write: (frame: Frame) => !target.destroyed && (socket ? socket.write(frame.chunk) : res.write(frame.text)),
    end() {
      target.off('drain', onDrain);
      if (!res.destroyed) res.end();
    },
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The call's input as tRPC reads it (Last-Event-ID merged in), or null when tRPC should answer the request itself. */
function plainInput(request: FastifyRequest): { input: unknown } | null {
  const params = new URL(request.url, 'http://localhost').searchParams;
  if (params.has('batch') || params.has('connectionParams')) return null;
  let input: unknown;
  try {
    const raw = params.get('input');
    input = raw ? config.transformer.input.deserialize(JSON.parse(raw)) : undefined;
  } catch {
    return null;
  }
  const header = request.headers['last-event-id'];
  const lastEventId = (typeof header === 'string' ? header : undefined) ?? params.get('lastEventId') ?? params.get('Last-Event-Id');
  if (lastEventId) {
    if (isObject(input)) input = { ...input, lastEventId };
    else input ??= { lastEventId };
  }
  return { input };
}

/**
 * Serves `sora.onUpdate` over SSE in tRPC's own wire format, without tRPC's per-message pipeline (an async generator
 * for pings, three web streams and five writes per message): with a thousand streams of one user that pipeline was
 * most of the event loop's time. The procedure itself still runs through tRPC (context, input parsing, middlewares:
 * ownership, the stream slot), and errors are shaped by the router's errorFormatter exactly as tRPC sends them.
 */
export function registerSubscriptionStream(
  app: FastifyInstance,
  trpcOptions: TrpcOptions,
  createContext: (request: FastifyRequest) => Promise<AppContext>,
): void {
  app.get(`/trpc/${PATH}`, { exposeHeadRoute: false }, async (request, reply) => {
    const plain = plainInput(request);
    if (!plain) return fastifyRequestHandler({ ...trpcOptions, req: request, res: reply, path: PATH });
    const { input } = plain;

    const abort = new AbortController();
    const res = reply.raw;
    res.once('close', () => abort.abort());

    // The response is written here (the security headers set on it already go with the head). `connected` (the
    // client's "started") waits for the procedure, as in tRPC's own SSE: its middlewares read where the stream starts,
    // so a client told it has started gets every change from then on. A stream that cannot start says why after it.
    reply.hijack();
    res.writeHead(200, SSE_HEADERS);
    res.flushHeaders();
    // Resumes a stream held back by a slow reader: when it has read what was sent, or when it is gone.
    let wake: (() => void) | null = null;
    const out = responseWriter(res, () => wake?.());
    abort.signal.addEventListener('abort', () => wake?.(), { once: true });
    let ping: NodeJS.Timeout | null = null;
    // Pings go out after PING_MS without a message; a message only notes the time (re-arming a timer per message cost
    // more than the rest of sending it).
    let sentAt = performance.now();
    const beat = (pingMs: number) => {
      const idleMs = performance.now() - sentAt;
      if (idleMs >= pingMs) {
        out.write(PING);
        sentAt = performance.now();
      }
      ping = setTimeout(beat, pingMs - (performance.now() - sentAt), pingMs);
    };
    // Also what the hub writes here directly while the generator waits (DirectDelivery), as if the generator yielded it.
    const sendMessage = (message: unknown) => {
      sentAt = performance.now();
      return out.write(dataFrame(message));
    };

    let ctx: AppContext | undefined;
    let iterable: AsyncIterable<unknown> | null = null;
    let failure: TRPCError | undefined;
    try {
      ctx = { ...(await createContext(request)), streamSink: sendMessage };
      iterable = (await createCaller(ctx, { signal: abort.signal }).sora.onUpdate(input as never)) as AsyncIterable<unknown>;
    } catch (cause) {
      failure = getTRPCErrorFromUnknown(cause);
    }
    out.write(CONNECTED);
    const fail = (error: TRPCError) => {
      trpcOptions.onError?.({ error, path: PATH, input, ctx, type: 'subscription', req: request });
      const shape = getErrorShape({ config, ctx, error, input, path: PATH, type: 'subscription' });
      return controlFrame('serialized-error', JSON.stringify(config.transformer.output.serialize(shape)));
    };

    if (!iterable) {
      out.write(fail(failure!));
      out.end();
      return reply;
    }

    if (PING_MS !== null) ping = setTimeout(beat, PING_MS, PING_MS);
    const iterator = iterable[Symbol.asyncIterator]();
    void (async () => {
      let finished = false;
      try {
        while (!abort.signal.aborted) {
          const next = await iterator.next();
          finished = next.done === true;
          if (finished) break;
          // A slow reader holds its generator back rather than piling messages up here (it reads from its cursor).
          if (!sendMessage(next.value) && !abort.signal.aborted) await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
        if (finished) out.write(RETURN);
      } catch (cause) {
        finished = true;
        if (!abort.signal.aborted && !(isObject(cause) && cause.name === 'AbortError')) out.write(fail(getTRPCErrorFromUnknown(cause)));
      } finally {
        if (ping) clearTimeout(ping);
        if (!finished) await iterator.return?.().catch(() => undefined);
        out.end();
      }
    })();
    return reply;
  });
}
