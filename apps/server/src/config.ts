import type { ModelCatalog } from '@sora-monitor/core/domain';
import { parsePrivateAddressPolicy } from '@sora-monitor/core/server';
import { z } from 'zod';
import { CatalogConfigError, loadModelCatalog } from './model-catalog-config';
import { resolveUpstreamConnection, upstreamEnvShape } from './upstream-settings';

const intFromEnv = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((value) => value ?? fallback);

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** A positive amount of US dollars (cents at most), or `off` for no cap at all. */
const spendCapFromEnv = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^(off|\d+(\.\d{1,2})?)$/i, 'must be an amount in US dollars such as 50 or 12.50, or off')
    .transform((value) => (value.toLowerCase() === 'off' ? null : Number(value)))
    .refine((value) => value === null || value > 0, 'must be more than 0 (use off for no cap)')
    .optional()
    .transform((value) => (value === undefined ? fallback : value));

/** WEBHOOK_ALLOW_PRIVATE: which non-public addresses users' webhook endpoints may point at (SSRF; none by default). */
const privateAddressPolicyFromEnv = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const parsed = parsePrivateAddressPolicy(value);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed.policy;
  });

const envSchema = z.object({
  // Unset means production (`pnpm start`); development behaviour (error details, the Vite origin) only by asking.
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: intFromEnv(3000, 0, 65_535),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url({ message: 'must be an absolute URL such as http://localhost:3000' }).optional(),
  DATA_DIR: z.string().trim().min(1).default('./.data'),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
      message: 'must start with postgres:// or postgresql://',
    }),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.url({ message: 'must be an absolute URL such as https://api.example.com/v1' }).optional(),
  OPENAI_WEBHOOK_SECRET: optionalString,
  AUTH_SECRET: optionalString.refine((value) => value === undefined || value.length >= 32, {
    message: 'must be at least 32 characters',
  }),
  POLL_INTERVAL_MS: intFromEnv(30_000, 1_000, 3_600_000),
  STUCK_TIMEOUT_MS: intFromEnv(15 * 60_000, 10_000, 24 * 3_600_000),
  UPSTREAM_RPM: intFromEnv(120, 1, 100_000),
  STATUS_FRESHNESS_MS: intFromEnv(5_000, 0, 600_000),
  LEASE_MS: intFromEnv(60_000, 1_000, 3_600_000),
  POLL_TICK_MS: intFromEnv(1_000, 50, 60_000),
  POLL_BATCH_SIZE: intFromEnv(50, 1, 1_000),
  POLL_CONCURRENCY: intFromEnv(8, 1, 256),
  SWEEP_INTERVAL_MS: intFromEnv(60_000, 100, 3_600_000),
  MAX_ATTEMPTS: intFromEnv(3, 1, 10),
  RETRY_BASE_MS: intFromEnv(30_000, 10, 3_600_000),
  THUMBNAIL_RETRY_BASE_MS: intFromEnv(60_000, 10, 3_600_000),
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // auto: readable lines on a terminal, one JSON object per line otherwise (a file, a pipe, a log collector).
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  SIM_GENERATION_MS: intFromEnv(20_000, 50, 3_600_000),
  SHUTDOWN_GRACE_MS: intFromEnv(10_000, 100, 600_000),
  // Per-user request limits (0 turns one off); see DEFAULT_RATE_LIMITS in packages/core for why these numbers.
  RATE_LIMIT_GENERATE_PER_MIN: intFromEnv(20, 0, 100_000),
  RATE_LIMIT_STATUS_PER_MIN: intFromEnv(600, 0, 1_000_000),
  RATE_LIMIT_CONTENT_PER_MIN: intFromEnv(600, 0, 1_000_000),
  RATE_LIMIT_SIGN_IN_PER_EMAIL: intFromEnv(10, 0, 100_000),
  DAILY_SPEND_CAP_USD: spendCapFromEnv(50),
  // Real upstreams (docs/UPSTREAMS.md): connection preset and overrides, the model catalog, unknown prices.
  ...upstreamEnvShape,
  VIDEO_MODELS: optionalString,
  MODEL_CATALOG: optionalString,
  UNKNOWN_PRICE_PER_SECOND_USD: z
    .string()
    .trim()
    .regex(/^\d{1,3}(\.\d{1,4})?$/, 'must be US dollars per second such as 0.50 (0 counts unknown prices as free)')
    .transform(Number)
    .optional(),
  // Blob storage (see storageFromEnv below).
  BLOB_STORE: z.enum(['fs', 's3']).default('fs'),
  S3_BUCKET: optionalString,
  S3_ENDPOINT: optionalString.refine((value) => value === undefined || (URL.canParse(value) && /^https?:\/\//.test(value)), {
    message: 'must be an http(s) URL such as https://minio.example.com:9000',
  }),
  S3_REGION: optionalString,
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '1', '0', '']).optional(),
  BLOB_LEFTOVER_AGE_MS: intFromEnv(30 * 60_000, 60_000, 7 * 24 * 3_600_000),
  DOWNLOAD_TIMEOUT_MS: intFromEnv(20 * 60_000, 1_000, 24 * 3_600_000),
  // Hardening (docs/SECURITY.md): caps on what one user may hold open or create, /metrics access, slow clients.
  RATE_LIMIT_VIDEO_CREATE_PER_MIN: intFromEnv(60, 0, 100_000),
  RATE_LIMIT_TOKEN_CREATE_PER_HOUR: intFromEnv(10, 0, 100_000),
  MAX_SUBSCRIPTIONS_PER_USER: intFromEnv(20, 1, 10_000),
  MAX_API_TOKENS_PER_USER: intFromEnv(20, 1, 10_000),
  METRICS_TOKEN: optionalString.refine((value) => value === undefined || value.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  REQUEST_TIMEOUT_MS: intFromEnv(30_000, 1_000, 3_600_000),
  MAX_CONNECTIONS_PER_IP: intFromEnv(200, 0, 1_000_000),
  // Users' outgoing webhooks (docs/SECURITY.md#outgoing-webhooks).
  WEBHOOK_ALLOW_PRIVATE: privateAddressPolicyFromEnv,
  WEBHOOK_RETRY_BASE_MS: intFromEnv(30_000, 10, 3_600_000),
  WEBHOOK_TIMEOUT_MS: intFromEnv(10_000, 100, 30_000),
});

