import { Command, CommanderError } from 'commander';
import { registerDerive } from './commands/derive';
import { registerDownload } from './commands/download';
import { registerLogin } from './commands/login';
import { registerLogout } from './commands/logout';
import { registerLs } from './commands/ls';
import { registerModels } from './commands/models';
import { registerNew } from './commands/new';
import { registerReset } from './commands/reset';
import { registerRetry } from './commands/retry';
import { registerStatus } from './commands/status';
import { registerUsage } from './commands/usage';
import { registerWatch } from './commands/watch';
import type { Cli } from './context';
import { toCliError } from './errors';
import { EXIT } from './exit-codes';

export type Runtime = Omit<Cli, 'json' | 'exitCode'>;

const VERSION = '0.1.0';

function createProgram(cli: Cli): Command {
  const program = new Command('sora-monitor')
    .description('Start, follow and download Sora video generations on a Sora Monitor server.')
    .version(VERSION)
    .option('--json', 'machine-readable output: one JSON document on stdout, no progress bars')
    .showHelpAfterError('(run `sora-monitor --help` for usage)')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => cli.stdout.write(text),
      writeErr: (text) => cli.stderr.write(text),
    })
    .exitOverride()
    .addHelpText(
      'after',
      [
        '',
        'Sign in once with `sora-monitor login` (an API token from the web app); SORA_MONITOR_URL and',
        'SORA_MONITOR_TOKEN override what it stored. Exit codes: 0 ok, 1 failed, 2 usage, 3 token,',
        '4 unknown id, 5 server unreachable, 130 interrupted.',
      ].join('\n'),
    );
  // Every command sees the global --json, wherever it was written on the command line.
  const cliFor = (command: Command): Cli => {
    cli.json = Boolean(command.optsWithGlobals<{ json?: boolean }>().json);
    return cli;
  };
  for (const register of [
    registerLogin,
    registerLogout,
    registerNew,
    registerDerive,
    registerModels,
    registerLs,
    registerStatus,
    registerWatch,
    registerReset,
    registerRetry,
    registerDownload,
    registerUsage,
  ]) {
    register(program, cliFor);
  }
  for (const command of program.commands) command.exitOverride().configureOutput(program.configureOutput());
  return program;
}

/** Runs one command line (without `node` and the script) and returns the exit code; it never calls process.exit. */
export async function run(argv: string[], runtime: Runtime): Promise<number> {
  const cli: Cli = { ...runtime, json: false, exitCode: EXIT.ok };
  const program = createProgram(cli);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return cli.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help/version) already.
      if (error.exitCode === 0) return EXIT.ok;
      cli.json ||= argv.includes('--json');
      if (cli.json) printJsonError(cli, { kind: 'usage', message: error.message, exitCode: EXIT.usage });
      return error.code === 'commander.help' ? error.exitCode : EXIT.usage;
    }
    const failure = toCliError(runtime.signal.aborted ? runtime.signal.reason : error);
    cli.stderr.write(`${failure.message}\n`);
    if (cli.json)
      printJsonError(cli, {
        kind: failure.kind,
        message: failure.message,
        exitCode: failure.exitCode,
        ...failure.details,
      });
    if (failure.kind === 'unknown' && runtime.env.SORA_MONITOR_DEBUG)
      cli.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return failure.exitCode;
  }
}

function printJsonError(cli: Cli, error: Record<string, unknown>): void {
  cli.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
}
