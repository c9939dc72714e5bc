import { createSoraMonitorClient, type SoraMonitorClient } from '@sora-monitor/core/client';
import { readConfig, resolveConnection, type Connection, type Env } from './config';
import { CliError, toCliError } from './errors';
import { EXIT } from './exit-codes';

/** What every command runs with: the process's streams and environment, the output mode, and Ctrl-C. */
export interface Cli {
  env: Env;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** `--json`: one JSON document on stdout, no progress bars or prose. */
  json: boolean;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** What the process exits with when the command returns normally (e.g. 1 when a watched generation failed). */
  exitCode: number;
}

export interface Connected {
  client: SoraMonitorClient;
  connection: Connection & { token: string };
}

/** The typed client for the stored (or environment-given) server and token; refuses politely without a token. */
export async function connect(cli: Cli): Promise<Connected> {
  const connection = resolveConnection(cli.env, await readConfig(cli.env));
  const { token } = connection;
  if (!token) {
    throw new CliError(
      'Not signed in. Run `sora-monitor login` with an API token from the web app (or set SORA_MONITOR_TOKEN).',
      EXIT.auth,
      'not_signed_in',
    );
  }
  try {
    return {
      client: createSoraMonitorClient({ url: connection.url, token }),
      connection: { ...connection, token },
    };
  } catch (error) {
    // A malformed URL from SORA_MONITOR_URL or the config file.
    throw new CliError(error instanceof Error ? error.message : String(error), EXIT.usage, 'bad_url');
  }
}

/**
 * Runs a command's calls with the client, turning any failure into the clear message and exit code for it ("No video
 * with id …" needs the id, "Cannot reach Sora Monitor at …" the URL).
 */
export async function withClient<T>(
  cli: Cli,
  videoId: string | undefined,
  body: (connected: Connected) => Promise<T>,
): Promise<T> {
  const connected = await connect(cli);
  try {
    return await body(connected);
  } catch (error) {
    throw toCliError(cli.signal.aborted ? cli.signal.reason : error, {
      url: connected.connection.url,
      videoId,
    });
  }
}

/** Human-readable lines on stdout (nothing in --json mode). */
export function say(cli: Cli, ...lines: string[]): void {
  if (!cli.json) for (const line of lines) cli.stdout.write(`${line}\n`);
}

/** The command's result: as JSON with --json, else as the given lines. */
export function result(cli: Cli, json: unknown, lines: string[]): void {
  if (cli.json) cli.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else say(cli, ...lines);
}
