import type { Database } from '@sora-monitor/db';
import type { Logger } from 'pino';
import type { Auth, RequestUser } from '../auth';
import type { VideoChangeHub } from '../events';
import type { GenerationDeps, Refresher, WatchedVideos } from '../generations';
import type { OutgoingWebhookSettings, ResolveHost } from '../outgoing-webhooks';
import type { UserCaps } from '../rate-limits/user-caps';
import type { UserRateLimits } from '../rate-limits/user-rate-limits';

/** What the server knows about the upstream it talks to; shown to users so a demo is never mistaken for real. */
export interface ProviderInfo {
  simulated: boolean;
  /** The upstream's base URL (never with credentials). */
  baseURL: string;
}

export interface Readiness {
  database: { kind: 'postgres' | 'pglite'; reachable: boolean; migrated: boolean; error?: string };
  /** Where videos are stored; `warning` when the setup needs something this process cannot check. */
  storage: { kind: 'fs' | 's3'; warning?: string };
}

/** Created once per process by the server and shared by every request. */
export interface AppServices {
  db: Database;
  auth: Auth;
  provider: ProviderInfo;
  readiness: () => Promise<Readiness>;
  version: string;
  generations: GenerationDeps;
  refresh: Refresher;
  /** The videos someone is looking at, kept fresh from this process while they are. */
  watched: WatchedVideos;
  videoChanges: VideoChangeHub;
  /** Whether callers may see an unexpected error's own message; false in production (see errorFormatter). */
  exposeErrors: boolean;
  /** Per-user request limits (generate, status, content, sign-in per email); per process. */
  rateLimits: UserRateLimits;
  /** How many streams and tokens one user may hold. */
  userCaps: UserCaps;
  /** Users' notification endpoints: where they may point (checked with `resolve`) and how deliveries go out. */
  outgoingWebhooks: { settings: OutgoingWebhookSettings; resolve: ResolveHost };
}

/** Everything a procedure may use. Built per request; nothing here reads process.env. */
export interface AppContext extends AppServices {
  logger: Logger;
  user: RequestUser | null;
  /** The request's headers, for better-auth calls made on the user's behalf (API tokens). */
  headers: Headers;
  /** The HTTP request's id (fastify's reqId), quoted in masked error messages so an operator can find the log line. */
  requestId?: string;
  /**
   * Resolves the request's credentials again (session cookie or API token), so a long-lived subscription notices a
   * sign-out or a revoked token and ends instead of streaming on. `checkAt` is the instant the check is due on the
   * streams' shared clock: checks of the same credentials for the same instant may share one answer.
   */
  reauthenticate: (checkAt: number) => Promise<RequestUser | null>;
  /**
   * Set when the request's stream can be written to directly (an SSE response): takes one message of a subscription
   * (what its generator would yield), returns false while the client is not reading. Lets an open stream be handed
   * a change without being resumed (DirectDelivery).
   */
  streamSink?: (message: unknown) => boolean;
}
