import http from 'node:http';
import path from 'node:path';
import { createAndGenerate, query, signUp, waitForStatus, type Session } from '../support/api';
import { benchDir } from '../support/paths';
import { askScript, startScriptProcess, type Spawned } from '../support/processes';
import { withStack } from '../support/stack';
import { fmt, fmtBytes, fmtMs, percentile, ratio } from '../support/stats';
import type { Scenario } from '../scenario';

/**
 * 3. Download memory: a large video ([sim:size-mb=N]) goes from the simulator into the blob store and then from
 * the content route to a client. The server's peak RSS growth (VmHWM, reset just before each phase) ÷ the video
 * size, against a buffered/base64 baseline (the seed's way, implemented in the bench only, in its own process).
 * Also time to first byte of the content route vs a plain static file server for the same file.
 */

const MiB = 1024 * 1024;

/** Downloads a URL completely, discarding the bytes; resolves with the byte count. */
function drain(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`${url} answered ${response.statusCode}`));
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => resolve(bytes));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Time from sending the request to the first body byte, on a fresh connection; the rest is not downloaded. */
function timeToFirstByte(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(url, { headers, agent: false }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`${url} answered ${response.statusCode}`));
      response.once('data', () => {
        resolve(performance.now() - started);
        request.destroy();
      });
    });
    request.on('error', (error) => {
      if (!request.destroyed) reject(error);
    });
  });
}

/** Peak RSS growth of `target` while `work` runs: garbage collected and high-water mark reset first. */
async function peakGrowth(target: Spawned, work: () => Promise<unknown>): Promise<number> {
  const before = await target.probe('reset', { gc: true });
  await work();
  const after = await target.probe('stats');
  return after.peakRss - before.rss;
}

export interface Measured {
  videoId: string;
  jobId: string;
  size: number;
  storeGrowth: number;
  serveGrowth: number;
  storeMs: number;
  serveMs: number;
}

/** One video of `sizeMb` through the server: upstream → blob store, then content route → client. */
export async function throughServer(
  server: Spawned,
  session: Session,
  sizeMb: number,
  durationMs: number,
): Promise<Measured> {
  // The generation runs long enough for the server to be idle, measured, and ready before the file comes.
  const videoId = await createAndGenerate(
    session,
    `A big video [sim:size-mb=${sizeMb}] [sim:duration=${durationMs}]`,
  );
  const { jobId } = await query<{ jobId: string }>(session, 'sora.status', { videoId });
  let storeMs = 0;
  const storeGrowth = await peakGrowth(server, async () => {
    const started = performance.now();
    await waitForStatus(
      session,
      videoId,
      (view) => view.status === 'completed' || view.status === 'failed',
      120_000,
    );
    storeMs = performance.now() - started;
  });
  const stored = await query<{ status: string; error: string | null }>(session, 'sora.status', { videoId });
  if (stored.status !== 'completed') throw new Error(`the video did not complete: ${stored.error}`);

  const size = Math.floor(sizeMb * MiB); // the simulator pads to whole bytes
  let served = 0;
  let serveMs = 0;
  const serveGrowth = await peakGrowth(server, async () => {
    const started = performance.now();
    served = await drain(contentUrl(session, videoId), { cookie: session.cookie });
    serveMs = performance.now() - started;
  });
  if (served !== size) throw new Error(`the content route sent ${served} bytes, expected ${size}`);
  return { videoId, jobId, size, storeGrowth, serveGrowth, storeMs, serveMs };
}

const contentUrl = (session: Session, videoId: string) => `${session.url}/api/videos/${videoId}/content`;

