/** The part of a pino logger better-auth's messages are sent to. */
export interface AuthLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

/** better-auth's `logger` option, writing into the application's structured log instead of the console. */
export function toBetterAuthLogger(logger: AuthLogger) {
  return {
    level: 'info' as const,
    log(level: Level, message: string, ...args: unknown[]) {
      const details = args.length === 0 ? {} : { details: args.length === 1 ? args[0] : args };
      logger[level]({ component: 'auth', ...details }, message);
    },
  };
}
