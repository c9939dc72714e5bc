import type { Command } from 'commander';
import { result, withClient, type Cli } from '../context';

export function registerReset(program: Command, cliFor: (command: Command) => Cli): void {
  program
    .command('reset')
    .description('Clear a stuck or failed generation so it can be retried (refused for a completed one)')
    .argument('<videoId>', 'the video id')
    .action(async (videoId: string, _options: object, command: Command) => {
      const cli = cliFor(command);
      await withClient(cli, videoId, async ({ client }) => {
        const reset = await client.sora.reset.mutate({ videoId });
        result(cli, { videoId, ...reset }, [
          reset.message,
          `Start it again with: sora-monitor retry ${videoId}`,
        ]);
      });
    });
}
