import { failureMessage } from './failure-messages';
import type { VideoError } from './wire';

/**
 * What a job's prompt asked the simulator to do to it. Markers look like `[sim:name]` or `[sim:name=value]`, may
 * appear anywhere in the prompt, and combine. The table below is the single source for both parsing and the docs.
 */
export interface Scenario {
  /** `[sim:slow]`: the job takes five times as long. */
  slow: boolean;
  /** `[sim:duration=MS]`: generation time for this job instead of the simulator's `generationMs`. */
  durationMs: number | null;
  /** `[sim:fail=CODE]`: the job fails partway with this error. */
  fail: VideoError | null;
  /** `[sim:stuck=N]`: progress climbs to N and stays there, in_progress, forever. */
  stuckAt: number | null;
  /** `[sim:expire-after=N]`: after N successful GETs of the job, it is gone (404 everywhere). */
  expireAfterPolls: number | null;
  /** `[sim:flap-503]`: every other request on the job answers 503. */
  flap503: boolean;
  /** `[sim:429-burst=N]`: the next N requests on the job answer 429. */
  burst429: number;
  /** `[sim:lost-create]`: the job is created but the create response is never sent (socket destroyed). */
  lostCreate: boolean;
  /** `[sim:slow-download]` / `[sim:slow-download=MS]`: content trickles out over MS (null = the default pace). */
  slowDownload: { totalMs: number | null } | null;
  /** `[sim:download-reset]`: the connection is cut after half of the content. */
  downloadReset: boolean;
  /** `[sim:unknown-status]`: the first part of the job reports status `preprocessing`. */
  unknownStatus: boolean;
  /** `[sim:size-mb=N]`: the video content is N MiB (real MP4 + a padding `free` box). */
  sizeMb: number | null;
  /** `[sim:faults-for=N]`: the fault markers apply to the first N jobs with this prompt only; later ones run clean. */
  faultsFor: number | null;
  /** `[sim:retention=MS]`: MS after creation the job reports `expired`, finished or not. */
  retentionMs: number | null;
  /** `[sim:cancel-after=MS]`: MS after creation the job reports `cancelled`, unless it finished first. */
  cancelAfterMs: number | null;
  /** `[sim:thumbnail-503=N]`: the job's first N thumbnail downloads answer 503. */
  thumbnail503: number;
  /** `[sim:timestamps=ms|iso]`: how `created_at`/`completed_at`/`expires_at` are written (default unix seconds). */
  timestamps: TimestampFormat;
}

export type TimestampFormat = 'seconds' | 'ms' | 'iso';

export class ScenarioMarkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioMarkerError';
  }
}

export interface ScenarioMarker {
  /** How it is written in a prompt, e.g. `[sim:stuck=N]`. */
  syntax: string;
  /** What it does, in one or two sentences. */
  effect: string;
}

interface MarkerDefinition extends ScenarioMarker {
  name: string;
  value: 'none' | 'required' | 'optional';
  apply(scenario: Scenario, value: string | undefined): void;
}

