import {
  onInstance,
  query,
  queryPath,
  signUp,
  createAndGenerate,
  type Session,
  type StatusView,
} from '../support/api';
import { withStack } from '../support/stack';
import { fmt, fmtMs, percentile, ratio, sleep } from '../support/stats';
import type { Scenario } from '../scenario';

/**
 * 1. Coalescing: one active generation watched by 1 client and another watched by N clients, each client polling
 * `sora.status` every 2 s, spread over 3 server instances (ROLE=all, so their pollers run too) on one PostgreSQL,
 * both at once for the same window. Upstream GETs per job per minute come from the simulator's request log; what a
 * per-request proxy (the seed's design) would have sent is one upstream call per status request.
 */

const POLL_EVERY_MS = 2_000;

interface Watch {
  requests: number;
  failures: number;
  /** What the failures were: an HTTP status, or the error's code or name. */
  failureKinds: Map<string, number>;
  latenciesMs: number[];
}

function countFailure(into: Watch, kind: string) {
  into.failures++;
  into.failureKinds.set(kind, (into.failureKinds.get(kind) ?? 0) + 1);
}

/** One client: a status request every 2 s on its own phase, until `endAt`. */
async function watch(
  session: Session,
  videoId: string,
  offsetMs: number,
  startAt: number,
  endAt: number,
  into: Watch,
): Promise<void> {
  const url = `${session.url}${queryPath('sora.status', { videoId })}`;
  let next = startAt + offsetMs;
  for (;;) {
    await sleep(Math.max(0, next - Date.now()));
    if (Date.now() >= endAt) return;
    const started = performance.now();
    try {
      const response = await fetch(url, { headers: { cookie: session.cookie } });
      await response.arrayBuffer();
      if (!response.ok) countFailure(into, `HTTP ${response.status}`);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      countFailure(into, cause?.code ?? (error as Error).name);
    }
    into.requests++;
    into.latenciesMs.push(performance.now() - started);
    // Keep the cadence; a slow answer skips the ticks it overran rather than bunching them.
    next += POLL_EVERY_MS * Math.max(1, Math.ceil((Date.now() - next) / POLL_EVERY_MS));
  }
}

interface SimRequest {
  method: string;
  path: string;
  startedAt: number;
}

async function upstreamGets(
  simulatorOrigin: string,
  jobId: string,
  from: number,
  to: number,
): Promise<number> {
  const response = await fetch(`${simulatorOrigin}/__sim/requests`);
  const { requests } = (await response.json()) as { requests: SimRequest[] };
  return requests.filter(
    (entry) =>
      entry.method === 'GET' &&
      entry.path === `/v1/videos/${jobId}` &&
      entry.startedAt >= from &&
      entry.startedAt < to,
  ).length;
}

interface Measured {
  /** Upstream GETs per job per minute: the job watched by one client, the job watched by the crowd. */
  getsOne: number;
  getsMany: number;
  one: Watch;
  many: Watch;
  minutes: number;
}

const INSTANCES = 3;

/** One stack of three instances with `env`; both jobs watched at once for `windowMs`. */
async function measure(
  env: Record<string, string>,
  clients: number,
  windowMs: number,
  log: (message: string) => void,
): Promise<Measured> {
  return withStack(
    {
      label: 'coalescing',
      servers: Array.from({ length: INSTANCES }, () => env),
      simulatorGenerationMs: 20_000,
    },
    async ({ servers, simulator }) => {
      const primary = await signUp(servers[0]!.url, 'coalescing');
      const sessions = servers.map((server) => onInstance(primary, server.url));
      // Long enough to stay active through the whole window.
      const prompt = `A long generation [sim:duration=${windowMs * 3 + 60_000}]`;
      const single = await createAndGenerate(primary, prompt);
      const crowd = await createAndGenerate(primary, prompt);
      const jobOf = async (videoId: string) =>
        (await query<StatusView & { jobId: string }>(primary, 'sora.status', { videoId })).jobId;
      const jobs = { single: await jobOf(single), crowd: await jobOf(crowd) };

      log(
        `${clients} clients on one job and 1 client on another, every ${POLL_EVERY_MS / 1000} s for ${windowMs / 1000} s, ` +
          `across ${INSTANCES} instances${
            Object.keys(env).length
              ? ` (${Object.entries(env)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(' ')})`
              : ''
          }`,
      );
      const startAt = Date.now() + 1_000;
      const endAt = startAt + windowMs;
      const one: Watch = { requests: 0, failures: 0, failureKinds: new Map(), latenciesMs: [] };
      const many: Watch = { requests: 0, failures: 0, failureKinds: new Map(), latenciesMs: [] };
      await Promise.all([
        watch(sessions[0]!, single, Math.random() * POLL_EVERY_MS, startAt, endAt, one),
        ...Array.from({ length: clients }, (_, i) =>
          watch(sessions[i % INSTANCES]!, crowd, (i / clients) * POLL_EVERY_MS, startAt, endAt, many),
        ),
      ]);
      const minutes = windowMs / 60_000;
      const getsOne = (await upstreamGets(simulator.origin, jobs.single, startAt, endAt)) / minutes;
      const getsMany = (await upstreamGets(simulator.origin, jobs.crowd, startAt, endAt)) / minutes;
      if (many.failures > 0 || one.failures > 0)
        log(`status requests that failed: ${many.failures + one.failures} (${[...many.failureKinds, ...one.failureKinds].map(([kind, n]) => `${kind}: ${n}`).join(', ')})`);
      log(`  ${fmt(getsMany)} vs ${fmt(getsOne)} upstream GET/job/min`);
      return { getsOne, getsMany, one, many, minutes };
    },
  );
}

