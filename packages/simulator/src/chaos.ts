import type { IncomingMessage } from 'node:http';
import { rateLimited, serviceUnavailable, type ApiError } from './errors';

/**
 * Process-wide upstream misbehaviour, for soak and fault tests: every `/v1` request may be delayed, refused with a
 * 503 or 429, answered with broken JSON, or have its download cut. Unlike scenario markers (one job, scripted), these
 * hit every job at random, from a seeded source, so a run is reproducible for a given request order.
 */
export interface ChaosOptions {
  /** Share (0..1) of requests answered 503 `service_unavailable` with OpenAI's error body and retry-after. */
  unavailableRate?: number;
  /** After every N requests served, the next `rateLimitBurstLength` answer 429 (a burst). Unset: no bursts. */
  rateLimitBurstEvery?: number;
  /** Length of each 429 burst; default 3. */
  rateLimitBurstLength?: number;
  /** Share (0..1) of requests held for `latencySpikeMs` before they are handled (combines with the other faults). */
  latencySpikeRate?: number;
  /** How long a latency spike lasts; default 1000 ms. */
  latencySpikeMs?: number;
  /** Share (0..1) of JSON answers that are sent as status 200 with a truncated, unparseable body. */
  malformedJsonRate?: number;
  /** Share (0..1) of content downloads cut after the headers (full content-length) and part of the bytes. */
  resetDownloadRate?: number;
  /**
   * Whether the faults also hit creates (POST /videos and remixes); default false. A chaos 503 never makes the job,
   * but a careful client cannot know that and looks the job up for minutes before giving up, so process-wide chaos is
   * by default about following jobs that exist.
   */
  faultCreates?: boolean;
  /** Seed of the random source (an integer); default 1, so even an unseeded run is reproducible. */
  seed?: number;
}

export type ResolvedChaos = Required<Omit<ChaosOptions, 'rateLimitBurstEvery'>> & {
  rateLimitBurstEvery: number | null;
};

/** How many of each fault the simulator has dealt so far. */
export interface ChaosStats {
  /** Requests chaos was applied to (creates excluded unless `faultCreates`). */
  requests: number;
  unavailable: number;
  rateLimited: number;
  latencySpikes: number;
  malformedJson: number;
  downloadResets: number;
}

/** What chaos does to one request. */
export interface ChaosDecision {
  delayMs: number;
  /** Answer this error instead of handling the request. */
  error: ApiError | null;
  /** If the answer is JSON with status 200, truncate it. */
  malformedJson: boolean;
  /** If the answer is content, cut it mid-way. */
  resetDownload: boolean;
}

const RATES = ['unavailableRate', 'latencySpikeRate', 'malformedJsonRate', 'resetDownloadRate'] as const;

/** Defaults plus validation; every error names the option at fault. Null when no chaos was asked for. */
export function resolveChaos(chaos: ChaosOptions | undefined): ResolvedChaos | null {
  if (chaos === undefined) return null;
  for (const name of RATES) {
    const value = chaos[name];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 1))
      throw new Error(`Simulator option 'chaos.${name}' must be a number from 0 to 1, got ${String(value)}`);
  }
  const every = chaos.rateLimitBurstEvery;
  if (every !== undefined) wholeNumber('rateLimitBurstEvery', every, 1);
  return {
    unavailableRate: chaos.unavailableRate ?? 0,
    rateLimitBurstEvery: every ?? null,
    rateLimitBurstLength: wholeNumber('rateLimitBurstLength', chaos.rateLimitBurstLength ?? 3, 1),
    latencySpikeRate: chaos.latencySpikeRate ?? 0,
    latencySpikeMs: wholeNumber('latencySpikeMs', chaos.latencySpikeMs ?? 1000, 0),
    malformedJsonRate: chaos.malformedJsonRate ?? 0,
    resetDownloadRate: chaos.resetDownloadRate ?? 0,
    faultCreates: chaos.faultCreates ?? false,
    seed: wholeNumber('seed', chaos.seed ?? 1, 0),
  };
}

function wholeNumber(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw new Error(
      `Simulator option 'chaos.${name}' must be a whole number >= ${min}, got ${String(value)}`,
    );
  return value;
}

/** mulberry32: tiny, fast and good enough to spread faults; the point is that a seed replays the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const NO_CHAOS: ChaosDecision = { delayMs: 0, error: null, malformedJson: false, resetDownload: false };

const NO_STATS: ChaosStats = {
  requests: 0,
  unavailable: 0,
  rateLimited: 0,
  latencySpikes: 0,
  malformedJson: 0,
  downloadResets: 0,
};

export class Chaos {
  #config: ResolvedChaos | null = null;
  #random: () => number = Math.random;
  readonly #decisions = new WeakMap<IncomingMessage, ChaosDecision>();
  #served = 0;
  #stats: ChaosStats = { ...NO_STATS };

  constructor(
    config: ResolvedChaos | null,
    private readonly retryAfterMs: number,
  ) {
    this.reset(config);
  }

  /** Starts a fresh run: the new settings, the random source back at their seed, counters and stats at zero. */
  reset(config: ResolvedChaos | null): void {
    this.#config = config;
    this.#random = seededRandom(config?.seed ?? 1);
    this.#served = 0;
    this.#stats = { ...NO_STATS };
  }

  /**
   * Decides once, when the request arrives, and remembers it for the later stages (the JSON serializer, the content
   * route). Every request draws the same number of random values whatever it gets, so a seed replays a run.
   */
  decide(req: IncomingMessage, isCreate: boolean): ChaosDecision {
    const config = this.#config;
    if (!config || (isCreate && !config.faultCreates)) return NO_CHAOS;
    this.#stats.requests += 1;
    const [spike, unavailable, payload] = [this.#random(), this.#random(), this.#random()];
    const every = config.rateLimitBurstEvery;
    const inBurst = every !== null && this.#served++ % (every + config.rateLimitBurstLength) >= every;

    let error: ApiError | null = null;
    if (inBurst) {
      error = rateLimited(this.retryAfterMs);
      this.#stats.rateLimited += 1;
    } else if (unavailable < config.unavailableRate) {
      error = serviceUnavailable(this.retryAfterMs);
      this.#stats.unavailable += 1;
    }
    const delayMs = spike < config.latencySpikeRate ? config.latencySpikeMs : 0;
    if (delayMs > 0) this.#stats.latencySpikes += 1;
    const decision: ChaosDecision = {
      delayMs,
      error,
      malformedJson: error === null && payload < config.malformedJsonRate,
      resetDownload: error === null && payload < config.resetDownloadRate,
    };
    this.#decisions.set(req, decision);
    return decision;
  }

  /** Whether this JSON answer must be broken; counted only when it really is. */
  breaksJson(req: IncomingMessage): boolean {
    if (!this.#decisions.get(req)?.malformedJson) return false;
    this.#stats.malformedJson += 1;
    return true;
  }

  /** Whether this content download must be cut; counted only when it really is. */
  resetsDownload(req: IncomingMessage): boolean {
    if (!this.#decisions.get(req)?.resetDownload) return false;
    this.#stats.downloadResets += 1;
    return true;
  }

  stats(): ChaosStats {
    return { ...this.#stats };
  }
}

/** A JSON text cut in half: what a client sees when a proxy or a crashing server ends the body early. */
export function truncatedJson(payload: string): string {
  return payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
}
