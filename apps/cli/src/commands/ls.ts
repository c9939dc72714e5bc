import type { VideoView } from '@sora-monitor/core/client';
import { GENERATION_STATUSES, type GenerationStatus } from '@sora-monitor/core/domain';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { result, withClient, type Cli } from '../context';
import { formatDate } from '../report';

interface LsOptions {
  status?: GenerationStatus;
  limit: number;
  cursor?: string;
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new InvalidArgumentError('a whole number from 1 to 100');
  return limit;
}

export function registerLs(program: Command, cliFor: (command: Command) => Cli): void {
  program
    .command('ls')
    .description('List your videos, newest first')
    .addOption(new Option('--status <status>', 'only videos in this status').choices(GENERATION_STATUSES))
    .option('--limit <n>', 'how many (1-100)', parseLimit, 20)
    .option('--cursor <cursor>', 'the next page, as printed at the end of the previous one')
    .action(async (options: LsOptions, command: Command) => {
      const cli = cliFor(command);
      await withClient(cli, undefined, async ({ client }) => {
        const page = await client.videos.list.query({
          status: options.status,
          limit: options.limit,
          cursor: options.cursor,
        });
        result(cli, page, listLines(page.items, page.nextCursor, options));
      });
    });
}

function listLines(items: VideoView[], nextCursor: string | null, options: LsOptions): string[] {
  if (items.length === 0) {
    return [
      options.status
        ? `No ${options.status} videos.`
        : 'No videos yet. Start one with: sora-monitor new "<prompt>"',
    ];
  }
  const rows = items.map((video) => [
    video.id,
    video.generation.status,
    `${video.generation.progress}%`,
    formatDate(video.createdAt),
    video.title,
  ]);
  const table = [['ID', 'STATUS', 'PROGRESS', 'CREATED', 'TITLE'], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const lines = table.map((row) =>
    row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '),
  );
  if (nextCursor) {
    const status = options.status ? ` --status ${options.status}` : '';
    lines.push('', `More: sora-monitor ls${status} --limit ${options.limit} --cursor ${nextCursor}`);
  }
  return lines;
}
