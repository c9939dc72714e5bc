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
];

/**
 * One structured logger for the process; credentials never reach the log. `destination` (tests) replaces stdout
 * and the pretty printer.
 */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'nodeEnv'>,
  pretty = process.stdout.isTTY,
  destination?: DestinationStream,
): Logger {
  const options = { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  return pino({
    ...options,
    ...(pretty && config.nodeEnv !== 'production'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}
