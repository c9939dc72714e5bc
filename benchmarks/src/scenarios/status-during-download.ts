import { createAndGenerate, query, signUp, type Session, type StatusView } from '../support/api';
import { withStack } from '../support/stack';
import { fmt, fmtMs, percentile, ratio, sleep } from '../support/stats';
import type { Scenario } from '../scenario';

/**
 * P10 (issue 16): a viewer polls `sora.status` of a video while its finished file (200 MiB) is being stored. Each
 * answer is sorted by what it says: "generating" answers are the idle baseline; "downloading" answers, and the first
 * "ready" one (the request that may have found the job finished), are measured. Before the background store, the
 * request that found the job finished answered only once the whole file was stored.
 */

interface Sample {
  ms: number;
  view: StatusView;
}

/** `sora.status` every `gapMs`, one at a time, from the start of the generation until it has ended. */
async function pollUntilEnded(session: Session, videoId: string, gapMs: number, timeoutMs: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const started = performance.now();
    const view = await query<StatusView>(session, 'sora.status', { videoId });
    samples.push({ ms: performance.now() - started, view });
    if (view.status === 'completed' || view.status === 'failed') return samples;
    if (Date.now() > deadline) throw new Error(`video ${videoId} still ${view.status} (${view.progress}%) after ${timeoutMs} ms`);
    await sleep(gapMs);
  }
}

export const statusDuringDownload: Scenario = {
  name: 'status-download',
  title: '10. Status during a download',
  async run({ quick, log }) {
    const sizeMb = quick ? 8 : 200;
    const runs = quick ? 1 : 3;
    const generationMs = quick ? 2_000 : 6_000;
    const gapMs = 50;
    return withStack(
      { label: 'status-download', servers: [{}], simulatorGenerationMs: 1_000 },
      async ({ servers }) => {
        const session = await signUp(servers[0]!.url, 'status-download');
        log(`${runs} × a ${sizeMb} MiB video, sora.status every ${gapMs} ms from start to ready`);
        const idle: number[] = [];
        const downloading: number[] = [];
        const firstReady: number[] = [];
        for (let run = 0; run < runs; run++) {
          const videoId = await createAndGenerate(session, `A big video [sim:size-mb=${sizeMb}] [sim:duration=${generationMs}]`);
          const samples = await pollUntilEnded(session, videoId, gapMs, 180_000);
          const last = samples.at(-1)!;
          if (last.view.status !== 'completed') throw new Error(`the video ended ${last.view.status}`);
          for (const { ms, view } of samples.slice(0, -1)) {
            if (view.status === 'in_progress' && view.progress >= 100) downloading.push(ms);
            else idle.push(ms);
          }
          firstReady.push(last.ms);
        }
        const measured = [...downloading, ...firstReady];
        const idleP99 = percentile(idle, 99);
        const busyP99 = percentile(measured, 99);
        const headline = ratio(busyP99, idleP99);
        return {
          measured:
            `while downloading: p50 ${fmtMs(percentile(measured, 50))}, p99 ${fmtMs(busyP99)}, max ${fmtMs(Math.max(...measured))} ` +
            `(${downloading.length} "downloading" answers + ${firstReady.length} first "ready")`,
          baseline: `while generating: p50 ${fmtMs(percentile(idle, 50))}, p99 ${fmtMs(idleP99)} (${idle.length} answers)`,
          ratio: headline,
          extraRatios: `first "ready" answer, max ÷ idle p99: ${fmt(ratio(Math.max(...firstReady), idleP99))}`,
          goal: 'p99 while downloading ÷ idle p99 ≤ 2',
          met: headline <= 2,
          setup:
            `one server process (ROLE=all, defaults), ${runs} video(s) of ${sizeMb} MiB ([sim:size-mb]) generating for ` +
            `${generationMs} ms; one viewer asking sora.status every ${gapMs} ms, one request at a time`,
        };
      },
    );
  },
};
