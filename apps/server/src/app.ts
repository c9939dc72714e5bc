import type { AppContext, AppServices } from '@sora-monitor/core';
import { appRouter, SSE_PING_INTERVAL_MS } from '@sora-monitor/core';
import { MAX_BATCH_SIZE, REFERENCE_IMAGE_MAX_BASE64_LENGTH } from '@sora-monitor/core/domain';
import { createSharedUserRecheck, rethrowDatabaseUnavailable, resolveRequestUser, toFetchHeaders } from '@sora-monitor/core/server';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { registerAuthRoutes } from './http/auth-routes';
import { capConnectionsPerIp, DEFAULT_CONNECTION_LIMITS, serverTimeoutOptions, type ConnectionLimits } from './http/connection-limits';
import { registerContentRoute } from './http/content-route';
import { registerErrorHandler } from './http/error-handler';
import { registerGracefulClose } from './http/graceful-close';
import { registerHealthRoutes } from './http/health';
import { registerMetricsRoute } from './http/metrics-route';
import { registerOriginCheck } from './http/origin-check';
import { retryAfterHeader } from './http/rate-limit-reply';
import { registerSecurityHeaders } from './http/security-headers';
import { registerRequestLog } from './http/request-log';
import { registerSpa } from './http/spa';
import { registerSubscriptionStream } from './http/subscription-stream';
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
  /** Bearer token for /metrics (and /readyz details); unset means no /metrics route at all. */
  metricsToken?: string;
  /** Serve the web app's source maps (development); production answers 404 for them. */
  serveSourceMaps?: boolean;
  /** Request timeouts and the per-address connection cap. */
  connectionLimits?: ConnectionLimits;
}

/** The largest tRPC request body: a reference image at its cap in base64, plus room for the rest of the call. */
const TRPC_BODY_LIMIT = REFERENCE_IMAGE_MAX_BASE64_LENGTH + 64 * 1024;

/** Builds the HTTP app from already-created services; it opens nothing itself, so tests can build it freely. */
export async function buildApp({ logger, webDistDir, services, registry, role = 'all', webhookSecret, trustedOrigins = [], metricsToken, serveSourceMaps = false, connectionLimits = DEFAULT_CONNECTION_LIMITS }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Widened so the instance keeps fastify's default logger type, which every plugin expects.
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 1_048_576,
    routerOptions: { maxParamLength: 5_000 },
    ...serverTimeoutOptions(connectionLimits),
    // Requests are logged once, at debug (registerRequestLog), not twice at info.
    logController: new LogController({ disableRequestLogging: true }),
  });
  capConnectionsPerIp(app.server, connectionLimits, app.log);
  registerGracefulClose(app);
  registerRequestLog(app);
  registerErrorHandler(app, { exposeErrors: services.exposeErrors });
  registerSecurityHeaders(app, { https: trustedOrigins[0]?.startsWith('https:') ?? false });

  registerHealthRoutes(app, services.readiness, metricsToken);
  if (registry) registerMetricsRoute(app, registry, metricsToken);
  if (role === 'worker') return app;

  registerOriginCheck(app, trustedOrigins);
  await registerAuthRoutes(app, services.auth, services.rateLimits.signInPerEmail);
  registerContentRoute(app, services);
  await registerWebhookRoute(app, { db: services.db, refresh: services.refresh, secret: webhookSecret });

  // videos.create may carry a reference image as base64 (up to 5 MiB of image): /trpc takes larger bodies than the
  // rest of the app (1 MiB). Set on the tRPC routes only.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/trpc/')) route.bodyLimit = TRPC_BODY_LIMIT;
  });
  // Open streams check their session once per ping interval; one answer per check instant is all they share.
  const recheckUser = createSharedUserRecheck(services.auth, SSE_PING_INTERVAL_MS);
  const createContext = async (req: FastifyRequest): Promise<AppContext> => {
    const headers = toFetchHeaders(req.headers);
    return {
      ...services,
      headers,
      requestId: req.id,
      // Context creation runs before the procedures' error mapping: a database outage is a 503 here too.
      user: await resolveRequestUser(services.auth, headers).catch(rethrowDatabaseUnavailable),
      reauthenticate: (checkAt) => recheckUser(headers, checkAt),
      logger: logger.child({ reqId: req.id }),
    };
  };
  const trpcOptions = {
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: ({ req }) => createContext(req),
    // 429s (and 503s) carry `retry-after`; the body has the same wait as data.appError.retryAfterMs.
    responseMeta: retryAfterHeader,
    onError({ path, error, ctx }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') (ctx?.logger ?? logger).error({ err: error, path }, 'tRPC procedure failed');
    },
  } satisfies FastifyTRPCPluginOptions<typeof appRouter>['trpcOptions'];
  await app.register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions });
  registerSubscriptionStream(app, trpcOptions, createContext);

  await registerSpa(app, webDistDir, { serveSourceMaps });
  return app;
}
