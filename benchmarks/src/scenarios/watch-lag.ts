import http from 'node:http';
import { createAndGenerate, query, queryPath, type Session, signUp, type StatusView } from '../support/api';
import { subscribe } from '../support/sse';
import { withStack } from '../support/stack';
import { fmtMs, percentile, ratio, sleep } from '../support/stats';
import type { Scenario } from '../scenario';

/**
 * 9. Watched-page lag (issue 16, P9): how far a watched video page is behind its upstream job. Each viewer does what
 * the web app's video page does: it holds the `sora.onUpdate` stream for the video and asks `sora.status` every 3 s
 * while the generation is active. The simulator's timeline is a pure function of the job's creation time and
 * duration (packages/simulator/src/timeline.ts), so the moment upstream first showed each state the page receives is
 * known exactly; the lag is the stream message's arrival minus that moment.
 */

/** The web app's poll while a generation is active (apps/web/src/lib/generation.ts, ACTIVE_POLL_MS). */
const PAGE_POLL_MS = 3_000;
/** The simulator's queued share of a job's time (packages/simulator/src/timeline.ts, QUEUED_FRACTION). */
const QUEUED_FRACTION = 0.15;

interface SimRequest {
  method: string;
  path: string;
  videoId: string | null;
  startedAt: number;
}

/** When the simulator created the job: the start of its create request (at most that request's handling early). */
async function jobCreatedAt(simulatorOrigin: string, jobId: string): Promise<number> {
  const response = await fetch(`${simulatorOrigin}/__sim/requests`);
  const { requests } = (await response.json()) as { requests: SimRequest[] };
  const create = requests.find((entry) => entry.method === 'POST' && entry.path === '/v1/videos' && entry.videoId === jobId);
  if (!create) throw new Error(`the simulator has no create request for job ${jobId}`);
  return create.startedAt;
}

/** The simulator's timeline of one job: when upstream first showed each state. */
function timeline(createdAtMs: number, durationMs: number) {
  const queuedMs = durationMs * QUEUED_FRACTION;
  // Progress is floor(share of the in-progress phase × 100), so P (0–99) first shows at P % of that phase; 100 only
  // with completion.
  const progressAt = (progress: number) => createdAtMs + queuedMs + (progress / 100) * (durationMs - queuedMs);
  const completedAt = createdAtMs + durationMs;
  return {
    /** When upstream first showed what the page shows (null: a state the simulator's timeline does not have). */
    showedAt(status: string, progress: number): number | null {
      if (status === 'completed' || (status === 'in_progress' && progress >= 100)) return completedAt;
      if (status === 'in_progress') return progressAt(progress);
      return status === 'queued' ? createdAtMs : null;
    },
    /** When upstream first showed something other than what the page shows: from then on the page is behind. */
    movedOnAt(shown: { status: string; progress: number } | undefined): number {
      if (!shown || shown.status === 'queued') return createdAtMs + queuedMs;
      // "Downloading" (in progress at 100 %) and ready are up to date with upstream's completion.
      if (shown.status === 'completed' || shown.progress >= 100) return Number.POSITIVE_INFINITY;
      return shown.progress + 1 <= 99 ? progressAt(shown.progress + 1) : completedAt;
    },
  };
}

interface Seen {
  status: string;
  progress: number;
  arrivedAtMs: number;
}

/** The stream's (status, progress) changes for one video, as the page would show them. */
function watch(session: Session, videoId: string, agent: http.Agent) {
  const seen: Seen[] = [];
  const subscriber = subscribe(`${session.url}${queryPath('sora.onUpdate', { videoId })}`, { cookie: session.cookie }, agent, (data, arrivedAtMs) => {
    const payload = JSON.parse(data) as { json?: unknown };
    const value = (payload.json ?? payload) as { video?: { generation?: StatusView } };
    const generation = value.video?.generation;
    if (!generation) return;
    const last = seen.at(-1);
    if (last && last.status === generation.status && last.progress === generation.progress) return;
    seen.push({ status: generation.status, progress: generation.progress, arrivedAtMs });
  });
  return { seen, subscriber };
}

