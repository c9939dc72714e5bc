import path from 'node:path';
import { JOB_STATE_FILE } from './job-state-file';
import { resolveChaos, type ChaosOptions, type ResolvedChaos } from './chaos';
import { DIALECTS, type DialectName } from './dialects';
import type { WebhookTarget } from './webhooks';

/** The slice of a pino-style logger the simulator uses. */
export interface SimulatorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface SimulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** The only bearer token accepted; default 'sim-key'. */
  apiKey?: string;
  /** How long a normal job takes from create to completed, in ms; default 20 000 (a demo). Tests use a few hundred. */
  generationMs?: number;
  /** Where to POST signed `video.completed` / `video.failed` events; needs `webhookSecret`. */
  webhookUrl?: string;
  /** Standard Webhooks secret: 'whsec_' + base64 (what OPENAI_WEBHOOK_SECRET holds). */
  webhookSecret?: string;
  /** The clock for job timing, timestamps and the request log (ms since epoch); default Date.now. */
  now?: () => number;
  logger?: SimulatorLogger;
  /** Advice in `retry-after-ms` on 429/503 answers; default generationMs / 20, between 10 ms and 1 s. */
  retryAfterMs?: number;
  /** Process-wide random faults (503s, 429 bursts, latency spikes, broken JSON, cut downloads); see chaos.ts. */
  chaos?: ChaosOptions;
  /**
   * Which upstream to imitate: `openai` (default), `azure` (Azure OpenAI v1), `litellm` (LiteLLM proxy) or `newapi`
   * (new-api / one-api gateways). See the README's Dialects section.
   */
  dialect?: DialectName;
  /**
   * Model names the upstream serves: Azure deployment names (default `sora-2`), LiteLLM aliases (default `sora-2`,
   * `sora-2-pro`, `veo-3`, `runway-gen4`); for openai/newapi, names accepted besides the Sora models.
   */
  models?: readonly string[];
  /**
   * A directory to keep the jobs in (one JSON file, see job-state-file.ts), so a restarted simulator still answers
   * for the jobs it created before. Unset: jobs live in memory only.
   */
  stateDir?: string;
}

export const DEFAULT_API_KEY = 'sim-key';
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_GENERATION_MS = 20_000;

export interface ResolvedOptions {
  port: number;
  host: string;
  apiKey: string;
  generationMs: number;
  webhook: WebhookTarget | null;
  now: () => number;
  logger: SimulatorLogger;
  retryAfterMs: number;
  /** Pauses before webhook retries: short for fast simulators, up to 1 s, 4 s, 16 s for a demo. */
  webhookRetryDelaysMs: number[];
  /** How often completed/failed jobs are looked for, so webhooks fire without anyone polling. */
  watchIntervalMs: number;
  /** Null: no process-wide faults (the default). */
  chaos: ResolvedChaos | null;
  dialect: DialectName;
  /** Null: the dialect's default list. */
  models: readonly string[] | null;
  /** Where the jobs are saved; null: memory only. */
  stateFile: string | null;
}

const SILENT_LOGGER: SimulatorLogger = { info: () => {}, warn: () => {} };

/** Defaults plus validation; every error names the option at fault. */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(
      `Simulator option 'port' must be an integer from 0 to 65535, got ${String(options.port)}`,
    );
  }
  const generationMs = options.generationMs ?? DEFAULT_GENERATION_MS;
  if (!Number.isFinite(generationMs) || generationMs <= 0) {
    throw new Error(
      `Simulator option 'generationMs' must be a positive number of milliseconds, got ${String(options.generationMs)}`,
    );
  }
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  if (apiKey.length === 0) throw new Error("Simulator option 'apiKey' must not be empty");

  const scaled = clamp(Math.round(generationMs / 20), 10, 1000);
  const retryAfterMs = options.retryAfterMs ?? scaled;
  if (!Number.isInteger(retryAfterMs) || retryAfterMs < 0) {
    throw new Error(
      `Simulator option 'retryAfterMs' must be a whole number of milliseconds >= 0, got ${String(options.retryAfterMs)}`,
    );
  }

  return {
    port,
    host: options.host ?? DEFAULT_HOST,
    apiKey,
    generationMs,
    webhook: resolveWebhook(options.webhookUrl, options.webhookSecret),
    now: options.now ?? Date.now,
    logger: options.logger ?? SILENT_LOGGER,
    retryAfterMs,
    webhookRetryDelaysMs: [scaled, scaled * 4, scaled * 16],
    watchIntervalMs: clamp(Math.round(generationMs / 40), 5, 250),
    chaos: resolveChaos(options.chaos),
    dialect: resolveDialect(options.dialect),
    models: resolveModels(options.models),
    stateFile: resolveStateFile(options.stateDir),
  };
}

function resolveDialect(dialect: string | undefined): DialectName {
  if (dialect === undefined) return 'openai';
  if (!(DIALECTS as readonly string[]).includes(dialect)) {
    throw new Error(`Simulator option 'dialect' must be one of ${DIALECTS.join(', ')}, got '${dialect}'`);
  }
  return dialect as DialectName;
}

function resolveModels(models: readonly string[] | undefined): readonly string[] | null {
  if (models === undefined) return null;
  if (models.length === 0) throw new Error("Simulator option 'models' must name at least one model");
  for (const model of models) {
    if (typeof model !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/.test(model)) {
      throw new Error(
        `Simulator option 'models' holds '${String(model)}': a model name is letters, digits and . _ : / - (no spaces)`,
      );
    }
  }
  if (new Set(models).size !== models.length)
    throw new Error("Simulator option 'models' names the same model twice");
  return [...models];
}

function resolveWebhook(url: string | undefined, secret: string | undefined): WebhookTarget | null {
  if (url === undefined && secret === undefined) return null;
  if (url === undefined)
    throw new Error("Simulator option 'webhookSecret' is set but 'webhookUrl' is not: set both or neither");
  if (secret === undefined)
    throw new Error("Simulator option 'webhookUrl' is set but 'webhookSecret' is not: set both or neither");
  return { url, secret };
}

function resolveStateFile(stateDir: string | undefined): string | null {
  if (stateDir === undefined) return null;
  if (stateDir.trim() === '') throw new Error("Simulator option 'stateDir' must be a directory path, got ''");
  return path.resolve(stateDir, JOB_STATE_FILE);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
