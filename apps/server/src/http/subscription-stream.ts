import { Readable } from 'node:stream';
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
const controlFrame = (event: string, data = '') => Buffer.from(`event: ${event}\ndata: ${data}\n\n\n`);
const CONNECTED = controlFrame('connected', JSON.stringify(config.sse?.client ?? {}));
const PING = controlFrame('ping');
const RETURN = controlFrame('return');
const PING_MS = config.sse?.ping?.enabled ? (config.sse.ping.intervalMs ?? 1_000) : null;

/**
 * A message's bytes, kept with the message object it was made from: one change reaches every stream of a user as the
 * same object (changeMessages), so it is serialized once, whatever the number of streams.
 */
const frames = new WeakMap<object, { id: string | undefined; frame: Buffer }>();

function dataFrame(value: unknown): Buffer {
  const [id, data] = isTrackedEnvelope(value) ? [value[0], value[1]] : [undefined, value];
  const cached = typeof data === 'object' && data !== null ? frames.get(data) : undefined;
  if (cached && cached.id === id) return cached.frame;
  const json = JSON.stringify(config.transformer.output.serialize(data));
  const frame = Buffer.from(id === undefined ? `data: ${json}\n\n\n` : `data: ${json}\nid: ${id}\n\n\n`);
  if (typeof data === 'object' && data !== null) frames.set(data, { id, frame });
  return frame;
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
    reply.raw.once('close', () => abort.abort());
    // Resumes a stream held back by a slow reader: when it wants more, or when it is gone.
    let wake: (() => void) | null = null;
    const out = new Readable({ read: () => wake?.() });
    abort.signal.addEventListener('abort', () => wake?.(), { once: true });
    const send = (frame: Buffer) => !out.destroyed && out.push(frame);
    let ping: NodeJS.Timeout | null = null;
    // Pings go out after PING_MS without a message; a message only notes the time (re-arming a timer per message cost
    // more than the rest of sending it).
    let sentAt = performance.now();
    const beat = (pingMs: number) => {
      const idleMs = performance.now() - sentAt;
      if (idleMs >= pingMs) {
        send(PING);
        sentAt = performance.now();
      }
      ping = setTimeout(beat, pingMs - (performance.now() - sentAt), pingMs);
    };
    // What the hub writes here directly while the generator waits (DirectDelivery), exactly as if it had yielded it.
    const sendMessage = (message: unknown) => {
      sentAt = performance.now();
      return send(dataFrame(message));
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
    const fail = (error: TRPCError) => {
      trpcOptions.onError?.({ error, path: PATH, input, ctx, type: 'subscription', req: request });
      const shape = getErrorShape({ config, ctx, error, input, path: PATH, type: 'subscription' });
      return controlFrame('serialized-error', JSON.stringify(config.transformer.output.serialize(shape)));
    };

    send(CONNECTED);
    void reply.headers(SSE_HEADERS).send(out);
    if (!iterable) {
      send(fail(failure!));
      out.push(null);
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
        if (finished) send(RETURN);
      } catch (cause) {
        finished = true;
        if (!abort.signal.aborted && !(isObject(cause) && cause.name === 'AbortError')) send(fail(getTRPCErrorFromUnknown(cause)));
      } finally {
        if (ping) clearTimeout(ping);
        if (!finished) await iterator.return?.().catch(() => undefined);
        if (!out.destroyed) out.push(null);
      }
    })();
    return reply;
  });
}
