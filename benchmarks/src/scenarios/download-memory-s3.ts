import { startS3Server } from '@sora-monitor/core/testing/s3-server';
import { signUp, type Session } from '../support/api';
import { withStack } from '../support/stack';
import { fmt, fmtBytes, fmtMs, ratio } from '../support/stats';
import type { Scenario } from '../scenario';
import { throughServer } from './download-memory';

/**
 * 3b. Download memory with the S3 store: the same method as scenario 3 (peak RSS growth of the server process, VmHWM
 * reset after a GC before each phase) with BLOB_STORE=s3 against an S3-compatible server (s3rver, in the bench's own
 * process, so its memory is not counted). The upload is multipart from a stream, the content route a ranged
 * GetObject piped to the client: growth should stay a few parts (5 MiB each), whatever the video's size.
 */

const MiB = 1024 * 1024;

export const downloadMemoryS3: Scenario = {
  name: 'download-s3',
  title: '3b. Download memory, S3 store',
  async run({ quick, log }) {
    const sizeMb = quick ? 8 : 1024;
    const smallMb = quick ? 2 : 100;
    const durationMs = quick ? 1_500 : 4_000;
    const s3 = await startS3Server();
    try {
      return await withStack(
        { label: 'download-s3', servers: [s3.env], simulatorGenerationMs: 1_000 },
        async ({ servers }) => {
          const server = servers[0]!;
          const session: Session = await signUp(server.url, 'download-s3');
          log(`${smallMb} MiB video, then ${sizeMb} MiB: upstream → S3 (multipart) → content route → client`);
          const small = await throughServer(server, session, smallMb, durationMs);
          const big = await throughServer(server, session, sizeMb, durationMs);
          const storeRatio = ratio(big.storeGrowth, big.size);
          const serveRatio = ratio(big.serveGrowth, big.size);
          const slope = (growth: number, smallGrowth: number) => ratio(growth - smallGrowth, big.size - small.size);
          return {
            measured:
              `store: +${fmtBytes(big.storeGrowth)} peak RSS (${fmt(storeRatio)} × size); serve: +${fmtBytes(big.serveGrowth)} ` +
              `(${fmt(serveRatio)} × size)`,
            baseline:
              `${smallMb} MiB video: store +${fmtBytes(small.storeGrowth)}, serve +${fmtBytes(small.serveGrowth)} ` +
              `(flat memory: the same growth at any size)`,
            ratio: Math.max(storeRatio, serveRatio),
            extraRatios:
              `marginal growth per extra byte: store ${fmt(slope(big.storeGrowth, small.storeGrowth))}, ` +
              `serve ${fmt(slope(big.serveGrowth, small.serveGrowth))}`,
            goal: 'peak RSS growth ÷ size ≤ 0.1 (both phases)',
            met: storeRatio <= 0.1 && serveRatio <= 0.1,
            setup:
              `one ${sizeMb} MiB video and one of ${smallMb} MiB, one server process with BLOB_STORE=s3 (5 MiB parts, 2 at a ` +
              `time) against s3rver on 127.0.0.1; peak RSS = VmHWM, reset after a GC before each phase`,
            details: [
              `upstream → S3 took ${fmtMs(big.storeMs)}, route → client ${fmtMs(big.serveMs)} ` +
                `(${fmt(big.size / MiB / (big.serveMs / 1000))} MiB/s)`,
            ],
          };
        },
      );
    } finally {
      await s3.stop();
    }
  },
};