export type Config = ReturnType<typeof toConfig>;
type ParsedEnv = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment once at start-up; every other module receives the typed result. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
      }),
    );
  }
  if (parsed.data.OPENAI_BASE_URL && !parsed.data.OPENAI_API_KEY) {
    throw new ConfigError([
      'OPENAI_BASE_URL is set but OPENAI_API_KEY is not: set both to use a real endpoint, or neither for the built-in simulator',
    ]);
  }
  if (parsed.data.BLOB_LEFTOVER_AGE_MS <= parsed.data.DOWNLOAD_TIMEOUT_MS) {
    throw new ConfigError([
      `BLOB_LEFTOVER_AGE_MS=${parsed.data.BLOB_LEFTOVER_AGE_MS} must be longer than DOWNLOAD_TIMEOUT_MS=${parsed.data.DOWNLOAD_TIMEOUT_MS}: ` +
        'an unfinished write is removed only once no download can still be writing it',
    ]);
  }
  const upstream = resolveUpstreamConnection(parsed.data);
  if (upstream.problems.length > 0) throw new ConfigError(upstream.problems);
  return toConfig(parsed.data, {
    catalog: loadCatalogOrThrow(parsed.data),
    upstream: upstream.connection,
    blobStore: storageFromEnv(parsed.data),
  });
}

function loadCatalogOrThrow(env: ParsedEnv): ModelCatalog {
  try {
    return loadModelCatalog(env);
  } catch (error) {
    if (error instanceof CatalogConfigError) throw new ConfigError(error.problems);
    throw error;
  }
}