const DEFINITIONS: readonly MarkerDefinition[] = [
  {
    name: 'slow',
    syntax: '[sim:slow]',
    value: 'none',
    effect: 'The job takes 5x its normal generation time (combines with `duration`).',
    apply: (s) => void (s.slow = true),
  },
  {
    name: 'duration',
    syntax: '[sim:duration=MS]',
    value: 'required',
    effect: 'Generation takes MS milliseconds instead of the simulator-wide `generationMs`.',
    apply: (s, v) => void (s.durationMs = positiveInteger('duration', v)),
  },
  {
    name: 'fail',
    syntax: '[sim:fail=CODE]',
    value: 'optional',
    effect:
      'The job fails 60% of the way through with `error.code` CODE (default `internal_error`) and a human message; a `video.failed` webhook follows.',
    apply: (s, v) => {
      const code = v ?? 'internal_error';
      if (!/^[a-z][a-z0-9_.-]*$/i.test(code))
        throw new ScenarioMarkerError(`[sim:fail=${code}]: an error code is letters, digits and _ . -`);
      s.fail = { code, message: failureMessage(code) };
    },
  },
  {
    name: 'stuck',
    syntax: '[sim:stuck=N]',
    value: 'required',
    effect: 'Progress climbs to N (0-100) and the job stays `in_progress` at N forever; no webhook.',
    apply: (s, v) => {
      const at = nonNegativeInteger('stuck', v);
      if (at > 100) throw new ScenarioMarkerError(`[sim:stuck=${v}]: progress is 0-100`);
      s.stuckAt = at;
    },
  },
  {
    name: 'expire-after',
    syntax: '[sim:expire-after=N]',
    value: 'required',
    effect:
      'After N successful `GET /v1/videos/{id}` the job is gone: every request on it answers 404 and it leaves the list.',
    apply: (s, v) => void (s.expireAfterPolls = nonNegativeInteger('expire-after', v)),
  },
  {
    name: 'flap-503',
    syntax: '[sim:flap-503]',
    value: 'none',
    effect:
      'Every other request on the job (the 1st, 3rd, 5th... after the create) answers 503 with `retry-after`/`retry-after-ms`.',
    apply: (s) => void (s.flap503 = true),
  },
  {
    name: '429-burst',
    syntax: '[sim:429-burst=N]',
    value: 'required',
    effect:
      'The next N requests on the job (after the create) answer 429 with `retry-after`/`retry-after-ms`.',
    apply: (s, v) => void (s.burst429 = nonNegativeInteger('429-burst', v)),
  },
  {
    name: 'lost-create',
    syntax: '[sim:lost-create]',
    value: 'none',
    effect:
      'The job IS created, but the create response is lost: the socket is destroyed instead (the SDK sees a connection error). Every create carrying the marker does this, so SDK retries create more jobs, as they would upstream.',
    apply: (s) => void (s.lostCreate = true),
  },
  {
    name: 'slow-download',
    syntax: '[sim:slow-download] or [sim:slow-download=MS]',
    value: 'optional',
    effect:
      'Content is streamed in small pieces spread over MS milliseconds (default: the simulator-wide `generationMs`).',
    apply: (s, v) =>
      void (s.slowDownload = { totalMs: v === undefined ? null : positiveInteger('slow-download', v) }),
  },
  {
    name: 'download-reset',
    syntax: '[sim:download-reset]',
    value: 'none',
    effect:
      'Content responses send their headers (full `content-length`) and half the bytes, then the connection is cut.',
    apply: (s) => void (s.downloadReset = true),
  },
  {
    name: 'thumbnail-503',
    syntax: '[sim:thumbnail-503=N]',
    value: 'required',
    effect:
      "The job's first N thumbnail downloads (`variant=thumbnail`) answer 503 with `retry-after`; later ones get the image. The video itself downloads normally.",
    apply: (s, v) => void (s.thumbnail503 = nonNegativeInteger('thumbnail-503', v)),
  },
  {
    name: 'unknown-status',
    syntax: '[sim:unknown-status]',
    value: 'none',
    effect:
      'For the first 30% of the job, GET reports `status: "preprocessing"` (not in the contract); then it continues normally.',
    apply: (s) => void (s.unknownStatus = true),
  },
  {
    name: 'size-mb',
    syntax: '[sim:size-mb=N]',
    value: 'required',
    effect:
      'The video content is N MiB (N may be fractional): the real MP4 followed by a padding `free` box, so it stays a valid MP4. Streamed, never held in memory.',
    apply: (s, v) => {
      const mb = Number(v);
      if (!Number.isFinite(mb) || mb <= 0 || mb > 1024 * 1024)
        throw new ScenarioMarkerError(`[sim:size-mb=${v}]: expected a size in MiB above 0`);
      s.sizeMb = mb;
    },
  },
  {
    name: 'faults-for',
    syntax: '[sim:faults-for=N]',
    value: 'required',
    effect:
      'The other fault markers apply to the first N jobs created with this exact prompt only; later jobs with the same prompt keep speed and size but run without faults (so a stuck or failed generation can be retried to completion).',
    apply: (s, v) => {
      const count = nonNegativeInteger('faults-for', v);
      if (count < 1) throw new ScenarioMarkerError(`[sim:faults-for=${v}]: expected a count of at least 1`);
      s.faultsFor = count;
    },
  },
  {
    name: 'retention',
    syntax: '[sim:retention=MS]',
    value: 'required',
    effect:
      'MS milliseconds after creation the job reports `status: "expired"` (as Sora does past retention), whether it had completed or not; its content answers 404. Without the marker a completed job expires when `expires_at` (one hour) passes.',
    apply: (s, v) => void (s.retentionMs = positiveInteger('retention', v)),
  },
  {
    name: 'cancel-after',
    syntax: '[sim:cancel-after=MS]',
    value: 'required',
    effect:
      'MS milliseconds after creation the job reports `status: "cancelled"` (progress frozen), unless it completed or failed first; no webhook.',
    apply: (s, v) => void (s.cancelAfterMs = positiveInteger('cancel-after', v)),
  },
  {
    name: 'timestamps',
    syntax: '[sim:timestamps=ms] or [sim:timestamps=iso]',
    value: 'required',
    effect:
      '`created_at`, `completed_at` and `expires_at` are sent in milliseconds or as ISO 8601 strings instead of unix seconds, as some gateways do.',
    apply: (s, v) => {
      if (v !== 'ms' && v !== 'iso')
        throw new ScenarioMarkerError(`[sim:timestamps=${v}]: expected ms or iso`);
      s.timestamps = v;
    },
  },
];

