import { fetchVideoContent } from '@sora-monitor/core/client';
import type { Command } from 'commander';
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { result, withClient, type Cli } from '../context';
import { saveStream } from '../download-file';
import { CliError, tokenRejected } from '../errors';
import { EXIT } from '../exit-codes';
import { formatBytes, videoFileName } from '@sora-monitor/core/domain';
import { createByteProgress } from '../progress-view';

interface DownloadOptions {
  output?: string;
  force?: boolean;
}

export function registerDownload(program: Command, cliFor: (command: Command) => Cli): void {
  program
    .command('download')
    .description('Save a finished video to a file (streamed, with a progress bar)')
    .argument('<videoId>', 'the video id')
    .option('-o, --output <file>', 'where to save it (default: <title-slug>-<videoId>.mp4)')
    .option('-f, --force', 'overwrite the file if it exists')
    .action(async (videoId: string, options: DownloadOptions, command: Command) =>
      download(cliFor(command), videoId, options),
    );
}

async function download(cli: Cli, videoId: string, options: DownloadOptions): Promise<void> {
  if (options.output) await refuseToOverwrite(path.resolve(options.output), options);
  await withClient(cli, videoId, async ({ client, connection }) => {
    const video = await client.videos.get.query({ videoId });
    // By default the same name the web app suggests: a clean slug of the title plus the id.
    const target = path.resolve(options.output ?? videoFileName(video.title, videoId));
    if (!options.output) await refuseToOverwrite(target, options);
    if (!video.generation.videoUrl) {
      const { status, progress } = video.generation;
      // A failed generation will not produce a video by waiting: say so, and how to try again.
      if (status === 'failed' && !video.generation.autoRetryAt) {
        throw new CliError(
          `Video ${videoId} has no finished video: its generation failed (${video.generation.error ?? video.generation.message}). Retry with: sora-monitor retry ${videoId}`,
          EXIT.failed,
          'failed',
        );
      }
      throw new CliError(
        `Video ${videoId} has no finished video yet (${status}, ${progress}%). Follow it with: sora-monitor watch ${videoId}`,
        EXIT.failed,
        'not_ready',
      );
    }

    const response = await fetchVideoContent(connection, videoId, { signal: cli.signal });
    if (response.status === 401) throw tokenRejected();
    if (response.status === 404)
      throw new CliError(`No video with id ${videoId}.`, EXIT.notFound, 'not_found');
    if (!response.ok || !response.body) {
      throw new CliError(
        `The server could not send the video (HTTP ${response.status}).`,
        EXIT.failed,
        'download_failed',
      );
    }
    const length = Number(response.headers.get('content-length'));
    const expectedBytes = Number.isSafeInteger(length) && length >= 0 ? length : null;
    const etag = /^"([0-9a-f]{64})"$/.exec(response.headers.get('etag') ?? '')?.[1] ?? null;

    const bar = createByteProgress(cli, expectedBytes);
    let saved;
    try {
      saved = await saveStream(response.body as WebReadableStream<Uint8Array>, target, {
        expectedBytes,
        expectedSha256: etag,
        onChunk: (bytes) => bar.advance(bytes),
        signal: cli.signal,
      });
    } catch (error) {
      if (cli.signal.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliError(
        `The download failed: ${reason}. Nothing was saved.`,
        EXIT.failed,
        'download_failed',
      );
    } finally {
      bar.stop();
    }
    result(cli, { videoId, ...saved }, [`Saved ${saved.file} (${formatBytes(saved.bytes)}).`]);
  });
}

async function refuseToOverwrite(target: string, options: DownloadOptions): Promise<void> {
  if (options.force || !(await exists(target))) return;
  throw new CliError(
    `${target} already exists. Pass --force to overwrite it, or choose another file with -o.`,
    EXIT.usage,
    'file_exists',
  );
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
