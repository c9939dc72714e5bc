/*
 * `pnpm bench [--quick] [name…]`: runs the scenarios of issue 7 and prints one Markdown table row each (stdout),
 * with progress on stderr. Benchmarks are not tests: nothing here fails on a figure; a scenario that errors makes
 * the run exit non-zero.
 */
import os from 'node:os';
import { claimScaling } from './scenarios/claim-scaling';
import { coalescing } from './scenarios/coalescing';
import { downloadMemory } from './scenarios/download-memory';
import { downloadMemoryS3 } from './scenarios/download-memory-s3';
import { fanOut } from './scenarios/fan-out';
import { statusDuringDownload } from './scenarios/status-during-download';
import { statusThroughput } from './scenarios/status-throughput';
import { sweep } from './scenarios/sweep';
import { upstreamBudget } from './scenarios/upstream-budget';
import { usageQueries } from './scenarios/usage-queries';
import { watchLag } from './scenarios/watch-lag';
import { workerSoak } from './scenarios/worker-soak';
import type { Scenario, ScenarioResult } from './scenario';
import { dropAllDatabases } from './support/database';
import { stopAll } from './support/processes';
import { fmt } from './support/stats';

const SCENARIOS: Scenario[] = [coalescing, statusThroughput, downloadMemory, downloadMemoryS3, sweep, fanOut, claimScaling, usageQueries, workerSoak, watchLag, statusDuringDownload, upstreamBudget];

const HEADER = [
  '| Scenario | Measured | In-run baseline | Ratio | Other ratios | Goal | Met |',
  '|---|---|---|---:|---|---|---|',
];

/** A scenario that hangs (a refused subscription, a stuck child) fails the run instead of holding CI until its limit. */
const QUICK_DEADLINE_MS = 4 * 60_000;
const FULL_DEADLINE_MS = 45 * 60_000;

async function withDeadline<T>(work: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function usage(): string {
  return `usage: pnpm bench [--quick] [--stretch] [${SCENARIOS.map((scenario) => scenario.name).join('|')} …]`;
}

function row(scenario: Scenario, result: ScenarioResult): string {
  const met = result.met === null ? '–' : result.met ? 'yes' : '**no**';
  return `| ${scenario.title} | ${result.measured} | ${result.baseline} | ${fmt(result.ratio)} | ${result.extraRatios ?? ''} | ${result.goal} | ${met} |`;
}

function parseArgs(argv: string[]): { quick: boolean; stretch: boolean; selected: Scenario[] } {
  const args = argv.filter((arg) => arg !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage());
    process.exit(0);
  }
  const quick = args.includes('--quick');
  const stretch = args.includes('--stretch');
  const names = args.filter((arg) => !arg.startsWith('-'));
  const unknownFlags = args.filter((arg) => arg.startsWith('-') && arg !== '--quick' && arg !== '--stretch');
  const unknownNames = names.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknownFlags.length > 0 || unknownNames.length > 0) {
    console.error(`unknown argument(s): ${[...unknownFlags, ...unknownNames].join(' ')}\n${usage()}`);
    process.exit(2);
  }
  const selected =
    names.length === 0 ? SCENARIOS : SCENARIOS.filter((scenario) => names.includes(scenario.name));
  return { quick, stretch, selected };
}

async function main(): Promise<number> {
  const { quick, stretch, selected } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  console.error(
    `Sora Monitor benchmarks${quick ? ' (quick: tiny sizes, figures not meaningful)' : ''}: ${os.cpus().length} CPUs, ` +
      `${fmt(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${new Date().toISOString()}`,
  );
  const rows: string[] = [];
  const notes: string[] = [];
  let failures = 0;
  for (const scenario of selected) {
    const scenarioStarted = Date.now();
    const loadBefore = os.loadavg()[0]!;
    console.error(`\n== ${scenario.title} (${scenario.name})`);
    try {
      const result = await withDeadline(
        scenario.run({ quick, stretch, log: (message) => console.error(`   ${message}`) }),
        quick ? QUICK_DEADLINE_MS : FULL_DEADLINE_MS,
        scenario.name,
      );
      const line = row(scenario, result);
      rows.push(line);
      const load = `load average ${fmt(loadBefore)} → ${fmt(os.loadavg()[0]!)}`;
      notes.push(
        `- ${scenario.title}: ${result.setup}; ${load}.${result.details?.length ? ` ${result.details.join('; ')}.` : ''}`,
      );
      console.log(line);
      console.error(`   (${((Date.now() - scenarioStarted) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failures++;
      rows.push(`| ${scenario.title} | ERROR | | | | | |`);
      console.error(`   ${scenario.name} FAILED:`, error);
      await stopAll();
    }
  }
  console.log(`\n${[...HEADER, ...rows].join('\n')}\n\n${notes.join('\n')}`);
  console.error(
    `\n${selected.length} scenario(s) in ${((Date.now() - started) / 1000).toFixed(1)} s; ${failures} failed`,
  );
  return failures > 0 ? 1 : 0;
}

let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  console.error('\ninterrupted: stopping spawned processes');
  void stopAll()
    .then(dropAllDatabases)
    .finally(() => process.exit(130));
});

main().then(
  async (code) => {
    await stopAll();
    process.exit(code);
  },
  async (error: unknown) => {
    console.error(error);
    await stopAll();
    process.exit(1);
  },
);
