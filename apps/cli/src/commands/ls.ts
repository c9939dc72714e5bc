import type { VideoView } from '@sora-monitor/core/client';
import { GENERATION_STATUSES, type GenerationStatus } from '@sora-monitor/core/domain';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { result, withClient, type Cli } from '../context';
import { formatCost, formatDate } from '../report';

// The server's list sorts (videos.list's `sort` and `order`).
const SORTS = ['created', 'updated', 'cost', 'duration'] as const;
const ORDERS = ['desc', 'asc'] as const;

interface LsOptions {
  status?: GenerationStatus;
  search?: string;
  model?: string;
  sort: (typeof SORTS)[number];
  order: (typeof ORDERS)[number];
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
    .description('List your videos, newest first unless --sort says otherwise')
    .addOption(new Option('--status <status>', 'only videos in this status').choices(GENERATION_STATUSES))
    .option('--search <text>', 'only videos whose title or prompt contains this text (any case)')
    .option('--model <model>', 'only videos made with this model')
    .addOption(new Option('--sort <key>', 'sort by').choices(SORTS).default('created'))
    .addOption(new Option('--order <order>', 'largest/newest first (desc) or smallest/oldest first (asc)').choices(ORDERS).default('desc'))
    .option('--limit <n>', 'how many (1-100)', parseLimit, 20)
    .option('--cursor <cursor>', 'the next page, as printed at the end of the previous one')
    .action(async (options: LsOptions, command: Command) => {
      const cli = cliFor(command);
      await withClient(cli, undefined, async ({ client }) => {
        const page = await client.videos.list.query({
          status: options.status,
          search: options.search,
          model: options.model,
          sort: options.sort,
          order: options.order,
          limit: options.limit,
          cursor: options.cursor,
        });
        result(cli, page, listLines(page.items, page.nextCursor, options));
      });
    });
}

function listLines(items: VideoView[], nextCursor: string | null, options: LsOptions): string[] {
  const filtered = options.status || options.search || options.model;
  if (items.length === 0) {
    return [filtered ? 'No videos match.' : 'No videos yet. Start one with: sora-monitor new "<prompt>"'];
  }
  const rows = items.map((video) => [
    video.id,
    video.generation.status,
    `${video.generation.progress}%`,
    formatCost(video.generation.cost) ?? '-',
    `${video.seconds}s`,
    formatDate(video.createdAt),
    video.title,
  ]);
  const table = [['ID', 'STATUS', 'PROGRESS', 'COST', 'LENGTH', 'CREATED', 'TITLE'], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const lines = table.map((row) =>
    row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '),
  );
  if (nextCursor) lines.push('', `More: sora-monitor ls${repeatedFlags(options)} --cursor ${nextCursor}`);
  return lines;
}

/** The flags of this listing, so the printed "More:" command continues the same one. */
function repeatedFlags(options: LsOptions): string {
  const flags: string[] = [];
  if (options.status) flags.push('--status', options.status);
  if (options.search) flags.push('--search', shellQuote(options.search));
  if (options.model) flags.push('--model', shellQuote(options.model));
  if (options.sort !== 'created') flags.push('--sort', options.sort);
  if (options.order !== 'desc') flags.push('--order', options.order);
  flags.push('--limit', String(options.limit));
  return ` ${flags.join(' ')}`;
}

function shellQuote(text: string): string {
  return /^[\w.-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
