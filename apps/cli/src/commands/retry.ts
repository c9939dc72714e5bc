import type { Command } from 'commander';
import { result, withClient, type Cli } from '../context';
import { watchVideo } from './watch';

export function registerRetry(program: Command, cliFor: (command: Command) => Cli): void {
  program
    .command('retry')
    .description('Start a new attempt for a failed or reset generation')
    .argument('<videoId>', 'the video id')
    .option('--watch', 'then follow it like `sora-monitor watch`')
    .action(async (videoId: string, options: { watch?: boolean }, command: Command) => {
      const cli = cliFor(command);
      await withClient(cli, videoId, async (connected) => {
        const status = await connected.client.sora.retry.mutate({ videoId });
        if (options.watch) return watchVideo(cli, connected, videoId);
        result(cli, status, [
          `${status.status}: ${status.message}`,
          `Follow it with: sora-monitor watch ${videoId}`,
        ]);
      });
    });
}
