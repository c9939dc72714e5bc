import { apiKey as apiKeyPlugin } from '@better-auth/api-key';
import type { Database } from '@sora-monitor/db';
import { account, apiKey, rateLimit, session, user, verification } from '@sora-monitor/db/schema';
import { betterAuth } from 'better-auth';
import { generateRandomString } from 'better-auth/crypto';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { API_TOKEN_NAME_MAX_LENGTH, API_TOKEN_PREFIX } from './api-token-format';
import { toBetterAuthLogger, type AuthLogger } from './auth-logger';
import { revokePreviousSessionOnSignIn } from './rotate-session';
import { needsSecureCookies } from './secure-cookies';

export interface RateLimitRule {
  windowSec: number;
  max: number;
}

export interface CreateAuthOptions {
  db: Database;
  /** Signs cookies and tokens; at least 32 random characters (AUTH_SECRET). */
  secret: string;
  /** Public origin the browser uses, e.g. https://monitor.example or http://localhost:3000. */
  baseURL: string;
  /** Other origins allowed to call /api/auth/* with cookies (e.g. a Vite dev server). */
  trustedOrigins?: string[];
  /** Sign-in attempts per client IP. */
  signInRateLimit?: RateLimitRule;
  /** Account creations per client IP. */
  signUpRateLimit?: RateLimitRule;
  /** Where better-auth's messages go (a pino logger fits); its console output otherwise. */
  logger?: AuthLogger;
}

const MIN_SECRET_LENGTH = 32;
const API_KEY_HTTP_PATHS = ['/api-key/create', '/api-key/update', '/api-key/delete', '/api-key/get', '/api-key/list', '/api-key/verify'];
const DEFAULT_SIGN_IN_LIMIT: RateLimitRule = { windowSec: 60, max: 10 };
const DEFAULT_SIGN_UP_LIMIT: RateLimitRule = { windowSec: 60, max: 10 };

/** better-auth with email + password sessions and API tokens, over the application's database. */
export function createAuth(options: CreateAuthOptions) {
  if (options.secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`The auth secret must be at least ${MIN_SECRET_LENGTH} characters long.`);
  }
  const secure = needsSecureCookies(options.baseURL);
  const signIn = options.signInRateLimit ?? DEFAULT_SIGN_IN_LIMIT;
  const signUp = options.signUpRateLimit ?? DEFAULT_SIGN_UP_LIMIT;

  return betterAuth({
    appName: 'Sora Monitor',
    baseURL: options.baseURL,
    secret: options.secret,
    trustedOrigins: options.trustedOrigins ?? [],
    // Tokens are managed through tokens.* only (fixed prefix, name limit, per-user cap and rate limit in one place);
    // the plugin's own HTTP endpoints stay closed. Server-side calls (auth.api.*) do not go through this list.
    disabledPaths: API_KEY_HTTP_PATHS,
    telemetry: { enabled: false },
    ...(options.logger ? { logger: toBetterAuthLogger(options.logger) } : {}),
    database: drizzleAdapter(options.db, {
      provider: 'pg',
      // Model names are better-auth's; the tables behind them are ours.
      schema: { user, session, account, verification, apikey: apiKey, rateLimit },
    }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, autoSignIn: true },
    // No cookie cache: every request looks the session up, so a sign-out takes effect everywhere at once.
    session: { cookieCache: { enabled: false } },
    rateLimit: {
      // better-auth enables this only in production by default; tests must see the same behaviour.
      enabled: true,
      // Shared counters in PostgreSQL: in-memory ones would give each server instance its own budget.
      storage: 'database',
      customRules: {
        '/sign-in/email': { window: signIn.windowSec, max: signIn.max },
        '/sign-up/email': { window: signUp.windowSec, max: signUp.max },
      },
    },
    advanced: {
      useSecureCookies: secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure },
      // better-auth relaxes these when NODE_ENV is "test"; state them so tests exercise production behaviour.
      disableOriginCheck: false,
      disableCSRFCheck: false,
      // The HTTP layer overwrites X-Forwarded-For with the address it resolved itself (see auth-routes).
      ipAddress: { ipAddressHeaders: ['x-forwarded-for'] },
    },
    hooks: { after: revokePreviousSessionOnSignIn },
    plugins: [
      apiKeyPlugin({
        defaultPrefix: API_TOKEN_PREFIX,
        requireName: true,
        maximumNameLength: API_TOKEN_NAME_MAX_LENGTH,
        // The prefix is ours alone (leak scanners look for it): a caller's `prefix` never reaches the token.
        customKeyGenerator: ({ length }) => API_TOKEN_PREFIX + generateRandomString(length, 'a-z', 'A-Z'),
        // Tokens authenticate application calls through resolveRequestUser only; they never act as
        // a browser session on /api/auth/* (so a token cannot mint more tokens or change a password).
        enableSessionForAPIKeys: false,
        rateLimit: { enabled: false },
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
