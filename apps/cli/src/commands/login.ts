import { createSoraMonitorClient, normalizeBaseUrl } from '@sora-monitor/core/client';
import type { Command } from 'commander';
import { DEFAULT_URL, readConfig, writeConfig } from '../config';
import { result, type Cli } from '../context';
import { CliError, tokenRejected, toCliError } from '../errors';
import { EXIT } from '../exit-codes';
import { ask, canPrompt, readFirstLine } from '../prompt';

interface LoginOptions {
  url?: string;
  token?: string;
}

export function registerLogin(program: Command, cliFor: (command: Command) => Cli): void {
  program
    .command('login')
    .description('Store the server URL and an API token (create one in the web app under API tokens)')
    .option('--url <url>', `server URL (default: $SORA_MONITOR_URL, the stored one, or ${DEFAULT_URL})`)
    .option(
      '--token <token>',
      'API token; prefer the prompt or stdin, which keep it out of your shell history',
    )
    .action(async (options: LoginOptions, command: Command) => login(cliFor(command), options));
}

async function login(cli: Cli, options: LoginOptions): Promise<void> {
  const stored = await readConfig(cli.env).catch(() => null);
  const interactive = canPrompt(cli);
  const fallbackUrl = cli.env.SORA_MONITOR_URL?.trim() || stored?.url || DEFAULT_URL;

  const answeredUrl =
    options.url ??
    (interactive ? (await ask(cli, `Server URL (${fallbackUrl}): `)) || fallbackUrl : fallbackUrl);
  let token = options.token ?? cli.env.SORA_MONITOR_TOKEN?.trim() ?? '';
  if (!token) {
    token = interactive ? await ask(cli, 'API token: ', { secret: true }) : await readFirstLine(cli.stdin);
  }
  if (!token)
    throw new CliError(
      'No API token given. Pass --token, type it at the prompt, or pipe it on stdin.',
      EXIT.usage,
      'usage',
    );

  let url: string;
  try {
    url = normalizeBaseUrl(answeredUrl);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), EXIT.usage, 'bad_url');
  }
  const client = createSoraMonitorClient({ url, token });

  // me.get answers null (not an error) for a caller it does not recognise.
  const me = await client.me.get.query().catch((error: unknown) => {
    throw toCliError(error, { url });
  });
  if (!me) throw tokenRejected();

  const file = await writeConfig(cli.env, { url, token });
  result(cli, { url, user: me, configFile: file }, [
    `Signed in to ${url} as ${me.name} <${me.email}>.`,
    `Saved to ${file}.`,
  ]);
}
