import { EXTENSION_SECONDS } from '@sora-monitor/core/domain';
import { Option, type Command } from 'commander';
import { result, withClient, type Cli } from '../context';
import { watchVideo } from './watch';

type Operation = 'remix' | 'edit' | 'extend';

const DESCRIPTIONS: Record<Operation, string> = {
  remix: 'Make a new video remixing one of your completed videos with a new prompt',
  edit: 'Make a new video editing one of your completed videos as the prompt says',
  extend: 'Make a new video continuing one of your completed videos',
};

interface DeriveOptions {
  seconds?: string;
  watch?: boolean;
}

/** `remix`, `edit` and `extend`: a new video made from a completed one, started at once (like `new`). */
export function registerDerive(program: Command, cliFor: (command: Command) => Cli): void {
  for (const operation of ['remix', 'edit', 'extend'] as const) {
    const command = program
      .command(operation)
      .description(DESCRIPTIONS[operation])
      .argument('<videoId>', 'the completed video to start from')
      .argument('<prompt>', 'the new prompt (quote it)')
      .option('--watch', 'then follow the new video like `sora-monitor watch`');
    if (operation === 'extend') {
      command.addOption(
        new Option('--seconds <seconds>', 'seconds of new footage').choices(EXTENSION_SECONDS.map(String)).makeOptionMandatory(),
      );
    }
    command.action(async (videoId: string, prompt: string, options: DeriveOptions, self: Command) =>
      derive(cliFor(self), operation, videoId, prompt, options),
    );
  }
}

async function derive(cli: Cli, operation: Operation, videoId: string, prompt: string, options: DeriveOptions): Promise<void> {
  await withClient(cli, videoId, async (connected) => {
    const { client } = connected;
    const video =
      operation === 'extend'
        ? await client.sora.extend.mutate({ videoId, prompt, seconds: EXTENSION_SECONDS.find((value) => String(value) === options.seconds) ?? 4 })
        : await client.sora[operation].mutate({ videoId, prompt });
    if (options.watch) {
      if (!cli.json) cli.stderr.write(`Created "${video.title}" (${video.id}) from ${videoId}.\n`);
      return watchVideo(cli, connected, video.id, { title: video.title });
    }
    result(cli, video, [
      `Created "${video.title}" (${video.id}), a${operation === 'edit' || operation === 'extend' ? 'n' : ''} ${operation === 'extend' ? 'extension' : operation} of ${videoId}.`,
      `${video.generation.status}: ${video.generation.message}`,
      `Follow it with: sora-monitor watch ${video.id}`,
    ]);
  });
}
