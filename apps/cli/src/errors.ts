import { describeClientError, type ClientErrorKind } from '@sora-monitor/core/client';
import { EXIT, type ExitCode } from './exit-codes';

/** An error meant for the person at the terminal: its message is printed as is, and it carries the exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** A stable, machine-readable name for `--json` output. */
    readonly kind: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const LOGIN_HINT = 'Run `sora-monitor login` with a valid API token.';

export function tokenRejected(): CliError {
  return new CliError(`The server rejected the token. ${LOGIN_HINT}`, EXIT.auth, 'unauthorized');
}

export function interrupted(message = 'Interrupted.'): CliError {
  return new CliError(message, EXIT.interrupted, 'interrupted');
}

export interface ErrorContext {
  /** The server the command talked to. */
  url?: string;
  /** The video the command was about, for "No video with id …". */
  videoId?: string;
}

const EXIT_BY_KIND: Partial<Record<ClientErrorKind, ExitCode>> = {
  unreachable: EXIT.unreachable,
  not_sora_monitor: EXIT.unreachable,
  unauthorized: EXIT.auth,
  not_found: EXIT.notFound,
  bad_input: EXIT.usage,
  aborted: EXIT.interrupted,
};

/** Any error from a command, as the clear message and exit code the user sees. */
export function toCliError(error: unknown, context: ErrorContext = {}): CliError {
  if (error instanceof CliError) return error;
  const info = describeClientError(error);
  const exitCode = EXIT_BY_KIND[info.kind] ?? EXIT.failed;
  const at = context.url ?? 'the configured URL';
  const message = ((): string => {
    switch (info.kind) {
      case 'unreachable':
        return `Cannot reach Sora Monitor at ${at}: ${info.message}. Is the server running, and is the URL right?`;
      case 'not_sora_monitor':
        return `The server at ${at} did not answer like Sora Monitor (${info.message}). Check the URL.`;
      case 'unauthorized':
        return tokenRejected().message;
      case 'not_found':
        return context.videoId ? `No video with id ${context.videoId}.` : info.message;
      case 'bad_input':
        return `Invalid input: ${info.message}`;
      case 'aborted':
        return 'Interrupted.';
      default:
        return info.message;
    }
  })();
  return new CliError(message, exitCode, info.kind, {
    code: info.code,
    ...(Object.keys(info.fieldErrors).length > 0 ? { fieldErrors: info.fieldErrors } : {}),
  });
}
