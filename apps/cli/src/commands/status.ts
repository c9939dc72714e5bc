import type { Command } from 'commander';
import { result, withClient, type Cli } from '../context';
import { buildReport, reportLines } from '../report';

export function registerStatus(program: Command, cliFor: (command: Command) => Cli): void {
  program
    .command('status')
    .description("Show a generation's status (refreshed from the video service when it is active)")
    .argument('<videoId>', 'the video id')
    .action(async (videoId: string, _options: object, command: Command) => {
      const cli = cliFor(command);
      await withClient(cli, videoId, async ({ client, connection }) => {
        // Issued together, so the client sends them as one batched request.
        const [video, status, past] = await Promise.all([
          client.videos.get.query({ videoId }),
          client.sora.status.query({ videoId }),
          client.sora.pastDurations.query({ videoId }),
        ]);
        const report = buildReport(status, { title: video.title, pastDurationsMs: past.durationsMs });
        result(cli, report, reportLines(report, connection.url));
      });
    });
}
