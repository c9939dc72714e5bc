import type { Command } from 'commander';
import { configPath, removeConfig } from '../config';
import { result, type Cli } from '../context';

export function registerLogout(program: Command, cliFor: (command: Command) => Cli): void {
  program
    .command('logout')
    .description('Forget the stored URL and token (revoke the token in the web app to disable it everywhere)')
    .action(async (_options: object, command: Command) => {
      const cli = cliFor(command);
      const file = configPath(cli.env);
      const removed = await removeConfig(cli.env);
      result(cli, { removed, configFile: file }, [
        removed ? `Removed ${file}.` : 'Not signed in; nothing to remove.',
      ]);
    });
}