/** Every marker with its syntax and effect (the README's table is this list). */
export const SCENARIO_MARKERS: readonly ScenarioMarker[] = DEFINITIONS.map(({ syntax, effect }) => ({
  syntax,
  effect,
}));

const MARKER_PATTERN = /\[sim:([^\]=]*)(?:=([^\]]*))?\]/g;

export function defaultScenario(): Scenario {
  return {
    slow: false,
    durationMs: null,
    fail: null,
    stuckAt: null,
    expireAfterPolls: null,
    flap503: false,
    burst429: 0,
    lostCreate: false,
    slowDownload: null,
    downloadReset: false,
    unknownStatus: false,
    sizeMb: null,
    faultsFor: null,
    retentionMs: null,
    cancelAfterMs: null,
    thumbnail503: 0,
    timestamps: 'seconds',
  };
}

/**
 * The same scenario without its faults (failures, stuck, expiry, cancellation, 503/429, lost create, download trouble,
 * unknown status), keeping only speed, size and timestamp format: what a retry of a `[sim:faults-for=N]` prompt gets after N jobs.
 */
export function withoutFaults(scenario: Scenario): Scenario {
  return {
    ...defaultScenario(),
    slow: scenario.slow,
    durationMs: scenario.durationMs,
    sizeMb: scenario.sizeMb,
    faultsFor: scenario.faultsFor,
    timestamps: scenario.timestamps,
  };
}

/** Reads every `[sim:…]` marker in a prompt. An unknown or malformed marker is an error, never silently ignored. */
export function parseScenario(prompt: string): Scenario {
  const scenario = defaultScenario();
  for (const match of prompt.matchAll(MARKER_PATTERN)) {
    const name = (match[1] ?? '').trim();
    const value = match[2]?.trim();
    const definition = DEFINITIONS.find((candidate) => candidate.name === name);
    if (!definition) {
      throw new ScenarioMarkerError(
        `Unknown simulator marker '${match[0]}'. Known markers: ${DEFINITIONS.map((d) => d.name).join(', ')}.`,
      );
    }
    if (definition.value === 'none' && value !== undefined) {
      throw new ScenarioMarkerError(`Simulator marker '${match[0]}' takes no value; write [sim:${name}].`);
    }
    if (definition.value === 'required' && (value === undefined || value === '')) {
      throw new ScenarioMarkerError(`Simulator marker '${match[0]}' needs a value: ${definition.syntax}.`);
    }
    definition.apply(scenario, value === '' ? undefined : value);
  }
  return scenario;
}

function nonNegativeInteger(name: string, value: string | undefined): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value ?? '') || !Number.isSafeInteger(parsed)) {
    throw new ScenarioMarkerError(`[sim:${name}=${value}]: expected a whole number >= 0`);
  }
  return parsed;
}

function positiveInteger(name: string, value: string | undefined): number {
  const parsed = nonNegativeInteger(name, value);
  if (parsed === 0) throw new ScenarioMarkerError(`[sim:${name}=${value}]: expected a whole number above 0`);
  return parsed;
}
