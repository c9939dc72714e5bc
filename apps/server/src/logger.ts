import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config';

/*
 * Where credentials can sit in what gets logged: request and response headers (fastify's req/res, headers logged
 * directly, or on an error object, its request or its cause) and API keys on config, client or error objects. A key
 * written into an error's message cannot be found by path; code must not put it there.
 */
const REDACTED_PATHS = [
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
  '*.headers["x-api-key"]',
  '*.*.headers.authorization',
  '*.*.headers.cookie',
  '*.*.headers["set-cookie"]',
  '*.*.headers["x-api-key"]',
  'apiKey',
  '*.apiKey',
  '*.*.apiKey',
  // S3 credentials (BLOB_STORE=s3): on the blob store's configuration, or the AWS SDK's credentials object.
  'secretAccessKey',
  '*.secretAccessKey',
  '*.*.secretAccessKey',
  '*.*.*.secretAccessKey',
  'sessionToken',
  '*.sessionToken',
  '*.*.sessionToken',
];

/**
 * Whether log lines are printed for people (pino-pretty) or as JSON: `auto` follows the output, pretty only on a
 * terminal. The mode (production or not) does not decide it: `pnpm start` in a terminal is read by a person, and a
 * production deployment writes to a pipe or a file, which gets JSON.
 */
export function isPrettyLog(format: Config['logFormat'], isTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTerminal);
}

/**
 * One structured logger for the process; credentials never reach the log. `destination` (tests) replaces stdout
 * and the pretty printer.
 */
export function createLogger(
  config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'logFormat'>>,
  isTerminal = process.stdout.isTTY === true,
  destination?: DestinationStream,
): Logger {
  const options = { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  return pino({
    ...options,
    ...(isPrettyLog(config.logFormat ?? 'auto', isTerminal)
      ? { transport: { target: prettyTransport(), options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}

/**
 * pino-pretty resolved from this package: pino would look for a bare name next to whichever file called it, which in
 * the tests' bundle of the server (scripts/server-bundle.mjs) is not here.
 */
function prettyTransport(): string {
  return createRequire(import.meta.url).resolve('pino-pretty');
}
