import type { RouterOutputs } from '@sora-monitor/core/client';
import type { Command } from 'commander';
import { result, withClient, type Cli } from '../context';

type Models = RouterOutputs['system']['models'];

export function registerModels(program: Command, cliFor: (command: Command) => Cli): void {
  program
    .command('models')
    .description('List the models this server offers, with their sizes, lengths and prices')
    .action(async (_options: unknown, command: Command) => {
      const cli = cliFor(command);
      await withClient(cli, undefined, async ({ client }) => {
        const models = await client.system.models.query();
        result(cli, models, modelLines(models));
      });
    });
}

const usd = (amount: number) => `$${amount.toFixed(amount * 100 === Math.round(amount * 100) ? 2 : 4).replace(/(\.\d\d\d*?)0+$/, '$1')}`;

/** One block per model: name (and label), sizes, lengths, price per second by size or "unknown". */
function modelLines({ models, spendCap }: Models): string[] {
  const lines = models.flatMap((model, index) => {
    const prices = model.centsPerSecond;
    const price = prices
      ? [...new Set(Object.values(prices))].length === 1
        ? `${usd(Object.values(prices)[0]! / 100)} per second`
        : Object.entries(prices).map(([size, cents]) => `${size} ${usd(cents / 100)}/s`).join(', ')
      : 'unknown';
    return [
      `${model.name}${model.label !== model.name ? ` (${model.label})` : ''}${index === 0 ? '  [default]' : ''}`,
      ...(model.description ? [`  ${model.description}`] : []),
      `  sizes:   ${model.sizes.join(', ')}`,
      `  seconds: ${model.seconds.join(', ')}`,
      `  price:   ${price}`,
    ];
  });
  if (spendCap.dailyUsd !== null && models.some((model) => model.centsPerSecond === null)) {
    lines.push('', `An unknown price counts as ${usd(spendCap.unknownUsdPerSecond)} per second toward the daily limit of ${usd(spendCap.dailyUsd)}.`);
  }
  return lines;
}