/** Asks sora.status every PAGE_POLL_MS until the generation has ended, as the page does. */
async function pollLikeThePage(session: Session, videoId: string, timeoutMs: number): Promise<StatusView & { jobId: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await query<StatusView & { jobId: string }>(session, 'sora.status', { videoId });
    if (view.status === 'completed' || view.status === 'failed') return view;
    if (Date.now() > deadline) throw new Error(`video ${videoId} still ${view.status} (${view.progress}%) after ${timeoutMs} ms`);
    await sleep(PAGE_POLL_MS);
  }
}

export const watchLag: Scenario = {
  name: 'watch-lag',
  title: '9. Watched-page lag',
  async run({ quick, log }) {
    const videos = quick ? 2 : 6;
    const durationMs = quick ? 8_000 : 60_000;
    return withStack({ label: 'watch-lag', servers: [{}] }, async ({ servers, simulator }) => {
      const agent = new http.Agent({ keepAlive: true });
      const session = await signUp(servers[0]!.url, 'watch-lag');
      log(`${videos} watched videos of ${durationMs / 1000} s, each with its own page (stream + sora.status every ${PAGE_POLL_MS / 1000} s)`);
      const runs = await Promise.all(
        Array.from({ length: videos }, async (_, index) => {
          const videoId = await createAndGenerate(session, `Watched clip ${index + 1} [sim:duration=${durationMs}]`);
          const stream = watch(session, videoId, agent);
          await stream.subscriber.ready;
          const end = await pollLikeThePage(session, videoId, durationMs * 3 + 60_000);
          await sleep(500); // the stream's last message may trail the status answer that saw the end
          stream.subscriber.close();
          if (end.status !== 'completed') throw new Error(`video ${videoId} ended ${end.status}`);
          return { seen: stream.seen, createdAtMs: await jobCreatedAt(simulator.origin, end.jobId) };
        }),
      );
      agent.destroy();

      // How far behind the page is at each instant (every 100 ms from the job's creation until the page shows the
      // completion): the time since upstream first showed something newer than what the page shows, else 0.
      const behind: number[] = [];
      const arrivalLags: number[] = [];
      for (const { seen, createdAtMs } of runs) {
        const job = timeline(createdAtMs, durationMs);
        const caughtUp = seen.find((change) => change.status === 'completed' || change.progress >= 100);
        if (!caughtUp) throw new Error('a page never saw its video finish');
        let shown = 0;
        for (let at = createdAtMs; at <= caughtUp.arrivedAtMs; at += 100) {
          while (shown < seen.length && seen[shown]!.arrivedAtMs <= at) shown++;
          behind.push(Math.max(0, at - job.movedOnAt(shown === 0 ? undefined : seen[shown - 1])));
        }
        for (const change of seen) {
          const showedAt = job.showedAt(change.status, change.progress);
          if (showedAt !== null) arrivalLags.push(Math.max(0, change.arrivedAtMs - showedAt));
        }
      }
      const p95 = percentile(behind, 95);
      return {
        measured:
          `page behind upstream: p50 ${fmtMs(percentile(behind, 50))}, p95 ${fmtMs(p95)}, max ${fmtMs(Math.max(...behind))} ` +
          `(${behind.length} instants, ${arrivalLags.length} changes shown)`,
        baseline: `the page's own poll period: ${fmtMs(PAGE_POLL_MS)}`,
        ratio: ratio(p95, PAGE_POLL_MS),
        extraRatios: `each change's arrival after upstream first showed it: p50 ${fmtMs(percentile(arrivalLags, 50))}, p95 ${fmtMs(percentile(arrivalLags, 95))}`,
        goal: 'p95 lag ≤ 3 s',
        met: p95 <= 3_000,
        setup:
          `one server process (ROLE=all, defaults: STATUS_FRESHNESS_MS 5 s, POLL_INTERVAL_MS 30 s), ${videos} videos of ` +
          `${durationMs / 1000} s generating at once, each watched by one page (sora.onUpdate stream, sora.status every ` +
          `${PAGE_POLL_MS / 1000} s while active); lag = stream arrival − the moment the simulator's timeline first showed that status and progress`,
      };
    });
  },
};
