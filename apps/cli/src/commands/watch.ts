import type { StatusView } from '@sora-monitor/core/client';
import type { ProgressSample } from '@sora-monitor/core/domain';
import type { Command } from 'commander';
import { result, withClient, type Cli, type Connected } from '../context';
import { EXIT } from '../exit-codes';
import { clientFeed, followGeneration } from '../follow';
import { createProgressView } from '../progress-view';
import { buildReport, failureLines, formatCost, type StatusReport } from '../report';

/** How often the bar's "time remaining" is recomputed between updates. */
const TICK_MS = 1_000;
/** How many recent progress samples the speed estimate looks at. */
const SAMPLE_WINDOW = 20;

export function registerWatch(program: Command, cliFor: (command: Command) => Cli): void {
  program
    .command('watch')
    .description('Follow a generation live, through automatic retries, until it completes (exit 0) or fails for good (exit 1)')
    .argument('<videoId>', 'the video id (see `sora-monitor ls`)')
    .action(async (videoId: string, _options: object, command: Command) => {
      const cli = cliFor(command);
      await withClient(cli, videoId, (connected) => watchVideo(cli, connected, videoId));
    });
}

/**
 * Shows a generation's progress until it ends: percentage, the current step and the estimated time remaining
 * (only when there is a basis for it). Driven by the live stream, falling back to polling when the stream fails.
 * Sets exit code 1 when the generation failed.
 */
export async function watchVideo(
  cli: Cli,
  { client }: Connected,
  videoId: string,
  known: { title?: string } = {},
): Promise<void> {
  const [video, past] = await Promise.all([
    known.title ? null : client.videos.get.query({ videoId }),
    client.sora.pastDurations.query({ videoId }),
  ]);
  const title = known.title ?? video?.title ?? null;
  const samples: ProgressSample[] = [];
  let latest: StatusView | null = null;
  let note = '';
  const report = (view: StatusView) =>
    buildReport(view, { title, pastDurationsMs: past.durationsMs, samples });

  const progress = createProgressView(cli);
  if (!cli.json)
    cli.stderr.write(
      `Watching "${title ?? videoId}" (${videoId}). Ctrl-C stops watching; the generation goes on.\n`,
    );
  const ticker = setInterval(() => latest && progress.show(report(latest), note), TICK_MS);
  let final: StatusView;
  try {
    final = await followGeneration(clientFeed(client, videoId), {
      signal: cli.signal,
      onUpdate(view, mode) {
        latest = view;
        note = mode === 'polling' ? 'live updates unavailable, polling' : '';
        const at = view.progressChangedAt ? new Date(view.progressChangedAt) : new Date();
        if (view.status === 'in_progress' && samples.at(-1)?.progress !== view.progress) {
          samples.push({ at, progress: view.progress });
          samples.splice(0, Math.max(0, samples.length - SAMPLE_WINDOW));
        }
        progress.show(report(view), note);
      },
    });
  } finally {
    clearInterval(ticker);
    progress.stop();
  }

  const done = report(final);
  if (done.status === 'failed') cli.exitCode = EXIT.failed;
  result(cli, done, done.status === 'completed' ? completedLines(done) : failureLines(done));
}

function completedLines(report: StatusReport): string[] {
  const cost = formatCost(report.cost);
  return [
    `Completed: "${report.title ?? report.videoId}" is ready${cost ? ` (cost ${cost})` : ''}.`,
    `Download it with: sora-monitor download ${report.videoId}`,
  ];
}
