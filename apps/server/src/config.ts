import { z } from 'zod';

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

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
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
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIM_GENERATION_MS: intFromEnv(20_000, 50, 3_600_000),
  SHUTDOWN_GRACE_MS: intFromEnv(10_000, 100, 600_000),
  // Per-user request limits (0 turns one off); see DEFAULT_RATE_LIMITS in packages/core for why these numbers.
  RATE_LIMIT_GENERATE_PER_MIN: intFromEnv(20, 0, 100_000),
  RATE_LIMIT_STATUS_PER_MIN: intFromEnv(600, 0, 1_000_000),
  RATE_LIMIT_CONTENT_PER_MIN: intFromEnv(600, 0, 1_000_000),
  RATE_LIMIT_SIGN_IN_PER_EMAIL: intFromEnv(10, 0, 100_000),
  DAILY_SPEND_CAP_USD: spendCapFromEnv(50),
});

export type Config = ReturnType<typeof toConfig>;

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
  return toConfig(parsed.data);
}

function toConfig(env: z.infer<typeof envSchema>) {
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
    role: env.ROLE,
    logLevel: env.LOG_LEVEL,
    simulatorGenerationMs: env.SIM_GENERATION_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    rateLimits: {
      generate: { max: env.RATE_LIMIT_GENERATE_PER_MIN, windowSec: 60 },
      status: { max: env.RATE_LIMIT_STATUS_PER_MIN, windowSec: 60 },
      content: { max: env.RATE_LIMIT_CONTENT_PER_MIN, windowSec: 60 },
      signInPerEmail: { max: env.RATE_LIMIT_SIGN_IN_PER_EMAIL, windowSec: 15 * 60 },
    },
    dailySpendCapUsd: env.DAILY_SPEND_CAP_USD,
  };
}
