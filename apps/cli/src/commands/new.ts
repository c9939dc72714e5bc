import type { RouterInputs } from '@sora-monitor/core/client';
import { readFile, stat } from 'node:fs/promises';
import { checkReferenceImage, generationCostUsd, isAppError, REFERENCE_IMAGE_MAX_BYTES } from '@sora-monitor/core/domain';
import { InvalidArgumentError, type Command } from 'commander';
import { result, withClient, type Cli } from '../context';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { formatCost } from '../report';
import { watchVideo } from './watch';

interface NewOptions {
  model?: RouterInputs['videos']['create']['model'];
  size?: RouterInputs['videos']['create']['size'];
  seconds?: number;
  title?: string;
  image?: string;
  watch?: boolean;
}

export function registerNew(program: Command, cliFor: (command: Command) => Cli): void {
  program
    .command('new')
    .description('Create a video and start generating it')
    .argument('<prompt>', 'what the video shows (quote it)')
    // The server's catalog decides what is offered; it refuses anything else naming what it offers.
    .option('--model <model>', 'a model this server offers (list them with `sora-monitor models`; default: its first)')
    .option('--size <size>', 'width x height, one the model offers (default: its first)')
    .option('--seconds <seconds>', 'duration in seconds, one the model offers (default: its first)', parseSeconds)
    .option('--title <title>', 'a title (default: the start of the prompt)')
    .option('--image <path>', 'a JPEG, PNG or WebP of exactly --size pixels: the first frame to animate')
    .option('--watch', 'then follow it like `sora-monitor watch`')
    .action(async (prompt: string, options: NewOptions, command: Command) =>
      createVideo(cliFor(command), prompt, options),
    );
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value.trim()) || seconds < 1) throw new InvalidArgumentError('a whole number of seconds, such as 4');
  return seconds;
}

async function createVideo(cli: Cli, prompt: string, options: NewOptions): Promise<void> {
  const { seconds } = options;
  // Read before connecting, so a missing or oversized file is refused at once.
  const imageBytes = options.image === undefined ? undefined : await readImage(options.image);
  await withClient(cli, undefined, async (connected) => {
    const { client } = connected;
    // Today's spending and the cap first, so a refusal never comes as a surprise (stderr: stdout stays the result).
    const [spend, offered] = await Promise.all([client.sora.spendToday.query(), client.system.models.query()]);
    if (!cli.json) {
      // What it will cost, before anything is paid for: the server's catalog, its first model and options by default.
      const entry = offered.models.find((model) => model.name === options.model) ?? (options.model ? undefined : offered.models[0]);
      if (entry) {
        const size = options.size ?? entry.sizes[0] ?? '';
        const length = seconds ?? entry.seconds[0] ?? 0;
        const cost = formatCost(generationCostUsd(entry.name, size, length, { models: offered.models }));
        cli.stderr.write(`Cost: ${cost ?? 'unknown'} (${entry.name}, ${size}, ${length} s, list price)\n`);
      }
      cli.stderr.write(`${describeSpend(spend)}\n`);
    }
    // The image is checked here too, against the size the server will use, so a wrong file is refused before it is uploaded.
    const image =
      imageBytes && options.image !== undefined
        ? checkImage(options.image, imageBytes, options.size ?? defaultSize(offered, options.model))
        : undefined;
    // One step: a start the daily spend cap or the rate limit refuses records nothing (no empty video is left).
    const video = await client.sora.createAndGenerate.mutate({
      prompt,
      title: options.title,
      model: options.model,
      size: options.size,
      seconds,
      image,
    });
    if (options.watch) {
      if (!cli.json) cli.stderr.write(`Created "${video.title}" (${video.id}).\n`);
      return watchVideo(cli, connected, video.id, { title: video.title });
    }
    result(cli, video, [
      `Created "${video.title}" (${video.id}).`,
      `${video.generation.status}: ${video.generation.message}`,
      `Follow it with: sora-monitor watch ${video.id}`,
    ]);
  });
}

/** "Spent today: $0.80 of $2.00 ($1.20 left; resets at 00:00 UTC)." */
export function describeSpend(spend: { spentUsd: number; capUsd: number | null; remainingUsd: number | null }): string {
  const usd = (amount: number) => `$${amount.toFixed(2)}`;
  if (spend.capUsd === null) return `Spent today: ${usd(spend.spentUsd)} (no daily limit).`;
  return `Spent today: ${usd(spend.spentUsd)} of ${usd(spend.capUsd)} (${usd(spend.remainingUsd ?? 0)} left; resets at 00:00 UTC).`;
}

const badImage = (path: string, message: string) => new CliError(`--image ${path}: ${message}`, EXIT.usage, 'bad_input', { field: 'image' });

/** The image file at `path`; not read at all when it is too large (the server would refuse it anyway). */
async function readImage(path: string): Promise<Buffer> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw badImage(path, 'no such file.');
  if (info.size > REFERENCE_IMAGE_MAX_BYTES) {
    throw badImage(path, `the file is ${(info.size / 1024 / 1024).toFixed(1)} MB; the limit is ${REFERENCE_IMAGE_MAX_BYTES / 1024 / 1024} MB.`);
  }
  return readFile(path);
}

/** The image as base64, after the same checks the server makes (type, size, dimensions against `size`). */
function checkImage(path: string, bytes: Buffer, size: string): string {
  try {
    checkReferenceImage(bytes, size);
  } catch (error) {
    if (isAppError(error)) throw badImage(path, error.message);
    throw error;
  }
  return bytes.toString('base64');
}

/** The size the server uses when none is given: the chosen model's first (the catalog's first model by default). */
function defaultSize(catalog: { models: readonly { name: string; sizes: readonly string[] }[] }, model: string | undefined): string {
  const entry = catalog.models.find((candidate) => candidate.name === model) ?? catalog.models[0];
  return entry?.sizes[0] ?? '';
}