export const downloadMemory: Scenario = {
  name: 'download',
  title: '3. Download memory',
  async run({ quick, log }) {
    const sizeMb = quick ? 8 : 200;
    const smallMb = sizeMb / 10;
    const ttfbSamples = quick ? 5 : 30;
    const reps = quick ? 1 : 3;
    const durationMs = quick ? 1_500 : 4_000;
    return withStack(
      { label: 'download', servers: [{}], simulatorGenerationMs: 1_000 },
      async ({ servers, simulator }) => {
        const server = servers[0]!;
        const session: Session = await signUp(server.url, 'download');
        log(
          `${smallMb} MiB video, then ${reps} × ${sizeMb} MiB: upstream → blob store → content route → client`,
        );
        const small = await throughServer(server, session, smallMb, durationMs);
        const runs: Measured[] = [];
        for (let i = 0; i < reps; i++) runs.push(await throughServer(server, session, sizeMb, durationMs));
        const big = runs[0]!;
        const median = (pick: (m: Measured) => number) => percentile(runs.map(pick), 50);
        const size = big.size;

        const huge = quick ? null : await throughServer(server, session, sizeMb * 5, durationMs);

        log('baselines: plain streaming (fresh process), buffered + base64, a static file server');
        const upstreamUrl = `${simulator.url}/videos/${big.jobId}/content?variant=video`;
        // Every baseline figure in a fresh process: memory an earlier measurement freed stays resident (the allocator
        // keeps it) and would hide the next one's growth.
        const streamedFloor: number[] = [];
        for (let i = 0; i < reps; i++) {
          streamedFloor.push(
            await withBaseline((floor) =>
              peakGrowth(floor, () =>
                askScript(floor, 'download-streamed', { url: upstreamUrl, apiKey: simulator.apiKey }),
              ),
            ),
          );
        }
        const blobFile = path.join(server.dataDir, 'blobs', 'videos', big.videoId, `${big.jobId}.mp4`);
        const { staticServeGrowth, route, plain } = await withBaseline(async (fresh) => {
          const { port } = await askScript<{ port: number }>(fresh, 'serve-static', { file: blobFile });
          const staticUrl = `http://127.0.0.1:${port}/`;
          const growth = await peakGrowth(fresh, () => drain(staticUrl));
          const routeTtfb: number[] = [];
          const staticTtfb: number[] = [];
          for (let i = 0; i < ttfbSamples; i++) {
            routeTtfb.push(
              await timeToFirstByte(contentUrl(session, big.videoId), { cookie: session.cookie }),
            );
            staticTtfb.push(await timeToFirstByte(staticUrl));
          }
          return {
            staticServeGrowth: growth,
            route: percentile(routeTtfb, 50),
            plain: percentile(staticTtfb, 50),
          };
        });
        const { bufferedStoreGrowth, bufferedServeGrowth } = await withBaseline(async (baseline) => {
          const storeGrowth = await peakGrowth(baseline, () =>
            askScript(baseline, 'download', { url: upstreamUrl, apiKey: simulator.apiKey }),
          );
          const { port } = await askScript<{ port: number }>(baseline, 'serve-buffered');
          // Decoding allocates a new buffer the size of the video: large allocations are fresh mappings, so this one
          // is measured even after the download in the same process.
          const serveGrowth = await peakGrowth(baseline, () => drain(`http://127.0.0.1:${port}/`));
          return { bufferedStoreGrowth: storeGrowth, bufferedServeGrowth: serveGrowth };
        });

        const storeGrowth = median((m) => m.storeGrowth);
        const serveGrowth = median((m) => m.serveGrowth);
        const storeRatio = ratio(storeGrowth, size);
        const serveRatio = ratio(serveGrowth, size);
        const slope = (growth: number, smallGrowth: number) => ratio(growth - smallGrowth, size - small.size);
        return {
          measured:
            `store: +${fmtBytes(storeGrowth)} peak RSS (${fmt(storeRatio)} × size); serve: +${fmtBytes(serveGrowth)} ` +
            `(${fmt(serveRatio)} × size); content-route TTFB p50 ${fmtMs(route)}`,
          baseline:
            `buffered+base64 store: +${fmtBytes(bufferedStoreGrowth)} (${fmt(ratio(bufferedStoreGrowth, size))} × size), ` +
            `serve: +${fmtBytes(bufferedServeGrowth)} (${fmt(ratio(bufferedServeGrowth, size))} × size); ` +
            `plain streamed fetch→file: +${fmtBytes(percentile(streamedFloor, 50))}; ` +
            `static file server: +${fmtBytes(staticServeGrowth)}, TTFB p50 ${fmtMs(plain)}`,
          ratio: Math.max(storeRatio, serveRatio),
          extraRatios:
            `ours/buffered: store ${fmt(ratio(storeGrowth, bufferedStoreGrowth))}, serve ${fmt(ratio(serveGrowth, bufferedServeGrowth))}; ` +
            `TTFB route/static ${fmt(ratio(route, plain))}`,
          goal: 'peak RSS growth ÷ size ≤ 0.1 (both phases)',
          met: storeRatio <= 0.1 && serveRatio <= 0.1,
          setup:
            `${sizeMb} MiB video ([sim:size-mb=${sizeMb}]) ×${reps} (median) and a ${smallMb} MiB one, one server process; peak RSS = ` +
            `VmHWM, reset after a GC before each phase; TTFB: median of ${ttfbSamples} fresh-connection requests each, alternating`,
          details: [
            `${sizeMb} MiB runs: store ${runs.map((m) => `+${fmtBytes(m.storeGrowth)}`).join(', ')}; serve ` +
              `${runs.map((m) => `+${fmtBytes(m.serveGrowth)}`).join(', ')}; plain streamed ${streamedFloor.map((g) => `+${fmtBytes(g)}`).join(', ')}`,
            `${smallMb} MiB video: store +${fmtBytes(small.storeGrowth)}, serve +${fmtBytes(small.serveGrowth)}; ` +
              `marginal growth per extra byte ${smallMb}→${sizeMb} MiB: store ${fmt(slope(storeGrowth, small.storeGrowth))}, ` +
              `serve ${fmt(slope(serveGrowth, small.serveGrowth))}`,
            ...(huge
              ? [
                  `${fmt(huge.size / MiB)} MiB video: store +${fmtBytes(huge.storeGrowth)} (${fmt(ratio(huge.storeGrowth, huge.size))} × size), ` +
                    `serve +${fmtBytes(huge.serveGrowth)} (${fmt(ratio(huge.serveGrowth, huge.size))} × size)`,
                ]
              : []),
            `upstream → store took ${fmtMs(big.storeMs)} (poll that saw completion to stored), route → client ` +
              `${fmtMs(big.serveMs)} (${fmt(size / MiB / (big.serveMs / 1000))} MiB/s)`,
          ],
        };
      },
    );
  },
};

/** Runs `work` against a fresh baseline process (buffered-baseline.ts), stopped afterwards. */
async function withBaseline<T>(work: (baseline: Spawned) => Promise<T>): Promise<T> {
  const { process: baseline } = await startScriptProcess({
    name: 'baseline',
    file: path.join(benchDir, 'src/support/buffered-baseline.ts'),
    ready: /(baseline ready)/,
  });
  try {
    return await work(baseline);
  } finally {
    await baseline.stop();
  }
}
