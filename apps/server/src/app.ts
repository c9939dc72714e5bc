import type { AppContext, AppServices } from '@sora-monitor/core';
import { appRouter } from '@sora-monitor/core';
import { MAX_BATCH_SIZE } from '@sora-monitor/core/domain';
import { rethrowDatabaseUnavailable, resolveRequestUser, toFetchHeaders } from '@sora-monitor/core/server';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { registerAuthRoutes } from './http/auth-routes';
import { registerContentRoute } from './http/content-route';
import { registerErrorHandler } from './http/error-handler';
import { registerHealthRoutes } from './http/health';
import { registerMetricsRoute } from './http/metrics-route';
import { registerOriginCheck } from './http/origin-check';
import { retryAfterHeader } from './http/rate-limit-reply';
import { registerSpa } from './http/spa';
import { registerWebhookRoute } from './http/webhook-route';

export interface AppDeps {
  logger: Logger;
  webDistDir: string;
  services: AppServices;
  registry?: Registry;
  /** `worker` instances serve only health, readiness and metrics. */
  role?: 'all' | 'api' | 'worker';
  webhookSecret?: string;
  /** Origins allowed to send state-changing browser requests (the app's own URL). */
  trustedOrigins?: readonly string[];
}

/** Builds the HTTP app from already-created services; it opens nothing itself, so tests can build it freely. */
export async function buildApp({ logger, webDistDir, services, registry, role = 'all', webhookSecret, trustedOrigins = [] }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Widened so the instance keeps fastify's default logger type, which every plugin expects.
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 1_048_576,
    routerOptions: { maxParamLength: 5_000 },
  });
  registerErrorHandler(app, { exposeErrors: services.exposeErrors });

  registerHealthRoutes(app, services.readiness);
  if (registry) registerMetricsRoute(app, registry);
  if (role === 'worker') return app;

  registerOriginCheck(app, trustedOrigins);
  await registerAuthRoutes(app, services.auth, services.rateLimits.signInPerEmail);
  registerContentRoute(app, services);
  await registerWebhookRoute(app, { db: services.db, refresh: services.refresh, secret: webhookSecret });

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: async ({ req }): Promise<AppContext> => {
        const headers = toFetchHeaders(req.headers);
        return {
          ...services,
          headers,
          requestId: req.id,
          // Context creation runs before the procedures' error mapping: a database outage is a 503 here too.
          user: await resolveRequestUser(services.auth, headers).catch(rethrowDatabaseUnavailable),
          reauthenticate: () => resolveRequestUser(services.auth, headers),
          logger: logger.child({ reqId: req.id }),
        };
      },
      // 429s (and 503s) carry `retry-after`; the body has the same wait as data.appError.retryAfterMs.
      responseMeta: retryAfterHeader,
      onError({ path, error, ctx }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') (ctx?.logger ?? logger).error({ err: error, path }, 'tRPC procedure failed');
      },
    } satisfies FastifyTRPCPluginOptions<typeof appRouter>['trpcOptions'],
  });

  await registerSpa(app, webDistDir);
  return app;
}