export const coalescing: Scenario = {
  name: 'coalescing',
  title: '1. Coalescing',
  async run({ quick, log }) {
    const clients = quick ? 20 : 1_000;
    const windowMs = quick ? 6_000 : 120_000;
    const defaults = await measure({}, clients, windowMs, log);
    // The same with a freshness window as long as the poll interval: does the goal hold when status reads the row?
    const longFresh = quick ? null : await measure({ STATUS_FRESHNESS_MS: '30000' }, clients, windowMs, log);

    const { getsOne, getsMany, one, many, minutes } = defaults;
    const headline = ratio(getsMany, getsOne);
    const rate = (watch: Watch) => fmt(watch.requests / minutes);
    return {
      measured: `${clients.toLocaleString('en-US')} clients: ${fmt(getsMany)} upstream GET/job/min (per-request proxy: ${rate(many)})`,
      baseline: `1 client: ${fmt(getsOne)} GET/job/min (per-request proxy: ${rate(one)})`,
      ratio: headline,
      extraRatios:
        `proxy/ours at ${clients.toLocaleString('en-US')} clients: ${fmt(ratio(many.requests / minutes, getsMany))}` +
        (longFresh
          ? `; with STATUS_FRESHNESS_MS=30000: ${fmt(longFresh.getsMany)} vs ${fmt(longFresh.getsOne)} GET/job/min, ratio ` +
            `${fmt(ratio(longFresh.getsMany, longFresh.getsOne))}`
          : ''),
      // Issue 16, P1: upstream cost depends on the job, not on the crowd; a watched job about every 5 s.
      goal: 'ratio ≤ 1.05; ≤ 12.5 GET/job/min while watched',
      met: headline <= 1.05 && getsMany <= 12.5 && getsOne <= 12.5,
      setup:
        `${INSTANCES} instances (ROLE=all, defaults: POLL_INTERVAL_MS 30 s, STATUS_FRESHNESS_MS 5 s), ${clients} + 1 clients every ` +
        `${POLL_EVERY_MS / 1000} s for ${windowMs / 1000} s, both jobs watched at once; "per-request proxy" = status requests actually ` +
        `served per minute (each would have been one upstream call)`,
      details: [
        `status requests: crowd ${many.requests.toLocaleString('en-US')} (p50 ${fmtMs(percentile(many.latenciesMs, 50))}, ` +
          `p99 ${fmtMs(percentile(many.latenciesMs, 99))}, ${many.failures} failed), single client ${one.requests} (p50 ` +
          `${fmtMs(percentile(one.latenciesMs, 50))})`,
        ...(longFresh
          ? [
              `STATUS_FRESHNESS_MS=30000 run: crowd ${fmt(longFresh.getsMany)}, single ${fmt(longFresh.getsOne)} GET/job/min; status p50 ` +
                `${fmtMs(percentile(longFresh.many.latenciesMs, 50))}, p99 ${fmtMs(percentile(longFresh.many.latenciesMs, 99))}`,
            ]
          : []),
      ],
    };
  },
};
