import type { Command } from 'commander';
import { result, withClient, type Cli } from '../context';
import { watchVideo } from './watch';

export function registerRetry(program: Command, cliFor: (command: Command) => Cli): void {
  program
    .command('retry')
    .description('Start a new attempt for a failed or reset generation')
    .argument('<videoId>', 'the video id')
    .option('--prompt <prompt>', 'retry with this prompt instead (stored on the video; e.g. after a moderation block)')
    .option('--watch', 'then follow it like `sora-monitor watch`')
    .action(async (videoId: string, options: { prompt?: string; watch?: boolean }, command: Command) => {
      const cli = cliFor(command);
      await withClient(cli, videoId, async (connected) => {
        // The server checks the prompt like a new video's (a bad one is refused naming it, exit 2) and starts nothing then.
        const status = await connected.client.sora.retry.mutate({ videoId, ...(options.prompt !== undefined ? { prompt: options.prompt } : {}) });
        if (options.watch) return watchVideo(cli, connected, videoId);
        result(cli, status, [
          `${status.status}: ${status.message}`,
          `Follow it with: sora-monitor watch ${videoId}`,
        ]);
      });
    });
}
