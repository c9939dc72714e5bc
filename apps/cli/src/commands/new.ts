import type { RouterInputs } from '@sora-monitor/core/client';
import { MODELS, SECONDS, SIZES } from '@sora-monitor/core/domain';
import { Option, type Command } from 'commander';
import { result, withClient, type Cli } from '../context';
import { CliError, toCliError } from '../errors';
import { watchVideo } from './watch';

interface NewOptions {
  model?: RouterInputs['videos']['create']['model'];
  size?: RouterInputs['videos']['create']['size'];
  seconds?: string;
  title?: string;
  watch?: boolean;
}

export function registerNew(program: Command, cliFor: (command: Command) => Cli): void {
  program
    .command('new')
    .description('Create a video and start generating it')
    .argument('<prompt>', 'what the video shows (quote it)')
    .addOption(new Option('--model <model>', 'model').choices(MODELS))
    .addOption(new Option('--size <size>', 'width x height').choices(SIZES))
    .addOption(new Option('--seconds <seconds>', 'duration in seconds').choices(SECONDS.map(String)))
    .option('--title <title>', 'a title (default: the start of the prompt)')
    .option('--watch', 'then follow it like `sora-monitor watch`')
    .action(async (prompt: string, options: NewOptions, command: Command) =>
      createVideo(cliFor(command), prompt, options),
    );
}

async function createVideo(cli: Cli, prompt: string, options: NewOptions): Promise<void> {
  const seconds = SECONDS.find((value) => String(value) === options.seconds);
  await withClient(cli, undefined, async (connected) => {
    const { client } = connected;
    const video = await client.videos.create.mutate({
      prompt,
      title: options.title,
      model: options.model,
      size: options.size,
      seconds,
    });
    let generation;
    try {
      generation = await client.sora.generate.mutate({ videoId: video.id });
    } catch (error) {
      const cause = toCliError(error, { url: connected.connection.url, videoId: video.id });
      throw new CliError(
        `Created video ${video.id}, but its generation did not start: ${cause.message}`,
        cause.exitCode,
        cause.kind,
        {
          ...cause.details,
          videoId: video.id,
        },
      );
    }
    const created = { ...video, generation };
    if (options.watch) {
      if (!cli.json) cli.stderr.write(`Created "${video.title}" (${video.id}).\n`);
      return watchVideo(cli, connected, video.id, { title: video.title });
    }
    result(cli, created, [
      `Created "${video.title}" (${video.id}).`,
      `${generation.status}: ${generation.message}`,
      `Follow it with: sora-monitor watch ${video.id}`,
    ]);
  });
}
