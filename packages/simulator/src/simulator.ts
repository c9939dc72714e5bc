import type { AddressInfo } from 'node:net';
import { loadAssets } from './assets';
import { CharacterStore } from './characters';
import { Chaos, resolveChaos, type ChaosOptions, type ChaosStats } from './chaos';
import type { SimContext } from './context';
import { createDialect, type DialectName } from './dialects';
import { createJobStateWriter, loadJobState } from './job-state-file';
import { JobStore } from './jobs';
import { resolveOptions, type SimulatorOptions } from './options';
import { RequestLog, type RequestLogEntry } from './request-log';
import { buildServer } from './server';
import { TerminalWatcher } from './terminal-watcher';
import { WebhookDispatcher, type WebhookTarget } from './webhooks';

export interface Simulator {
  /** Base URL of the API, e.g. http://127.0.0.1:PORT/v1 (Azure: …/openai/v1): pass it as the SDK's `baseURL`. */
  url: string;
  /** The upstream it imitates. */
  dialect: DialectName;
  /** http://host:port, for the /__sim routes. */
  origin: string;
  /** The bearer token the simulator accepts. */
  apiKey: string;
  /** Every request served so far (oldest first), a copy. */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** How many of each `chaos` fault were dealt so far (all zero without the option). */
  chaosStats(): ChaosStats;
  /** Replaces the `chaos` option (null: none) and starts afresh: random source at its seed, stats at zero. */
  setChaos(chaos: ChaosOptions | null): void;
  /** Points webhook deliveries somewhere else (a secret is needed the first time), or turns them off with null. */
  setWebhook(url: string | null, secret?: string): void;
  /** Stops timers and pending webhook retries, cuts open connections, and frees the port. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts an OpenAI-Videos-compatible server; resolves once it is listening. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const options = resolveOptions(opts);
  const dialect = createDialect(options.dialect, options.models);
  const { stateFile } = options;
  let saveJobs = () => {};
  const store = new JobStore(options.now, options.generationMs, dialect.videoId, () => saveJobs());
  const stateWriter = stateFile ? createJobStateWriter(stateFile, () => store.all(), options.logger) : null;
  if (stateFile && stateWriter) {
    store.restore(loadJobState(stateFile, options.logger));
    saveJobs = () => stateWriter.schedule();
  }
  const characters = new CharacterStore(options.now, dialect.characterId);
  const log = new RequestLog(options.now);
  const webhooks = new WebhookDispatcher({
    logger: options.logger,
    now: options.now,
    retryDelaysMs: options.webhookRetryDelaysMs,
  });
  webhooks.setTarget(options.webhook);
  let webhookTarget: WebhookTarget | null = options.webhook;
  const watcher = new TerminalWatcher(store, webhooks, options.watchIntervalMs);
  const chaos = new Chaos(options.chaos, options.retryAfterMs);
  const ctx: SimContext = {
    options,
    dialect,
    store,
    characters,
    log,
    watcher,
    chaos,
    assets: await loadAssets(),
  };

  const app = await buildServer(ctx);
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await app.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The Sora simulator could not listen on ${options.host}:${options.port}: ${reason}`, {
      cause: error,
    });
  }
  watcher.start();

  const { port } = app.server.address() as AddressInfo;
  const origin = `http://${urlHost(options.host)}:${port}`;
  const url = `${origin}${dialect.prefix}`;
  options.logger.info(
    {
      url,
      dialect: dialect.name,
      generationMs: options.generationMs,
      webhookUrl: webhookTarget?.url ?? null,
      chaos: options.chaos,
    },
    'Sora simulator listening',
  );

  let closing: Promise<void> | null = null;
  return {
    url,
    dialect: dialect.name,
    origin,
    apiKey: options.apiKey,
    requests: () => log.entries(),
    clearRequests: () => log.clear(),
    chaosStats: () => chaos.stats(),
    setChaos: (next) => chaos.reset(resolveChaos(next ?? undefined)), // validates before anything changes
    setWebhook(targetUrl, secret) {
      let next: WebhookTarget | null = null;
      if (targetUrl !== null) {
        const knownSecret = secret ?? webhookTarget?.secret;
        if (knownSecret === undefined)
          throw new Error(`setWebhook('${targetUrl}') needs a secret: none was configured before`);
        next = { url: targetUrl, secret: knownSecret };
      }
      webhooks.setTarget(next); // validates before anything changes
      webhookTarget = next;
    },
    close() {
      closing ??= (async () => {
        watcher.stop();
        webhooks.close();
        await app.close();
        await stateWriter?.flush(); // counters (polls, 429 bursts) changed since the last create/delete/report
      })();
      return closing;
    },
  };
}

/** A wildcard listen address is not something a client can connect to; loopback reaches it. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