/** BLOB_STORE=fs keeps videos in DATA_DIR/blobs; s3 in a bucket every instance shares. Each problem names its variable. */
function storageFromEnv(env: ParsedEnv) {
  const s3Variables = (['S3_BUCKET', 'S3_ENDPOINT', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter(
    (name) => env[name] !== undefined,
  );
  if (env.BLOB_STORE === 'fs') {
    if (s3Variables.length > 0) {
      throw new ConfigError([`${s3Variables.join(', ')} set but BLOB_STORE is not s3: set BLOB_STORE=s3 to store videos in the bucket`]);
    }
    return { kind: 'fs' as const };
  }
  const problems: string[] = [];
  if (!env.S3_BUCKET) problems.push('S3_BUCKET: BLOB_STORE=s3 needs the name of the bucket to store videos in');
  if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
    const missing = env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
    problems.push(`${missing}: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together (or neither, for AWS's usual credential chain)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kind: 's3' as const,
    bucket: env.S3_BUCKET!,
    region: env.S3_REGION ?? 'us-east-1',
    endpoint: env.S3_ENDPOINT,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true' || env.S3_FORCE_PATH_STYLE === '1',
  };
}

function toConfig(
  env: ParsedEnv,
  resolved: {
    catalog: ModelCatalog;
    upstream: ReturnType<typeof resolveUpstreamConnection>['connection'];
    blobStore: ReturnType<typeof storageFromEnv>;
  },
) {
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    openai: {
      apiKey: env.OPENAI_API_KEY,
      baseURL: env.OPENAI_BASE_URL,
      webhookSecret: env.OPENAI_WEBHOOK_SECRET,
    },
    authSecret: env.AUTH_SECRET,
    pollIntervalMs: env.POLL_INTERVAL_MS,
    stuckTimeoutMs: env.STUCK_TIMEOUT_MS,
    upstreamRequestsPerMinute: env.UPSTREAM_RPM,
    statusFreshnessMs: env.STATUS_FRESHNESS_MS,
    leaseMs: env.LEASE_MS,
    poller: {
      tickMs: env.POLL_TICK_MS,
      batchSize: env.POLL_BATCH_SIZE,
      concurrency: env.POLL_CONCURRENCY,
      sweepIntervalMs: env.SWEEP_INTERVAL_MS,
    },
    maxAttempts: env.MAX_ATTEMPTS,
    retryBaseMs: env.RETRY_BASE_MS,
    thumbnailRetryBaseMs: env.THUMBNAIL_RETRY_BASE_MS,
    role: env.ROLE,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    simulatorGenerationMs: env.SIM_GENERATION_MS,
    simulatorDialect: env.SIM_DIALECT ?? 'openai',
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    rateLimits: {
      generate: { max: env.RATE_LIMIT_GENERATE_PER_MIN, windowSec: 60 },
      status: { max: env.RATE_LIMIT_STATUS_PER_MIN, windowSec: 60 },
      content: { max: env.RATE_LIMIT_CONTENT_PER_MIN, windowSec: 60 },
      signInPerEmail: { max: env.RATE_LIMIT_SIGN_IN_PER_EMAIL, windowSec: 15 * 60 },
      videoCreate: { max: env.RATE_LIMIT_VIDEO_CREATE_PER_MIN, windowSec: 60 },
      tokenCreate: { max: env.RATE_LIMIT_TOKEN_CREATE_PER_HOUR, windowSec: 60 * 60 },
    },
    limits: {
      subscriptionsPerUser: env.MAX_SUBSCRIPTIONS_PER_USER,
      apiTokensPerUser: env.MAX_API_TOKENS_PER_USER,
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      connectionsPerIp: env.MAX_CONNECTIONS_PER_IP,
    },
    metricsToken: env.METRICS_TOKEN,
    dailySpendCapUsd: env.DAILY_SPEND_CAP_USD,
    // Real upstreams: how to connect, which models to offer, what an unknown price counts as (null: the default).
    upstream: resolved.upstream,
    catalog: resolved.catalog,
    unknownPriceUsdPerSecond: env.UNKNOWN_PRICE_PER_SECOND_USD ?? null,
    blobStore: resolved.blobStore,
    /** Unfinished writes and unreferenced blobs older than this are removed (longer than any download can take). */
    blobLeftoverAgeMs: env.BLOB_LEFTOVER_AGE_MS,
    downloadTimeoutMs: env.DOWNLOAD_TIMEOUT_MS,
    outgoingWebhooks: {
      addressPolicy: env.WEBHOOK_ALLOW_PRIVATE,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    },
  };
}
