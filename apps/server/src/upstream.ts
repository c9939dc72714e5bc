import path from 'node:path';
import { startSimulator } from '@sora-monitor/simulator';
import type { ProviderInfo } from '@sora-monitor/core';
import OpenAI from 'openai';
import type { Logger } from 'pino';
import type { Config } from './config';
import { PRESET_DEFAULTS, sdkConnectionOptions, simulatorConnection } from './upstream-settings';

export interface Upstream {
  info: ProviderInfo;
  client: OpenAI;
  /** Lets the built-in simulator deliver signed webhooks back to this server once it listens. */
  connectWebhooks(url: string, secret: string): void;
  close(): Promise<void>;
}

/**
 * The SDK client for the configured endpoint: its base URL (or the preset's), the key in the preset's or the chosen
 * header, and the default query and headers. Also used by `pnpm upstream:check`. Null without an API key.
 */
export function createUpstreamClient(config: Config): { client: OpenAI; baseURL: string } | null {
  const { apiKey, baseURL } = config.openai;
  if (!apiKey) return null;
  // resolveUpstreamConnection refused a preset without a default when OPENAI_BASE_URL is unset.
  const url = baseURL ?? PRESET_DEFAULTS[config.upstream.preset].baseURL!;
  return { client: new OpenAI({ baseURL: url, ...sdkConnectionOptions(apiKey, config.upstream) }), baseURL: url };
}

/**
 * The real endpoint when an API key is configured; otherwise the built-in simulator, started in-process on a free
 * port and reached over HTTP through the same SDK, so the code path is identical either way.
 */
export async function startUpstream(config: Config, logger: Logger): Promise<Upstream> {
  const upstream = createUpstreamClient(config);
  if (upstream) {
    const { preset, authHeader, defaultQuery, defaultHeaders } = config.upstream;
    // Header names only: their values may be tokens.
    logger.info(
      { baseURL: upstream.baseURL, preset, authHeader, defaultQuery, defaultHeaderNames: Object.keys(defaultHeaders) },
      'Using the OpenAI Videos endpoint at %s (UPSTREAM_PRESET=%s)',
      upstream.baseURL,
      preset,
    );
    return {
      info: { simulated: false, baseURL: upstream.baseURL },
      client: upstream.client,
      connectWebhooks: () => {},
      close: async () => {},
    };
  }
  const dialect = config.simulatorDialect;
  const simulator = await startSimulator({
    port: 0,
    generationMs: config.simulatorGenerationMs,
    dialect,
    // The upstream serves what the catalog offers: Azure deployment names, LiteLLM aliases, extra model names.
    models: config.catalog.models.map((model) => model.name),
    logger: logger.child({ component: 'simulator' }),
    // Jobs survive a restart (or `pnpm dev` reloading on save) instead of all coming back as "gone".
    stateDir: path.resolve(config.dataDir),
  });
  logger.warn(
    { simulatorUrl: simulator.url, dialect },
    'OPENAI_API_KEY is not set: using the built-in Sora simulator at %s (SIM_DIALECT=%s). Videos are generated test patterns, not real Sora output.',
    simulator.url,
    dialect,
  );
  return {
    info: { simulated: true, baseURL: simulator.url },
    client: new OpenAI({ baseURL: simulator.url, ...sdkConnectionOptions(simulator.apiKey, simulatorConnection(dialect)) }),
    connectWebhooks: (url, secret) => simulator.setWebhook(url, secret),
    close: () => simulator.close(),
  };
}
