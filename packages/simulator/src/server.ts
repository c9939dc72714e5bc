import { setTimeout as sleep } from 'node:timers/promises';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { truncatedJson } from './chaos';
import type { SimContext } from './context';
import { ApiError } from './errors';
import { registerContentRoutes } from './routes/content';
import { registerDerivedRoutes } from './routes/derived';
import { SIM_ROUTE_PREFIX, registerSimRoutes } from './routes/sim';
import { registerVideoRoutes } from './routes/videos';
import type { ErrorBody } from './wire';

/** Upstream caps reference images well below this; anything larger is a client bug worth a clear 413. */
const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/**
 * The HTTP surface: the Videos API under the dialect's prefix (`/v1`, Azure `/openai/v1`) with its auth, and /__sim
 * (control, no auth).
 */
export async function buildServer(ctx: SimContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    // close() must not wait for a client still reading a slow download or holding a keep-alive socket.
    forceCloseConnections: true,
    // Content is streamed by hand; an automatic HEAD twin of those routes would try to write a body.
    exposeHeadRoutes: false,
    // LiteLLM's ids carry base64 of provider, model and the upstream id: well over find-my-way's default 100.
    routerOptions: { maxParamLength: 1000 },
  });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 4, fields: 32 } });

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? request.url;
    if (path.startsWith(SIM_ROUTE_PREFIX)) return;
    const videoId = (request.params as { id?: unknown } | undefined)?.id;
    ctx.log.begin(request.raw, reply.raw, path, typeof videoId === 'string' ? videoId : null);
  });

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError)
      return reply.code(error.status).headers(error.headers).send(error.toBody());
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500)
      ctx.options.logger.warn(
        { err: error, method: request.method, url: request.url },
        'Simulator request failed',
      );
    const body: ErrorBody = {
      error: {
        message:
          status >= 500 ? `The simulator failed to handle the request: ${error.message}` : error.message,
        type: status >= 500 ? 'server_error' : 'invalid_request_error',
        param: null,
        // Framework codes (FST_…) mean nothing to an OpenAI client.
        code: null,
      },
    };
    return reply.code(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const body = new ApiError(
      404,
      `Invalid URL (${request.method} ${request.url.split('?', 1)[0]})`,
      'invalid_request_error',
    ).toBody();
    return reply.code(404).send(body);
  });

  await app.register(
    async (v1) => {
      v1.addHook('onRequest', async (request) => {
        ctx.dialect.authenticate(request.headers, ctx.options.apiKey);
        ctx.dialect.checkQuery(request.query as Record<string, unknown>);
      });
      // Process-wide chaos runs after auth (a bad key is still a 401) and before the job's own scripted faults.
      v1.addHook('onRequest', async (request) => {
        const decision = ctx.chaos.decide(request.raw, isCreate(request));
        if (decision.delayMs > 0) await sleep(decision.delayMs);
        if (decision.error) throw decision.error;
      });
      v1.addHook('onSend', async (request, reply, payload) =>
        reply.statusCode === 200 && typeof payload === 'string' && ctx.chaos.breaksJson(request.raw)
          ? truncatedJson(payload)
          : payload,
      );
      registerVideoRoutes(v1, ctx);
      registerDerivedRoutes(v1, ctx);
      registerContentRoutes(v1, ctx);
    },
    { prefix: ctx.dialect.prefix },
  );
  registerSimRoutes(app, ctx);
  return app;
}

/** The requests that make a job (and cost money upstream): create, remix, edit, extension. */
function isCreate(request: FastifyRequest): boolean {
  const route = request.routeOptions.url ?? '';
  return (
    request.method === 'POST' &&
    (/\/videos$/.test(route) || /\/videos\/(edits|extensions)$/.test(route) || route.endsWith('/remix'))
  );
}
