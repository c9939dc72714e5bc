import { pino, type Logger } from 'pino';
import type { Config } from './config';

/** One structured logger for the process; credentials never reach the log. */
export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>, pretty = process.stdout.isTTY): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'headers.authorization',
        'headers.cookie',
        '*.apiKey',
      ],
      censor: '[redacted]',
    },
    ...(pretty && config.nodeEnv !== 'production'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}
